"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from core.app import create_app
from core.extensions import db
from core.testing import base_config


def _diff(url: str):
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    engine.dispose()
    return diff


def test_migrated_schema_equals_the_models(database_config):
    url = database_config.get("DATABASE_MIGRATION_URL") or database_config["DATABASE_URL"]
    assert _diff(url) == []


def test_db_upgrade_command_builds_an_empty_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app(base_config(url))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"organisations", "users", "organisation_plugins", "example_notes"} <= tables
    assert _diff(url) == []
    # Upgrading again is a no-op.
    again = app.test_cli_runner().invoke(args=["db", "upgrade"], catch_exceptions=False)
    assert again.exit_code == 0


def test_each_plugin_owns_a_branch(app):
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        script = ScriptDirectory.from_config(config)
        branches = {label for rev in script.walk_revisions() for label in rev.branch_labels}
    assert {"core", "example"} <= branches
    assert isinstance(app.extensions["migrate"].migrate, Migrate)


def test_retired_plugin_settings_are_dropped_from_every_organisations_stored_settings(make_org, db_session):
    """``drop_plugin_settings`` (plugin migrations ps0002, cv0002) reaches every organisation's row,
    on PostgreSQL too, where the rows sit behind row-level security."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import select

    from core.migration_helpers import drop_plugin_settings
    from core.models import OrganisationPlugin
    from core.tenancy import organisation_scope

    organisations = [make_org(plugins={"customer_voice": {}}) for _ in range(2)]
    for organisation in organisations:
        with organisation_scope(organisation.id):
            row = db_session.scalar(
                select(OrganisationPlugin).where(OrganisationPlugin.plugin_name == "customer_voice")
            )
            row.settings = {**row.settings, "training_topics": ["capacity_building"]}
            db_session.flush()
    with Operations.context(MigrationContext.configure(db_session.connection())):
        drop_plugin_settings("customer_voice", ("training_topics",))
    db_session.expire_all()
    for organisation in organisations:
        with organisation_scope(organisation.id):
            settings = db_session.scalar(
                select(OrganisationPlugin.settings).where(OrganisationPlugin.plugin_name == "customer_voice")
            )
        assert "training_topics" not in settings and settings["information_event_interval_months"] == 2
