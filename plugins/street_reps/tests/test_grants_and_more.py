"""Grants to residents' groups, the overdue-monitoring job, settings, enabling, the panel, inspectors,
Trust membership, the quarterly Board PIs and the report section."""

from datetime import date

import pytest
from sqlalchemy import select

from core.tenancy import organisation_scope
from plugins.street_reps.tests.conftest import url


def core(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


@pytest.fixture
def group(api, org):
    return api.post(
        core(org, "bodies"),
        json={"name": "Castlefields Residents' Association", "kind": "residents_association"},
    ).get_json()


def apply(api, org, group, grant_type="start_up", **fields):
    return api.post(
        url(org, "grants"),
        json={
            "body_id": group["id"],
            "grant_type": grant_type,
            "purpose": "Set up the association",
            "requested_pence": 25000,
            "applied_on": "2025-05-01",
            **fields,
        },
    )


def test_grant_from_application_to_payment_as_core_spend(api, org, group):
    grant = apply(api, org, group).get_json()
    assert grant["status"] == "applied"
    assert (
        api.post(url(org, f"grants/{grant['id']}/payment"), json={"paid_on": "2025-06-01"}).status_code == 409
    )
    too_much = api.post(
        url(org, f"grants/{grant['id']}/decision"),
        json={"decision": "award", "assessment": "ok", "awarded_pence": 30000},
    )
    assert too_much.status_code == 422 and "awarded_pence" in too_much.get_json()["error"]["fields"]
    awarded = api.post(
        url(org, f"grants/{grant['id']}/decision"),
        json={
            "decision": "award",
            "assessment": "Constitution in order",
            "awarded_pence": 20000,
            "decided_on": "2025-05-20",
        },
    ).get_json()
    assert awarded["status"] == "awarded" and awarded["monitoring_due_on"] == "2026-05-20"
    paid = api.post(url(org, f"grants/{grant['id']}/payment"), json={"paid_on": "2025-06-01"}).get_json()
    spend = api.get(core(org, f"spend/{paid['spend_id']}")).get_json()
    assert spend["category"] == "grants" and spend["amount_pence"] == 20000
    kpis = {k["code"]: k["value"] for k in api.get(core(org, "kpis?period=2025-26")).get_json()["kpis"]}
    assert kpis["street_reps_grants_paid"] == 20000


def test_rule_start_up_grant_only_once_per_group(api, org, group):
    first = apply(api, org, group)
    assert first.status_code == 201
    refused = apply(api, org, group)
    assert refused.status_code == 409 and "only once" in refused.get_json()["error"]["message"]
    assert apply(api, org, group, grant_type="annual").status_code == 201
    # A refused start-up application frees the group to apply again.
    api.post(
        url(org, f"grants/{first.get_json()['id']}/decision"),
        json={"decision": "refuse", "assessment": "No constitution"},
    )
    assert apply(api, org, group).status_code == 201


def test_the_database_refuses_a_second_start_up_grant(org, group, db_session):
    from sqlalchemy.exc import IntegrityError

    from plugins.street_reps.models import Grant

    values = {
        "body_id": group["id"],
        "start_up_body_id": group["id"],
        "grant_type": "start_up",
        "purpose": "x",
        "requested_pence": 1,
        "applied_on": date(2025, 5, 1),
    }
    with organisation_scope(org.id):
        db_session.add(Grant(**values))
        db_session.flush()
        with pytest.raises(IntegrityError), db_session.begin_nested():
            db_session.add(Grant(**values))


def test_grants_are_for_residents_groups_of_the_offered_types(api, org, make_org, make_user, api_client):
    board = api.post(core(org, "bodies"), json={"name": "Board", "kind": "board"}).get_json()
    refused = apply(api, org, board)
    assert refused.status_code == 422 and "body_id" in refused.get_json()["error"]["fields"]
    limited = make_org("annual-only", plugins={"street_reps": {"grant_types": ["annual"]}})
    client = api_client(make_user(limited, "staff"))
    ra = client.post(core(limited, "bodies"), json={"name": "RA", "kind": "residents_association"}).get_json()
    response = apply(client, limited, ra)
    assert response.status_code == 422 and "grant_type" in response.get_json()["error"]["fields"]


def test_daily_job_flags_overdue_monitoring_returns_once(app, api, org, group, db_session):
    from core.jobs import run_job
    from core.models import Notification

    grant = apply(api, org, group).get_json()
    api.post(
        url(org, f"grants/{grant['id']}/decision"),
        json={"decision": "award", "assessment": "ok", "awarded_pence": 100, "decided_on": "2025-05-20"},
    )
    assert run_job("street_reps.flag_overdue_monitoring", org.id, {"today": "2026-05-21"}) == 1
    assert run_job("street_reps.flag_overdue_monitoring", org.id, {"today": "2026-05-22"}) == 0
    with organisation_scope(org.id):
        subjects = db_session.scalars(select(Notification.subject)).all()
    assert subjects == ["Grant monitoring return overdue: Castlefields Residents' Association"]
    assert api.get(url(org, "grants?monitoring_overdue=true")).get_json()["total"] == 1


def test_job_refuses_when_the_plugin_is_disabled(make_org):
    from core.jobs import JobRefused, run_job

    other = make_org("no-grants")
    with pytest.raises(JobRefused):
        run_job("street_reps.flag_overdue_monitoring", other.id, {})


# -- settings and enabling -----------------------------------------------------------------


def test_settings_defaults_and_a_bad_value_named(api, org, make_user, api_client):
    from plugins.street_reps.schemas.settings import load_settings

    defaults = load_settings({})
    assert defaults["max_tenancy_holders_per_rep"] == 30 and defaults["board_reserved_seats_denominator"] == 3
    admin = api_client(make_user(org, "org_admin"))
    response = admin.put(
        f"/api/v1/orgs/{org.slug}/plugins/street_reps",
        json={"enabled": True, "settings": {"max_tenancy_holders_per_rep": 0}},
    )
    assert response.status_code == 422
    assert any("max_tenancy_holders_per_rep" in key for key in response.get_json()["error"]["fields"])
    response = admin.put(
        f"/api/v1/orgs/{org.slug}/plugins/street_reps",
        json={"enabled": True, "settings": {"board_reserved_seats_numerator": 4}},
    )
    assert response.status_code == 422


def test_halton_tenants_config_loads():
    import tomllib
    from pathlib import Path

    from plugins.street_reps.schemas.settings import load_settings

    config = tomllib.loads((Path(__file__).parents[3] / "tenants_config" / "halton.toml").read_text())
    settings = load_settings(config["plugins"]["street_reps"]["settings"])
    assert settings["max_tenancy_holders_per_rep"] == 30 and settings["customer_forum_meetings_per_year"] == 6


def test_disabling_hides_routes_and_re_enabling_keeps_data(api, org, estate, make_user, api_client):
    from plugins.street_reps.tests.conftest import appoint

    rep = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:3]).get_json()
    admin = api_client(make_user(org, "org_admin"))
    assert (
        admin.put(f"/api/v1/orgs/{org.slug}/plugins/street_reps", json={"enabled": False}).status_code == 200
    )
    assert api.get(url(org, f"reps/{rep['id']}")).status_code == 404
    assert api.get(url(org, "coverage")).status_code == 404
    codes = {k["code"] for k in api.get(core(org, "kpis?period=2025-26")).get_json()["kpis"]}
    assert "street_reps_coverage" not in codes
    assert (
        admin.put(f"/api/v1/orgs/{org.slug}/plugins/street_reps", json={"enabled": True}).status_code == 200
    )
    back = api.get(url(org, f"reps/{rep['id']}")).get_json()
    assert back["households"] == 3 and back["patch_name"] == rep["patch_name"]


