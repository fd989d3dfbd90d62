"""equality monitoring: analyst grant on memberships, published snapshots of the aggregates

Revision ID: 0005a_equality_snapshots
Revises: 0005b_login_throttles
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "0005a_equality_snapshots"
down_revision = "0005b_login_throttles"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("memberships") as batch:
        batch.add_column(
            sa.Column("equality_analyst", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "equality_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("population", sa.String(length=12), nullable=False),
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("characteristic", sa.String(length=30), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("recorded", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_equality_snapshots_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_snapshots")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_equality_snapshots_organisation_id_id")),
        sa.UniqueConstraint(
            "organisation_id",
            "population",
            "period",
            "characteristic",
            name=op.f("uq_equality_snapshots_organisation_id_population_period_characteristic"),
        ),
    )
    enable_rls("equality_snapshots")


def downgrade():
    disable_rls("equality_snapshots")
    op.drop_table("equality_snapshots")
    with op.batch_alter_table("memberships") as batch:
        batch.drop_column("equality_analyst")
