"""consultation rules: topic description, feedback guarantee and extensions, "why we didn't"

Revision ID: 0005f_consultation_rules
Revises: 0005d_job_outbox

Existing consultations get no guarantee date (null): ``feedback_on_time`` then falls back to their
recorded due date, as before. New and changed consultations record it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005f_consultation_rules"
down_revision = "0005d_job_outbox"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("topic_description", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("feedback_guaranteed_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("feedback_extension_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("feedback_extended_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_consultations_feedback_extended_by_id_users"),
            "users",
            ["feedback_extended_by_id"],
            ["id"],
        )
    with op.batch_alter_table("consultation_feedback") as batch:
        batch.add_column(sa.Column("why_we_did_not", sa.Text(), nullable=True))
        batch.alter_column("we_did", existing_type=sa.Text(), nullable=True)


def downgrade():
    with op.batch_alter_table("consultation_feedback") as batch:
        batch.alter_column("we_did", existing_type=sa.Text(), nullable=False)
        batch.drop_column("why_we_did_not")
    with op.batch_alter_table("consultations") as batch:
        batch.drop_constraint(batch.f("fk_consultations_feedback_extended_by_id_users"), type_="foreignkey")
        batch.drop_column("feedback_extended_by_id")
        batch.drop_column("feedback_extension_reason")
        batch.drop_column("feedback_guaranteed_by")
        batch.drop_column("topic_description")
