"""Resident accounts (``/p/<slug>/account/…``): sign in by a one-time e-mailed link (a real SMTP
server in-process), the same answer for any address, throttling; a resident session tied to one
participant of one landlord that never opens staff pages or another landlord's account pages;
changing details through the participant API's rules, downloading one's data (audited),
withdrawing consent, and plugins' links through ``tpl_resident_account``."""

import json
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core.models import (
    Activity,
    AuditEvent,
    Consultation,
    ConsultationResponse,
    Participant,
    Participation,
    ResidentSignInLink,
)
from core.models.base import utcnow
from core.services import resident_accounts
from core.tenancy import organisation_scope
from core.testing import csrf_token_from

TODAY = date.today()


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://localhost(/\S+)", text)
    assert match, text
    return match.group(1)


def post_form(client, path, data, page=None):
    token = csrf_token_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


@pytest.fixture
def landlord(make_org):
    return make_org("riverbank", name="Riverbank Homes")


@pytest.fixture
def other_landlord(make_org):
    return make_org("hillside", name="Hillside Homes")


def add_person(db_session, org, **values):
    with organisation_scope(org.id):
        person = Participant(
            **{
                "first_name": "Robin",
                "last_name": "Tenant",
                "email": "robin@example.org",
                "contact_consent": True,
                "consent_given_on": TODAY,
                "consent_method": "written",
                "channels": [],
                "formats": [],
                "access_needs": [],
                "interests": [],
                **values,
            }
        )
        db_session.add(person)
        db_session.flush()
        kept = SimpleNamespace(id=person.id, organisation_id=org.id)
        db_session.commit()
        return kept


@pytest.fixture
def resident(landlord, db_session):
    return add_person(db_session, landlord)


def sign_in(client, sent_mail, slug="riverbank", email="robin@example.org"):
    response = post_form(client, f"/p/{slug}/account/sign-in", {"email": email})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/p/{slug}/account/sign-in/sent")
    link = link_in(sent_mail.to(email)[-1])
    opened = client.get(link)
    assert opened.status_code == 303
    confirm = f"/p/{slug}/account/sign-in/confirm"
    assert opened.headers["Location"].endswith(confirm)  # the secret leaves the address bar
    page = client.get(confirm)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert link.rsplit("/", 1)[1] not in page.get_data(as_text=True)
    response = post_form(client, confirm, {})
    assert response.status_code == 303
    return link


def test_a_resident_signs_in_by_the_emailed_link_which_works_once(client, resident, sent_mail, db_session):
    link = sign_in(client, sent_mail)
    [message] = sent_mail.to("robin@example.org")
    assert message["Subject"] == "Sign in to your resident account"
    assert "20 minutes" in message.get_body(preferencelist=("plain",)).get_content()
    secret = link.rsplit("/", 1)[1]
    with organisation_scope(resident.organisation_id):
        stored = db_session.scalars(select(ResidentSignInLink.token_hash)).all()
    assert stored and secret not in stored  # only the hash is kept
    page = client.get("/p/riverbank/account/")
    assert page.status_code == 200
    assert "Signed in as Robin Tenant" in page.get_data(as_text=True)
    again = client.application.test_client()
    assert again.get(link).status_code == 404  # used up
    assert "no longer works" in again.get(link).get_data(as_text=True)
    assert again.get("/p/riverbank/account/sign-in/confirm").status_code == 404


def test_the_answer_is_the_same_whatever_the_address(client, landlord, resident, sent_mail, db_session):
    add_person(db_session, landlord, first_name="Sam", email="sam@example.org", contact_consent=False)
    add_person(db_session, landlord, first_name="Ali", email="ali@example.org", erased_at=utcnow())
    answers = []
    for email in ("robin@example.org", "nobody@example.org", "sam@example.org", "ali@example.org"):
        response = post_form(client, "/p/riverbank/account/sign-in", {"email": email})
        answers.append((response.status_code, response.headers["Location"]))
    assert len(set(answers)) == 1
    assert [m["To"] for m in sent_mail.messages] == ["robin@example.org"]


