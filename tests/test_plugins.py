"""The plugin contract: loading, allowlist, per-organisation enablement and dispatch, naming rules."""

import sys
import types

import pytest

from core import hookimpl
from core.app import create_app
from core.periods import Period
from core.plugins import PluginError, PluginRegistry
from core.testing import base_config
from tests import example_plugin


def test_installed_plugin_is_loaded_with_its_metadata(app):
    info = app.extensions["involve"].plugins.get("example")
    assert info.title == "Example notes"
    assert info.settings_schema is not None
    assert info.migrations_dir is not None and info.migrations_dir.name == "versions"
    assert {bp.name for bp in info.blueprints} == {
        "plugin_example",
        "plugin_example_web",
        "plugin_example_public",
    }


def test_check_pending_passes_at_start_up(app):
    app.extensions["involve"].plugins.pm.check_pending()


def test_allowlist_limits_what_loads(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path}/a.db", PLUGINS=["example"]))
    assert app.extensions["involve"].plugins.names() == ["example"]


def test_allowed_plugin_that_is_not_installed_stops_start_up(tmp_path):
    with pytest.raises(PluginError, match="not installed"):
        create_app(base_config(f"sqlite:///{tmp_path}/a.db", PLUGINS=["example", "ghost"]))


def test_allowed_plugin_that_fails_to_import_stops_start_up():
    with pytest.raises(PluginError, match="failed to import"):
        PluginRegistry([], {"broken": "tests.no_such_module"})


def test_bad_plugin_names_are_refused():
    with pytest.raises(PluginError, match="lowercase"):
        PluginRegistry([], {"Bad-Name": "tests.example_plugin"})


