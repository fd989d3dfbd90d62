"""Get involved: an expression of interest from the residents' site is a pending request, on no
register, list or KPI, until staff confirm it (a new participant) or merge it with an existing one;
equality answers given on the optional page are recorded through the staff service only then, and
are never shown."""

import re

import pytest
from sqlalchemy import func, select

from core.models import EqualityMonitoring, InvolvementRequest, Participant
from core.tenancy import organisation_scope


@pytest.fixture(autouse=True)
def no_minimum_form_time(app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    yield
    app.config.pop("PUBLIC_FORM_MIN_SECONDS", None)


@pytest.fixture
def landlord(make_org):
    return make_org("meadow-homes", name="Meadow Homes")


@pytest.fixture
def officer(landlord, make_user):
    return make_user(landlord, "staff")


GOOD = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "preferred_level": "consulted",
    "channels": ["email", "phone"],
    "formats": ["large_print"],
    "access_needs": ["hearing_loop"],
    "interests": "repairs, green spaces",
    "contact_consent": "yes",
}


def tokens(html: str) -> dict:
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("csrf_token", "submission_token", "form_started")
    }


def ask(client, **changes):
    form = tokens(client.get("/p/meadow-homes/get-involved").get_data(as_text=True))
    data = {**GOOD, **form, **changes}
    return client.post("/p/meadow-homes/get-involved", data=data), form


def count(db_session, landlord, model) -> int:
    with organisation_scope(landlord.id):
        return db_session.scalar(select(func.count()).select_from(model))


def the_request(db_session, landlord) -> InvolvementRequest:
    db_session.expire_all()
    with organisation_scope(landlord.id):
        return db_session.scalars(select(InvolvementRequest)).one()


def test_asking_to_get_involved_adds_nobody_to_the_register(
    client, landlord, db_session, api_client, officer
):
    sent, _form = ask(client)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/p/meadow-homes/get-involved/sent")
    request = the_request(db_session, landlord)
    assert (request.status, request.channels, request.interests) == (
        "pending",
        ["email", "phone"],
        ["repairs", "green spaces"],
    )
    assert count(db_session, landlord, Participant) == 0
    listed = api_client(officer).get("/api/v1/orgs/meadow-homes/participants").get_json()
    assert listed["total"] == 0


def test_a_double_submit_makes_one_request(client, landlord, db_session):
    _sent, form = ask(client)
    again = client.post("/p/meadow-homes/get-involved", data={**GOOD, **form})
    assert again.status_code == 303
    assert count(db_session, landlord, InvolvementRequest) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": ""}, "first_name"),
        ({"last_name": "x" * 101}, "last_name"),
        ({"email": "", "phone": "", "address": ""}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"preferred_level": "emperor"}, "preferred_level"),
        ({"channels": ["carrier_pigeon"]}, "channels"),
        ({"contact_consent": ""}, "contact_consent"),
        ({"interests": ",".join(f"topic {n}" for n in range(11))}, "interests"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(client, landlord, db_session, changes, field):
    sent, _form = ask(client, **changes)
    assert sent.status_code == 422
    assert f'href="#{field}"' in sent.get_data(as_text=True)
    assert count(db_session, landlord, InvolvementRequest) == 0


def test_a_bot_filling_the_honeypot_is_refused(client, landlord, db_session):
    assert ask(client, website="spam")[0].status_code == 400
    assert count(db_session, landlord, InvolvementRequest) == 0


def test_equality_answers_wait_unread_and_are_recorded_on_confirmation(
    client, landlord, db_session, login_as, officer
):
    ask(client)
    page = client.get("/p/meadow-homes/get-involved/equality")
    assert page.status_code == 200 and "Prefer not to say" in page.get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page.get_data(as_text=True)).group(1)
    answered = client.post(
        "/p/meadow-homes/get-involved/equality",
        data={"csrf_token": csrf, "age_band": "35_44", "sex": "prefer_not_to_say"},
    )
    assert answered.status_code == 200
    # Once answered, the page is gone: the answers cannot be read back or changed from the site.
    assert client.get("/p/meadow-homes/get-involved/equality").status_code == 404
    request = the_request(db_session, landlord)
    login_as(officer)
    staff_page = client.get(f"/o/meadow-homes/requests/{request.id}").get_data(as_text=True)
    assert "35_44" not in staff_page and "35 to 44" not in staff_page
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', staff_page).group(1)
    confirmed = client.post(f"/o/meadow-homes/requests/{request.id}/confirm", data={"csrf_token": csrf})
    assert confirmed.status_code == 303
    db_session.expire_all()
    with organisation_scope(landlord.id):
        person = db_session.scalars(select(Participant)).one()
        monitoring = db_session.scalars(select(EqualityMonitoring)).one()
        request = db_session.get(InvolvementRequest, request.id)
    assert (person.first_name, person.contact_consent, person.consent_method) == ("Ada", True, "online")
    assert person.formats == ["large_print"] and person.access_needs == ["hearing_loop"]
    assert (monitoring.participant_id, monitoring.age_band, monitoring.sex) == (
        person.id,
        "35_44",
        "prefer_not_to_say",
    )
    assert (request.status, request.participant_id, request.equality_answers) == (
        "confirmed",
        person.id,
        None,
    )