def test_a_bad_address_is_refused_on_the_field(client, landlord, sent_mail):
    response = post_form(client, "/p/riverbank/account/sign-in", {"email": "not an address"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#email"' in body and "Not a valid email address." in body
    too_long = post_form(client, "/p/riverbank/account/sign-in", {"email": "a" * 250 + "@example.org"})
    assert too_long.status_code == 422
    assert sent_mail.messages == []


def test_link_requests_are_throttled_per_address(client, app, resident, sent_mail):
    limit = app.config["INVOLVE"]["LOGIN_MAX_FAILURES"]
    statuses = [
        post_form(client, "/p/riverbank/account/sign-in", {"email": "Robin@Example.org"}).status_code
        for _ in range(limit + 1)
    ]
    assert statuses[:limit] == [303] * limit
    assert statuses[-1] == 429
    assert len(sent_mail.messages) == limit


def test_an_expired_link_does_not_sign_in(client, resident, sent_mail, db_session):
    post_form(client, "/p/riverbank/account/sign-in", {"email": "robin@example.org"})
    link = link_in(sent_mail.to("robin@example.org")[0])
    with organisation_scope(resident.organisation_id):
        stored = db_session.scalar(select(ResidentSignInLink))
        stored.expires_at = utcnow() - timedelta(seconds=1)
        db_session.commit()
    assert client.get(link).status_code == 404
    assert client.get("/p/riverbank/account/").status_code == 303


def test_account_pages_need_a_resident_of_this_landlord(
    client, app, resident, other_landlord, sent_mail, db_session
):
    pages = ["/account/", "/account/details", "/account/access-needs", "/account/activities"]
    pages += ["/account/responses", "/account/download", "/account/withdraw-consent"]
    for page in pages:
        response = client.get(f"/p/riverbank{page}")
        assert response.status_code == 303, page
        assert response.headers["Location"].endswith("/p/riverbank/account/sign-in")
    sign_in(client, sent_mail)
    for page in pages:
        assert client.get(f"/p/riverbank{page}").status_code == 200, page
        other = client.get(f"/p/hillside{page}")
        assert other.status_code == 303, page
        assert other.headers["Location"].endswith("/p/hillside/account/sign-in")
    # Never a staff page or the API.
    staff = client.get("/o/riverbank/")
    assert staff.status_code == 302 and "/login" in staff.headers["Location"]
    assert client.get("/o/riverbank/participants").status_code == 302
    assert client.get("/api/v1/orgs/riverbank/participants").status_code == 401


def test_another_landlords_link_is_404_on_this_landlords_site(
    client, resident, other_landlord, sent_mail, db_session
):
    add_person(db_session, other_landlord, email="robin@example.org")
    post_form(client, "/p/hillside/account/sign-in", {"email": "robin@example.org"})
    link = link_in(sent_mail.to("robin@example.org")[0])
    assert link.startswith("/p/hillside/")
    assert client.get(link.replace("/p/hillside/", "/p/riverbank/")).status_code == 404
    assert client.get("/p/riverbank/account/sign-in/confirm").status_code == 404
    assert client.get("/p/riverbank/account/").status_code == 303
    assert client.get(link).status_code == 303  # still unused on its own landlord's site


def test_a_resident_changes_details_through_the_participant_rules(client, resident, sent_mail, db_session):
    sign_in(client, sent_mail)
    bad = post_form(client, "/p/riverbank/account/details", {"email": "nope", "channels": ["pigeon"]})
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert "Not a valid email address." in body and 'href="#email"' in body
    response = post_form(
        client,
        "/p/riverbank/account/details",
        {
            "email": "robin.new@example.org",
            "phone": "0100 111 222",
            "channels": ["email"],
            "language": "Welsh",
        },
    )
    assert response.status_code == 303
    db_session.expire_all()
    with organisation_scope(resident.organisation_id):
        person = db_session.get(Participant, resident.id)
        assert person.email == "robin.new@example.org"
        assert person.phone == "0100 111 222"
        assert person.channels == ["email"]
        assert person.language == "Welsh"
    assert "Your changes have been saved." in client.get("/p/riverbank/account/?changed=details").get_data(
        as_text=True
    )


def test_access_needs_take_the_shared_vocabulary(client, resident, sent_mail, db_session):
    from core.models.vocab import ACCESS_NEEDS

    sign_in(client, sent_mail)
    need = list(ACCESS_NEEDS)[0]
    assert post_form(client, "/p/riverbank/account/access-needs", {"access_needs": [need]}).status_code == 303
    assert post_form(client, "/p/riverbank/account/access-needs", {"access_needs": ["x"]}).status_code == 422
    db_session.expire_all()
    with organisation_scope(resident.organisation_id):
        assert db_session.get(Participant, resident.id).access_needs == [need]


def test_activities_memberships_and_responses_are_the_residents_own(
    client, landlord, resident, sent_mail, db_session
):
    other = add_person(db_session, landlord, first_name="Kim", email="kim@example.org")
    with organisation_scope(landlord.id):
        activity = Activity(title="Estate walkabout", kind="walkabout", starts_at=utcnow())
        consultation = Consultation(
            title="Bin stores",
            topic="estates",
            opens_on=TODAY,
            closes_on=TODAY + timedelta(days=30),
            feedback_due_on=TODAY + timedelta(days=90),
        )
        db_session.add_all([activity, consultation])
        db_session.flush()
        db_session.add(Participation(activity_id=activity.id, participant_id=resident.id, attended=True))
        db_session.add_all(
            [
                ConsultationResponse(
                    consultation_id=consultation.id,
                    participant_id=resident.id,
                    channel="online",
                    answer="More bins please",
                    responded_on=TODAY,
                ),
                ConsultationResponse(
                    consultation_id=consultation.id,
                    participant_id=other.id,
                    channel="online",
                    answer="Kim's private answer",
                    responded_on=TODAY,
                ),
            ]
        )
        db_session.commit()
    sign_in(client, sent_mail)
    assert "Estate walkabout" in client.get("/p/riverbank/account/activities").get_data(as_text=True)
    responses = client.get("/p/riverbank/account/responses").get_data(as_text=True)
    assert "More bins please" in responses
    assert "Kim" not in responses


def test_a_resident_downloads_their_data_and_the_export_is_audited(client, resident, sent_mail, db_session):
    sign_in(client, sent_mail)
    response = post_form(client, "/p/riverbank/account/download", {})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    export = json.loads(response.get_data(as_text=True))
    assert export["participant"]["id"] == resident.id
    assert export["participant"]["email"] == "robin@example.org"
    with organisation_scope(resident.organisation_id):
        actions = db_session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.record_type == "participants", AuditEvent.record_id == resident.id
            )
        ).all()
    assert "export" in actions
    assert client.post("/p/riverbank/account/download").status_code == 400  # no CSRF token


