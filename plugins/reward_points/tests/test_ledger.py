"""Awards for participations, manual awards and corrections: the ledger rules, through the API."""

import pytest
from sqlalchemy import delete, select, update

from core.tenancy import organisation_scope
from plugins.reward_points.models import LedgerIsAppendOnly, RewardEntry
from plugins.reward_points.tests.conftest import core_url, settings, url


def test_rule_only_members_earn_points(world):
    outsider = {"participant_id": world.person("Outsider")}
    member = world.member()
    meeting = world.meeting()
    world.attend(meeting, outsider)
    world.attend(meeting, member)
    with organisation_scope(world.org.id):
        entries = world.db.scalars(select(RewardEntry)).all()
    assert [(e.member_id, e.points) for e in entries] == [(member["id"], 50)]


def test_rule_points_only_for_days_inside_the_membership(world):
    member = world.member(joined_on="2025-07-01")
    world.attend(world.meeting(starts_at="2025-06-10T18:00:00+00:00"), member)
    assert world.entries(member) == []
    left = world.api.post(url(world.org, f"members/{member['id']}/leave"), json={"left_on": "2025-08-01"})
    assert left.status_code == 200 and left.get_json()["active"] is False
    world.attend(world.meeting(starts_at="2025-07-15T18:00:00+00:00"), member)
    world.attend(world.meeting(starts_at="2025-08-15T18:00:00+00:00"), member)
    assert [e["points"] for e in world.entries(member)] == [50]


def test_award_is_written_once_however_often_the_participation_is_recorded(world):
    member = world.member()
    meeting = world.meeting()
    participation = world.attend(meeting, member)
    for hours in ("1.5", "2", "2.5"):
        changed = world.api.patch(
            core_url(world.org, f"activities/{meeting}/participations/{participation}"), json={"hours": hours}
        )
        assert changed.status_code == 200
    entries = world.entries(member)
    assert [(e["kind"], e["points"], e["idempotency_key"]) for e in entries] == [
        ("participation", 50, f"participation:{participation}")
    ]
    assert entries[0]["involvement_type"] == "customer_scrutiny_panel"
    assert entries[0]["scheme_year"] == "2025-26"


def test_rule_points_by_type_of_involvement_most_specific_rule_wins(world):
    chair, member, visitor = world.member(), world.member(), world.member()
    meeting = world.meeting()
    world.attend(meeting, chair, role="chair")
    world.attend(meeting, member, role="member")
    world.attend(world.meeting(kind="training"), visitor)
    assert [e["points"] for e in world.entries(chair)] == [60]
    assert world.entries(chair)[0]["involvement_type"] == "scrutiny_panel_chair"
    assert [e["points"] for e in world.entries(member)] == [50]
    assert world.entries(visitor) == []  # no rule prices training


def test_rule_points_rules_apply_from_their_effective_date(world):
    member = world.member()
    world.attend(world.meeting(starts_at="2025-03-31T12:00:00+00:00", kind="event", body=False), member)
    world.attend(world.meeting(starts_at="2025-04-01T12:00:00+00:00", kind="event", body=False), member)
    assert [(e["points"], e["scheme_year"]) for e in world.entries(member)] == [
        (10, "2024-25"),
        (15, "2025-26"),
    ]


def test_rule_points_rule_change_is_never_retroactive(world):
    member = world.member()
    world.attend(world.meeting(), member)
    plugin_url = f"/api/v1/orgs/{world.org.slug}/plugins/reward_points"
    repriced = settings()
    repriced["points_rules"][0]["points"] = 80  # rewrite the version in force since 2020
    response = world.api.put(plugin_url, json={"enabled": True, "settings": repriced})
    assert response.status_code == 422
    assert "settings.points_rules" in response.get_json()["error"]["fields"]
    backdated = settings()
    backdated["points_rules"].append(
        {**backdated["points_rules"][0], "points": 80, "effective_from": "2025-01-01"}
    )
    response = world.api.put(plugin_url, json={"enabled": True, "settings": backdated})
    assert response.status_code == 422
    assert "retroactively" in response.get_json()["error"]["fields"]["settings.points_rules"][0]
    future = settings()
    future["points_rules"].append({**future["points_rules"][0], "points": 80, "effective_from": "2999-01-01"})
    assert world.api.put(plugin_url, json={"enabled": True, "settings": future}).status_code == 200
    assert [e["points"] for e in world.entries(member)] == [50]