def test_viewers_read_but_cannot_write(org, estate, make_user, api_client):
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(url(org, "reps")).status_code == 200
    from plugins.street_reps.tests.conftest import appoint

    assert appoint(viewer, org, estate["tenants"][0]).status_code == 403


# -- panel, inspectors, Trust membership ----------------------------------------------------


def test_panel_waves_response_rate_per_wave_and_channel(api, org, estate):
    members = []
    for n, person in enumerate(estate["tenants"]):
        members.append(
            api.post(
                url(org, "panel/members"),
                json={
                    "participant_id": person,
                    "channel": "post" if n % 2 else "phone",
                    "joined_on": "2025-04-01",
                },
            ).get_json()
        )
    refused = api.post(
        url(org, "panel/members"),
        json={"participant_id": estate["lodger"], "channel": "email", "joined_on": "2025-04-01"},
    )
    assert refused.status_code == 422 and "channel" in refused.get_json()["error"]["fields"]
    wave = api.post(
        url(org, "panel/waves"),
        json={
            "title": "Repairs",
            "topic": "housing_management",
            "sent_on": "2025-06-01",
            "closes_on": "2025-06-30",
        },
    ).get_json()
    assert wave["sent"] == 4
    for member in members[:3]:
        api.post(
            url(org, f"panel/waves/{wave['id']}/responses"),
            json={"member_id": member["id"], "responded_on": "2025-06-10"},
        )
    shown = api.get(url(org, f"panel/waves/{wave['id']}")).get_json()
    assert shown["response_rate"] == 75.0
    assert {c["channel"]: c["response_rate"] for c in shown["channels"]} == {"phone": 100.0, "post": 50.0}
    kpis = {k["code"]: k["value"] for k in api.get(core(org, "kpis?period=2025-26")).get_json()["kpis"]}
    assert kpis["street_reps_panel_response_rate"] == 75.0


