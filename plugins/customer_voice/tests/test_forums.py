"""Forums: created on enabling (one per management area, idempotent), seat rules, challenges."""

from sqlalchemy import func, select

from core.models import Body
from core.tenancy import organisation_scope
from plugins.customer_voice.models import Forum, ScrutinyGroup
from plugins.customer_voice.tests.conftest import GENTOO, enable, forum_for


def test_enabling_creates_a_forum_per_management_area_and_the_scrutiny_group(world):
    forums = world.api.get(f"{world.base}/forums").get_json()["items"]
    assert [f["slot"] for f in forums] == [1, 2, 3]
    assert {f["area_id"] for f in forums} == {world.north, world.south, None}
    assert forum_for(world, world.north)["name"] == "North Community Engagement Forum"
    assert forums[2]["name"] == "Area 3 forum"  # more forums than areas recorded: named by number
    with organisation_scope(world.org.id):
        group = select(Body.name).join(ScrutinyGroup, ScrutinyGroup.body_id == Body.id)
        assert list(world_db(group)) == ["Ustoo"]


def world_db(statement):
    from core.extensions import db

    return db.session.scalars(statement)


def test_enabling_again_creates_nothing_new(world, db_session):
    enable(world.org, {**GENTOO, "management_area_count": 2})
    enable(world.org, GENTOO)
    with organisation_scope(world.org.id):
        assert db_session.scalar(select(func.count(Forum.id))) == 3
        assert db_session.scalar(select(func.count(ScrutinyGroup.id))) == 1


def test_officer_links_a_numbered_forum_to_an_area_once(world):
    spare = world.api.get(f"{world.base}/forums").get_json()["items"][2]
    taken = world.api.patch(f"{world.base}/forums/{spare['id']}", json={"area_id": world.north})
    assert taken.status_code == 409
    assert "already has" in taken.get_json()["error"]["message"]
    wrong_kind = world.api.patch(f"{world.base}/forums/{spare['id']}", json={"area_id": world.estate})
    assert wrong_kind.status_code == 422
    assert "area_id" in wrong_kind.get_json()["error"]["fields"]
    renamed = world.api.patch(f"{world.base}/forums/{spare['id']}", json={"name": "Washington forum"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Washington forum"


def _member(world, forum, participant_id, **extra):
    body = {"participant_id": participant_id, "starts_on": "2026-01-01", **extra}
    return world.api.post(f"{world.base}/forums/{forum['id']}/members", json=body)


def test_rule_forum_chair_must_be_a_resident(world):
    forum = forum_for(world, world.north)
    refused = _member(world, forum, world.no_home, role="chair", other_area_reason="Helps out")
    assert refused.status_code == 409
    assert "chair must be a resident" in refused.get_json()["error"]["message"]
    assert _member(world, forum, world.resident_north, role="chair").status_code == 201


def test_rule_forum_chair_must_be_a_resident_through_core_memberships_too(world):
    forum = forum_for(world, world.north)
    response = world.api.post(
        f"/api/v1/orgs/{world.org.slug}/bodies/{forum['body_id']}/memberships",
        json={
            "participant_id": world.no_home,
            "seat_type": "resident",
            "role": "chair",
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 409


def test_rule_forum_member_from_another_area_needs_a_recorded_reason(world):
    forum = forum_for(world, world.north)
    refused = _member(world, forum, world.resident_south)
    assert refused.status_code == 409
    assert "other_area_reason" in refused.get_json()["error"]["message"]
    accepted = _member(world, forum, world.resident_south, other_area_reason="Chairs the SRF housing group")
    assert accepted.status_code == 201
    assert accepted.get_json()["other_area_reason"] == "Chairs the SRF housing group"
    members = world.api.get(f"{world.base}/forums/{forum['id']}/members").get_json()["items"]
    assert [m["other_area_reason"] for m in members] == ["Chairs the SRF housing group"]


def test_rule_forum_member_from_another_area_cannot_bypass_through_core_endpoint(world):
    forum = forum_for(world, world.north)
    response = world.api.post(
        f"/api/v1/orgs/{world.org.slug}/bodies/{forum['body_id']}/memberships",
        json={"participant_id": world.resident_south, "seat_type": "resident", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 409


def test_resident_of_an_estate_inside_the_area_needs_no_reason(world):
    forum = forum_for(world, world.north)
    response = _member(world, forum, world.resident_north)
    assert response.status_code == 201
    assert response.get_json()["other_area_reason"] is None


def test_rule_forum_members_hold_resident_seats(world):
    forum = forum_for(world, world.north)
    response = world.api.post(
        f"/api/v1/orgs/{world.org.slug}/bodies/{forum['body_id']}/memberships",
        json={"external_name": "Council officer", "seat_type": "staff", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 409
    assert "customer-led" in response.get_json()["error"]["message"]


def test_rule_challenge_closes_only_after_a_response_and_with_an_outcome(world):
    forum = forum_for(world, world.north)
    made = world.api.post(
        f"{world.base}/forums/{forum['id']}/challenges",
        json={"service_area": "repairs", "title": "Repairs appointments missed", "raised_on": "2026-02-01"},
    )
    assert made.status_code == 201
    challenge = made.get_json()
    url = f"{world.base}/challenges/{challenge['id']}"
    early = world.api.patch(url, json={"status": "closed", "outcome": "x"})
    assert early.status_code == 409
    answered = world.api.patch(url, json={"response": "We now text a reminder the day before."})
    assert answered.get_json()["status"] == "responded" and answered.get_json()["responded_on"]
    no_outcome = world.api.patch(url, json={"status": "closed"})
    assert no_outcome.status_code == 422 and "outcome" in no_outcome.get_json()["error"]["fields"]
    closed = world.api.patch(url, json={"status": "closed", "outcome": "Missed appointments fell by a third"})
    assert closed.status_code == 200 and closed.get_json()["closed_on"]


def test_challenge_service_area_must_be_one_of_the_settings(world):
    forum = forum_for(world, world.north)
    response = world.api.post(
        f"{world.base}/forums/{forum['id']}/challenges",
        json={"service_area": "astrology", "title": "x", "raised_on": "2026-02-01"},
    )
    assert response.status_code == 422
    assert "service_area" in response.get_json()["error"]["fields"]
