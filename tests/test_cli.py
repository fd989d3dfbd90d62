"""The CLI of DESIGN.md's public interfaces."""

import logging
from datetime import date

from sqlalchemy import select

from core.models import ApiToken, Membership, Organisation, User


def test_users_create_reads_password_from_stdin(app, make_org, db_session):
    org = make_org("cli-homes")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "Officer@Example.org", "--org", "cli-homes", "--role", "org_admin"],
        input="a sufficiently long password\n",
    )
    assert result.exit_code == 0, result.output
    user = db_session.scalar(select(User).where(User.email == "officer@example.org"))
    assert user.password_hash.startswith("$argon2id$")
    assert user.role_in(org.id) == "org_admin"
    # Again with another role: the membership changes, no second user.
    again = runner.invoke(
        args=["users", "create", "officer@example.org", "--org", "cli-homes", "--role", "viewer"]
    )
    assert again.exit_code == 0
    assert db_session.scalar(select(Membership.role).where(Membership.user_id == user.id)) == "viewer"


def test_users_create_refuses_weak_password_and_unknown_org(app, make_org, db_session):
    make_org("cli-homes")
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "a@example.org", "--org", "cli-homes"], input="short\n")
    assert weak.exit_code == 1 and "password refused" in weak.output
    unknown = runner.invoke(args=["users", "create", "a@example.org", "--org", "nope"], input="x" * 20 + "\n")
    assert unknown.exit_code == 1 and "no organisation with slug 'nope'" in unknown.output
    assert db_session.scalar(select(User).where(User.email == "a@example.org")) is None