def test_not_attended_writes_a_compensating_entry_and_attending_again_awards_again(world):
    member = world.member()
    meeting = world.meeting()
    participation = world.attend(meeting, member)
    path = core_url(world.org, f"activities/{meeting}/participations/{participation}")
    assert world.api.patch(path, json={"attended": False}).status_code == 200
    assert world.api.patch(path, json={"attended": False}).status_code == 200  # replay: nothing more
    assert world.api.patch(path, json={"attended": True}).status_code == 200
    entries = world.entries(member)
    assert [(e["kind"], e["points"], e["idempotency_key"]) for e in entries] == [
        ("participation", 50, f"participation:{participation}"),
        ("participation_reversal", -50, f"participation:{participation}:1"),
        ("participation", 50, f"participation:{participation}:2"),
    ]
    assert world.balance(member) == 50


def test_removing_a_participation_reverses_its_points(world):
    member = world.member()
    meeting = world.meeting()
    participation = world.attend(meeting, member)
    response = world.api.delete(core_url(world.org, f"activities/{meeting}/participations/{participation}"))
    assert response.status_code == 204
    assert [e["points"] for e in world.entries(member)] == [50, -50]
    assert world.balance(member) == 0
    # Deleting the whole activity reverses its participations' points too.
    second = world.meeting()
    world.attend(second, member)
    assert world.api.delete(core_url(world.org, f"activities/{second}")).status_code == 204
    assert world.balance(member) == 0


def test_rule_annual_cap_trims_awards_beyond_it(make_world):
    world = make_world(annual_cap_points=70)
    member = world.member()
    for day in ("2025-05-01", "2025-06-01", "2025-07-01"):
        world.attend(world.meeting(starts_at=f"{day}T18:00:00+00:00"), member)
    world.attend(world.meeting(starts_at="2026-05-01T18:00:00+00:00"), member)  # a new scheme year
    entries = world.entries(member)
    assert [(e["points"], e["requested_points"], e["capped"]) for e in entries] == [
        (50, 50, False),
        (20, 50, True),
        (0, 50, True),
        (50, 50, False),
    ]
    assert world.balance(member) == 120


def test_manual_award_retried_with_the_same_key_awards_once(world):
    member = world.member()
    first = world.award(member, "award-key-0001")
    again = world.award(member, "award-key-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert first.get_json()["recorded_by_id"] is not None
    assert first.get_json()["reason"] == "Spoke up for the estate"
    different = world.award(member, "award-key-0001", points=7)
    assert different.status_code == 409
    meeting = world.meeting(body=False)
    world.attend(meeting, member, role="attendee")
    body = {
        "kind": "contribution",
        "points": 5,
        "reason": "Spoke up",
        "applies_to": "meeting",
        "activity_id": meeting,
    }
    no_key = world.api.post(url(world.org, f"members/{member['id']}/entries"), json=body)
    assert no_key.status_code == 422 and "idempotency_key" in no_key.get_json()["error"]["fields"]
    in_body = world.api.post(
        url(world.org, f"members/{member['id']}/entries"),
        json={**body, "idempotency_key": "body-key-0001"},
    )
    assert in_body.status_code == 201
    assert world.balance(member) == 10


def test_rule_manual_award_needs_a_reason(world):
    member = world.member()
    response = world.api.post(
        url(world.org, f"members/{member['id']}/entries"),
        json={"kind": "contribution", "points": 5, "applies_to": "meeting"},
        headers={"Idempotency-Key": "no-reason-0001"},
    )
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]


def test_rule_contribution_award_within_the_maximum_for_the_occasion(world):
    member = world.member()
    too_much = world.award(member, "too-much-0001", points=11)
    assert too_much.status_code == 409 and "at most 10 points" in too_much.get_json()["error"]["message"]
    no_award = world.award(member, "open-event-0001", applies_to="open_event")
    assert no_award.status_code == 409
    assert world.award(member, "just-right-0001", points=10).status_code == 201
    assert world.balance(member) == 10


def test_rule_correction_never_leaves_a_negative_balance(world):
    member = world.member()
    world.attend(world.meeting(), member)
    refused = world.award(member, "correct-0001", points=-60, kind="correction")
    assert refused.status_code == 409 and "negative balance" in refused.get_json()["error"]["message"]
    assert world.award(member, "correct-0002", points=-50, kind="correction").status_code == 201
    assert world.balance(member) == 0


