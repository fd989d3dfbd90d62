"""Fixtures for the Your Voice tests: an organisation with the scheme on, and a small world to record in."""

import copy
from datetime import UTC, date, datetime, time

import pytest

from core.models import Activity, Body, Participant, Participation
from core.tenancy import organisation_scope

# Dates are fixed in the past: scheme years 2024-25 and 2025-26 have ended, so they can be converted.
SETTINGS = {
    "pence_per_point": 10,
    "retailers": ["Love2shop", "Argos"],
    "charities": ["Boston Foodbank", "St Barnabas Hospice"],
    "points_rules": [
        {
            "involvement_type": "customer_scrutiny_panel",
            "activity_kind": "meeting",
            "body_kind": "scrutiny_panel",
            "points": 50,
            "effective_from": "2020-01-01",
        },
        {
            "involvement_type": "scrutiny_panel_chair",
            "activity_kind": "meeting",
            "body_kind": "scrutiny_panel",
            "role": "chair",
            "points": 60,
            "effective_from": "2020-01-01",
        },
        {
            "involvement_type": "open_event",
            "activity_kind": "event",
            "points": 10,
            "effective_from": "2020-01-01",
        },
        {
            "involvement_type": "open_event",
            "activity_kind": "event",
            "points": 15,
            "effective_from": "2025-04-01",
        },
    ],
    "contribution_awards": [{"applies_to": "meeting", "max_points": 10, "effective_from": "2020-01-01"}],
}
MEETING_DAY = "2025-06-10T18:00:00+00:00"  # scheme year 2025-26


def settings(**changes):
    chosen = copy.deepcopy(SETTINGS)
    chosen.update(changes)
    return chosen


def url(org, path=""):
    return f"/api/v1/orgs/{org.slug}/plugins/reward_points/{path}"


def core_url(org, path=""):
    return f"/api/v1/orgs/{org.slug}/{path}"


class World:
    """An organisation with the scheme on, an officer's API client and helpers to record things."""

    def __init__(self, org, api, db_session):
        self.org, self.api, self.db = org, api, db_session
        with organisation_scope(org.id):
            panel = Body(name="Customer Scrutiny Panel", kind="scrutiny_panel")
            db_session.add(panel)
            db_session.flush()
            self.panel_id = panel.id
        db_session.commit()

    def person(self, name="Pat"):
        with organisation_scope(self.org.id):
            person = Participant(first_name=name, last_name="Resident")
            self.db.add(person)
            self.db.flush()
            person_id = person.id
        self.db.commit()
        return person_id

    def member(self, joined_on="2024-01-01", **fields):
        response = self.api.post(
            url(self.org, "members"), json={"participant_id": self.person(), "joined_on": joined_on, **fields}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def meeting(self, starts_at=MEETING_DAY, status="held", kind="meeting", body=True):
        body_fields = {"body_id": self.panel_id} if body else {}
        response = self.api.post(
            core_url(self.org, "activities"),
            json={
                "title": "Panel meeting",
                "kind": kind,
                "starts_at": starts_at,
                "status": status,
                **body_fields,
            },
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def attend(self, activity_id, member, role="member", attended=True):
        response = self.api.post(
            core_url(self.org, f"activities/{activity_id}/participations"),
            json={"participant_id": member["participant_id"], "role": role, "attended": attended},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def attended(self, member, day, kind="meeting"):
        """A held activity on ``day`` the member attended, written without the ledger hook."""
        with organisation_scope(self.org.id):
            activity = Activity(
                title="Your Voice occasion",
                kind=kind,
                status="held",
                starts_at=datetime.combine(date.fromisoformat(day), time(18), tzinfo=UTC),
            )
            self.db.add(activity)
            self.db.flush()
            self.db.add(Participation(activity_id=activity.id, participant_id=member["participant_id"]))
            self.db.flush()
            activity_id = activity.id
        self.db.commit()
        return activity_id

    def entries(self, member):
        response = self.api.get(url(self.org, f"members/{member['id']}/entries?per_page=200"))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    def balance(self, member):
        return self.api.get(url(self.org, f"members/{member['id']}")).get_json()["balance"]

    def award(self, member, key, points=5, kind="contribution", **fields):
        """Post a manual entry. A contribution with no ``activity_id`` is for an occasion of its own
        that the member attended on ``occurred_on`` (recorded directly, so attending earns nothing)."""
        body = {"kind": kind, "points": points, "reason": "Spoke up for the estate", **fields}
        if kind == "contribution":
            body.setdefault("applies_to", "meeting")
            body.setdefault("occurred_on", "2025-06-10")
            if "activity_id" not in body:
                kind_of = "event" if body["applies_to"] == "open_event" else "meeting"
                body["activity_id"] = self.attended(member, body["occurred_on"], kind_of)
        return self.api.post(
            url(self.org, f"members/{member['id']}/entries"), json=body, headers={"Idempotency-Key": key}
        )


@pytest.fixture
def make_world(make_org, make_user, api_client, db_session):
    def build(slug="mayflower-test", **setting_changes):
        org = make_org(slug, plugins={"reward_points": settings(**setting_changes)})
        api = api_client(make_user(org, "org_admin"))
        return World(org, api, db_session)

    return build


@pytest.fixture
def world(make_world):
    return make_world()