def test_rule_customer_inspectors_are_trained_before_inspecting(api, org, estate):
    inspector = api.post(
        url(org, "inspectors"), json={"participant_id": estate["tenants"][0], "joined_on": "2025-04-01"}
    ).get_json()
    body = {
        "service": "Void repairs",
        "inspected_on": "2025-07-01",
        "inspector_ids": [inspector["id"]],
        "findings": "Keys returned late",
        "suggested_improvements": "Text tenants when keys are ready",
    }
    refused = api.post(url(org, "inspections"), json=body)
    assert refused.status_code == 409 and "trained" in refused.get_json()["error"]["message"]
    api.post(
        url(org, f"inspectors/{inspector['id']}/training"),
        json={"course": "Reality checking", "completed_on": "2025-06-01"},
    )
    inspection = api.post(url(org, "inspections"), json=body)
    assert inspection.status_code == 201
    accepted = api.post(
        url(org, f"inspections/{inspection.get_json()['id']}/improvement"),
        json={"title": "Texts when keys are ready", "implemented_on": "2025-09-01"},
    ).get_json()
    improvement = api.get(core(org, f"improvements/{accepted['improvement_id']}")).get_json()
    assert improvement["title"] == "Texts when keys are ready"


def test_rule_trust_membership_is_for_tenancy_holders(api, org, estate):
    refused = api.post(
        url(org, "trust-members"), json={"participant_id": estate["leaseholder"], "joined_on": "2025-04-01"}
    )
    assert refused.status_code == 409 and "hold a tenancy" in refused.get_json()["error"]["message"]
    member = api.post(
        url(org, "trust-members"), json={"participant_id": estate["tenants"][0], "joined_on": "2025-04-01"}
    ).get_json()
    agm = api.post(
        core(org, "activities"),
        json={"title": "AGM", "kind": "meeting", "status": "held", "starts_at": "2025-09-20T10:00:00+00:00"},
    ).get_json()
    attended = api.post(
        url(org, "agm/attendance"), json={"activity_id": agm["id"], "member_ids": [member["id"]]}
    )
    assert attended.get_json()["attended"] == 1
    too_many = api.post(
        url(org, "agm/votes"),
        json={"activity_id": agm["id"], "candidate": "J Smith", "votes_for": 2, "votes_against": 0},
    )
    assert too_many.status_code == 409
    vote = api.post(
        url(org, "agm/votes"),
        json={"activity_id": agm["id"], "candidate": "J Smith", "votes_for": 1, "votes_against": 0},
    ).get_json()
    assert vote["appointed"] is True


# -- quarterly PIs and the report ----------------------------------------------------------


def test_quarterly_board_pis(api, org, estate, client, login_as, make_user, db_session):
    from core.models import EqualityMonitoring

    for day in ("2025-04-10", "2025-05-10", "2025-08-10"):
        activity = api.post(
            core(org, "activities"),
            json={
                "title": "Fun day",
                "kind": "event",
                "status": "held",
                "starts_at": f"{day}T11:00:00+00:00",
            },
        ).get_json()
        for person in estate["tenants"][:2]:
            api.post(
                core(org, f"activities/{activity['id']}/participations"), json={"participant_id": person}
            )
    with organisation_scope(org.id):
        db_session.add(EqualityMonitoring(participant_id=estate["tenants"][0], age_band="35_44"))
    db_session.commit()
    report = api.get(url(org, "board-pis?period=2025-26-Q1")).get_json()
    pis = {pi["code"]: pi for pi in report["pis"]}
    assert pis["community_events"]["value"] == 2 and pis["community_events"]["previous"] == 0
    assert pis["customer_profiling"]["value"] == 50.0
    assert report["previous_period"] == "2024-25-Q4"
    refused = api.get(url(org, "board-pis?period=2025-26"))
    assert refused.status_code == 422 and "period" in refused.get_json()["error"]["fields"]
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/plugins/street_reps/board-pis?period=2025-26-Q1")
    assert page.status_code == 200 and "Community events held" in page.get_data(as_text=True)