def test_ledger_entries_cannot_be_changed_or_deleted(world, db_session):
    member = world.member()
    world.attend(world.meeting(), member)
    entry_id = world.entries(member)[0]["id"]
    entry_url = url(world.org, f"entries/{entry_id}")
    assert world.api.get(entry_url).status_code == 200
    for method in ("patch", "put", "delete"):
        assert getattr(world.api, method)(entry_url, json={"points": 500}).status_code == 405
    with organisation_scope(world.org.id):
        # SQL that bypasses the ORM is refused by the database itself.
        table = RewardEntry.__table__
        for statement in (
            update(table).where(table.c.id == entry_id).values(points=500),
            delete(table).where(table.c.id == entry_id),
        ):
            with pytest.raises(Exception, match="append-only"), db_session.begin_nested():
                db_session.connection().execute(statement)
    assert world.balance(member) == 50
    with organisation_scope(world.org.id):
        # And the ORM refuses to flush a changed entry.
        entry = db_session.get(RewardEntry, entry_id)
        entry.points = 500
        with pytest.raises(LedgerIsAppendOnly):
            db_session.flush()
        db_session.rollback()


def test_member_rules_and_choices(world):
    person = world.person()
    members_url = url(world.org, "members")
    bad_charity = world.api.post(
        members_url, json={"participant_id": person, "reward_choice": "charity_donation", "charity": "Nope"}
    )
    assert bad_charity.status_code == 422 and "charity" in bad_charity.get_json()["error"]["fields"]
    joined = world.api.post(members_url, json={"participant_id": person})
    assert joined.status_code == 201 and joined.get_json()["reward_choice"] == "shopping_voucher"
    assert world.api.post(members_url, json={"participant_id": person}).status_code == 409
    unknown = world.api.post(members_url, json={"participant_id": 999999})
    assert unknown.status_code == 422 and "participant_id" in unknown.get_json()["error"]["fields"]
    member_url = url(world.org, f"members/{joined.get_json()['id']}")
    changed = world.api.patch(
        member_url, json={"reward_choice": "charity_donation", "charity": "Boston Foodbank"}
    )
    assert changed.status_code == 200 and changed.get_json()["charity"] == "Boston Foodbank"
    left = world.api.post(f"{member_url}/leave", json={})
    assert left.status_code == 200 and left.get_json()["active"] is False
    assert world.api.post(f"{member_url}/leave", json={}).status_code == 409
    listed = world.api.get(url(world.org, "members?active=false")).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == joined.get_json()["id"]


def test_rule_donation_goes_to_a_charity_on_the_list(world):
    member = world.member()
    member_url = url(world.org, f"members/{member['id']}")
    missing = world.api.patch(member_url, json={"reward_choice": "charity_donation"})
    assert missing.status_code == 422 and "charity" in missing.get_json()["error"]["fields"]
    unlisted = world.api.patch(member_url, json={"reward_choice": "charity_donation", "charity": "Elsewhere"})
    assert unlisted.status_code == 422 and "charity" in unlisted.get_json()["error"]["fields"]


def test_rule_voucher_retailer_from_the_list(world):
    member = world.member()
    member_url = url(world.org, f"members/{member['id']}")
    unlisted = world.api.patch(member_url, json={"reward_choice": "shopping_voucher", "retailer": "Harrods"})
    assert unlisted.status_code == 422 and "retailer" in unlisted.get_json()["error"]["fields"]
    listed = world.api.patch(member_url, json={"reward_choice": "shopping_voucher", "retailer": "Argos"})
    assert listed.status_code == 200 and listed.get_json()["retailer"] == "Argos"


def test_settle_job_awards_an_activity_marked_held_later(world):
    member = world.member()
    meeting = world.meeting(status="planned")
    world.attend(meeting, member)
    assert world.entries(member) == []
    assert (
        world.api.patch(core_url(world.org, f"activities/{meeting}"), json={"status": "held"}).status_code
        == 200
    )
    assert world.api.post(url(world.org, "settle")).status_code == 202
    assert world.api.post(url(world.org, "settle")).status_code == 202  # again: nothing more
    assert [e["points"] for e in world.entries(member)] == [50]


# -- contribution points: per member per meeting, attendees only, dated the meeting's day (seed 004, 6.2)


def _contribute(world, member, key, meeting, points, **fields):
    body = {
        "kind": "contribution",
        "points": points,
        "reason": "Led the repairs item",
        "applies_to": "meeting",
    }
    return world.api.post(
        url(world.org, f"members/{member['id']}/entries"),
        json={**body, "activity_id": meeting, **fields},
        headers={"Idempotency-Key": key},
    )


