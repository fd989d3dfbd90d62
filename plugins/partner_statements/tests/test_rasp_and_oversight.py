"""RASP nominations (only a name and partner cross to the group, with consent), the group oversight
dashboard with the 250-homes rule, its CSV and HTML, settings, KPIs and the report section."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Body, BodyMembership, CrossOrgRead, EqualityMonitoring, Participant
from core.tenancy import organisation_scope
from plugins.partner_statements.models import RaspMember
from plugins.partner_statements.tests.conftest import PLUGIN, publish_statement, url

YEAR = "2025-26"
TODAY = date.today()


@pytest.fixture
def resident(db_session, partner):
    with organisation_scope(partner.id):
        person = Participant(
            first_name="Amira",
            last_name="Okafor",
            email="amira.private@example.org",
            phone="07700 900123",
            access_needs=["hearing_loop"],
            contact_consent=True,
        )
        db_session.add(person)
        db_session.flush()
        db_session.add(
            EqualityMonitoring(participant_id=person.id, age_band="35_44", ethnicity="prefer_not_to_say")
        )
        person_id = person.id
    db_session.commit()
    return person_id


def nominate(api, org, person_id, **changes):
    return api.post(
        url(org, "rasp/nominations"),
        json={
            "participant_id": person_id,
            "consent_given": True,
            "consent_given_on": (TODAY - timedelta(days=2)).isoformat(),
            "consent_method": "written",
            **changes,
        },
    )


def test_rule_rasp_nomination_needs_the_residents_recorded_consent(partner, partner_api, resident):
    refused = nominate(partner_api, partner, resident, consent_given=False)
    assert refused.status_code == 409 and "consent" in refused.get_json()["error"]["message"]
    missing = partner_api.post(url(partner, "rasp/nominations"), json={"participant_id": resident})
    assert missing.status_code == 422
    assert {"consent_given", "consent_given_on", "consent_method"} <= set(
        missing.get_json()["error"]["fields"]
    )


def test_rasp_panel_holds_only_the_nominees_name_and_partner(
    group, partner, partner_api, group_api, resident
):
    made = nominate(partner_api, partner, resident)
    assert made.status_code == 201, made.get_json()
    assert nominate(partner_api, partner, resident).status_code == 409  # already on the panel
    panel = group_api.get(url(group, "group/rasp"))
    assert panel.status_code == 200
    [member] = panel.get_json()["items"]
    assert member["display_name"] == "Amira Okafor" and member["partner_name"] == "North Homes"
    text = panel.get_data(as_text=True)
    for private in ("amira.private@example.org", "07700 900123", "hearing_loop", "35_44", "participant_id"):
        assert private not in text
    # The group's table itself has no column for anything else.
    assert {c.name for c in RaspMember.__table__.columns} == {
        "id",
        "organisation_id",
        "partner_id",
        "nomination_ref",
        "display_name",
        "joined_on",
        "created_at",
    }
    with organisation_scope(group.id):
        row = db.session.scalar(select(RaspMember))
        assert row.organisation_id == group.id and row.partner_id == partner.id


def test_withdrawing_consent_removes_the_name_from_the_group(
    group, partner, partner_api, group_api, resident
):
    nomination = nominate(partner_api, partner, resident, display_name="Amira O.").get_json()
    assert group_api.get(url(group, "group/rasp")).get_json()["total"] == 1
    withdrawn = partner_api.post(url(partner, f"rasp/nominations/{nomination['id']}/withdraw"))
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert group_api.get(url(group, "group/rasp")).get_json()["total"] == 0
    assert partner_api.post(url(partner, f"rasp/nominations/{nomination['id']}/withdraw")).status_code == 409


def test_erasing_a_nominee_removes_them_from_the_panel(
    group, partner, partner_api, group_api, resident, make_user, api_client
):
    nominate(partner_api, partner, resident)
    erased = partner_api.post(f"/api/v1/orgs/{partner.slug}/participants/{resident}/erase")
    assert erased.status_code in (200, 204), erased.get_json()
    assert group_api.get(url(group, "group/rasp")).get_json()["total"] == 0


def test_a_landlord_outside_a_group_cannot_nominate(make_org, make_user, api_client, db_session):
    lone = make_org("lone-homes", plugins={PLUGIN: {}})
    api = api_client(make_user(lone, "staff"))
    with organisation_scope(lone.id):
        person = Participant(first_name="A", last_name="B")
        db_session.add(person)
        db_session.flush()
        person_id = person.id
    db_session.commit()
    assert nominate(api, lone, person_id).status_code == 409


def _board(db_session, partner, residents: int):
    with organisation_scope(partner.id):
        board = Body(name="Board", kind="board", decision_making=True)
        db_session.add(board)
        db_session.flush()
        for n in range(residents):
            person = Participant(first_name=f"R{n}", last_name="Board")
            db_session.add(person)
            db_session.flush()
            db_session.add(
                BodyMembership(
                    body_id=board.id,
                    participant_id=person.id,
                    seat_type="resident",
                    starts_on=TODAY - timedelta(days=9),
                )
            )
        db_session.add(
            BodyMembership(
                body_id=board.id, external_name="Independent", seat_type="independent", starts_on=TODAY
            )
        )
    db_session.commit()


def test_rule_partner_owning_250_homes_needs_a_resident_board_member(group, make_org, group_api, db_session):
    big = make_org(
        "big-homes", name="Big Homes", parent=group, settings={"homes_owned": 300}, plugins={PLUGIN: {}}
    )
    small = make_org(
        "small-homes", name="Small Homes", parent=group, settings={"homes_owned": 120}, plugins={PLUGIN: {}}
    )
    _board(db_session, big, residents=0)
    period = f"period={YEAR}"
    board = group_api.get(url(group, f"group/oversight?{period}")).get_json()
    rows = {p["slug"]: p for p in board["partners"]}
    assert rows["big-homes"]["board"]["applies"] is True and rows["big-homes"]["board"]["met"] is False
    assert rows["small-homes"]["board"]["applies"] is False
    assert [f["partner"] for f in board["flags"] if f["rule"] == "resident_board_member"] == ["Big Homes"]
    _board(db_session, big, residents=1)
    board = group_api.get(url(group, f"group/oversight?{period}")).get_json()
    assert not [f for f in board["flags"] if f["rule"] == "resident_board_member"]
    assert {p["slug"]: p for p in board["partners"]}["big-homes"]["board"]["met"] is True
    assert small.id  # used


def test_oversight_dashboard_ranks_partners_and_exports_for_the_policy_forum(
    group, partner, other_partner, partner_api, group_api, make_user, api_client, db_session
):
    publish_statement(partner_api, partner)
    for key in ("how_to_get_involved", "how_concerns_are_handled"):
        partner_api.post(
            url(partner, "standard/assessments"),
            json={"period": YEAR, "commitment_key": key, "rating": "met"},
        )
    other = api_client(make_user(other_partner, "staff"))
    other.post(
        url(other_partner, "standard/assessments"),
        json={
            "period": YEAR,
            "commitment_key": "how_to_get_involved",
            "rating": "not_met",
            "evidence": "No leaflet",
        },
    )
    partner_api.post(url(partner, "budgets"), json={"period": YEAR, "amount_pence": 500000})
    reads_before = db.session.scalar(select(db.func.count(CrossOrgRead.id)))
    response = group_api.get(url(group, f"group/oversight?period={YEAR}"))
    assert response.status_code == 200
    board = response.get_json()
    assert db.session.scalar(select(db.func.count(CrossOrgRead.id))) > reads_before  # audited
    assert [p["slug"] for p in board["partners"]] == ["north-homes", "south-homes"]
    assert [p["rank"] for p in board["partners"]] == [1, 2]
    north = board["partners"][0]
    assert north["statement"]["current_version"] == 1
    assert north["standard"]["met"] == 2 and north["contact_role"] == "Tenant Participation Officer"
    assert north["budget"]["budget_pence"] == 500000
    assert set(north["lpis"]) == {
        "involved_total",
        "involved_formal",
        "satisfied_opportunities",
        "training_sessions",
        "spend_per_household",
    }
    assert north["impact_assessment"]["status"] == "not_started"
    csv = group_api.get(url(group, f"group/oversight.csv?period={YEAR}"))
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("rank,partner,involvement contact")
    assert lines[1].startswith("1,North Homes,Tenant Participation Officer,1,")
    assert "No leaflet" not in csv.get_data(as_text=True)
    indicators = group_api.get(url(group, f"group/rasp/indicators?period={YEAR}")).get_json()
    assert [p["name"] for p in indicators["partners"]] == ["North Homes", "South Homes"]


def test_group_dashboard_page_is_accessible_html(group, partner, make_user, client, login_as):
    login_as(make_user(group, "staff"))
    page = client.get(f"/o/{group.slug}/plugins/partner_statements/?period={YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<caption" in html and "North Homes" in html and "Download CSV" in html
    assert page.get_data(as_text=True).count("<h1") == 1


def test_partner_page_shows_statement_standard_and_plans(partner, make_user, client, login_as, partner_api):
    publish_statement(partner_api, partner)
    login_as(make_user(partner, "viewer"))
    page = client.get(f"/o/{partner.slug}/plugins/partner_statements/?period={YEAR}")
    assert page.status_code == 200
    assert "Customer First Standard" in page.get_data(as_text=True)


def test_group_reviews_a_published_impact_assessment(group, partner, group_api, db_session):
    refused = group_api.post(
        url(group, "group/reviews"), json={"partner_id": partner.id, "period": YEAR, "outcome": "accepted"}
    )
    assert refused.status_code == 409
    from core.models import ImpactAssessment
    from core.models.base import utcnow

    with organisation_scope(partner.id):
        db_session.add(ImpactAssessment(period=YEAR, title="IA", status="published", published_at=utcnow()))
    db_session.commit()
    vague = group_api.post(
        url(group, "group/reviews"),
        json={"partner_id": partner.id, "period": YEAR, "outcome": "changes_requested"},
    )
    assert vague.status_code == 422 and "comments" in vague.get_json()["error"]["fields"]
    done = group_api.post(
        url(group, "group/reviews"), json={"partner_id": partner.id, "period": YEAR, "outcome": "accepted"}
    )
    assert done.status_code == 201
    board = group_api.get(url(group, f"group/oversight?period={YEAR}")).get_json()
    assert board["partners"][0]["impact_assessment"]["status"] == "published"
    assert board["partners"][0]["review"]["outcome"] == "accepted"
    outsider = group_api.post(
        url(group, "group/reviews"), json={"partner_id": group.id, "period": YEAR, "outcome": "accepted"}
    )
    assert outsider.status_code == 422


def test_settings_bad_values_are_refused_naming_the_key(app, group, partner, make_user, api_client):
    admin = api_client(make_user(group, "org_admin"))
    bad = admin.put(
        f"/api/v1/orgs/{group.slug}/plugins/{PLUGIN}",
        json={
            "enabled": True,
            "settings": {"resident_board_member_threshold_homes": 0, "lpis": ["nonsense"]},
        },
    )
    assert bad.status_code == 422
    fields = bad.get_json()["error"]["fields"]
    assert "settings.resident_board_member_threshold_homes" in fields and "settings.lpis.0" in fields
    no_consent = admin.put(
        f"/api/v1/orgs/{group.slug}/plugins/{PLUGIN}",
        json={"enabled": True, "settings": {"rasp_requires_consent": False}},
    )
    assert (
        no_consent.status_code == 422
        and "settings.rasp_requires_consent" in no_consent.get_json()["error"]["fields"]
    )
    partner_admin = api_client(make_user(partner, "org_admin"))
    own_standard = partner_admin.put(
        f"/api/v1/orgs/{partner.slug}/plugins/{PLUGIN}",
        json={
            "enabled": True,
            "settings": {"customer_first_commitments": [{"ref": "1", "key": "mine", "title": "Mine"}]},
        },
    )
    assert own_standard.status_code == 422
    assert "settings.customer_first_commitments" in own_standard.get_json()["error"]["fields"]


def test_every_tenants_config_file_of_the_group_loads(app):
    import tomllib
    from pathlib import Path

    info = app.extensions["involve"].plugins.get(PLUGIN)
    files = [p for p in Path("tenants_config").glob("*.toml") if "circle-anglia" in p.read_text()]
    assert len(files) == 11
    for path in files:
        raw = tomllib.loads(path.read_text())
        settings = info.load_settings(raw["plugins"][PLUGIN]["settings"])
        assert settings["involvement_contact_role"]
    group_settings = info.load_settings(
        tomllib.loads(Path("tenants_config/circle-anglia.toml").read_text())["plugins"][PLUGIN]["settings"]
    )
    assert [c["ref"] for c in group_settings["customer_first_commitments"]] == [
        f"11.{n}" for n in range(1, 8)
    ]


def test_disabling_then_re_enabling_keeps_the_data(partner, partner_api, make_user, api_client):
    publish_statement(partner_api, partner)
    admin = api_client(make_user(partner, "org_admin"))
    assert (
        admin.put(
            f"/api/v1/orgs/{partner.slug}/plugins/{PLUGIN}", json={"enabled": False, "settings": {}}
        ).status_code
        == 200
    )
    assert partner_api.get(url(partner, "statements")).status_code == 404
    assert (
        admin.put(
            f"/api/v1/orgs/{partner.slug}/plugins/{PLUGIN}", json={"enabled": True, "settings": {}}
        ).status_code
        == 200
    )
    assert partner_api.get(url(partner, "statements")).get_json()["total"] == 1


def test_kpis_and_report_section(app, partner, partner_api, group, db_session):
    for key, rating in (("how_to_get_involved", "met"), ("how_concerns_are_handled", "not_met")):
        partner_api.post(
            url(partner, "standard/assessments"),
            json={"period": YEAR, "commitment_key": key, "rating": rating, "evidence": "e"},
        )
    kpis = {
        k["code"]: k["value"]
        for k in partner_api.get(f"/api/v1/orgs/{partner.slug}/kpis?period={YEAR}").get_json()["kpis"]
    }
    assert kpis["partner_statements_standard_met"] == 50.0
    assert kpis["partner_statements_rasp_nominees"] == 0
    from core.periods import Period
    from plugins.partner_statements.services.reporting import section

    with organisation_scope(partner.id):
        built = section(Period.parse(YEAR))
    assert "1 Customer First commitments met" in built["summary"]
    assert built["tables"][0]["rows"][0][1] == "Met"
    with organisation_scope(group.id):
        group_built = section(Period.parse(YEAR))
    assert group_built["tables"][0]["rows"][0][0] == "North Homes"
    assert group_built["tables"][0]["rows"][0][1] == 1
