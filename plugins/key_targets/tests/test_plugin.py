"""The plugin contract: settings validated by orgs sync and the API, disabling and re-enabling,
permissions, other organisations' records, the report section, the web pages and the demo."""

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.tenancy import organisation_scope
from plugins.key_targets.models import Phase, Strand, Target
from plugins.key_targets.settings import KeyTargetsSettings
from plugins.key_targets.tests.conftest import SETTINGS

GLOUCESTER = Path(__file__).resolve().parents[3] / "tenants_config" / "gloucester-city-homes.toml"


def test_the_gloucester_settings_load_and_empty_settings_have_defaults():
    block = tomllib.loads(GLOUCESTER.read_text())["plugins"]["key_targets"]["settings"]
    loaded = KeyTargetsSettings().load(block)
    assert loaded["strand_growth_target_percent"] == 10 and len(loaded["strands"]) == 18
    assert KeyTargetsSettings().load(loaded) == loaded  # core stores the loaded values and loads them again
    defaults = KeyTargetsSettings().load({})
    assert defaults["mystery_shopping_channels"] == ["phone", "visit", "email", "web"]
    assert defaults["relet_standard_checklist"] == [] and defaults["strands"] == []


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ({"strand_growth_target_percent": -5}, "settings.strand_growth_target_percent"),
        ({"plan_monitoring_start": "1 October 2005"}, "settings.plan_monitoring_start"),
        ({"mystery_shopping_channels": ["fax"]}, "settings.mystery_shopping_channels.0"),
        ({"strands": [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]}, "settings.strands"),
        ({"colour": "red"}, "settings.colour"),
    ],
)
def test_a_bad_setting_is_refused_naming_the_key(org, make_user, api_client, settings, key):
    admin = api_client(make_user(org, "org_admin"))
    refused = admin.put(
        f"/api/v1/orgs/{org.slug}/plugins/key_targets", json={"enabled": True, "settings": settings}
    )
    assert refused.status_code == 422
    assert key in refused.get_json()["error"]["fields"]


def test_orgs_sync_refuses_a_bad_setting_naming_the_key(app, db_session, tmp_path):
    from core.services.orgsync import sync

    text = GLOUCESTER.read_text().replace(
        "strand_growth_target_percent = 10", 'strand_growth_target_percent = "ten"'
    )
    (tmp_path / "gloucester-city-homes.toml").write_text(text)
    report = sync(tmp_path, app.extensions["involve"].plugins, dry_run=True)
    assert any("plugins.key_targets.settings.strand_growth_target_percent" in e for e in report.errors), (
        report.errors
    )


def test_disabling_hides_the_routes_and_enabling_again_brings_the_data_back(
    org, api, url, make_user, api_client, make_target
):
    target = make_target(progress="Started")
    admin = api_client(make_user(org, "org_admin"))
    plugin = f"/api/v1/orgs/{org.slug}/plugins/key_targets"
    assert admin.put(plugin, json={"enabled": False, "settings": SETTINGS}).status_code == 200
    assert api.get(url(f"targets/{target['id']}")).status_code == 404
    assert api.get(url("strands")).status_code == 404
    kpis = api.get(f"/api/v1/orgs/{org.slug}/kpis", query_string={"period": "2025-26"}).get_json()["kpis"]
    assert not any(k["code"].startswith("key_targets_") for k in kpis)
    assert admin.put(plugin, json={"enabled": True, "settings": SETTINGS}).status_code == 200
    back = api.get(url(f"targets/{target['id']}")).get_json()
    assert back["action"] == target["action"] and back["progress"][0]["note"] == "Started"


def test_a_viewer_reads_but_does_not_write(org, url, make_user, api_client, phase):
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(url("phases")).status_code == 200
    refused = viewer.post(
        url("phases"), json={"title": "Y2", "starts_on": "2007-04-01", "ends_on": "2008-03-31"}
    )
    assert refused.status_code == 403