def _fake_plugin_module(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = __file__
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    sys.modules[name] = module
    return module


def test_blueprint_must_be_named_after_the_plugin(tmp_path):
    from flask import Blueprint

    _fake_plugin_module("tests._badbp", register_blueprints=lambda app: [Blueprint("oops", __name__)])
    with pytest.raises(PluginError, match="plugin_badbp"):
        create_app(base_config(f"sqlite:///{tmp_path}/a.db", PLUGIN_MODULES={"badbp": "tests._badbp"}))


def test_kpi_codes_must_be_prefixed(tmp_path):
    from core.kpis import KPI

    _fake_plugin_module(
        "tests._badkpi", register_kpis=lambda: [KPI("members", "Members", "count", compute=lambda period: 1)]
    )
    with pytest.raises(ValueError, match="badkpi_"):
        create_app(base_config(f"sqlite:///{tmp_path}/a.db", PLUGIN_MODULES={"badkpi": "tests._badkpi"}))


def test_plugin_tables_must_carry_the_plugin_prefix():
    from core.app import _check_plugin_tables

    registry = PluginRegistry([], {"examples": "tests.example_plugin"})  # table is example_notes
    with pytest.raises(PluginError, match="examples_"):
        _check_plugin_tables(registry)


def test_disabled_plugin_routes_answer_404(make_org, make_user, api_client, client, login_as):
    on, off = make_org(plugins=["example"]), make_org()
    user = make_user(memberships={on: "staff", off: "staff"})
    api = api_client(user)
    assert api.get(f"/api/v1/orgs/{on.slug}/plugins/example/notes").status_code == 200
    assert api.get(f"/api/v1/orgs/{off.slug}/plugins/example/notes").status_code == 404
    login_as(user)
    assert client.get(f"/o/{on.slug}/plugins/example/").status_code == 200
    assert client.get(f"/o/{off.slug}/plugins/example/").status_code == 404


def test_disabling_keeps_data_and_hides_routes(make_org, make_user, api_client):
    org = make_org(plugins=["example"])
    admin = make_user(org, "org_admin")
    api = api_client(admin)
    api.post(f"/api/v1/orgs/{org.slug}/plugins/example/notes", json={"body": "kept"})
    assert api.put(f"/api/v1/orgs/{org.slug}/plugins/example", json={"enabled": False}).status_code == 200
    assert api.get(f"/api/v1/orgs/{org.slug}/plugins/example/notes").status_code == 404
    assert ("on_plugin_disabled", org.id) in example_plugin.calls
    api.put(f"/api/v1/orgs/{org.slug}/plugins/example", json={"enabled": True})
    bodies = [
        n["body"] for n in api.get(f"/api/v1/orgs/{org.slug}/plugins/example/notes").get_json()["items"]
    ]
    assert bodies == ["Welcome", "kept"]  # re-enabling did not add a second welcome note


def test_organisation_hooks_reach_only_enabled_plugins(app, make_org, register_plugin):
    on, off = make_org(plugins=["example"]), make_org()
    registry = app.extensions["involve"].plugins
    example_plugin.calls.clear()
    for org in (on, off):
        registry.hook_for(org.id, "tpl_org_home")(organisation=org, user=None)
    assert example_plugin.calls == [("tpl_org_home", on.id)]


def test_a_registered_test_plugin_is_dispatched_only_where_enabled(app, make_org, register_plugin):
    seen = []

    class Listener:
        @hookimpl
        def tpl_org_home(self, organisation):
            seen.append(organisation.slug)
            return "<p>listener</p>"

    register_plugin(Listener(), "listener")
    on, off = make_org(plugins=["listener"]), make_org()
    registry = app.extensions["involve"].plugins
    for org in (on, off):
        registry.hook_for(org.id, "tpl_org_home")(organisation=org, user=None)
    assert seen == [on.slug]


def test_kpis_and_report_sections_follow_enablement(app, make_org, db_session):
    """What ``register_kpis`` and ``register_report_sections`` add is offered only where the plugin is on."""
    on, off = make_org(plugins=["example"]), make_org()
    state = app.extensions["involve"]
    assert "example_notes" in {k.code for k in state.kpis.for_organisation(on.id)}
    assert "example_notes" not in {k.code for k in state.kpis.for_organisation(off.id)}
    assert state.kpis.compute(on.id, Period.parse("2025-26"))["example_notes"] == 1  # the welcome note
    core_sections = ["achieved", "involved", "cost", "outcomes", "kpis"]
    with_plugin = [*core_sections[:4], "example_notes", "kpis"]
    assert [s.key for s in state.reports.for_organisation(on.id)] == with_plugin
    assert [s.key for s in state.reports.for_organisation(off.id)] == core_sections
    section = state.reports.sections["example_notes"]
    from core.tenancy import organisation_scope

    with organisation_scope(on.id):
        assert section.build(Period.parse("2025-26"))["notes"] == 1


def test_plugin_navigation_and_home_panel_render(make_org, make_user, client, login_as):
    """The ``tpl_org_navigation`` links and the ``tpl_org_home`` panel appear on the organisation's pages."""
    on = make_org(name="Panel Homes", plugins=["example"])
    user = make_user(on, "viewer")
    login_as(user)
    page = client.get(f"/o/{on.slug}/").get_data(as_text=True)
    assert 'id="example-panel"' in page and "Notes for Panel Homes" in page
    assert f'href="/o/{on.slug}/plugins/example/"' in page
    assert "Example notes" in page


def test_a_public_page_needs_no_sign_in_but_the_plugin_enabled(make_org, client, db_session):
    from core.tenancy import organisation_scope
    from tests.example_plugin.models import ExampleNote

    on = make_org(plugins=["example"])
    off = make_org()
    with organisation_scope(on.id):
        note = ExampleNote(body="Walkabout on Tuesday")
        db_session.add(note)
        db_session.flush()
        note_id = note.id
    db_session.commit()
    page = client.get(f"/p/{on.slug}/example/notes/{note_id}")
    assert page.status_code == 200 and "Walkabout on Tuesday" in page.get_data(as_text=True)
    assert client.get(f"/p/{off.slug}/example/notes/{note_id}").status_code == 404
    assert client.get(f"/p/no-such-org/example/notes/{note_id}").status_code == 404
    suspended = make_org(status="suspended", plugins=["example"])
    assert client.get(f"/p/{suspended.slug}/example/notes/{note_id}").status_code == 404


def test_a_public_blueprint_that_takes_posts_is_refused(tmp_path):
    from flask import Blueprint

    def blueprints(app):
        bp = Blueprint("plugin_posting_public", __name__)
        bp.add_url_rule("/x", "x", lambda: "", methods=["POST"])
        return [bp]

    _fake_plugin_module("tests._posting", register_blueprints=blueprints)
    with pytest.raises(PluginError, match="read-only"):
        create_app(base_config(f"sqlite:///{tmp_path}/a.db", PLUGIN_MODULES={"posting": "tests._posting"}))


def test_on_action_item_changed_reaches_enabled_plugins_on_update_and_delete(make_org, make_user, api_client):
    on, off = make_org(plugins=["example"]), make_org()
    example_plugin.calls.clear()
    for org in (on, off):
        api = api_client(make_user(org, "staff"))
        base = f"/api/v1/orgs/{org.slug}/action-plans"
        plan = api.post(base, json={"title": "Plan", "period": "2025-26"}).get_json()
        item = api.post(f"{base}/{plan['id']}/items", json={"title": "X", "due_on": "2026-01-31"}).get_json()
        assert (
            api.patch(f"{base}/{plan['id']}/items/{item['id']}", json={"status": "dropped"}).status_code
            == 200
        )
        assert api.delete(f"{base}/{plan['id']}/items/{item['id']}").status_code == 204
        if org is on:
            seen = item["id"]
    assert [c for c in example_plugin.calls if c[0].startswith("on_action_item_changed")] == [
        ("on_action_item_changed:updated", seen),
        ("on_action_item_changed:deleted", seen),
    ]
