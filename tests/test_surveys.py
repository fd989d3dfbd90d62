"""``/surveys``, their responses, a supplier's CSV import and the results (TSM satisfaction rule)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.models import SurveyAnswer, SurveyResponse
from core.models.surveys import AGREEMENT_VALUES, BUILT_IN_QUESTIONS, SATISFACTION_VALUES, YES_NO_VALUES
from core.tenancy import organisation_scope


@pytest.fixture
def org(make_org):
    return make_org("hill-homes")


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


URL = "/api/v1/orgs/hill-homes/surveys"
CSV = {"Content-Type": "text/csv"}
FUTURE = (date.today() + timedelta(days=3)).isoformat()


def q(code, scale="satisfaction", text=None):
    return {"code": code, "scale": scale} | ({"text": text} if text else {})


TENANT_SURVEY = {
    "title": "Tenant satisfaction 2025",
    "questions": [
        q("TP06"),
        q("SAFE", "agreement", "My home is safe"),
        q("REPAIR", "yes_no", "Repair done first time?"),
        q("COMMENTS", "text", "Anything else?"),
    ],
}


def at(survey, tail=""):
    return f"{URL}/{survey['id']}{tail}"


@pytest.fixture
def survey(api):
    return make_survey(api)


def make_survey(api, **changes):
    response = api.post(URL, json={**TENANT_SURVEY, **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def respond(api, survey, answers, **extra):
    return api.post(at(survey, "/responses"), json={"answers": answers, **extra})


def make_participant(client, slug, **extra):
    body = {"first_name": "Ann", "last_name": "Lee", **extra}
    return client.post(f"/api/v1/orgs/{slug}/participants", json=body).get_json()


def fields_of(response):
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]["fields"]


# -- surveys ------------------------------------------------------------------------------------
def test_create_read_change_and_delete_a_survey(api):
    survey = make_survey(api, opens_on="2025-06-01", closes_on="2025-06-30", conducted_by="Acme Research")
    assert [q["code"] for q in survey["questions"]] == ["TP06", "SAFE", "REPAIR", "COMMENTS"]
    assert survey["questions"][0]["text"] == BUILT_IN_QUESTIONS["TP06"][0]
    assert survey["response_count"] == 0 and survey["conducted_by"] == "Acme Research"
    one = api.get(at(survey)).get_json()
    assert one["questions"] == survey["questions"] and one["title"] == "Tenant satisfaction 2025"
    changed = api.patch(at(survey), json={"title": "TSM 2025", "closes_on": "2025-07-31"})
    assert changed.status_code == 200 and changed.get_json()["closes_on"] == "2025-07-31"
    assert api.delete(at(survey)).status_code == 204
    assert api.get(at(survey)).status_code == 404
    assert make_survey(api)["conducted_by"] == "landlord"


SHORT = {"title": "S", "questions": [q("OPPS")]}
BAD_SURVEYS = [({"questions": [q("OPPS")]}, "title"), ({"title": "S"}, "questions")]
BAD_SURVEYS += [({"title": "S", "questions": []}, "questions"), ({**SHORT, "colour": "red"}, "colour")]
BAD_SURVEYS += [({**SHORT, "opens_on": "2025-06-02", "closes_on": "2025-06-01"}, "closes_on")]


@pytest.mark.parametrize(("body", "field"), BAD_SURVEYS)
def test_invalid_surveys_are_422_naming_the_field(api, body, field):
    assert field in fields_of(api.post(URL, json=body))


BAD_CODES = [q("q1", "text", "x"), q("Q-1", "text", "x"), q("Q" * 31, "text", "x"), q("", "text", "x")]
BAD_SCALES = [q("Q1", "stars", "x"), q("TP06", "agreement"), q("OPPS", "yes_no"), q("TP06", "text")]
BAD_QUESTIONS = [(bad, "code") for bad in BAD_CODES] + [(bad, "scale") for bad in BAD_SCALES]


@pytest.mark.parametrize(("question", "field"), [*BAD_QUESTIONS, (q("Q1", "text"), "text")])
def test_invalid_questions_are_422_naming_questions_n_field(api, question, field):
    body = {"title": "S", "questions": [q("OPPS"), question]}
    assert f"questions.1.{field}" in fields_of(api.post(URL, json=body))


def test_question_codes_are_unique_within_a_survey(api):
    questions = [q("Q1", "text", "a"), q("Q2", "text", "b"), q("Q1", "yes_no", "c")]
    assert list(fields_of(api.post(URL, json={"title": "S", "questions": questions}))) == ["questions.2.code"]
    assert make_survey(api, title="Another")["id"]  # the same codes in another survey are fine
    assert make_survey(api, title="And another")["id"]


def test_built_in_questions_keep_their_scale_and_take_their_standard_wording(api):
    survey = make_survey(api, questions=[q("OPPS"), q("TP06", "satisfaction", "Own words")])
    assert [q["text"] for q in survey["questions"]] == [BUILT_IN_QUESTIONS["OPPS"][0], "Own words"]


def test_list_is_paginated_and_filters_by_question_code(api):
    with_tp06 = make_survey(api)
    make_survey(api, title="Repairs", questions=[q("REPAIR", "yes_no", "Done?")])
    listed = api.get(f"{URL}?per_page=1").get_json()
    assert listed["total"] == 2 and len(listed["items"]) == 1 and listed["per_page"] == 1
    asking = api.get(f"{URL}?question_code=TP06").get_json()
    assert [s["id"] for s in asking["items"]] == [with_tp06["id"]]
    assert asking["items"][0]["questions"][0]["code"] == "TP06"
    assert api.get(f"{URL}?question_code=OPPS").get_json()["total"] == 0
    assert "question_code" in fields_of(api.get(f"{URL}?question_code=not%20a%20code"))


def test_questions_can_change_until_the_first_response_then_409_and_delete_is_409(api, survey):
    replaced = api.patch(at(survey), json={"questions": [q("TP06"), q("SAFE", "yes_no", "Safe?")]})
    assert replaced.status_code == 200, replaced.get_json()
    assert [(q["code"], q["scale"]) for q in replaced.get_json()["questions"]] == [
        ("TP06", "satisfaction"),
        ("SAFE", "yes_no"),
    ]
    assert respond(api, survey, {"TP06": "very_satisfied"}).status_code == 201
    again = api.patch(at(survey), json={"questions": [q("OPPS")]})
    assert again.status_code == 409
    assert api.patch(at(survey), json={"title": "Renamed"}).status_code == 200
    assert api.get(at(survey)).get_json()["response_count"] == 1
    assert api.delete(at(survey)).status_code == 409


def test_patch_checks_the_dates_against_the_stored_ones(api):
    survey = make_survey(api, opens_on="2025-06-01")
    assert "closes_on" in fields_of(api.patch(at(survey), json={"closes_on": "2025-05-31"}))


# -- responses ----------------------------------------------------------------------------------
def test_record_a_response_and_read_it_back(api, survey, org, make_user, api_client):
    person = make_participant(api, "hill-homes")
    answers = {"TP06": "fairly_satisfied", "SAFE": "strongly_agree", "REPAIR": "dont_know"}
    extra = {"participant_id": person["id"], "channel": "online", "responded_on": "2025-06-03"}
    created = respond(api, survey, {**answers, "COMMENTS": " More benches "}, **extra)
    assert created.status_code == 201, created.get_json()
    response = created.get_json()
    assert response["answers"] == {**answers, "COMMENTS": "More benches"}
    assert response["participant_id"] == person["id"] and response["channel"] == "online"
    assert api.get(at(survey, f"/responses/{response['id']}")).get_json()["answers"] == response["answers"]
    listed = api.get(at(survey, "/responses")).get_json()
    assert listed["total"] == 1 and listed["items"][0]["answers"]["SAFE"] == "strongly_agree"


def test_a_response_may_be_anonymous_leave_questions_blank_and_defaults_to_today(api, survey):
    response = respond(api, survey, {"TP06": "very_satisfied", "SAFE": "", "REPAIR": None}).get_json()
    assert response["participant_id"] is None and response["responded_on"] == date.today().isoformat()
    assert response["answers"] == {"TP06": "very_satisfied"}
    assert respond(api, survey, {}).status_code == 201


BAD_ANSWERS = [("NOPE", "yes"), ("TP06", "satisfied"), ("TP06", "agree"), ("SAFE", "very_satisfied")]


@pytest.mark.parametrize(
    ("code", "value"), [*BAD_ANSWERS, ("REPAIR", "maybe"), ("COMMENTS", "x" * 5001), ("TP06", 5)]
)
def test_answers_must_be_questions_of_the_survey_and_fit_their_scale(api, survey, code, value):
    assert f"answers.{code}" in fields_of(respond(api, survey, {code: value}))
    assert api.get(at(survey)).get_json()["response_count"] == 0


def test_every_scale_takes_its_values(api, survey):
    for values in zip(SATISFACTION_VALUES, AGREEMENT_VALUES, YES_NO_VALUES * 2, strict=True):
        answers = dict(zip(("TP06", "SAFE", "REPAIR"), values, strict=True))
        assert respond(api, survey, answers).get_json()["answers"] == answers


BAD_RESPONSES = [("participant_id", 999999), ("participant_id", 10**30), ("channel", "pigeon")]
BAD_RESPONSES += [("responded_on", "2025-02-30"), ("responded_on", FUTURE), ("answers", "TP06=yes")]


@pytest.mark.parametrize(("field", "value"), BAD_RESPONSES)
def test_invalid_responses_are_422_naming_the_field(api, survey, field, value):
    assert field in fields_of(api.post(at(survey, "/responses"), json={"answers": {}, field: value}))


def test_a_response_must_belong_to_the_survey_in_the_url(api):
    first, second = make_survey(api), make_survey(api, title="Second")
    response = respond(api, first, {"TP06": "neither"}).get_json()
    assert api.get(at(second, f"/responses/{response['id']}")).status_code == 404
    assert api.delete(at(second, f"/responses/{response['id']}")).status_code == 404
    assert api.delete(at(first, f"/responses/{response['id']}")).status_code == 204
    assert api.get(at(first, f"/responses/{response['id']}")).status_code == 404
    assert api.delete(at(first)).status_code == 204  # no responses left


def test_listing_responses_loads_answers_in_one_statement(api, survey, count_queries):
    for n in range(30):
        respond(api, survey, {"TP06": "very_satisfied", "SAFE": "agree", "COMMENTS": f"note {n}"})
    with count_queries() as seen:
        page = api.get(at(survey, "/responses?per_page=200")).get_json()
    assert page["total"] == 30 and all(len(r["answers"]) == 3 for r in page["items"])
    assert len([s for s in seen if "FROM survey_answers" in s]) == 1 and len(seen) <= 12, seen


def test_viewers_read_surveys_but_cannot_write(org, api, survey, make_user, api_client):
    response = respond(api, survey, {"TP06": "neither"}).get_json()
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(URL).get_json()["total"] == 1
    assert viewer.get(at(survey, "/responses")).status_code == 200
    assert viewer.get(at(survey, "/results")).status_code == 200
    assert viewer.post(URL, json=TENANT_SURVEY).status_code == 403
    assert viewer.patch(at(survey), json={"title": "x"}).status_code == 403
    assert viewer.delete(at(survey)).status_code == 403
    assert respond(viewer, survey, {"TP06": "neither"}).status_code == 403
    assert viewer.delete(at(survey, f"/responses/{response['id']}")).status_code == 403
    csv = "response_id,responded_on\nR1,2025-06-01\n"
    assert viewer.post(at(survey, "/responses/import"), data=csv, headers=CSV).status_code == 403


def test_another_organisations_records_are_404_and_its_participant_422(
    api, survey, make_org, make_user, api_client
):
    other = api_client(make_user(make_org("far-homes"), "staff"))
    theirs = other.post("/api/v1/orgs/far-homes/surveys", json=TENANT_SURVEY).get_json()
    their_url = f"/api/v1/orgs/far-homes/surveys/{theirs['id']}/responses"
    their_response = other.post(their_url, json={"answers": {"TP06": "neither"}}).get_json()
    paths = [at(theirs), at(theirs, "/results"), at(theirs, "/responses")]
    for path in [*paths, at(survey, f"/responses/{their_response['id']}")]:
        assert api.get(path).status_code == 404, path
    assert api.patch(at(theirs), json={"title": "x"}).status_code == 404
    assert api.delete(at(theirs)).status_code == 404
    assert respond(api, theirs, {"TP06": "neither"}).status_code == 404
    assert api.get(f"{URL}?question_code=TP06").get_json()["total"] == 1
    person = make_participant(other, "far-homes")
    assert "participant_id" in fields_of(respond(api, survey, {}, participant_id=person["id"]))


# -- results ------------------------------------------------------------------------------------
def test_results_follow_the_kpis_worked_example_counted_in_sql(api, survey, count_queries):
    """KPIS.md: 40 very, 30 fairly satisfied, 10 neither, 10 fairly dissatisfied, 10 don't know → 77.8."""
    csv = "response_id,responded_on,TP06\n"
    values = ["very_satisfied"] * 40 + ["fairly_satisfied"] * 30 + ["neither"] * 10
    values += ["fairly_dissatisfied"] * 10 + ["dont_know"] * 10
    csv += "".join(f"R{n},2025-06-01,{value}\n" for n, value in enumerate(values))
    csv += "BLANK,2025-06-01,\n"
    assert api.post(at(survey, "/responses/import"), data=csv, headers=CSV).status_code == 200
    with count_queries() as seen:
        results = api.get(at(survey, "/results")).get_json()
    assert len([s for s in seen if "GROUP BY" in s]) == 1 and len(seen) <= 10, seen  # not one per answer
    tp06 = results["questions"][0]
    assert results["responses"] == 101
    assert tp06["code"] == "TP06" and tp06["satisfied_percent"] == 77.8
    expected = {"very_satisfied": 40, "fairly_satisfied": 30, "neither": 10, "fairly_dissatisfied": 10}
    assert tp06["counts"] == {**expected, "very_dissatisfied": 0, "dont_know": 10}
    assert tp06["answered"] == 100 and tp06["blank"] == 1
    assert results["questions"][1]["satisfied_percent"] is None  # agreement: not a satisfaction measure