def test_another_organisations_records_are_not_found(
    org, api, url, make_org, make_user, api_client, make_target
):
    target = make_target()
    strand = api.get(url("strands")).get_json()["items"][0]
    other = make_org("bravo-glos", plugins={"key_targets": SETTINGS})
    intruder = api_client(make_user(other, "org_admin"))
    for path in (f"targets/{target['id']}", f"strands/{strand['id']}", f"targets/{target['id']}/progress"):
        assert intruder.get(url(path, slug=other.slug)).status_code == 404
        assert intruder.get(url(path)).status_code == 404  # not a member of org
    refused = intruder.post(
        url("targets", slug=other.slug),
        json={"phase_id": target["phase_id"], "reference": "1", "action": "x", "deadlines": ["2020-01-01"]},
    )
    assert refused.status_code == 422 and "phase_id" in refused.get_json()["error"]["fields"]
    deadline = target["deadlines"][0]["id"]
    assert (
        intruder.patch(
            url(f"targets/{target['id']}/deadlines/{deadline}", slug=other.slug), json={"met_on": None}
        ).status_code
        == 404
    )


def test_the_report_section_lists_strands_and_the_plan(org, api, url, make_target):
    make_target(status="done")
    make_target(reference="2", deadlines=["2006-09-30"])
    from flask import current_app

    from core.periods import Period

    section = current_app.extensions["involve"].reports.sections["key_targets"]
    with organisation_scope(org.id):
        content = section.build(Period.parse("2006-07"))
    tables = {t["key"]: t for t in content["tables"]}
    assert tables["key_targets_plan"]["rows"] == [["Year 1", 2, 1, 1]]
    assert [row[0] for row in tables["key_targets_strand_growth"]["rows"]] == ["Board", "Customer Forum"]
    assert all(t["summary"] for t in content["tables"])
    overdue = next(f for f in content["figures"] if f["label"] == "Key targets overdue")
    assert overdue["value"] == 1


def test_the_officers_pages(org, staff, client, login_as, make_target):
    target = make_target(progress="Venue booked")
    login_as(staff)
    home = client.get(f"/o/{org.slug}/plugins/key_targets/")
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert "<caption" in page and "Customer Forum" in page and "Hold a conference" in page  # overdue list
    plan = client.get(f"/o/{org.slug}/plugins/key_targets/plan").get_data(as_text=True)
    assert "Year 1" in plan and "Overdue" in plan
    detail = client.get(f"/o/{org.slug}/plugins/key_targets/targets/{target['id']}").get_data(as_text=True)
    assert "Venue booked" in detail and "Progress log" in detail


def test_demo_data_is_realistic_and_loaded_once(app, org):
    from core.demo import load_plugin_demo_data
    from core.demo_data import load_demo_records

    load_demo_records(org)
    load_plugin_demo_data(org)
    with organisation_scope(org.id):
        targets = db.session.scalar(select(func.count(Target.id)))
        phases = db.session.scalar(select(func.count(Phase.id)))
        strands = db.session.scalar(select(func.count(Strand.id)))
    load_plugin_demo_data(org)
    with organisation_scope(org.id):
        assert db.session.scalar(select(func.count(Target.id))) == targets
    assert phases == 4 and targets >= 47 and strands == 2  # the seed's four phases, moved to the demo year


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    prefix = "/api/v1/orgs/{slug}/plugins/key_targets"
    for path in (
        "/strands/growth",
        "/targets/import",
        "/targets/{kt_target_id}/progress",
        "/mystery-shopping/trend",
    ):
        assert prefix + path in paths, path


def test_the_group_comparison_computes_the_plugins_kpis_for_each_partner(make_org):
    """A group reads each partner through a read-only scope; the KPIs read that partner's settings."""
    from core.periods import Period
    from core.services.comparison import compare

    group = make_org("kt-group", kind="group")
    for slug in ("kt-partner-a", "kt-partner-b"):
        make_org(slug, parent=group, plugins={"key_targets": SETTINGS})
    result = compare(group, Period.parse("2025-26"), actor_id=None)
    codes = {k["code"] for k in result["kpis"]}
    assert "key_targets_strands_meeting_growth" in codes
    assert all("key_targets_strand_participants" in p["kpis"] for p in result["partners"])
