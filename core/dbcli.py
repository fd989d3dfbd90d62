"""``flask db``: Flask-Migrate's commands, with an ``upgrade`` that takes every branch.

Core and each plugin own a migration branch, so "upgrade to head" is ambiguous; ``upgrade``
here defaults to ``heads``. On PostgreSQL it then grants the application role (``DATABASE_APP_ROLE``)
read/write on the data but not ownership, so row-level security binds the app, and sets the
role's session settings in this database (``jit = off``).
"""

from __future__ import annotations

import logging

import click
from flask import current_app, g
from flask.cli import with_appcontext
from flask_migrate import cli as migrate_cli
from flask_migrate import upgrade as migrate_upgrade
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


@click.group("db")
@click.option("-d", "--directory", default=None, help="Migration script directory.")
@click.option("-x", "--x-arg", multiple=True, help="Extra arguments for env.py.")
@with_appcontext
def db_cli(directory, x_arg):
    """Database migrations (Alembic, one branch per plugin)."""
    g.directory = directory  # read by Flask-Migrate's own commands
    g.x_arg = x_arg


for _name, _command in migrate_cli.db.commands.items():
    if _name != "upgrade":
        db_cli.add_command(_command, _name)


def upgrade_database(revision: str = "heads") -> None:
    migrate_upgrade(revision=revision)
    grant_app_role()


def grant_app_role() -> None:
    from sqlalchemy import create_engine

    from core.dbadmin import app_role_settings_statements, grant_statements

    settings = current_app.config["INVOLVE"]
    role = settings["DATABASE_APP_ROLE"]
    url = settings["DATABASE_MIGRATION_URL"] or settings["DATABASE_URL"]
    if not role or not url.startswith("postgresql"):
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in grant_statements(role):
            connection.exec_driver_sql(statement)
        database = connection.exec_driver_sql("SELECT current_database()").scalar()
        for statement in app_role_settings_statements(role, database):
            try:
                with connection.begin_nested():
                    connection.exec_driver_sql(statement)
            except DBAPIError as exc:  # e.g. the migration role may not alter roles: only slower
                log.warning("could not apply %r (%s); the app role keeps its defaults", statement, exc.orig)
    engine.dispose()


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
@click.option("-q", "--quiet", is_flag=True, help="Log only warnings and errors (not each migration run).")
@with_appcontext
def upgrade_command(revision: str, quiet: bool) -> None:
    """Upgrade the schema (default: every branch to its head)."""
    if quiet:
        g.quiet_migrations = True  # migrations/env.py then leaves alembic.ini's INFO logging off
        logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade_database(revision)
    click.echo(f"database upgraded to {revision}")
