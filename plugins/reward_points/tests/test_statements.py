"""Statements, the staff summary, KPIs, the report section, settings, enablement and isolation."""

import tomllib
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from core.jobs import JobRefused, run_job
from core.models import Participant
from core.periods import Period
from core.tenancy import organisation_scope
from plugins.reward_points.models import RewardEntry
from plugins.reward_points.settings import RewardPointsSettings
from plugins.reward_points.tests.conftest import core_url, settings, url

ROOT = Path(__file__).resolve().parents[3]


def test_member_statement_shows_entries_balance_and_projected_value(world):
    member = world.member()
    world.attend(world.meeting(), member)
    world.award(member, "statement-0001", points=7)
    statement = world.api.get(url(world.org, f"members/{member['id']}/statement")).get_json()
    assert statement["balance"] == 57
    assert statement["projected_value_pence"] == 570
    assert [e["points"] for e in statement["entries"]] == [50, 7]
    assert statement["member"]["id"] == member["id"] and statement["conversions"] == []
    page = world.api.client.get(f"/o/{world.org.slug}/plugins/reward_points/members/{member['id']}")
    assert page.status_code in (302, 401)  # web pages need a signed-in member of staff


def test_staff_summary_by_activity_type(world):
    chair, member = world.member(), world.member()
    meeting = world.meeting()
    world.attend(meeting, chair, role="chair")
    world.attend(meeting, member)
    world.attend(world.meeting(kind="event", body=False), member)
    summary = world.api.get(url(world.org, "summary?scheme_year=2025-26")).get_json()
    assert summary["members"] == 2 and summary["points_awarded"] == 125
    assert summary["points_by_type"] == [
        {"involvement_type": "scrutiny_panel_chair", "entries": 1, "points": 60},
        {"involvement_type": "customer_scrutiny_panel", "entries": 1, "points": 50},
        {"involvement_type": "open_event", "entries": 1, "points": 15},
    ]
    assert summary["points_outstanding"] == 125 and summary["outstanding_value_pence"] == 1250
    world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"})
    after = world.api.get(url(world.org, "summary?scheme_year=2025-26")).get_json()
    assert after["conversions"]["value_pence"] == 1250 and after["points_outstanding"] == 0


def test_kpis_members_points_value_and_share_of_involved(world, app):
    member, other = world.member(), world.member()
    outsider = {"participant_id": world.person("Not a member")}
    meeting = world.meeting()
    for person in (member, other, outsider):
        world.attend(meeting, person)
    world.api.patch(
        url(world.org, f"members/{other['id']}"),
        json={"reward_choice": "charity_donation", "charity": "Boston Foodbank"},
    )
    period = Period.parse("2025-26")
    kpis = app.extensions["involve"].kpis.compute(world.org.id, period)
    assert kpis["reward_points_members"] == 2
    assert kpis["reward_points_awarded"] == 100
    assert kpis["reward_points_member_share"] == 66.7  # 2 of the 3 residents involved
    assert kpis["reward_points_value_converted"] == 0
    world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"})
    converted_in = Period.financial_year_of(__import__("datetime").date.today())
    kpis = app.extensions["involve"].kpis.compute(world.org.id, converted_in)
    assert kpis["reward_points_value_converted"] == 1000
    assert kpis["reward_points_value_donated"] == 500
    empty = app.extensions["involve"].kpis.compute(world.org.id, Period.parse("2019-20"))
    assert empty["reward_points_member_share"] is None  # nobody involved: no denominator
    api_kpis = world.api.get(f"/api/v1/orgs/{world.org.slug}/kpis?period=2025-26").get_json()["kpis"]
    assert {"reward_points_members", "reward_points_member_share"} <= {k["code"] for k in api_kpis}


def test_report_section(world, app):
    member = world.member()
    world.attend(world.meeting(), member)
    registry = app.extensions["involve"].reports
    section = next(s for s in registry.for_organisation(world.org.id) if s.key == "reward_points")
    with organisation_scope(world.org.id):
        built = section.build(Period.parse("2025-26"))
    labels = {f["label"]: f["value"] for f in built["figures"]}
    assert labels["Points awarded"] == 50 and labels["Members"] is None  # 1 member: suppressed
    assert built["tables"][0]["rows"] == [["customer scrutiny panel", 50]]
    assert all(t["summary"] for t in built["tables"])