def test_tokens_create_prints_a_working_token(app, make_org, make_user, client, db_session):
    user = make_user(make_org())
    result = app.test_cli_runner().invoke(args=["tokens", "create", user.email])
    assert result.exit_code == 0
    secret = result.output.strip()
    assert db_session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)) is not None
    assert client.get("/api/v1/orgs", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_tokens_create_for_unknown_user_fails(app, db_session):
    result = app.test_cli_runner().invoke(args=["tokens", "create", "ghost@example.org"])
    assert result.exit_code == 1


def test_orgs_list_shows_kind_parent_and_plugins(app, make_org, db_session):
    group = make_org("list-group", kind="group")
    make_org("list-partner", parent=group, plugins=["example"])
    output = app.test_cli_runner().invoke(args=["orgs", "list"]).output
    line = next(row for row in output.splitlines() if row.startswith("list-partner"))
    assert "landlord" in line and "list-group" in line and "example" in line


def test_demo_loads_the_landlords_and_an_admin(app, db_session, caplog):
    with caplog.at_level(logging.INFO):
        result = app.test_cli_runner().invoke(args=["demo", "--password", "demo password for tests"])
    assert result.exit_code == 0, result.output
    assert "admin@involve.example" in result.output and "demo password for tests" in result.output
    assert "served at http://127.0.0.1:5000/" in result.output
    # Quiet unless something is wrong: loading logs nothing below a warning.
    assert [r.getMessage() for r in caplog.records if r.levelno < logging.WARNING] == []
    admin = db_session.scalar(select(User).where(User.email == "admin@involve.example"))
    orgs = db_session.scalars(select(Organisation)).all()
    assert len(orgs) >= 15 and all(admin.role_in(o.id) == "org_admin" for o in orgs)
    again = app.test_cli_runner().invoke(
        args=["demo", "--password", "demo password for tests", "--port", "8123"]
    )
    assert again.exit_code == 0
    assert "served at http://127.0.0.1:8123/" in again.output
    assert db_session.scalar(select(User.id).where(User.email == "admin@involve.example")) == admin.id


def test_kpis_compute_prints_a_table(app, make_org, db_session):
    make_org("kpi-homes", plugins=["example"], settings={"kpi_targets": {"example_notes": 3}})
    result = app.test_cli_runner().invoke(
        args=["kpis", "compute", "--org", "kpi-homes", "--period", "2025-26"]
    )
    assert result.exit_code == 0, result.output
    assert "2025-04-01 to 2026-03-31" in result.output
    line = next(line for line in result.output.splitlines() if line.startswith("example_notes"))
    assert line.split()[:5] == ["example_notes", "1", "3", "1", "no"]  # value, target, previous, met


def test_kpis_compute_rejects_a_bad_period(app, make_org, db_session):
    make_org("kpi-homes")
    result = app.test_cli_runner().invoke(
        args=["kpis", "compute", "--org", "kpi-homes", "--period", "2025-27"]
    )
    assert result.exit_code == 1 and "does not follow" in result.output


def test_jobs_daily_queues_the_daily_jobs(app, make_org, db_session):
    make_org("daily-homes")
    result = app.test_cli_runner().invoke(args=["jobs", "daily"])
    assert result.exit_code == 0, result.output
    assert "job(s) queued" in result.output


def test_demo_adds_a_year_of_records_once(app, db_session, client):
    from sqlalchemy import func

    from core.auth import create_api_token
    from core.models import Household
    from core.tenancy import organisation_scope

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--password", "demo password for tests"]).exit_code == 0
    halton = db_session.scalar(select(Organisation).where(Organisation.slug == "halton"))
    with organisation_scope(halton.id):
        homes = db_session.scalar(select(func.count()).select_from(Household))
    assert runner.invoke(args=["demo", "--password", "demo password for tests"]).exit_code == 0
    with organisation_scope(halton.id):
        # Each landlord's size is its own (drawn from its slug); a second run adds nothing.
        assert 36 <= homes <= 72 and db_session.scalar(select(func.count()).select_from(Household)) == homes
    admin = db_session.scalar(select(User).where(User.email == "admin@involve.example"))
    _, token = create_api_token(admin, "demo test")
    db_session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    base = "/api/v1/orgs/halton"
    for path in (
        "/participants",
        "/bodies",
        "/activities",
        "/consultations",
        "/action-plans",
        "/spend",
        "/improvements",
        "/recommendations",
        "/households",
        "/areas",
        "/opportunities",
        "/venues",
    ):
        response = client.get(base + path, headers=headers)
        assert response.status_code == 200 and response.get_json()["total"] > 0, path
    overdue = client.get(f"{base}/consultations?overdue=true", headers=headers).get_json()
    assert [c["title"] for c in overdue["items"]] == ["Service charges review"]
    board = client.get(f"{base}/bodies", headers=headers).get_json()["items"][0]
    # Halton's demo Board: street_reps seats tenancy holders in the reserved seats and adds the
    # Council's nominees and independent members (nine in office, three seats vacant).
    assert board["vacancies"] == 3


def test_demo_kpis_have_figures(app, db_session):
    from core.periods import Period

    assert app.test_cli_runner().invoke(args=["demo", "--password", "demo password for tests"]).exit_code == 0
    halton = db_session.scalar(select(Organisation).where(Organisation.slug == "halton"))
    this_year = Period.financial_year_of(date.today())
    registry = app.extensions["involve"].kpis
    now, before = registry.compute(halton.id, this_year), registry.compute(halton.id, this_year.previous())
    # The demo covers the last twelve months: each figure shows this financial year or the last.
    for code in (
        "opportunities",
        "involved_total",
        "involved_formal",
        "survey_responses",
        "listened_to",
        "satisfied_opportunities",
        "spend_per_household",
    ):
        assert now[code] not in (None, 0) or before[code] not in (None, 0), code


def test_demo_group_comparison_shows_partners_and_assessments(app, db_session):
    from core.periods import Period
    from core.services.comparison import compare

    assert app.test_cli_runner().invoke(args=["demo", "--password", "demo password for tests"]).exit_code == 0
    group = db_session.scalar(select(Organisation).where(Organisation.slug == "circle-anglia"))
    last_year = Period.financial_year_of(date.today()).previous()
    result = compare(group, last_year, actor_id=None)
    assert len(result["partners"]) == 10
    statuses = [p["assessment"]["status"] for p in result["partners"]]
    assert statuses.count("published") == 6 and statuses.count("draft") == 2
    assert statuses.count("not_started") == 2
    assert result["totals"]["opportunities"] > 0
    this_year = compare(group, Period.financial_year_of(date.today()), actor_id=None)
    assert all(p["kpis"]["opportunities"]["rank"] is not None for p in this_year["partners"])
    db_session.rollback()


def test_demo_partners_differ_believably_in_the_comparison(app, db_session):
    """Ten partners with ten identical years would all rank first; the demo's partners differ."""
    from core.periods import Period
    from core.services.comparison import compare

    assert app.test_cli_runner().invoke(args=["demo", "--password", "demo password for tests"]).exit_code == 0
    group = db_session.scalar(select(Organisation).where(Organisation.slug == "circle-anglia"))
    last_year = compare(group, Period.financial_year_of(date.today()).previous(), actor_id=None)
    for code in ("opportunities", "involved_total", "spend_per_household", "listened_to", "feedback_on_time"):
        cells = [p["kpis"][code] for p in last_year["partners"]]
        values = {c["value"] for c in cells if c["value"] is not None}
        assert len(values) >= 3, (code, values)
        assert sum(1 for c in cells if c["rank"] == 1) < 5, code
    db_session.rollback()


def test_load_demo_data_reaches_only_organisations_enabling_the_plugin(app, db_session, make_org):
    from core.demo import load_plugin_demo_data
    from core.tenancy import organisation_scope
    from tests import example_plugin
    from tests.example_plugin.models import ExampleNote

    with_plugin = make_org(plugins={"example": {"greeting": "Hello from the demo"}})
    without = make_org()
    example_plugin.calls.clear()
    for organisation in (with_plugin, without, with_plugin):
        load_plugin_demo_data(organisation)
    assert example_plugin.calls == [("load_demo_data", with_plugin.id)] * 2
    with organisation_scope(with_plugin.id):
        bodies = db_session.scalars(select(ExampleNote.body)).all()
    assert bodies.count("Demo: Hello from the demo") == 1
