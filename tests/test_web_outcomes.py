"""Recommendation, improvement, action plan, spend and survey pages: lists, filters, create and
change through the API's schemas and services (the same words), past-due tags, money in pounds
and pence stored in pence, and viewers who see no controls and get 403 before their input is read."""

from datetime import date, timedelta

from core import plugin_kit
from core.models import (
    ActionPlan,
    ActionPlanItem,
    Body,
    Consultation,
    Improvement,
    Recommendation,
    Spend,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from core.tenancy import organisation_scope
from core.testing import csrf_token_from


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _add(db_session, org, *records):
    with organisation_scope(org.id):
        db_session.add_all(records)
        db_session.commit()
        return [r.id for r in records]


# -- recommendations ------------------------------------------------------------------------------


def test_recommendations_past_due_filter_reasons_and_status(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    (body_id,) = _add(db_session, org, Body(name="Scrutiny panel", kind="scrutiny"))
    today = plugin_kit.today()
    late_id, _ = _add(
        db_session,
        org,
        Recommendation(title="Answer calls faster", body_id=body_id, due_on=today - timedelta(days=3)),
        Recommendation(title="Paint the hall", body_id=body_id, due_on=today + timedelta(days=30)),
    )
    login_as(make_user(org, "staff"))
    page = client.get(f"/o/{org.slug}/recommendations?overdue=true").get_data(as_text=True)
    assert "Answer calls faster" in page and "Paint the hall" not in page and "Past due" in page
    path = f"/o/{org.slug}/recommendations/new"
    token = _token(client, path)
    data = {"csrf_token": token, "title": "Publish repair times", "body_id": body_id, "response": "rejected"}
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert "Give the reasons when the response is rejected." in response.get_data(as_text=True)
    response = client.post(path, data={**data, "response_reason": "The system cannot do it yet"})
    assert response.status_code == 303
    # The quick status change on the page takes it off the past-due list.
    detail = f"/o/{org.slug}/recommendations/{late_id}"
    response = client.post(detail, data={"csrf_token": token, "status": "implemented"})
    assert response.status_code == 303
    assert "Progress changed to “implemented”." in client.get(detail).get_data(as_text=True)
    assert "Answer calls faster" not in client.get(f"/o/{org.slug}/recommendations?overdue=true").get_data(
        as_text=True
    )
    response = client.post(detail, data={"csrf_token": token, "status": "finished"})
    assert response.status_code == 422 and "Not a valid choice." in response.get_data(as_text=True)


# -- improvements ---------------------------------------------------------------------------------


def test_an_improvement_links_to_its_consultation(client, make_org, make_user, login_as, db_session):
    org = make_org()
    (consultation_id,) = _add(
        db_session,
        org,
        Consultation(
            title="Estate cleaning",
            topic="estates",
            opens_on=date(2025, 4, 1),
            closes_on=date(2025, 5, 1),
            feedback_due_on=date(2025, 8, 1),
        ),
    )
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/improvements/new"
    form_page = client.get(f"{path}?source=consultation&source_id={consultation_id}").get_data(as_text=True)
    assert f'<option value="{consultation_id}" selected>' in form_page
    data = {"csrf_token": csrf_token_from(form_page), "title": "Weekly bin rounds", "source": "consultation"}
    data |= {"consultation_id": consultation_id, **_date("implemented_on", date(2025, 9, 1))}
    response = client.post(path, data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Estate cleaning" in page and f"/consultations/{consultation_id}" in page
    consultation = client.get(f"/o/{org.slug}/consultations/{consultation_id}").get_data(as_text=True)
    assert "Weekly bin rounds" in consultation
    # A recommendation that is not one of this organisation's is refused on its field.
    response = client.post(path, data={**data, "source": "scrutiny", "recommendation_id": "424242"})
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 422 and 'href="#recommendation_id"' in page and "Not a valid choice" in page
    )
    # Your own reference for other sources must be a number, as the API's source_id is.
    response = client.post(path, data={**data, "source": "complaint", "reference": "C-12"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#source"' in page and "Not a valid integer." in page


# -- action plans ---------------------------------------------------------------------------------


def test_a_form_opened_from_another_page_returns_there_only_within_the_organisation(
    client, make_org, make_user, login_as
):
    org = make_org()
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/action-plans/new"
    token = _token(client, path)
    plan_url = client.post(path, data={"csrf_token": token, "title": "Plan", "period": "2025-26"}).headers[
        "Location"
    ]
    back = f"/o/{org.slug}/plugins/partner_statements/plan"
    for sent, lands in (
        (back, back),
        ("https://evil.example/o/x/", plan_url),
        ("//evil.example/", plan_url),
        ("/o/another-org/action-plans", plan_url),
        ("/\\evil.example", plan_url),
    ):
        response = client.post(
            f"{plan_url}/items/new?next={sent}",
            data={"csrf_token": token, "title": f"Act {sent}", **_date("due_on", date(2025, 9, 1))},
        )
        assert response.status_code == 303
        assert response.headers["Location"].split("#")[0].endswith(lands), sent


def test_an_action_plan_with_items_past_due_and_completed(client, make_org, make_user, login_as, db_session):
    org = make_org()
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/action-plans/new"
    token = _token(client, path)
    response = client.post(path, data={"csrf_token": token, "title": "Key targets", "period": "2025-2026"})
    assert response.status_code == 422 and "is not a period" in response.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": token, "title": "Key targets", "period": "2025-26"})
    assert response.status_code == 303
    plan_url = response.headers["Location"]
    plan_id = int(plan_url.rsplit("/", 1)[1])
    today = plugin_kit.today()
    item_path = f"{plan_url}/items/new"
    for title, due in (
        ("Recruit panel", today - timedelta(days=5)),
        ("Run a walkabout", today + timedelta(days=9)),
    ):
        response = client.post(item_path, data={"csrf_token": token, "title": title, **_date("due_on", due)})
        assert response.status_code == 303
    response = client.post(item_path, data={"csrf_token": token, "title": "No date"})
    assert response.status_code == 422 and "Missing data for required field." in response.get_data(
        as_text=True
    )
    page = client.get(plan_url).get_data(as_text=True)
    assert page.count("Past due") >= 2 and "Recruit panel" in page
    with organisation_scope(org.id):
        item_id = db_session.query(ActionPlanItem).filter_by(title="Recruit panel").one().id
    response = client.post(f"{plan_url}/items/{item_id}/complete", data={"csrf_token": token})
    assert response.status_code == 303
    page = client.get(plan_url).get_data(as_text=True)
    assert "Action “Recruit panel” marked as done." in page
    with organisation_scope(org.id):
        item = db_session.get(ActionPlanItem, item_id)
        assert item.status == "done" and item.completed_on == today
    listing = client.get(f"/o/{org.slug}/action-plans?period=2025-26").get_data(as_text=True)
    assert "Key targets" in listing
    edit = f"{plan_url}/items/{item_id}/edit"
    response = client.post(
        edit, data={"csrf_token": token, "title": "Recruit panel", "status": "in_progress", "due_on-day": ""}
    )
    assert response.status_code == 422 and "Field may not be null." in response.get_data(as_text=True)
    response = client.post(
        edit, data={"csrf_token": token, "title": "Recruit panel", "status": "in_progress"}
    )
    assert response.status_code == 303
    db_session.expire_all()
    with organisation_scope(org.id):
        item = db_session.get(ActionPlanItem, item_id)
        assert item.status == "in_progress" and item.completed_on is None and item.plan_id == plan_id


# -- spend ----------------------------------------------------------------------------------------


def test_spend_in_pounds_stored_in_pence_with_totals_for_the_year(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/spend/new"
    token = _token(client, path)
    spent = date(2025, 6, 1)
    data = {"csrf_token": token, "category": "events", **_date("spent_on", spent)}
    response = client.post(path, data={**data, "amount_pence": "12.345"})
    assert response.status_code == 422
    assert "Enter an amount in pounds and pence, like 12.50" in response.get_data(as_text=True)
    response = client.post(path, data={**data, "amount_pence": "0"})
    assert response.status_code == 422 and "Must not be 0." in response.get_data(as_text=True)
    response = client.post(path, data={**data, "amount_pence": "-5"})
    assert "A negative amount is a correction or refund" in response.get_data(as_text=True)
    response = client.post(path, data={**data, "amount_pence": "£1,234.50", "description": "Fun day"})
    assert response.status_code == 303
    with organisation_scope(org.id):
        record = db_session.query(Spend).one()
        assert record.amount_pence == 123450
        record_id = record.id
    _add(db_session, org, Spend(spent_on=date(2025, 7, 1), category="training", amount_pence=999))
    page = client.get(f"/o/{org.slug}/spend?period=2025-26").get_data(as_text=True)
    assert "£1,234.50" in page and "£9.99" in page and "£1,244.49" in page
    assert "No spend is recorded for 2024-25." in client.get(f"/o/{org.slug}/spend?period=2024-25").get_data(
        as_text=True
    )
    edit = f"/o/{org.slug}/spend/{record_id}/edit"
    assert 'value="1,234.50"' in client.get(edit).get_data(as_text=True)
    delete = f"/o/{org.slug}/spend/{record_id}/delete"
    assert client.post(delete, data={"csrf_token": token}).status_code == 303
    with organisation_scope(org.id):
        assert db_session.query(Spend).count() == 1


# -- surveys --------------------------------------------------------------------------------------


def test_a_survey_with_questions_and_errors_on_their_rows(client, make_org, make_user, login_as, db_session):
    org = make_org()
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/surveys/new"
    form_page = client.get(path).get_data(as_text=True)
    assert form_page.count("Question ") >= 3
    token = csrf_token_from(form_page)
    data = {"csrf_token": token, "title": "Tenant survey", "conducted_by": "landlord"}
    data |= {"questions-0-code": "TP06", "questions-0-scale": "satisfaction"}
    data |= {"questions-1-code": "tp06", "questions-1-text": "Lower case", "questions-1-scale": "text"}
    data |= {"questions-2-code": "Q2", "questions-2-scale": "yes_no"}
    response = client.post(path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Error:" in page
    assert 'href="#questions-1-code"' in page and "Use 1–30 uppercase letters" in page
    response = client.post(path, data={**data, "questions-1-code": "Q1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#questions-2-text"' in page
    assert "Required (only TP06 and OPPS have a standard wording)." in page
    # "Add another question" adds a row and saves nothing.
    response = client.post(path, data={**data, "add_question": "1"})
    assert response.status_code == 200 and 'id="questions-3-code"' in response.get_data(as_text=True)
    response = client.post(path, data={**data, "questions-1-code": "Q1", "questions-2-text": "Any repairs?"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Satisfied that your landlord listens" in page and "Any repairs?" in page
    with organisation_scope(org.id):
        survey = db_session.query(Survey).one()
        survey_id = survey.id
        assert [q.code for q in db_session.query(SurveyQuestion).order_by(SurveyQuestion.position)] == [
            "TP06",
            "Q1",
            "Q2",
        ]
        db_session.add(SurveyResponse(survey_id=survey.id, responded_on=date(2025, 5, 1)))
        db_session.commit()
    edit = f"/o/{org.slug}/surveys/{survey_id}/edit"
    assert "its questions can no longer change" in client.get(edit).get_data(as_text=True)
    response = client.post(
        edit, data={"csrf_token": token, "title": "Renamed", "conducted_by": "Acme Research"}
    )
    assert response.status_code == 303
    listing = client.get(f"/o/{org.slug}/surveys").get_data(as_text=True)
    assert "Renamed" in listing and "Acme Research" in listing


# -- access ---------------------------------------------------------------------------------------


def test_a_viewer_sees_no_controls_and_gets_403_before_input(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    (body_id,) = _add(db_session, org, Body(name="Panel", kind="scrutiny"))
    ids = _add(
        db_session,
        org,
        Recommendation(title="R", body_id=body_id),
        Improvement(title="I", implemented_on=date(2025, 5, 1)),
        ActionPlan(title="P", period="2025-26"),
        Spend(spent_on=date(2025, 5, 1), category="events", amount_pence=100),
        Survey(title="S"),
    )
    login_as(make_user(org, "viewer"))
    pages = ["recommendations", "improvements", "action-plans", "spend", "surveys"]
    for name, record_id in zip(pages, ids, strict=True):
        listing = client.get(f"/o/{org.slug}/{name}").get_data(as_text=True)
        assert 'govuk-button" href' not in listing, name
        detail = client.get(f"/o/{org.slug}/{name}/{record_id}").get_data(as_text=True)
        assert ">Change<" not in detail and "Change<span" not in detail, name
    token = _token(client, f"/o/{org.slug}/spend")
    for path in (
        "recommendations/new",
        f"recommendations/{ids[0]}",
        "improvements/new",
        "action-plans/new",
        f"action-plans/{ids[2]}/items/new",
        "spend/new",
        f"spend/{ids[3]}/delete",
        "surveys/new",
    ):
        assert client.post(f"/o/{org.slug}/{path}", data={"csrf_token": token}).status_code == 403, path
