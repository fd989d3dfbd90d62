"""Equality monitoring (special-category data) and the customer profile it is compared with.

Each rule of DOMAIN.md has a test: voluntary with ``prefer_not_to_say`` everywhere, written but
never read back per person (only the person's own subject-access export holds their answers),
readable only in aggregate with small numbers suppressed, a written objection deletes the answers
and excludes the person, and the audit log notes a change without its values.
"""

from datetime import date, timedelta
from itertools import count

import pytest
from sqlalchemy import select

from core.models import AuditEvent, EqualityMonitoring
from core.services.monitoring import take_snapshots
from core.tenancy import organisation_scope

BASE = "/api/v1/orgs/fair-homes"
URL = f"{BASE}/participants"
# Answers distinctive enough to be spotted in any response body.
ANSWERS = {
    "age_band": "75_plus",
    "sex": "non_binary",
    "ethnicity": "mixed",
    "disability": "yes",
    "religion": "buddhist",
    "sexual_orientation": "bisexual",
}


@pytest.fixture
def org(make_org):
    return make_org("fair-homes", plugins=["example"])


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "org_admin"))


@pytest.fixture
def analyst(org, make_user, api_client):
    """Reads aggregates (the separate grant); records nobody's answers."""
    return api_client(make_user(org, "staff", equality_analyst=True))


DAYS = count()


def next_day(org):
    """The daily count of equality monitoring, on a day after the last one."""
    with organisation_scope(org.id):
        take_snapshots(date(2025, 6, 1) + timedelta(days=next(DAYS)))


def person(api, first_name="Ann"):
    return api.post(URL, json={"first_name": first_name, "last_name": "Lee"}).get_json()["id"]


def answer(api, participant_id, **answers):
    return api.put(f"{URL}/{participant_id}/equality", json=answers)


