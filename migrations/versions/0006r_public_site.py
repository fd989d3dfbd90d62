"""residents' site: public activities, online responses kept once, expressions of interest

Revision ID: 0006r_public_site
Revises: 0005j_rls_once_and_indexes
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "0006r_public_site"
down_revision = "0005j_rls_once_and_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("is_public", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("consultation_responses") as batch:
        batch.add_column(sa.Column("respondent_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("respondent_contact", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("submission_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            batch.f("uq_consultation_responses_organisation_id_submission_token"),
            ["organisation_id", "submission_token"],
        )
    op.create_table(
        "involvement_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("preferred_level", sa.String(length=30), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("access_needs", sa.JSON(), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("other_needs", sa.Text(), nullable=True),
        sa.Column("contact_consent", sa.Boolean(), nullable=False),
        sa.Column("consent_given_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("equality_answers", sa.JSON(), nullable=True),
        sa.Column("submission_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_involvement_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_involvement_requests_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_involvement_requests")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_involvement_requests_organisation_id_id")),
        sa.UniqueConstraint(
            "organisation_id",
            "submission_token",
            name=op.f("uq_involvement_requests_organisation_id_submission_token"),
        ),
    )
    enable_rls("involvement_requests")


def downgrade():
    disable_rls("involvement_requests")
    op.drop_table("involvement_requests")
    with op.batch_alter_table("consultation_responses") as batch:
        batch.drop_constraint(
            batch.f("uq_consultation_responses_organisation_id_submission_token"), type_="unique"
        )
        batch.drop_column("submission_token")
        batch.drop_column("respondent_contact")
        batch.drop_column("respondent_name")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("is_public")
