"""``flask --app wsgi …`` commands: db, orgs, users, tokens, worker, demo, kpis, plugins.

Commands print plain text for people and exit non-zero on failure with a message naming what
was wrong. Each one that writes does so in one transaction.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.models import Membership, Organisation, User
from core.models.account import ROLES

orgs_cli = AppGroup("orgs", help="Organisations and tenants_config/.")
users_cli = AppGroup("users", help="User accounts.")
tokens_cli = AppGroup("tokens", help="API tokens.")
kpis_cli = AppGroup("kpis", help="Key performance indicators.")
jobs_cli = AppGroup("jobs", help="Background jobs.")
plugins_cli = AppGroup("plugins", help="Plugins: write a new one to start from.")


def register_cli(app) -> None:
    from core.dbcli import db_cli

    app.cli.add_command(db_cli, "db")
    for group in (orgs_cli, users_cli, tokens_cli, kpis_cli, jobs_cli, plugins_cli):
        app.cli.add_command(group)
    app.cli.add_command(worker_command)
    app.cli.add_command(demo_command)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


# -- orgs --------------------------------------------------------------------------------


@orgs_cli.command("sync")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show the changes without applying them.")
def orgs_sync(path: Path | None, dry_run: bool) -> None:
    """Create or update organisations from tenants_config/*.toml (all or nothing)."""
    from core.services.orgsync import sync

    directory = path or Path(current_app.config["INVOLVE"]["TENANTS_CONFIG_DIR"])
    report = sync(directory, current_app.extensions["involve"].plugins, dry_run=dry_run)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.errors:
        for error in report.errors:
            click.echo(f"error: {error}", err=True)
        _fail(f"{len(report.errors)} error(s) in {directory}; nothing was changed")
    for change in report.changes:
        click.echo(change)
    verb = "would change" if dry_run else "changed"
    click.echo(f"{len(report.changes)} {verb}" if report.changes else "no changes")


@orgs_cli.command("list")
def orgs_list() -> None:
    """List every organisation with its kind, parent and enabled plugins."""
    registry = current_app.extensions["involve"].plugins
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.slug)).all()
    slugs = {o.id: o.slug for o in organisations}
    click.echo(f"{'slug':28} {'kind':9} {'status':10} {'parent':16} plugins")
    for org in organisations:
        plugins = ",".join(registry.enabled_for(org.id)) or "-"
        parent = slugs.get(org.parent_id, "-")
        click.echo(f"{org.slug:28} {org.kind:9} {org.status:10} {parent:16} {plugins}")


# -- users and tokens --------------------------------------------------------------------


def read_password() -> str:
    """From standard input when it is not a terminal, otherwise asked twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.argument("email")
@click.option("--org", "org_slug", help="Organisation slug to add the user to.")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.option("--name", default="", help="Display name.")
@click.option("--platform-admin", is_flag=True, help="May manage the whole instance.")
@click.option(
    "--equality-analyst/--no-equality-analyst",
    default=None,
    help="Grant (or withdraw) reading equality monitoring in aggregate; an analyst may not record answers.",
)
def users_create(email, org_slug, role, name, platform_admin, equality_analyst) -> None:
    """Create a user (or add an existing one to an organisation). Password from stdin."""
    from core.auth import hash_password, normalise_email, password_problem

    email = normalise_email(email)
    if "@" not in email:
        _fail(f"{email!r} is not an email address")
    organisation = None
    if org_slug:
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        if organisation is None:
            _fail(f"no organisation with slug {org_slug!r}")
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        password = read_password()
        problem = password_problem(password)
        if problem:
            _fail(f"password refused: {problem}")
        user = User(email=email, name=name, password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
        click.echo(f"created user {email}")
    if platform_admin and not user.is_platform_admin:
        user.is_platform_admin = True
        click.echo(f"{email} is a platform admin")
    if organisation is not None:
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organisation_id == organisation.id
            )
        )
        if membership is None:
            membership = Membership(user_id=user.id, organisation_id=organisation.id, role=role)
            db.session.add(membership)
        else:
            membership.role = role
        click.echo(f"{email} is {role} of {organisation.slug}")
        if equality_analyst is not None:
            membership.equality_analyst = equality_analyst
            click.echo(
                f"{email} {'is' if equality_analyst else 'is not'} an equality analyst of {organisation.slug}"
            )
    db.session.commit()


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token by.")
def tokens_create(email, name) -> None:
    """Create an API token for a user and print it (it is not shown again)."""
    from core.auth import create_api_token, normalise_email

    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        _fail(f"no active user {email!r}")
    _, secret = create_api_token(user, name)
    db.session.commit()
    click.echo(secret)


# -- jobs --------------------------------------------------------------------------------


@click.command("worker")
@click.option("--queues", default="high,default,reports", show_default=True)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(queues: str, burst: bool) -> None:
    """Run an rq worker (with the scheduler) on REDIS_URL; it also delivers the job outbox."""
    from core.jobs import get_queue, redis_connection
    from core.worker import RelayingWorker

    if not current_app.config["INVOLVE"]["REDIS_URL"]:
        _fail("REDIS_URL is not set: without it jobs run in-process and no worker is needed")
    app = current_app._get_current_object()
    names = [q.strip() for q in queues.split(",") if q.strip()]
    worker = RelayingWorker(
        [get_queue(n) for n in names],
        connection=redis_connection(),
        app=app,
        relay_interval=current_app.config["INVOLVE"]["JOB_RELAY_INTERVAL_SECONDS"],
    )
    worker.work(burst=burst, with_scheduler=True)


@jobs_cli.command("daily")
def jobs_daily() -> None:
    """Queue every daily core job for every active organisation (run once a day from cron).

    Also delivers jobs waiting in the outbox and retries jobs abandoned by a dead worker. With
    Redis unreachable the day's jobs are kept in the outbox and the command exits non-zero.
    """
    from core.core_jobs import enqueue_daily_jobs
    from core.outbox import RedisUnavailable, recover_abandoned_jobs, relay_outbox, waiting_count

    queued = enqueue_daily_jobs()
    try:
        relay_outbox()
        abandoned = recover_abandoned_jobs()
    except RedisUnavailable as exc:
        _fail(
            f"Redis at {_redis_location()} is not reachable ({exc}). {len(queued)} daily job(s) and "
            f"{waiting_count()} job(s) in all are kept in the outbox; `flask --app wsgi worker` "
            "delivers them once Redis is back, or run this command again."
        )
    click.echo(f"{len(queued)} job(s) queued")
    if abandoned:
        click.echo(f"{len(abandoned)} job(s) abandoned by a dead worker were recovered")


def _redis_location() -> str:
    """The configured Redis without its password, for messages."""
    from urllib.parse import urlsplit

    url = urlsplit(current_app.config["INVOLVE"]["REDIS_URL"])
    if url.scheme == "unix":
        return url.path
    return f"{url.hostname}:{url.port or 6379}{url.path}"


# -- demo and KPIs -------------------------------------------------------------------------


@click.command("demo")
@click.option(
    "--password",
    envvar="INVOLVE_DEMO_PASSWORD",
    default=None,
    help="Demo admin password (default: generated and printed).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Host the demo will be served on.")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port it will be served on.",
)
@with_appcontext
def demo_command(password: str | None, host: str, port: int) -> None:
    """Load the demo: sync tenants_config/ and create a demo admin in every organisation."""
    import logging

    from core.demo import load_demo

    # Loading writes a year of records through the services: their routine INFO lines (the
    # group's reads of its partners, in-process jobs) are not news to someone starting a demo.
    routine = [logging.getLogger(name) for name in ("involve.audit", "core.jobs", "core.outbox")]
    levels = [logger.level for logger in routine]
    for logger in routine:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        email, shown_password = load_demo(password)
    finally:
        for logger, level in zip(routine, levels, strict=True):
            logger.setLevel(level)
    url = f"http://{host}:{port}"
    click.echo("")
    click.echo(f"Demo loaded. Involve will be served at {url}/ — sign in at {url}/login with")
    click.echo(f"  email:    {email}")
    click.echo(f"  password: {shown_password}")
    click.echo(
        "E-mails (invitations, password links) are saved in instance/outbox/ and their links logged here."
    )


@kpis_cli.command("compute")
@click.option("--org", "org_slug", required=True)
@click.option("--period", required=True, help="2025-26 or 2025-26-Q1")
def kpis_compute(org_slug: str, period: str) -> None:
    """Compute every KPI available to an organisation for a period and print a table."""
    from core.periods import Period, PeriodError

    try:
        parsed = Period.parse(period)
    except PeriodError as exc:
        _fail(str(exc))
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == org_slug))
    if organisation is None:
        _fail(f"no organisation with slug {org_slug!r}")
    from core.kpis.service import kpi_report
    from core.tenancy import organisation_scope

    with organisation_scope(organisation.id):
        rows = kpi_report(organisation, parsed)["kpis"]
    click.echo(f"{organisation.name} — {parsed.label} ({parsed.start} to {parsed.end})")
    if not rows:
        click.echo("no KPIs are registered for this organisation")
        return
    click.echo(f"{'code':32} {'value':>12} {'target':>10} {'previous':>12} {'met':4} {'unit':8} title")

    def shown(value) -> str:
        return "—" if value is None else str(value)

    for row in rows:
        met = {True: "yes", False: "no", None: ""}[row["met"]]
        click.echo(
            f"{row['code']:32} {shown(row['value']):>12} {shown(row['target']):>10} "
            f"{shown(row['previous']):>12} {met:4} {row['unit']:8} {row['title']}"
        )


# -- plugins -------------------------------------------------------------------------------


@plugins_cli.command("new")
@click.argument("name")
@click.option(
    "--path",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the plugin package in (default: this project's plugins/).",
)
def plugins_new(name: str, directory: Path | None) -> None:
    """Write a working plugin package NAME: model, API, page, KPI, settings, migration, tests."""
    from core.scaffold import PROJECT_ROOT, ScaffoldError, next_steps, write_plugin

    installed = current_app.extensions["involve"].plugins.installed
    try:
        result = write_plugin(name, directory or PROJECT_ROOT / "plugins", installed)
    except ScaffoldError as exc:
        _fail(str(exc))
    click.echo(next_steps(result))
