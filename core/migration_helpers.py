"""Helpers for migration scripts (core's and plugins'): row-level security for new tables.

Every organisation-owned table a migration creates must call :func:`enable_rls` after creating
it; on SQLite it does nothing.
"""

from __future__ import annotations

from alembic import op

from core.tenancy import disable_rls_sql, enable_rls_sql


def enable_rls(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in enable_rls_sql(table):
        op.execute(statement)


def disable_rls(table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in disable_rls_sql(table):
        op.execute(statement)


def drop_plugin_settings(plugin_name: str, keys: tuple[str, ...]) -> None:
    """Remove retired keys from every organisation's stored settings of one plugin.

    Core stores a plugin's settings as loaded (every default filled in), so a key the plugin's
    schema no longer has would make those settings fail to load. On PostgreSQL the rows sit
    behind row-level security even for the owner, so each organisation's rows are read and
    written with that organisation set for the transaction.
    """
    import sqlalchemy as sa

    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    organisations = sa.table("organisations", sa.column("id", sa.Integer))
    rows = sa.table(
        "organisation_plugins",
        sa.column("id", sa.Integer),
        sa.column("organisation_id", sa.Integer),
        sa.column("plugin_name", sa.String),
        sa.column("settings", sa.JSON),
    )
    for org_id in bind.execute(sa.select(organisations.c.id)).scalars().all():
        if postgres:
            bind.execute(sa.select(sa.func.set_config("app.current_org", str(org_id), True)))
        found = bind.execute(
            sa.select(rows.c.id, rows.c.settings).where(
                rows.c.organisation_id == org_id, rows.c.plugin_name == plugin_name
            )
        ).all()
        for row_id, stored in found:
            settings = dict(stored or {})
            if any(key in settings for key in keys):
                kept = {key: value for key, value in settings.items() if key not in keys}
                bind.execute(sa.update(rows).where(rows.c.id == row_id).values(settings=kept))
    if postgres:
        bind.execute(sa.select(sa.func.set_config("app.current_org", "", True)))