def test_results_count_every_scale_and_free_text_and_null_when_nothing_to_measure(api, survey):
    respond(api, survey, {"SAFE": "agree", "REPAIR": "yes", "COMMENTS": "a", "TP06": "dont_know"})
    respond(api, survey, {"SAFE": "agree", "REPAIR": "no", "COMMENTS": "b"})
    results = {q["code"]: q for q in api.get(at(survey, "/results")).get_json()["questions"]}
    assert results["SAFE"]["counts"]["agree"] == 2
    assert results["REPAIR"]["counts"] == {"yes": 1, "no": 1, "dont_know": 0}
    assert results["COMMENTS"]["answered"] == 2 and results["COMMENTS"]["counts"] == {}
    assert results["TP06"]["satisfied_percent"] is None and results["TP06"]["blank"] == 1


def test_results_for_a_period_count_only_responses_dated_in_it(api, survey):
    respond(api, survey, {"TP06": "very_satisfied"}, responded_on="2025-03-31")
    respond(api, survey, {"TP06": "very_dissatisfied"}, responded_on="2025-04-01")
    respond(api, survey, {"TP06": "fairly_satisfied"}, responded_on="2025-07-01")
    year = api.get(at(survey, "/results?period=2025-26")).get_json()
    assert year["period"] == "2025-26" and year["responses"] == 2
    assert year["questions"][0]["satisfied_percent"] == 50.0
    quarter = api.get(at(survey, "/results?period=2025-26-Q1")).get_json()
    assert quarter["responses"] == 1 and quarter["questions"][0]["satisfied_percent"] == 0.0
    everything = api.get(at(survey, "/results")).get_json()
    assert everything["period"] is None and everything["questions"][0]["satisfied_percent"] == 66.7


