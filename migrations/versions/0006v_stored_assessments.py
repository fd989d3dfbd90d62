"""stored impact assessments: a draft's sections built by an rq job and served from the table

``stored_assessments`` holds, per organisation, financial year and audience (``everyone``:
equality monitoring figures withheld; ``analysts``: with them), the assessment document the
``impact_assessments.store`` job built, and when, with the PDF it printed of it and the
fingerprint of the document that PDF shows. Organisation-scoped with row-level security like
every organisation table.

Revision ID: 0006v_stored_assessments
Revises: 0006u_consultation_areas
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "0006v_stored_assessments"
down_revision = "0006u_consultation_areas"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("pdf_key", sa.String(length=64), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_stored_assessments_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_assessments")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_stored_assessments_organisation_id_id")),
        sa.UniqueConstraint(
            "organisation_id",
            "period",
            "audience",
            name=op.f("uq_stored_assessments_organisation_id_period_audience"),
        ),
    )
    enable_rls("stored_assessments")


def downgrade():
    disable_rls("stored_assessments")
    op.drop_table("stored_assessments")