def test_contribution_cap_applies_per_member_per_meeting_across_awards(world):
    member, other = world.member(), world.member()
    meeting = world.meeting(body=False)
    world.attend(meeting, member, role="attendee")
    world.attend(meeting, other, role="attendee")
    assert _contribute(world, member, "cap-meeting-0001", meeting, 8).status_code == 201
    second = _contribute(world, member, "cap-meeting-0002", meeting, 8)
    assert second.status_code == 409
    assert "at most 10 points per member" in second.get_json()["error"]["message"]
    assert "already has 8" in second.get_json()["error"]["message"]
    assert _contribute(world, member, "cap-meeting-0003", meeting, 2).status_code == 201
    assert _contribute(world, member, "cap-meeting-0004", meeting, 1).status_code == 409
    # The cap is per member: someone else at the same meeting has their own 10.
    assert _contribute(world, other, "cap-meeting-0005", meeting, 10).status_code == 201
    # And per meeting: the same member earns again at another meeting.
    another = world.meeting(starts_at="2025-07-10T18:00:00+00:00", body=False)
    world.attend(another, member, role="attendee")
    assert _contribute(world, member, "cap-meeting-0006", another, 10).status_code == 201
    assert world.balance(member) == 20 and world.balance(other) == 10


def test_contribution_points_go_only_to_attendees_of_that_meeting(world):
    member = world.member()
    meeting = world.meeting(body=False)
    absent = _contribute(world, member, "attendee-0001", meeting, 5)
    assert absent.status_code == 409 and "attended" in absent.get_json()["error"]["message"]
    world.attend(meeting, member, role="attendee", attended=False)
    sent_apologies = _contribute(world, member, "attendee-0002", meeting, 5)
    assert sent_apologies.status_code == 409
    no_meeting = world.api.post(
        url(world.org, f"members/{member['id']}/entries"),
        json={"kind": "contribution", "points": 5, "reason": "Spoke up", "applies_to": "meeting"},
        headers={"Idempotency-Key": "attendee-0003"},
    )
    assert no_meeting.status_code == 422 and "activity_id" in no_meeting.get_json()["error"]["fields"]
    event = world.attended(member, "2025-06-10", kind="event")
    wrong_occasion = _contribute(world, member, "attendee-0004", event, 5)
    assert wrong_occasion.status_code == 422 and "applies_to" in wrong_occasion.get_json()["error"]["fields"]
    assert world.balance(member) == 0


def test_contribution_entry_is_dated_the_meetings_date(world):
    member = world.member()
    # 20 March 2025 is in scheme year 2024-25, though the award is recorded later.
    meeting = world.meeting(starts_at="2025-03-20T18:00:00+00:00", body=False)
    world.attend(meeting, member, role="attendee")
    other_day = _contribute(world, member, "dated-0001", meeting, 5, occurred_on="2025-06-10")
    assert other_day.status_code == 422 and "occurred_on" in other_day.get_json()["error"]["fields"]
    entry = _contribute(world, member, "dated-0002", meeting, 5).get_json()
    assert entry["occurred_on"] == "2025-03-20" and entry["scheme_year"] == "2024-25"
    assert entry["activity_id"] == meeting


# -- the Board's size (seed 004, 5.1) ------------------------------------------------------------


def test_board_has_at_most_twelve_members(world):
    board = world.api.post(
        core_url(world.org, "bodies"), json={"name": "Board", "kind": "board", "seats_total": 14}
    ).get_json()
    seats = core_url(world.org, f"bodies/{board['id']}/memberships")
    for n in range(12):
        seat = {"external_name": f"Board member {n}", "seat_type": "independent", "starts_on": "2025-04-01"}
        assert world.api.post(seats, json=seat).status_code == 201
    thirteenth = world.api.post(
        seats,
        json={"external_name": "Co-opted member", "seat_type": "independent", "starts_on": "2025-05-01"},
    )
    assert thirteenth.status_code == 409
    assert "at most 12 members" in thirteenth.get_json()["error"]["message"]
    # Other bodies are not limited by the Board's rule.
    panel = world.api.post(
        core_url(world.org, "bodies"), json={"name": "Service Voice", "kind": "panel"}
    ).get_json()
    for n in range(13):
        seat = {"external_name": f"Voice {n}", "seat_type": "independent", "starts_on": "2025-04-01"}
        assert (
            world.api.post(core_url(world.org, f"bodies/{panel['id']}/memberships"), json=seat).status_code
            == 201
        )
