"""job outbox: jobs recorded in the transaction of the write that asks for them

Revision ID: 0005d_job_outbox
Revises: 0005a_equality_snapshots

A platform table (listed in core.tenancy.GLOBAL_TABLES, so no row-level security): the relay
reads and delivers every organisation's pending jobs without an organisation scope.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005d_job_outbox"
down_revision = "0005a_equality_snapshots"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_job_outbox_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_outbox")),
        sa.UniqueConstraint("job_id", name=op.f("uq_job_outbox_job_id")),
    )
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_outbox_delivered_at"), ["delivered_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_outbox_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_outbox_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_job_outbox_delivered_at"))
    op.drop_table("job_outbox")
