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
