"""row-level security reads the scope once per statement; covering index for the KPI joins

Every ``<table>_own`` / ``<table>_read`` policy found in ``pg_policies`` is rewritten so that its
``current_setting()`` call sits in a scalar subquery, evaluated once per statement instead of once
per row. The policies are looked up when this runs, so plugin tables are covered whichever order
the branches were upgraded in (later plugin tables get the new form from ``enable_rls``). Row-level
security stays enabled and forced; only the expressions change. Nothing to do on SQLite.

Revision ID: 0005j_rls_once_and_indexes
Revises: 0005h_notification_roles
"""

import sqlalchemy as sa
from alembic import op

from core.tenancy import rewrite_rls_sql

revision = "0005j_rls_once_and_indexes"
down_revision = "0005h_notification_roles"
branch_labels = None
depends_on = None

_POLICIES = sa.text(
    "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() "
    "ORDER BY tablename, policyname"
)


def _rewrite_policies(once: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, policy in bind.execute(_POLICIES).all():
        for statement in rewrite_rls_sql(table, policy, once=once):
            op.execute(statement)


def upgrade():
    _rewrite_policies(once=True)
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participations_organisation_id_activity_id"),
            ["organisation_id", "activity_id"],
            unique=False,
            postgresql_include=["participant_id", "attended"],
        )


def downgrade():
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participations_organisation_id_activity_id"))
    _rewrite_policies(once=False)