def test_overview_page_and_report_section(api, org, estate, client, login_as, make_user):
    from plugins.street_reps.tests.conftest import appoint

    appoint(api, org, estate["tenants"][0], estate["ash_homes"][:10], patch_name="Ash Grove south")
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/plugins/street_reps/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ash Grove south" in html and "10 of 43" in html
    report = api.get(core(org, "impact-assessments/2025-26")).get_json()
    text = str(report)
    assert "street_reps_coverage_by_area" in text


def test_subject_access_and_erasure(api, org, estate, make_user, api_client):
    from plugins.street_reps.tests.conftest import appoint

    rep = appoint(
        api, org, estate["tenants"][0], appointed_on="2025-04-01", notes="Prefers evening calls"
    ).get_json()
    api.post(
        url(org, f"reps/{rep['id']}/views"),
        json={
            "topic": "community_safety",
            "summary": "Lights",
            "view": "Dark path",
            "submitted_on": "2025-05-01",
        },
    )
    admin = api_client(make_user(org, "org_admin"))
    export = admin.get(core(org, f"participants/{estate['tenants'][0]}/export")).get_json()
    assert "Prefers evening calls" in str(export) and "Dark path" in str(export)
    assert admin.post(core(org, f"participants/{estate['tenants'][0]}/erase")).status_code in (200, 204)
    after = str(admin.get(url(org, f"reps/{rep['id']}")).get_json())
    assert "Prefers evening calls" not in after


def test_grant_monitoring_reminders_reach_the_officers_who_own_grants(
    app, api, org, group, make_user, api_client
):
    from core.jobs import run_job

    grant = apply(api, org, group).get_json()
    api.post(
        url(org, f"grants/{grant['id']}/decision"),
        json={"decision": "award", "assessment": "ok", "awarded_pence": 100, "decided_on": "2025-05-20"},
    )
    assert run_job("street_reps.flag_overdue_monitoring", org.id, {"today": "2026-05-21"}) == 1
    officer, admin, viewer = make_user(org, "staff"), make_user(org, "org_admin"), make_user(org, "viewer")
    for person in (officer, admin):
        listed = api_client(person).get(f"/api/v1/orgs/{org.slug}/notifications").get_json()["items"]
        assert [n["subject"] for n in listed] == [
            "Grant monitoring return overdue: Castlefields Residents' Association"
        ]
        assert listed[0]["link"].endswith(f"/plugins/street_reps/grants/{grant['id']}")
    # Viewers cannot manage grants, so the reminder is not theirs.
    assert api_client(viewer).get(f"/api/v1/orgs/{org.slug}/notifications").get_json()["items"] == []


def test_rule_a_panel_member_cannot_leave_before_joining(api, org, estate):
    member = api.post(
        url(org, "panel/members"),
        json={"participant_id": estate["tenants"][0], "channel": "phone", "joined_on": "2025-04-01"},
    ).get_json()
    refused = api.patch(url(org, f"panel/members/{member['id']}"), json={"left_on": "2025-03-31"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"]["left_on"] == [
        "Cannot be before the member joined the panel."
    ]
    assert (
        api.patch(url(org, f"panel/members/{member['id']}"), json={"left_on": "2025-04-01"}).status_code
        == 200
    )


def test_rule_an_agm_is_a_meeting_held_on_its_uk_day(api, org, estate):
    fun_day = api.post(
        core(org, "activities"),
        json={
            "title": "Fun day",
            "kind": "event",
            "status": "held",
            "starts_at": "2025-09-20T10:00:00+00:00",
        },
    ).get_json()
    member = api.post(
        url(org, "trust-members"), json={"participant_id": estate["tenants"][0], "joined_on": "2025-09-21"}
    ).get_json()
    refused = api.post(
        url(org, "agm/attendance"), json={"activity_id": fun_day["id"], "member_ids": [member["id"]]}
    )
    assert refused.status_code == 422 and "activity_id" in refused.get_json()["error"]["fields"]
    # 23:30 UTC on 20 September is 00:30 on 21 September in the UK (BST): a Member from the 21st was there.
    agm = api.post(
        core(org, "activities"),
        json={"title": "AGM", "kind": "meeting", "status": "held", "starts_at": "2025-09-20T23:30:00+00:00"},
    ).get_json()
    attended = api.post(
        url(org, "agm/attendance"), json={"activity_id": agm["id"], "member_ids": [member["id"]]}
    )
    assert attended.status_code == 200 and attended.get_json()["attended"] == 1
