"""resident accounts: one-time sign-in links e-mailed to residents

``resident_sign_in_links`` keeps only the SHA-256 of each link's secret, the participant it signs
in to and when it expires or was used. It is organisation-scoped (the link is opened on the
landlord's public site, inside its organisation scope), so it has row-level security like every
organisation table.

Revision ID: 0006t_resident_accounts
Revises: 0006s_staff_accounts
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "0006t_resident_accounts"
down_revision = "0006s_staff_accounts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resident_sign_in_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_resident_sign_in_links_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "participant_id"],
            ["participants.organisation_id", "participants.id"],
            name=op.f("fk_resident_sign_in_links_organisation_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_sign_in_links")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_resident_sign_in_links_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id", "token_hash", name=op.f("uq_resident_sign_in_links_organisation_id_token_hash")
        ),
    )
    with op.batch_alter_table("resident_sign_in_links") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resident_sign_in_links_participant_id"), ["participant_id"], unique=False
        )
    enable_rls("resident_sign_in_links")


def downgrade():
    disable_rls("resident_sign_in_links")
    with op.batch_alter_table("resident_sign_in_links") as batch_op:
        batch_op.drop_index(batch_op.f("ix_resident_sign_in_links_participant_id"))
    op.drop_table("resident_sign_in_links")
