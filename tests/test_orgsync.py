"""``orgs sync``: tenants_config/ → organisations, validated whole, applied in one transaction."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.models import Organisation, OrganisationPlugin
from core.services.orgsync import sync
from core.tenancy import organisation_scope
from tests import example_plugin

REPO_CONFIG = Path(__file__).resolve().parent.parent / "tenants_config"


@pytest.fixture
def registry(app):
    return app.extensions["involve"].plugins


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(text)
    return path


def org_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Organisation))


def test_the_shipped_configuration_is_valid_and_loads_the_five_landlords(registry, db_session):
    report = sync(REPO_CONFIG, registry)
    assert report.errors == []
    slugs = set(db_session.scalars(select(Organisation.slug)))
    assert {"gentoo", "halton", "circle-anglia", "gloucester-city-homes", "boston-mayflower"} <= slugs
    group = db_session.scalar(select(Organisation).where(Organisation.slug == "circle-anglia"))
    assert group.kind == "group" and len(group.partners()) == 10
    # Every landlord's own plugin is installed and enabled with the settings from its file.
    assert not any("not installed" in w for w in report.warnings), report.warnings
    expected = {
        "gentoo": "customer_voice",
        "halton": "street_reps",
        "circle-anglia": "partner_statements",
        "wherry": "partner_statements",
        "gloucester-city-homes": "key_targets",
        "boston-mayflower": "reward_points",
    }
    for slug, plugin in expected.items():
        organisation = db_session.scalar(select(Organisation).where(Organisation.slug == slug))
        assert plugin in registry.enabled_for(organisation.id), slug


def test_a_plugin_that_is_not_installed_is_reported_and_skipped(registry, db_session, tmp_path):
    (tmp_path / "acme.toml").write_text(
        'slug = "acme"\nname = "Acme Homes"\nkind = "landlord"\n\n[plugins.not_a_plugin]\nenabled = true\n'
    )
    report = sync(tmp_path, registry)
    assert report.errors == []
    assert any("not_a_plugin" in w and "not installed" in w for w in report.warnings)


def test_second_sync_changes_nothing(registry, db_session):
    first = sync(REPO_CONFIG, registry)
    assert len(first.changes) >= 15
    second = sync(REPO_CONFIG, registry)
    assert second.changes == [] and second.errors == []


def test_bad_key_names_file_and_key_and_changes_nothing(tmp_path, registry, db_session):
    shutil.copytree(REPO_CONFIG, tmp_path / "cfg")
    bad = tmp_path / "cfg" / "halton.toml"
    bad.write_text(bad.read_text().replace("feedback_period_months", "feedback_period_monthz"))
    before = org_count(db_session)
    report = sync(tmp_path / "cfg", registry)
    assert report.changes == []
    assert any(str(bad) in e and "settings.feedback_period_monthz" in e for e in report.errors), report.errors
    assert org_count(db_session) == before


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('slug = "acme"\nname = "Acme"\ncolour = "red"\n', "colour"),
        ('slug = "acme"\nname = "Acme"\nkind = "council"\n', "kind"),
        ('slug = "wrong"\nname = "Acme"\n', "slug"),
        ('slug = "acme"\n', "name"),
        (
            'slug = "acme"\nname = "Acme"\n[settings]\nfeedback_period_months = 0\n',
            "settings.feedback_period_months",
        ),
        ('slug = "acme"\nname = "Acme"\nparent = "nobody"\n', "parent"),
        (
            'slug = "acme"\nname = "Acme"\n[plugins.example]\n'
            "enabled = true\nsettings = { max_notes = -1 }\n",
            "plugins.example.settings.max_notes",
        ),
        ('slug = "acme"\nname = "Acme"\n[plugins.example]\nenabeld = true\n', "plugins.example.enabeld"),
        ('slug = "acme"\nname = "Acme\n', "(syntax)"),
    ],
)
def test_each_kind_of_error_is_named(tmp_path, registry, db_session, text, key):
    path = write(tmp_path, "acme", text)
    report = sync(tmp_path, registry)
    assert any(e.startswith(f"{path}: {key}:") for e in report.errors), report.errors
    assert db_session.scalar(select(Organisation).where(Organisation.slug == "acme")) is None


def test_one_bad_file_stops_all_files(tmp_path, registry, db_session):
    write(tmp_path, "good", 'slug = "good"\nname = "Good Homes"\n')
    write(tmp_path, "bad", 'slug = "bad"\nname = "Bad"\nstatus = "closed"\n')
    report = sync(tmp_path, registry)
    assert report.errors and report.changes == []
    assert db_session.scalar(select(Organisation).where(Organisation.slug == "good")) is None


def test_group_partners_and_plugins_are_applied(tmp_path, registry, db_session):
    example_plugin.calls.clear()
    write(tmp_path, "grp", 'slug = "grp"\nname = "Group"\nkind = "group"\n')
    write(
        tmp_path,
        "member",
        'slug = "member"\nname = "Member"\nparent = "grp"\n[settings]\nhomes_owned = 300\n'
        '[plugins.example]\nenabled = true\n[plugins.example.settings]\ngreeting = "Hi"\n',
    )
    report = sync(tmp_path, registry)
    assert report.errors == []
    member = db_session.scalar(select(Organisation).where(Organisation.slug == "member"))
    assert member.parent().slug == "grp" and member.settings == {
        "feedback_period_months": 3,
        "homes_owned": 300,
    }
    assert registry.enabled_for(member.id) == ["example"]
    with organisation_scope(member.id):
        row = db_session.scalar(select(OrganisationPlugin))
        assert row.settings == {"greeting": "Hi", "max_notes": 100}
    assert ("on_plugin_enabled", member.id) in example_plugin.calls
    assert ("on_organisation_onboarded", member.id) in example_plugin.calls


def test_changes_are_reported_and_applied(tmp_path, registry, db_session):
    path = write(tmp_path, "acme", 'slug = "acme"\nname = "Acme"\n')
    sync(tmp_path, registry)
    path.write_text('slug = "acme"\nname = "Acme Homes"\nstatus = "suspended"\n')
    report = sync(tmp_path, registry)
    assert report.changes == ["updated acme: name, status"]


def test_dry_run_applies_nothing(tmp_path, registry, db_session):
    write(tmp_path, "acme", 'slug = "acme"\nname = "Acme"\n')
    report = sync(tmp_path, registry, dry_run=True)
    assert report.changes == ["created acme"]
    assert db_session.scalar(select(Organisation).where(Organisation.slug == "acme")) is None


def test_cli_exits_non_zero_naming_file_and_key(tmp_path, app, db_session):
    path = write(tmp_path, "acme", 'slug = "acme"\nname = "Acme"\nfoo = 1\n')
    result = app.test_cli_runner().invoke(args=["orgs", "sync", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{path}: foo: unknown key" in result.output
    assert "nothing was changed" in result.output


def test_cli_second_run_reports_no_changes(tmp_path, app, db_session):
    write(tmp_path, "acme", 'slug = "acme"\nname = "Acme"\n')
    runner = app.test_cli_runner()
    assert "created acme" in runner.invoke(args=["orgs", "sync", str(tmp_path)]).output
    again = runner.invoke(args=["orgs", "sync", str(tmp_path)])
    assert again.exit_code == 0 and again.output.strip().endswith("no changes")
