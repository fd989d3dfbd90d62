"""The name and contact someone gives with an online response are personal details: the API and the
staff consultation page show them only to readers with ``people.read`` (staff and admins, not
viewers), and no public page ever shows them."""

from datetime import timedelta

import pytest

from core import plugin_kit
from core.models import Consultation, ConsultationFeedback, ConsultationResponse, Participant
from core.tenancy import organisation_scope

TODAY = plugin_kit.today()
NAME, CONTACT = "Sam Respondent-Private", "sam.private@example.com"


@pytest.fixture
def answered(make_org, db_session):
    org = make_org("quayside", name="Quayside Homes")
    with organisation_scope(org.id):
        consultation = Consultation(
            title="Bin stores",
            topic="estates",
            opens_on=TODAY - timedelta(days=40),
            closes_on=TODAY - timedelta(days=10),
            feedback_due_on=TODAY + timedelta(days=60),
        )
        person = Participant(first_name="Grace", last_name="Registered-Private")
        db_session.add_all([consultation, person])
        db_session.flush()
        db_session.add_all(
            [
                ConsultationResponse(
                    consultation_id=consultation.id,
                    channel="online",
                    answer="Lids on the bins",
                    responded_on=TODAY - timedelta(days=20),
                    respondent_name=NAME,
                    respondent_contact=CONTACT,
                ),
                ConsultationResponse(
                    consultation_id=consultation.id,
                    channel="phone",
                    answer="More bins",
                    responded_on=TODAY - timedelta(days=19),
                    participant_id=person.id,
                ),
                ConsultationFeedback(
                    consultation_id=consultation.id,
                    you_said="Lids on the bins",
                    we_did="Lids fitted",
                    published_on=TODAY - timedelta(days=2),
                ),
            ]
        )
        db_session.commit()
        return org, consultation.id


@pytest.mark.parametrize(("role", "personal"), [("viewer", False), ("staff", True), ("org_admin", True)])
def test_the_api_gives_a_respondents_details_only_to_those_who_read_personal_details(
    answered, make_user, api_client, role, personal
):
    org, consultation_id = answered
    api = api_client(make_user(org, role))
    base = f"/api/v1/orgs/{org.slug}/consultations/{consultation_id}/responses"
    listed = api.get(base).get_json()["items"]
    online = next(r for r in listed if r["channel"] == "online")
    expected = (NAME, CONTACT) if personal else (None, None)
    assert (online["respondent_name"], online["respondent_contact"]) == expected
    assert online["answer"] == "Lids on the bins" and online["late"] is False
    one = api.get(f"{base}/{online['id']}").get_json()
    assert (one["respondent_name"], one["respondent_contact"]) == expected
    if not personal:
        assert NAME not in api.get(base).get_data(as_text=True)


def test_the_api_answer_to_recording_a_response_follows_the_same_rule(answered, make_user, api_client):
    org, consultation_id = answered
    api = api_client(make_user(org, "staff"))
    body = {"channel": "post", "answer": "Yes", "respondent_name": "Ann Other"}
    made = api.post(f"/api/v1/orgs/{org.slug}/consultations/{consultation_id}/responses", json=body)
    assert made.status_code == 201 and made.get_json()["respondent_name"] == "Ann Other"


def test_the_staff_page_shows_a_respondents_details_only_to_those_who_read_personal_details(
    answered, client, make_user, login_as
):
    org, consultation_id = answered
    path = f"/o/{org.slug}/consultations/{consultation_id}"
    login_as(make_user(org, "staff"))
    page = client.get(path).get_data(as_text=True)
    assert NAME in page and CONTACT in page and "Grace Registered-Private" in page
    client.post("/logout", data={"csrf_token": _csrf(client, path)})
    login_as(make_user(org, "viewer"))
    page = client.get(path).get_data(as_text=True)
    assert "Lids on the bins" in page  # what was said is an involvement record
    assert NAME not in page and CONTACT not in page and "Registered-Private" not in page
    assert page.count("A resident") >= 2


def test_no_public_page_shows_a_respondents_details(answered, client):
    org, consultation_id = answered
    for path in ("", "you-said-we-did", "consultations", "reports", "events"):
        body = client.get(f"/p/{org.slug}/{path}").get_data(as_text=True)
        assert NAME not in body and CONTACT not in body and "Registered-Private" not in body, path


def _csrf(client, path):
    from core.testing import csrf_token_from

    return csrf_token_from(client.get(path).get_data(as_text=True))