@pytest.mark.parametrize("period", ["2025", "2025-27", "2025-26-Q5", "x" * 30])
def test_a_bad_period_is_422_naming_period(api, survey, period):
    assert "period" in fields_of(api.get(at(survey, f"/results?period={period}")))


# -- CSV import ---------------------------------------------------------------------------------
def import_csv(api, survey, text):
    return api.post(at(survey, "/responses/import"), data=text, headers=CSV)


def test_import_creates_responses_with_their_answers(api, survey):
    make_participant(api, "hill-homes", reference="P-1")
    text = (
        "Response_ID,responded_on,participant,channel,tp06,Safe,REPAIR,comments\n"
        "S-1,2025-06-01,P-1,online,very_satisfied,agree,yes,Great\n"
        "S-2,02/06/2025,,post,dont_know,,no,\n"
    )
    assert import_csv(api, survey, text).get_json() == {"created": 2, "unchanged": 0}
    items = api.get(at(survey, "/responses")).get_json()["items"]
    assert [r["external_ref"] for r in items] == ["S-1", "S-2"]
    expected = {"TP06": "very_satisfied", "SAFE": "agree", "REPAIR": "yes", "COMMENTS": "Great"}
    assert items[0]["answers"] == expected
    assert items[0]["participant_id"] is not None and items[0]["channel"] == "online"
    assert items[1]["answers"] == {"TP06": "dont_know", "REPAIR": "no"}
    assert items[1]["responded_on"] == "2025-06-02" and items[1]["participant_id"] is None