def test_bad_equality_answers_are_refused(client, landlord, db_session):
    ask(client)
    page = client.get("/p/meadow-homes/get-involved/equality").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)
    refused = client.post("/p/meadow-homes/get-involved/equality", data={"csrf_token": csrf, "sex": "robot"})
    assert refused.status_code == 422 and 'href="#sex"' in refused.get_data(as_text=True)
    assert the_request(db_session, landlord).equality_answers is None


def test_the_equality_page_needs_a_request_of_this_visit(client, landlord):
    assert client.get("/p/meadow-homes/get-involved/equality").status_code == 404


def test_merging_adds_the_request_to_an_existing_participant(client, landlord, db_session, login_as, officer):
    with organisation_scope(landlord.id):
        existing = Participant(first_name="Ada", last_name="Lovelace", channels=["post"], phone="0100")
        db_session.add(existing)
        db_session.commit()
        existing_id = existing.id
    ask(client)
    request = the_request(db_session, landlord)
    login_as(officer)
    page = client.get(f"/o/meadow-homes/requests/{request.id}").get_data(as_text=True)
    assert f'value="{existing_id}"' in page
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)
    merged = client.post(
        f"/o/meadow-homes/requests/{request.id}/merge",
        data={"csrf_token": csrf, "participant_id": existing_id},
    )
    assert merged.status_code == 303
    db_session.expire_all()
    with organisation_scope(landlord.id):
        person = db_session.get(Participant, existing_id)
        assert db_session.scalar(select(func.count()).select_from(Participant)) == 1
    assert person.channels == ["post", "email", "phone"]
    assert (person.email, person.phone) == ("ada@example.com", "0100")
    merged_request = the_request(db_session, landlord)
    assert (merged_request.status, merged_request.participant_id) == ("merged", existing_id)
    assert (merged_request.first_name, merged_request.email, merged_request.channels) == ("", None, [])


def test_merging_without_choosing_someone_is_422(client, landlord, db_session, login_as, officer):
    ask(client)
    request = the_request(db_session, landlord)
    login_as(officer)
    page = client.get(f"/o/meadow-homes/requests/{request.id}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)
    refused = client.post(f"/o/meadow-homes/requests/{request.id}/merge", data={"csrf_token": csrf})
    assert refused.status_code == 422
    assert the_request(db_session, landlord).status == "pending"


def test_declining_adds_nobody_and_a_decided_request_cannot_be_decided_again(
    client, landlord, db_session, login_as, officer
):
    ask(client)
    request = the_request(db_session, landlord)
    login_as(officer)
    page = client.get(f"/o/meadow-homes/requests/{request.id}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)
    assert (
        client.post(f"/o/meadow-homes/requests/{request.id}/decline", data={"csrf_token": csrf}).status_code
        == 303
    )
    again = client.post(f"/o/meadow-homes/requests/{request.id}/confirm", data={"csrf_token": csrf})
    assert again.status_code == 409
    assert count(db_session, landlord, Participant) == 0


def test_viewers_cannot_see_or_decide_requests(client, landlord, db_session, login_as, make_user):
    ask(client)
    request_id = the_request(db_session, landlord).id
    login_as(make_user(landlord, "viewer"))
    assert client.get("/o/meadow-homes/requests").status_code == 403
    # 403 before the form is read: no CSRF token, no participant id, still 403 not 400/422.
    page = client.get("/o/meadow-homes/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)
    refused = client.post(f"/o/meadow-homes/requests/{request_id}/merge", data={"csrf_token": csrf})
    assert refused.status_code == 403


def test_a_confirmed_request_keeps_no_personal_data_and_never_blocks_deleting_the_person(
    client, landlord, db_session, login_as, officer, api_client
):
    ask(client, phone="0200 000 000", address="1 Lane")
    request_id = the_request(db_session, landlord).id
    login_as(officer)
    page = client.get(f"/o/meadow-homes/requests/{request_id}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)
    client.post(f"/o/meadow-homes/requests/{request_id}/confirm", data={"csrf_token": csrf})
    decided = the_request(db_session, landlord)
    kept = (decided.first_name, decided.last_name, decided.email, decided.phone, decided.address)
    assert kept == ("", "", None, None, None)
    assert decided.access_needs == [] and decided.equality_answers is None
    assert "Ada Lovelace is now on the register." in client.get("/o/meadow-homes/requests").get_data(
        as_text=True
    )
    shown = client.get(f"/o/meadow-homes/requests/{request_id}").get_data(as_text=True)
    assert "Ada" not in shown and "was confirmed" in shown
    person_id = decided.participant_id
    deleted = api_client(officer).delete(f"/api/v1/orgs/meadow-homes/participants/{person_id}")
    assert deleted.status_code == 204, deleted.get_json()
