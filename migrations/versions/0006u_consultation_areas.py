"""consultation areas and easy-read versions

A consultation may concern one area of its organisation (``area_id``, a composite foreign key to
``areas`` so the database refuses another organisation's area), and a consultation or an impact
assessment may point at the landlord's own easy-read version (``easy_read_url`` with a short
``easy_read_description``, e.g. its format).

Revision ID: 0006u_consultation_areas
Revises: 0006t_resident_accounts
"""

import sqlalchemy as sa
from alembic import op

revision = "0006u_consultation_areas"
down_revision = "0006t_resident_accounts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("easy_read_url", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("easy_read_description", sa.String(length=100), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_consultations_organisation_id_areas"),
            "areas",
            ["organisation_id", "area_id"],
            ["organisation_id", "id"],
        )
    with op.batch_alter_table("impact_assessments") as batch:
        batch.add_column(sa.Column("easy_read_url", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("easy_read_description", sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table("impact_assessments") as batch:
        batch.drop_column("easy_read_description")
        batch.drop_column("easy_read_url")
    with op.batch_alter_table("consultations") as batch:
        batch.drop_constraint(batch.f("fk_consultations_organisation_id_areas"), type_="foreignkey")
        batch.drop_column("easy_read_description")
        batch.drop_column("easy_read_url")
        batch.drop_column("area_id")
