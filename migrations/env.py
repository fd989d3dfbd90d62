"""Alembic environment: core's revisions plus one branch per loaded plugin.

Migrations run as the schema owner (``DATABASE_MIGRATION_URL`` when set, else ``DATABASE_URL``).
Plugin version directories are added by ``core.app`` (``migrate.configure``) from the app's plugin
manager, so a plugin's tables are created only where the plugin is installed and allowed.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app, g
from sqlalchemy import create_engine, pool

config = context.config
quiet = g.get("quiet_migrations", False)  # `flask db upgrade --quiet`
if config.config_file_name is not None and not current_app.config.get("TESTING") and not quiet:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")

settings = current_app.config["INVOLVE"]
url = settings["DATABASE_MIGRATION_URL"] or settings["DATABASE_URL"]
target_metadata = current_app.extensions["migrate"].db.metadata


def run_migrations_offline():
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = create_engine(url, poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