def test_withdrawing_consent_needs_confirming_and_signs_out(client, resident, sent_mail, db_session):
    sign_in(client, sent_mail)
    unconfirmed = post_form(client, "/p/riverbank/account/withdraw-consent", {})
    assert unconfirmed.status_code == 422
    assert "Select yes if you no longer want us to contact you." in unconfirmed.get_data(as_text=True)
    response = post_form(client, "/p/riverbank/account/withdraw-consent", {"confirm": "yes"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/p/riverbank/account/withdrawn")
    db_session.expire_all()
    with organisation_scope(resident.organisation_id):
        assert db_session.get(Participant, resident.id).contact_consent is False
    assert client.get("/p/riverbank/account/").status_code == 303
    post_form(client, "/p/riverbank/account/sign-in", {"email": "robin@example.org"})
    assert len(sent_mail.to("robin@example.org")) == 1  # no new link once consent is withdrawn


def test_signing_out_ends_the_resident_session(client, resident, sent_mail):
    sign_in(client, sent_mail)
    response = post_form(client, "/p/riverbank/account/sign-out", {}, page="/p/riverbank/account/")
    assert response.status_code == 303
    assert client.get("/p/riverbank/account/").status_code == 303


def test_an_erased_resident_is_signed_out(client, resident, sent_mail, db_session):
    sign_in(client, sent_mail)
    with organisation_scope(resident.organisation_id):
        db_session.get(Participant, resident.id).erased_at = utcnow()
        db_session.commit()
    assert client.get("/p/riverbank/account/").status_code == 303


def test_plugins_add_links_to_the_account_page(client, make_org, sent_mail, db_session):
    from tests import example_plugin

    landlord = make_org("riverbank", name="Riverbank Homes", plugins=["example"])
    person = add_person(db_session, landlord)
    sign_in(client, sent_mail)
    body = client.get("/p/riverbank/account/").get_data(as_text=True)
    assert "Notes for Robin" in body
    assert ("tpl_resident_account", person.id) in example_plugin.calls


def test_the_service_refuses_what_the_api_refuses(app, resident, db_session):
    with app.test_request_context(), organisation_scope(resident.organisation_id):
        person = db_session.get(Participant, resident.id)
        from core.errors import ValidationFailed

        with pytest.raises(ValidationFailed) as refused:
            resident_accounts.change_details(person, {"phone": "9" * 41, "formats": ["smoke signals"]})
        assert set(refused.value.fields) == {"phone", "formats"}
        # Only contact details and preferences: a name or consent in the input is not taken.
        resident_accounts.change_details(person, {"first_name": "Mallory", "phone": "0100 222 333"})
        assert (person.first_name, person.phone) == ("Robin", "0100 222 333")