def test_import_accepts_the_suppliers_wording(api, survey):
    text = (
        "response_id,responded_on,TP06,SAFE,REPAIR\n"
        "S-1,2025-06-01,Very satisfied,Strongly agree,Yes\n"
        "S-2,2025-06-01,Fairly satisfied,Neither agree nor disagree,No\n"
        "S-3,2025-06-01,Neither satisfied nor dissatisfied,Disagree,Don't know\n"
        "S-4,2025-06-01,DON\u2019T KNOW,don't know,YES\n"
        "S-5,2025-06-01,Very dissatisfied,Strongly Disagree,no\n"
    )
    assert import_csv(api, survey, text).get_json() == {"created": 5, "unchanged": 0}
    answers = [r["answers"] for r in api.get(at(survey, "/responses")).get_json()["items"]]
    assert [a["TP06"] for a in answers] == [*SATISFACTION_VALUES[:3], "dont_know", "very_dissatisfied"]
    assert [a["SAFE"] for a in answers] == [
        "strongly_agree",
        "neither",
        "disagree",
        "dont_know",
        "strongly_disagree",
    ]
    assert [a["REPAIR"] for a in answers] == ["yes", "no", "dont_know", "yes", "no"]


def test_reimporting_the_same_file_changes_nothing(api, survey, org, db_session):
    text = "response_id,responded_on,TP06\nS-1,2025-06-01,very_satisfied\nS-2,2025-06-01,neither\n"
    assert import_csv(api, survey, text).get_json() == {"created": 2, "unchanged": 0}
    changed = text.replace("neither", "very_dissatisfied") + "S-3,2025-06-02,dont_know\n"
    assert import_csv(api, survey, changed).get_json() == {"created": 1, "unchanged": 2}
    assert import_csv(api, survey, changed).get_json() == {"created": 0, "unchanged": 3}
    with organisation_scope(org.id):
        assert db_session.scalar(select(func.count()).select_from(SurveyResponse)) == 3
        assert db_session.scalar(select(func.count()).select_from(SurveyAnswer)) == 3
    counts = api.get(at(survey, "/results")).get_json()["questions"][0]["counts"]
    assert counts["neither"] == 1 and counts["very_dissatisfied"] == 0  # the existing S-2 is left alone


