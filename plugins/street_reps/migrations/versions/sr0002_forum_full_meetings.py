"""street_reps: councillors and independent members present at Customer Forum meetings

Revision ID: sr0002_forum_full_meetings
Revises: sr0001
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "sr0002_forum_full_meetings"
down_revision = "sr0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "street_reps_forum_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "activity_id"],
            ["activities.organisation_id", "activities.id"],
            name=op.f("fk_street_reps_forum_attendance_organisation_id_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "membership_id"],
            ["body_memberships.organisation_id", "body_memberships.id"],
            name=op.f("fk_street_reps_forum_attendance_organisation_id_membership_id_body_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_street_reps_forum_attendance_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_street_reps_forum_attendance")),
        sa.UniqueConstraint(
            "organisation_id",
            "activity_id",
            "membership_id",
            name=op.f("uq_street_reps_forum_attendance_organisation_id_activity_id_membership_id"),
        ),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_street_reps_forum_attendance_organisation_id_id")
        ),
    )
    enable_rls("street_reps_forum_attendance")


def downgrade():
    disable_rls("street_reps_forum_attendance")
    op.drop_table("street_reps_forum_attendance")
