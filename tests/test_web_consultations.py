"""Consultation pages: the list and its filters, create and change, and the consultation page's
flow — responses, then "you said, we did" written and published — refusing what the API refuses,
in its words."""

from datetime import timedelta

from core import plugin_kit
from core.models import Consultation, ConsultationFeedback, Participant
from core.services.consultations import add_months
from core.tenancy import organisation_scope
from core.testing import csrf_token_from


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _consultation(db_session, org, *, opens_ago=120, closes_ago=100, due_ago=10, **values):
    today = plugin_kit.today()
    closes_on = today - timedelta(days=closes_ago)
    with organisation_scope(org.id):
        record = Consultation(
            title=values.pop("title", "Repairs consultation"),
            topic="repairs",
            opens_on=today - timedelta(days=opens_ago),
            closes_on=closes_on,
            feedback_due_on=today - timedelta(days=due_ago),
            feedback_guaranteed_by=add_months(closes_on, 3),
            **values,
        )
        db_session.add(record)
        db_session.commit()
        return record.id


def test_an_officer_adds_a_consultation_and_feedback_falls_due_by_the_promise(
    client, make_org, make_user, login_as
):
    org = make_org()
    login_as(make_user(org, "staff"))
    today = plugin_kit.today()
    path = f"/o/{org.slug}/consultations/new"
    data = {"csrf_token": _token(client, path), "title": "Estate walkabouts", "topic": "estates"}
    data |= _date("opens_on", today) | _date("closes_on", today + timedelta(days=30))
    response = client.post(path, data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    due = add_months(today + timedelta(days=30), 3)
    assert "Consultation “Estate walkabouts” added." in page
    assert f"Feedback due by {due.day} {due:%B %Y}" in page
    assert "No responses have been recorded yet." in page and "moj-timeline" in page


def test_the_form_refuses_what_the_api_refuses_in_the_same_words(
    client, make_org, make_user, login_as, api_client
):
    org = make_org(settings={"consultation_min_days": 28})
    user = make_user(org, "staff")
    today = plugin_kit.today()
    short = {"title": "Short", "topic": "rents", "opens_on": today.isoformat()}
    short["closes_on"] = (today + timedelta(days=6)).isoformat()
    api = api_client(user).post(f"/api/v1/orgs/{org.slug}/consultations", json=short)
    assert api.status_code == 422
    api_words = api.get_json()["error"]["fields"]["closes_on"][0]
    login_as(user)
    path = f"/o/{org.slug}/consultations/new"
    data = {"csrf_token": _token(client, path), "title": "Short", "topic": "rents"}
    data |= _date("opens_on", today) | _date("closes_on", today + timedelta(days=6))
    response = client.post(path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Error:" in page
    assert api_words in page and 'href="#closes_on-day"' in page
    # Required fields and a date that is not a date.
    response = client.post(path, data={"csrf_token": data["csrf_token"], **_date("opens_on", today)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Missing data for required field." in page
    bad = {"csrf_token": data["csrf_token"], "opens_on-day": "31", "opens_on-month": "2"}
    bad["opens_on-year"] = "2026"
    assert "Opens on must be a real date" in client.post(path, data=bad).get_data(as_text=True)
    with organisation_scope(org.id):
        assert Consultation.query.count() == 0


def test_an_extension_needs_an_org_admin_and_a_reason(client, make_org, make_user, login_as, db_session):
    org = make_org()
    staff = make_user(org, "staff")
    admin = make_user(org, "org_admin")
    today = plugin_kit.today()
    path = f"/o/{org.slug}/consultations/new"
    closes_on = today + timedelta(days=30)
    late = add_months(closes_on, 5)
    login_as(staff)
    data = {"csrf_token": _token(client, path), "title": "Late one", "topic": "repairs"}
    data |= _date("opens_on", today) | _date("closes_on", closes_on) | _date("feedback_due_on", late)
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert "only an organisation admin can set a later due date" in response.get_data(as_text=True)
    assert "Why feedback is due later" not in client.get(path).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": _token(client, f"/o/{org.slug}/consultations")})
    login_as(admin)
    data["csrf_token"] = _token(client, path)
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert "record why it is extended" in response.get_data(as_text=True)
    response = client.post(path, data={**data, "feedback_extension_reason": "Board meets in spring"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Extended beyond the promise" in page and "Board meets in spring" in page
    # A member of staff changing the title keeps the approved extension without being refused.
    consultation_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post("/logout", data={"csrf_token": _token(client, f"/o/{org.slug}/consultations")})
    login_as(staff)
    edit = f"/o/{org.slug}/consultations/{consultation_id}/edit"
    form_page = client.get(edit).get_data(as_text=True)
    assert "Board meets in spring" not in form_page
    data = {"csrf_token": csrf_token_from(form_page), "title": "Later one", "topic": "repairs"}
    data |= _date("opens_on", today) | _date("closes_on", closes_on) | _date("feedback_due_on", late)
    assert client.post(edit, data=data).status_code == 303
    with organisation_scope(org.id):
        record = db_session.get(Consultation, consultation_id)
        assert record.title == "Later one" and record.feedback_extension_reason == "Board meets in spring"


def test_responses_are_recorded_with_a_resident_chosen_by_name(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    consultation_id = _consultation(db_session, org, opens_ago=20, closes_ago=-10, due_ago=-100)
    with organisation_scope(org.id):
        person = Participant(first_name="Grace", last_name="Hopper", reference="P-7")
        db_session.add(person)
        db_session.commit()
        person_id = person.id
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/consultations/{consultation_id}/responses/new"
    form_page = client.get(path).get_data(as_text=True)
    assert "Grace Hopper (P-7)" in form_page and "data-involve-autocomplete" in form_page
    token = csrf_token_from(form_page)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "channel": "phone",
            "answer": "Fix the lifts",
            "participant_id": person_id,
        },
    )
    assert response.status_code == 303
    page = client.get(f"/o/{org.slug}/consultations/{consultation_id}").get_data(as_text=True)
    assert "Response recorded." in page and "Fix the lifts" in page and "Grace Hopper" in page
    assert "1 response" in page
    # No channel, a date in the future: the API's words.
    future = plugin_kit.today() + timedelta(days=2)
    in_future = _date("responded_on", future)
    response = client.post(path, data={"csrf_token": token, "channel": "pigeon", **in_future})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Not a valid choice." in page
    response = client.post(path, data={"csrf_token": token, "channel": "post", **in_future})
    assert response.status_code == 422 and "Cannot be in the future." in response.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": token, "channel": "post", "participant_id": "999999"})
    assert response.status_code == 422 and 'href="#participant_id"' in response.get_data(as_text=True)


def test_a_cancelled_consultation_takes_no_responses(client, make_org, make_user, login_as, db_session):
    org = make_org()
    consultation_id = _consultation(db_session, org, cancelled=True)
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/consultations/{consultation_id}/responses/new"
    response = client.post(path, data={"csrf_token": _token(client, path), "channel": "post"})
    assert response.status_code == 422
    assert "This consultation was cancelled; it takes no responses." in response.get_data(as_text=True)


def test_publishing_the_feedback_takes_it_off_the_overdue_list(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    overdue_id = _consultation(db_session, org, title="Overdue one")
    _consultation(db_session, org, title="Still open", opens_ago=5, closes_ago=-30, due_ago=-120)
    login_as(make_user(org, "staff"))
    listing = client.get(f"/o/{org.slug}/consultations?show=overdue").get_data(as_text=True)
    assert "Overdue one" in listing and "Still open" not in listing and "govuk-tag--red" in listing
    assert "Still open" in client.get(f"/o/{org.slug}/consultations?show=open").get_data(as_text=True)
    page = client.get(f"/o/{org.slug}/consultations/{overdue_id}").get_data(as_text=True)
    assert "Feedback is overdue." in page
    path = f"/o/{org.slug}/consultations/{overdue_id}/feedback"
    token = _token(client, path)
    response = client.post(path, data={"csrf_token": token, "you_said": "More repairs", "publish": "y"})
    assert response.status_code == 422
    assert "Say what was done, or why it was not" in response.get_data(as_text=True)
    response = client.post(
        path, data={"csrf_token": token, "you_said": "More repairs", "we_did": "Hired two", "save_draft": "y"}
    )
    assert response.status_code == 303
    assert "Overdue one" in client.get(f"/o/{org.slug}/consultations?show=overdue").get_data(as_text=True)
    response = client.post(
        path, data={"csrf_token": token, "you_said": "More repairs", "we_did": "Hired two", "publish": "y"}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Feedback published." in page and "Feedback published on" in page and "Late: it was due by" in page
    listing = client.get(f"/o/{org.slug}/consultations?show=overdue").get_data(as_text=True)
    assert "Overdue one" not in listing and "No consultations match." in listing


def test_feedback_cannot_be_published_before_the_close(client, make_org, make_user, login_as, db_session):
    org = make_org()
    consultation_id = _consultation(db_session, org, opens_ago=5, closes_ago=-30, due_ago=-120)
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/consultations/{consultation_id}/feedback"
    response = client.post(
        path, data={"csrf_token": _token(client, path), "you_said": "A", "we_did": "B", "publish": "y"}
    )
    assert response.status_code == 422
    assert "Feedback cannot be published before the consultation closes" in response.get_data(as_text=True)
    with organisation_scope(org.id):
        assert db_session.query(ConsultationFeedback).count() == 0


def test_a_viewer_sees_no_controls_and_gets_403_before_input(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    consultation_id = _consultation(db_session, org)
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/consultations/{consultation_id}").get_data(as_text=True)
    assert "Record a response" not in page and "Write the feedback" not in page and "Change" not in page
    assert "Add a consultation" not in client.get(f"/o/{org.slug}/consultations").get_data(as_text=True)
    token = _token(client, f"/o/{org.slug}/consultations")
    for path in ("new", f"{consultation_id}/edit", f"{consultation_id}/responses/new"):
        assert (
            client.post(f"/o/{org.slug}/consultations/{path}", data={"csrf_token": token}).status_code == 403
        )
    feedback = f"/o/{org.slug}/consultations/{consultation_id}/feedback"
    assert client.post(feedback, data={"csrf_token": token, "you_said": "x"}).status_code == 403


def test_another_organisations_consultation_is_not_found(client, make_org, make_user, login_as, db_session):
    mine, theirs = make_org("mine"), make_org("theirs")
    their_id = _consultation(db_session, theirs, title="Their secret")
    login_as(make_user(mine, "staff"))
    assert client.get(f"/o/mine/consultations/{their_id}").status_code == 404
    assert "Their secret" not in client.get("/o/mine/consultations").get_data(as_text=True)


def test_cancelling_from_the_change_form(client, make_org, make_user, login_as, db_session):
    org = make_org()
    consultation_id = _consultation(db_session, org, title="To cancel")
    login_as(make_user(org, "staff"))
    edit = f"/o/{org.slug}/consultations/{consultation_id}/edit"
    form_page = client.get(edit).get_data(as_text=True)
    with organisation_scope(org.id):
        record = db_session.get(Consultation, consultation_id)
        dates = _date("opens_on", record.opens_on) | _date("closes_on", record.closes_on)
        dates |= _date("feedback_due_on", record.feedback_due_on)
    data = {"csrf_token": csrf_token_from(form_page), "title": "To cancel", "topic": "repairs"}
    data["cancelled"] = "y"
    assert client.post(edit, data=data | dates).status_code == 303
    listing = client.get(f"/o/{org.slug}/consultations?show=cancelled").get_data(as_text=True)
    assert "To cancel" in listing
    assert "To cancel" not in client.get(f"/o/{org.slug}/consultations?show=overdue").get_data(as_text=True)


def test_an_organisation_with_its_own_topics_offers_them_and_other_needs_a_description(
    client, make_org, make_user, login_as
):
    org = make_org(settings={"consultation_topics": ["repairs", "rents"]})
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/consultations/new"
    form_page = client.get(path).get_data(as_text=True)
    assert '<select class="govuk-select" id="topic" name="topic">' in form_page
    assert '<option value="rents">Rents</option>' in form_page and '<option value="other">' in form_page
    today = plugin_kit.today()
    data = {"csrf_token": csrf_token_from(form_page), "title": "Rent setting", "topic": "other"}
    data |= _date("opens_on", today) | _date("closes_on", today + timedelta(days=20))
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert "Say what the consultation is about when its topic is" in response.get_data(as_text=True)
    response = client.post(path, data={**data, "topic": "parking"})
    assert response.status_code == 422 and "Not a valid choice." in response.get_data(as_text=True)
    response = client.post(path, data={**data, "topic_description": "Service charges"})
    assert response.status_code == 303
