"""Subject access (``participants/<id>/export``) and erasure (``participants/<id>/erase``).

The export holds everything about the person, plugin data gathered through the
``gather_subject_access`` hook included; erasure leaves nothing identifying while every count
stays, and reaches enabled plugins through ``on_participant_erased``.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.models import (
    Activity,
    AuditEvent,
    Body,
    BodyMembership,
    Consultation,
    ConsultationResponse,
    Participant,
    Participation,
)
from core.tenancy import organisation_scope
from tests import example_plugin

BASE = "/api/v1/orgs/open-homes"
URL = f"{BASE}/participants"
PERSON = {
    "reference": "HMS-4411",
    "first_name": "Zofia",
    "last_name": "Kowalczyk",
    "email": "zofia@example.org",
    "phone": "07700 900123",
    "language": "Polish",
    "representative_name": "Marek Kowalczyk",
    "representative_contact": "marek@example.org",
    "interests": ["allotments"],
    "formats": ["large_print"],
    "access_needs": ["language_interpreter"],
    "channels": ["phone"],
    "contact_consent": True,
    "consent_given_on": "2025-04-02",
    "consent_method": "written",
    "is_tenancy_holder": True,
}
IDENTIFYING = (
    "HMS-4411",
    "Zofia",
    "Kowalczyk",
    "zofia@",
    "900123",
    "Polish",
    "Marek",
    "allotments",
    "14 Quay Street",
    "QS-14",
    "My neighbour",
    "Spoke about the lifts",
    "75_plus",
)


@pytest.fixture
def org(make_org):
    return make_org("open-homes", plugins=["example"])


@pytest.fixture
def admin(org, make_user, api_client):
    return api_client(make_user(org, "org_admin"))


@pytest.fixture
def zofia(org, admin, db_session):
    """A person with a home, monitoring answers, a meeting attended, a seat and a consultation response."""
    household = admin.post(
        f"{BASE}/households", json={"reference": "QS-14", "address_lines": ["14 Quay Street"]}
    )
    created = admin.post(URL, json={**PERSON, "household_id": household.get_json()["id"]}).get_json()
    admin.put(
        f"{URL}/{created['id']}/equality", json={"age_band": "75_plus", "religion": "prefer_not_to_say"}
    )
    with organisation_scope(org.id):
        meeting = Activity(
            title="Estate walkabout",
            kind="walkabout",
            status="held",
            starts_at=datetime(2025, 6, 3, 10, tzinfo=UTC),
        )
        panel = Body(name="Scrutiny panel", kind="scrutiny_panel")
        survey = Consultation(
            title="Lift repairs",
            topic="repairs",
            opens_on=date(2025, 5, 1),
            closes_on=date(2025, 5, 31),
            feedback_due_on=date(2025, 8, 31),
        )
        db_session.add_all([meeting, panel, survey])
        db_session.flush()
        db_session.add_all(
            [
                Participation(
                    activity_id=meeting.id,
                    participant_id=created["id"],
                    role="inspector",
                    hours=Decimal("2.50"),
                    expenses_pence=450,
                    contribution="Spoke about the lifts",
                ),
                BodyMembership(
                    body_id=panel.id,
                    participant_id=created["id"],
                    seat_type="resident",
                    role="chair",
                    starts_on=date(2025, 4, 1),
                ),
                ConsultationResponse(
                    consultation_id=survey.id,
                    participant_id=created["id"],
                    channel="phone",
                    answer="agree",
                    comment="My neighbour at number 12 agrees",
                    responded_on=date(2025, 5, 10),
                ),
            ]
        )
    db_session.commit()
    return created["id"]


def counts_about(db_session, org, participant_id):
    with organisation_scope(org.id):
        return [
            db_session.scalar(
                select(func.count()).select_from(model).where(model.participant_id == participant_id)
            )
            for model in (Participation, BodyMembership, ConsultationResponse)
        ]


def test_the_export_holds_everything_about_the_person(admin, zofia):
    response = admin.get(f"{URL}/{zofia}/export")
    assert response.status_code == 200, response.get_json()
    export = response.get_json()
    assert (
        export["participant"]["last_name"] == "Kowalczyk"
        and export["participant"]["email"] == PERSON["email"]
    )
    assert export["household"]["address_lines"] == ["14 Quay Street"]
    assert export["equality_monitoring"]["age_band"] == "75_plus"
    assert export["equality_monitoring"]["religion"] == "prefer_not_to_say"
    assert export["participations"] == [
        {
            "activity_id": export["participations"][0]["activity_id"],
            "activity_title": "Estate walkabout",
            "starts_at": "2025-06-03T10:00:00+00:00",
            "role": "inspector",
            "attended": True,
            "hours": "2.50",
            "expenses_pence": 450,
            "contribution": "Spoke about the lifts",
        }
    ]
    assert export["body_memberships"][0]["body_name"] == "Scrutiny panel"
    assert export["body_memberships"][0]["role"] == "chair"
    assert export["consultation_responses"][0]["consultation_title"] == "Lift repairs"
    assert {(e["action"], e["record_type"]) for e in export["audit_events"]} >= {
        ("create", "participants"),
        ("create", "equality_monitoring"),
        ("create", "body_memberships"),
    }
    assert export["exported_at"].endswith("+00:00")


def test_plugin_data_is_gathered_through_gather_subject_access_per_enabled_plugin(
    admin, zofia, make_org, make_user, api_client
):
    export = admin.get(f"{URL}/{zofia}/export").get_json()
    assert export["plugins"] == {"example": {"mentioned_in_notes": 0, "participant_id": zofia}}
    make_org("plain-homes")
    plain = api_client(make_user(make_org("plain-homes-2"), "org_admin"))
    someone = plain.post(
        "/api/v1/orgs/plain-homes-2/participants", json={"first_name": "A", "last_name": "B"}
    )
    export = plain.get(
        f"/api/v1/orgs/plain-homes-2/participants/{someone.get_json()['id']}/export"
    ).get_json()
    assert export["plugins"] == {}


def test_the_export_is_written_to_the_audit_log(admin, zofia, org, db_session):
    admin.get(f"{URL}/{zofia}/export")
    with organisation_scope(org.id):
        event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.record_type, event.record_id) == ("participants", zofia) and event.actor_id is not None


def test_after_erasure_nothing_identifying_remains_in_the_export(admin, zofia):
    response = admin.post(f"{URL}/{zofia}/erase")
    assert response.status_code == 200 and response.get_json()["erased_at"].endswith("+00:00")
    export = admin.get(f"{URL}/{zofia}/export")
    body = export.get_data(as_text=True)
    for identifying in IDENTIFYING:
        assert identifying not in body, identifying
    person = export.get_json()["participant"]
    assert (person["first_name"], person["last_name"]) == ("Erased", "participant")
    assert person["household_id"] is None and person["email"] is None and person["interests"] == []
    assert export.get_json()["equality_monitoring"] is None


def test_erasure_keeps_every_count(admin, zofia, org, db_session):
    before = counts_about(db_session, org, zofia)
    admin.post(f"{URL}/{zofia}/erase")
    assert counts_about(db_session, org, zofia) == before == [1, 1, 1]
    export = admin.get(f"{URL}/{zofia}/export").get_json()
    assert (
        export["participations"][0]["hours"] == "2.50"
        and export["participations"][0]["expenses_pence"] == 450
    )
    assert export["consultation_responses"][0]["answer"] == "agree"
    assert export["consultation_responses"][0]["comment"] is None


def test_erasure_reaches_enabled_plugins_through_on_participant_erased(admin, zofia):
    example_plugin.calls.clear()
    admin.post(f"{URL}/{zofia}/erase")
    assert ("on_participant_erased", zofia) in example_plugin.calls


def test_erasing_twice_is_harmless_and_each_is_audited(admin, zofia, org, db_session):
    first = admin.post(f"{URL}/{zofia}/erase")
    second = admin.post(f"{URL}/{zofia}/erase")
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    with organisation_scope(org.id):
        actions = db_session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.record_type == "participants", AuditEvent.record_id == zofia
            )
        ).all()
        row = db_session.get(Participant, zofia)
        assert row.reference is None and row.first_name == "Erased"
    assert actions.count("erase") == 2


def test_an_erased_person_cannot_be_changed_or_monitored(admin, zofia):
    admin.post(f"{URL}/{zofia}/erase")
    assert admin.patch(f"{URL}/{zofia}", json={"first_name": "Zofia"}).status_code == 409
    assert admin.put(f"{URL}/{zofia}/equality", json={"age_band": "75_plus"}).status_code == 409
    assert admin.get(f"{URL}/{zofia}").status_code == 200


def test_reimporting_an_erased_persons_old_row_does_not_bring_them_back(admin, zofia):
    admin.post(f"{URL}/{zofia}/erase")
    row = "reference,first_name,last_name\nHMS-4411,Zofia,Kowalczyk\n"
    assert (
        admin.post(f"{URL}/import", data=row, headers={"Content-Type": "text/csv"}).get_json()["created"] == 1
    )
    assert admin.get(f"{URL}/{zofia}").get_json()["first_name"] == "Erased"


def test_export_and_erasure_are_for_organisation_admins(org, zofia, make_user, api_client):
    staff = api_client(make_user(org, "staff"))
    assert staff.get(f"{URL}/{zofia}/export").status_code == 403
    assert staff.post(f"{URL}/{zofia}/erase").status_code == 403


def test_another_organisations_person_cannot_be_exported_or_erased(zofia, make_org, make_user, api_client):
    outsider = api_client(make_user(make_org("nosy-homes"), "org_admin"))
    assert outsider.get(f"/api/v1/orgs/nosy-homes/participants/{zofia}/export").status_code == 404
    assert outsider.post(f"/api/v1/orgs/nosy-homes/participants/{zofia}/erase").status_code == 404
    assert outsider.get(f"{URL}/{zofia}/export").status_code == 404


def test_survey_responses_are_exported_and_free_text_is_erased(make_org, make_user, api_client):
    org = make_org()
    api = api_client(make_user(org, "org_admin"))
    base = f"/api/v1/orgs/{org.slug}"
    person = api.post(f"{base}/participants", json={"first_name": "Wren", "last_name": "Tillot"}).get_json()
    survey = api.post(
        f"{base}/surveys",
        json={
            "title": "Annual survey",
            "questions": [
                {"code": "TP06", "text": "Listens", "scale": "satisfaction"},
                {"code": "WHY", "text": "Why?", "scale": "text"},
            ],
        },
    ).get_json()
    answered = api.post(
        f"{base}/surveys/{survey['id']}/responses",
        json={
            "participant_id": person["id"],
            "answers": {"TP06": "fairly_satisfied", "WHY": "Wren here, no 7"},
        },
    )
    assert answered.status_code == 201, answered.get_json()
    export = api.get(f"{base}/participants/{person['id']}/export").get_json()
    assert export["survey_responses"][0]["answers"] == {"TP06": "fairly_satisfied", "WHY": "Wren here, no 7"}
    assert api.post(f"{base}/participants/{person['id']}/erase").status_code == 200
    after = api.get(f"{base}/participants/{person['id']}/export").get_json()
    assert after["survey_responses"][0]["answers"] == {"TP06": "fairly_satisfied", "WHY": None}
    assert "Wren" not in str(after)