def summary(reader, characteristic="age_band", org=None):
    """What an analyst reads, after the next daily count when ``org`` is given."""
    if org is not None:
        next_day(org)
    response = reader.get(f"{BASE}/equality/summary?characteristic={characteristic}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_every_answer_is_optional_and_accepts_prefer_not_to_say(api):
    someone = person(api)
    assert answer(api, someone).status_code == 204
    assert answer(api, someone, **ANSWERS).status_code == 204
    assert answer(api, someone, **dict.fromkeys(ANSWERS, "prefer_not_to_say")).status_code == 204
    assert answer(api, someone, age_band=None, sex="female").status_code == 204


@pytest.mark.parametrize(
    ("field", "value"), [("age_band", "ancient"), ("sex", "yes"), ("religion", 3), ("shoe_size", "9")]
)
def test_an_answer_outside_its_categories_is_422_naming_the_field(api, field, value):
    response = answer(api, person(api), **{field: value})
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_recording_answers_does_not_echo_them_back(api):
    response = answer(api, person(api), **ANSWERS)
    assert response.status_code == 204 and response.get_data() == b""


def test_no_endpoint_returns_one_persons_answers_to_anyone_else(api, app):
    someone, other = person(api, "Ann"), person(api, "Bob")
    answer(api, someone, **ANSWERS)
    assert api.get(f"{URL}/{someone}/equality").status_code == 405
    bodies = [
        api.get(f"{URL}/{someone}").get_data(as_text=True),
        api.get(URL).get_data(as_text=True),
        api.get(f"{URL}/{other}/export").get_data(as_text=True),
    ]
    for body in bodies:
        for value in ANSWERS.values():
            assert f'"{value}"' not in body
    spec = api.get("/api/v1/openapi.json").get_json()
    equality_paths = [path for path in spec["paths"] if "equality" in path and "summary" not in path]
    assert equality_paths and all("get" not in spec["paths"][path] for path in equality_paths)
    # ...the one place they appear is the person's own subject-access export.
    assert api.get(f"{URL}/{someone}/export").get_json()["equality_monitoring"]["religion"] == "buddhist"


def test_the_audit_log_records_that_monitoring_changed_but_not_the_values(api, org, db_session):
    someone = person(api)
    answer(api, someone, **ANSWERS)
    answer(api, someone, **{**ANSWERS, "religion": "prefer_not_to_say"})
    with organisation_scope(org.id):
        events = db_session.scalars(
            select(AuditEvent).where(AuditEvent.record_type == EqualityMonitoring.__tablename__)
        ).all()
    assert [e.action for e in events] == ["create", "update"]
    assert "religion" in events[1].fields
    logged = " ".join(f"{e.action} {e.record_type} {e.fields}" for e in events)
    for value in (*ANSWERS.values(), "prefer_not_to_say"):
        assert value not in logged


def test_only_equality_analysts_read_aggregates_and_analysts_record_no_answers(
    org, api, analyst, make_user, api_client
):
    # Changed with the hardening of monitoring: staff record answers but no longer read the summary.
    someone = person(api)
    summary_url = f"{BASE}/equality/summary?characteristic=age_band"
    viewer = api_client(make_user(org, "viewer"))
    assert answer(viewer, someone, age_band="18_24").status_code == 403
    assert viewer.get(summary_url).status_code == 403
    staff = api_client(make_user(org, "staff"))
    assert answer(staff, someone, age_band="18_24").status_code == 204
    assert staff.get(summary_url).status_code == 403
    assert api.get(summary_url).status_code == 403  # not even an organisation admin
    assert analyst.get(summary_url).status_code == 200
    assert answer(analyst, someone, age_band="25_34").status_code == 403
    objection = analyst.post(f"{URL}/{someone}/equality/objection", json={})
    assert objection.status_code == 403


def test_a_written_objection_deletes_the_answers_and_refuses_later_ones(api, org, db_session):
    someone = person(api)
    answer(api, someone, **ANSWERS)
    objection = api.post(f"{URL}/{someone}/equality/objection", json={"objected_on": "2025-06-01"})
    assert objection.status_code == 201 and objection.get_json() == {"objected_on": "2025-06-01"}
    with organisation_scope(org.id):
        assert (
            db_session.scalar(select(EqualityMonitoring).where(EqualityMonitoring.participant_id == someone))
            is None
        )
    refused = answer(api, someone, age_band="18_24")
    assert refused.status_code == 409 and "objected" in refused.get_json()["error"]["message"]
    assert api.post(f"{URL}/{someone}/equality/objection", json={}).status_code == 201
    export = api.get(f"{URL}/{someone}/export").get_json()
    assert export["equality_monitoring"] is None
    assert export["monitoring_objection"]["objected_on"] == "2025-06-01"
    # The objection is in the audit log of the person (the deleted answers are not).
    assert {"action": "update", "fields": "monitoring_objection"}.items() <= export["audit_events"][
        -1
    ].items()


def test_objection_date_defaults_to_today(api):
    from datetime import date

    response = api.post(f"{URL}/{person(api)}/equality/objection", json={})
    assert response.get_json()["objected_on"] == date.today().isoformat()


def test_objectors_are_excluded_from_analysis(api, analyst, org):
    people = [person(api, f"P{n}") for n in range(10)]
    for someone in people:
        answer(api, someone, age_band="25_34")
    assert summary(analyst, org=org)["counts"] == {"25_34": 10}
    for someone in people[:5]:
        api.post(f"{URL}/{someone}/equality/objection", json={})
    counted = summary(analyst, org=org)
    assert counted["counts"] == {"25_34": 5} and counted["not_recorded"] == 0


def test_counting_is_grouped_in_sql_by_the_daily_job_and_reading_counts_nothing(
    api, analyst, org, count_queries
):
    for n in range(12):
        answer(api, person(api, f"P{n}"), age_band="35_44" if n < 7 else "45_54")
    with count_queries() as seen:
        next_day(org)
    # One grouped statement per population counted: the register, this year and last year.
    assert sum("GROUP BY" in statement for statement in seen) == 3
    with count_queries() as seen:
        counted = summary(analyst)
    assert counted == {
        "characteristic": "age_band",
        "threshold": 5,
        "counts": {"35_44": 7, "45_54": 5},
        "prefer_not_to_say": 0,
        "not_recorded": 0,
        "as_of": counted["as_of"],
        "reason": None,
    }
    assert counted["as_of"] is not None
    assert not any("GROUP BY" in statement for statement in seen) and len(seen) <= 10


def test_categories_under_five_people_are_merged_into_other(api, analyst, org):
    for n in range(9):
        answer(api, person(api, f"P{n}"), ethnicity="white" if n < 5 else ("asian" if n < 7 else "black"))
    for n in range(3):
        answer(api, person(api, f"Q{n}"), ethnicity="other")
    counted = summary(analyst, "ethnicity", org)
    assert counted["counts"] == {"white": 5, "other": 7}


def test_counts_under_five_are_suppressed_even_prefer_not_to_say_and_not_recorded(api, analyst, org):
    for n in range(10):
        answer(api, person(api, f"P{n}"), sex="female")
    for n in range(3):
        answer(api, person(api, f"Q{n}"), sex="prefer_not_to_say")
    for n in range(2):
        person(api, f"R{n}")
    counted = summary(analyst, "sex", org)
    assert counted["prefer_not_to_say"] is None and counted["not_recorded"] is None
    assert counted["counts"] == {"female": 10}


def test_one_suppressed_cell_hides_another_so_it_cannot_be_worked_out_from_the_total(api, analyst, org):
    for n in range(15):
        answer(api, person(api, f"P{n}"), disability="no" if n < 9 else "yes")
    for n in range(2):
        person(api, f"Q{n}")
    counted = summary(analyst, "disability", org)
    # Showing prefer_not_to_say = 0 would give away 17 participants − 9 − 6 − 0 = 2 not recorded.
    assert counted["not_recorded"] is None and counted["prefer_not_to_say"] is None
    assert counted["counts"] == {"no": 9, "yes": 6}
    for n in range(7):
        answer(api, person(api, f"R{n}"), disability="prefer_not_to_say")
    counted = summary(analyst, "disability", org)
    assert counted["not_recorded"] is None and counted["counts"] == {"no": 9, "yes": None}
    assert counted["prefer_not_to_say"] == 7


def test_erased_people_are_left_out_of_the_summary(api, analyst, org):
    people = [person(api, f"P{n}") for n in range(10)]
    for someone in people:
        answer(api, someone, religion="none")
    assert summary(analyst, "religion", org)["counts"] == {"none": 10}
    for someone in people[:6]:
        assert api.post(f"{URL}/{someone}/erase").status_code == 200
    counted = summary(analyst, "religion", org)
    assert counted["counts"] == {"other": None} and counted["not_recorded"] is None


def test_summary_needs_a_known_characteristic(analyst):
    for query in ("", "?characteristic=shoe_size"):
        response = analyst.get(f"{BASE}/equality/summary{query}")
        assert response.status_code == 422 and "characteristic" in response.get_json()["error"]["fields"]


# -- customer profile ---------------------------------------------------------------------------
def test_customer_profile_is_replaced_per_characteristic_and_read_whole(api):
    put = api.put(
        f"{BASE}/customer-profile/age_band",
        json={"as_of": "2025-04-01", "counts": {"25_34": 120, "75_plus": 80, "not_recorded": 3}},
    )
    assert put.status_code == 200, put.get_json()
    assert put.get_json() == {
        "characteristic": "age_band",
        "as_of": "2025-04-01",
        "counts": {"25_34": 120, "75_plus": 80, "not_recorded": 3},
        "total": 203,
    }
    api.put(f"{BASE}/customer-profile/age_band", json={"as_of": "2025-10-01", "counts": {"18_24": 5}})
    api.put(f"{BASE}/customer-profile/sex", json={"as_of": "2025-10-01", "counts": {"female": 7, "male": 0}})
    profiles = {p["characteristic"]: p for p in api.get(f"{BASE}/customer-profile").get_json()["items"]}
    assert profiles["age_band"]["counts"] == {"18_24": 5} and profiles["age_band"]["as_of"] == "2025-10-01"
    assert profiles["sex"]["total"] == 7 and profiles["religion"]["counts"] == {}
    assert api.get(f"{BASE}/customer-profile/sex").get_json()["counts"] == {"female": 7, "male": 0}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"counts": {"25_34": 1}}, "as_of"),
        ({"as_of": "2025-04-01"}, "counts"),
        ({"as_of": "2025-04-01", "counts": {"ancient": 1}}, "counts.ancient"),
        ({"as_of": "2025-04-01", "counts": {"25_34": -1}}, "counts.25_34"),
        ({"as_of": "2025-04-01", "counts": {"25_34": 1.5}}, "counts.25_34"),
        ({"as_of": "2025-04-01", "counts": {"25_34": "12"}}, "counts.25_34"),
        ({"as_of": "2025-04-01", "counts": {"25_34": True}}, "counts.25_34"),
        ({"as_of": "2025-04-01", "counts": {"25_34": 10**12}}, "counts.25_34"),
    ],
)
def test_customer_profile_counts_are_checked(api, body, field):
    response = api.put(f"{BASE}/customer-profile/age_band", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_customer_profile_of_an_unknown_characteristic_is_404(api):
    assert api.get(f"{BASE}/customer-profile/shoe_size").status_code == 404
    body = {"as_of": "2025-04-01", "counts": {}}
    assert api.put(f"{BASE}/customer-profile/shoe_size", json=body).status_code == 404


def test_customer_profile_needs_monitoring_permissions(org, make_user, api_client):
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(f"{BASE}/customer-profile").status_code == 403
    body = {"as_of": "2025-04-01", "counts": {"25_34": 1}}
    assert viewer.put(f"{BASE}/customer-profile/age_band", json=body).status_code == 403