def test_import_is_all_or_nothing_naming_every_bad_cell(api, survey):
    text = (
        "response_id,responded_on,participant,channel,TP06,SAFE,REPAIR\n"
        "S-1,2025-06-01,,online,very_satisfied,agree,yes\n"
        "S-2,31/31/2025,,pigeon,quite happy,agree,perhaps\n"
        ",2025-06-01,,,,,\n"
        "S-1,2025-06-01,P-404,,,very_satisfied,\n"
        f"S-5,{FUTURE},,,,,\n"
    )
    fields = fields_of(import_csv(api, survey, text))
    row_3 = {"row 3.responded_on", "row 3.channel", "row 3.TP06", "row 3.REPAIR"}
    row_5 = {"row 5.response_id", "row 5.participant", "row 5.SAFE"}
    assert set(fields) == {*row_3, "row 4.response_id", *row_5, "row 6.responded_on"}
    assert "row 2" in fields["row 5.response_id"][0]
    assert api.get(at(survey, "/responses")).get_json()["total"] == 0


HEADER_PROBLEMS = [("responded_on,TP06\n", "Missing column(s): response_id"), ("", "empty")]
HEADER_PROBLEMS += [("response_id,TP06\n", "Missing column(s): responded_on")]
HEADER_PROBLEMS += [("response_id,responded_on,OPPS\n", "Unknown column(s): opps")]


@pytest.mark.parametrize(("text", "message"), [*HEADER_PROBLEMS, ("response_id,TP06,tp06\n", "given twice")])
def test_import_header_problems_are_reported_under_header(api, survey, text, message):
    assert message in " ".join(fields_of(import_csv(api, survey, text))["header"])


def test_import_needs_a_csv_upload_and_a_survey_of_the_organisation(api, survey):
    assert api.post(at(survey, "/responses/import"), json={"x": 1}).status_code == 415
    assert import_csv(api, {"id": 999999}, "response_id,responded_on\nS-1,2025-06-01\n").status_code == 404


def test_a_large_import_is_written_in_bulk(api, survey, org, db_session, count_queries):
    rows = "".join(f"S-{n},2025-06-01,very_satisfied,agree,yes,note {n}\n" for n in range(10_000))
    text = "response_id,responded_on,TP06,SAFE,REPAIR,COMMENTS\n" + rows
    with count_queries() as seen:
        assert import_csv(api, survey, text).get_json() == {"created": 10_000, "unchanged": 0}
    assert len(seen) <= 40, len(seen)  # batched multi-row inserts, not one per row or per answer
    with organisation_scope(org.id):
        assert db_session.scalar(select(func.count()).select_from(SurveyAnswer)) == 40_000
    assert api.get(at(survey, "/results")).get_json()["questions"][0]["satisfied_percent"] == 100.0