def test_settings_defaults_and_a_bad_value_is_refused_naming_the_key(world):
    defaults = RewardPointsSettings().load({})
    assert defaults["pence_per_point"] == "10" and defaults["points_rules"] == []
    plugin_url = f"/api/v1/orgs/{world.org.slug}/plugins/reward_points"
    for bad, key in (
        ({"pence_per_point": -1}, "settings.pence_per_point"),
        ({"pence_per_point": "1.23456"}, "settings.pence_per_point"),
        ({"default_reward_choice": "cash"}, "settings.default_reward_choice"),
        (
            {"points_rules": [{"involvement_type": "x", "points": 5, "effective_from": "2030-13-01"}]},
            "settings.points_rules.0.effective_from",
        ),
        (
            {
                "points_rules": [
                    {"involvement_type": "x", "role": "king", "points": 5, "effective_from": "2030-01-01"}
                ]
            },
            "settings.points_rules.0.role",
        ),
        ({"surprise": True}, "settings.surprise"),
    ):
        response = world.api.put(plugin_url, json={"enabled": True, "settings": bad})
        assert response.status_code == 422, bad
        assert key in response.get_json()["error"]["fields"], response.get_json()


def test_boston_mayflower_settings_load():
    config = tomllib.loads((ROOT / "tenants_config" / "boston-mayflower.toml").read_text())
    block = config["plugins"]["reward_points"]
    assert block["enabled"] is True
    loaded = RewardPointsSettings().load(block["settings"])
    assert loaded["members_only"] is True and loaded["points_rules"]


def test_disabling_hides_routes_stops_hooks_and_jobs_and_reenabling_keeps_data(world, app):
    member = world.member()
    world.attend(world.meeting(), member)
    plugin_url = f"/api/v1/orgs/{world.org.slug}/plugins/reward_points"
    off = world.api.put(plugin_url, json={"enabled": False, "settings": settings()})
    assert off.status_code == 200
    assert world.api.get(url(world.org, "members")).status_code == 404
    world.attend(world.meeting(), member)  # the hook is not called for this organisation now
    with pytest.raises(JobRefused), app.app_context():
        run_job("reward_points.convert_year", world.org.id, {"scheme_year": "2025-26"})
    assert world.api.put(plugin_url, json={"enabled": True, "settings": settings()}).status_code == 200
    assert [e["points"] for e in world.entries(member)] == [50]


def test_other_organisations_records_are_not_found(world, make_world):
    other = make_world("other-landlord")
    theirs = other.member()
    other.attend(other.meeting(), theirs)
    entry_id = other.entries(theirs)[0]["id"]
    for path in (f"members/{theirs['id']}", f"members/{theirs['id']}/statement", f"entries/{entry_id}"):
        assert world.api.get(url(world.org, path)).status_code == 404
    award = world.award(theirs, "cross-org-0001", activity_id=world.meeting(body=False))
    assert award.status_code == 404
    joined = world.api.post(url(world.org, "members"), json={"participant_id": theirs["participant_id"]})
    assert joined.status_code == 422
    assert world.api.get(url(world.org, "members")).get_json()["total"] == 0


def test_subject_access_export_includes_points(world):
    member = world.member()
    world.attend(world.meeting(), member)
    export = world.api.get(core_url(world.org, f"participants/{member['participant_id']}/export"))
    assert export.status_code == 200
    held = export.get_json()["plugins"]["reward_points"]
    assert held["balance"] == 50 and [e["points"] for e in held["entries"]] == [50]


def test_demo_data_is_realistic_and_idempotent(make_org, db_session, app):
    from core.demo_data import load_demo_records
    from plugins.reward_points.demo import load_demo

    org = make_org("demo-mayflower", plugins={"reward_points": settings()})
    load_demo_records(org)
    loaded = RewardPointsSettings().load(settings())
    with organisation_scope(org.id):
        load_demo(org, loaded)
        first = db_session.scalars(select(RewardEntry.id)).all()
        load_demo(org, loaded)
        again = db_session.scalars(select(RewardEntry.id)).all()
        assert db_session.scalar(select(Participant.id).limit(1)) is not None
    assert first and first == again
    assert current_app


def test_officer_pages_render_the_scheme_and_a_statement(world, make_user, login_as):
    member = world.member()
    world.attend(world.meeting(), member)
    client = login_as(make_user(world.org, "staff"))
    index = client.get(f"/o/{world.org.slug}/plugins/reward_points/?year=2025-26")
    html = index.get_data(as_text=True)
    assert index.status_code == 200
    assert "<caption" in html and "Customer scrutiny panel" in html and "Pat Resident" in html
    statement = client.get(f"/o/{world.org.slug}/plugins/reward_points/members/{member['id']}")
    page = statement.get_data(as_text=True)
    assert statement.status_code == 200 and "Points statement: Pat Resident" in page and "£5.00" in page
    viewer = login_as(make_user(world.org, "viewer"))
    assert viewer.get(f"/o/{world.org.slug}/plugins/reward_points/").status_code == 403
