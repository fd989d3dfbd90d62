"""partner_statements plugin: statements, Customer First self-assessments, action plans and
weaknesses, budgets, RASP nominations and panel, assessment reviews

Revision ID: ps0001_partner_statements
Revises: (none; depends on 0003_surveys_kpis)
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "ps0001_partner_statements"
down_revision = None
branch_labels = ("partner_statements",)
depends_on = "0003_surveys_kpis"

TABLES = (
    "partner_statements_statements",
    "partner_statements_standard_assessments",
    "partner_statements_action_plans",
    "partner_statements_weaknesses",
    "partner_statements_weakness_actions",
    "partner_statements_budgets",
    "partner_statements_rasp_nominations",
    "partner_statements_rasp_members",
    "partner_statements_assessment_reviews",
)


def _owned(name: str, *columns, extra=()):
    """A table with the organisation columns and constraints every organisation-owned table has."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *columns,
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f(f"fk_{name}_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f(f"uq_{name}_organisation_id_id")),
        *extra,
    )


def _created():
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _user_fk(name: str, column: str):
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{name}_{column}_users"))


def _org_fk(name: str, column: str, target: str, ondelete=None):
    return sa.ForeignKeyConstraint(
        ["organisation_id", column],
        [f"{target}.organisation_id", f"{target}.id"],
        name=op.f(f"fk_{name}_organisation_id_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    t = "partner_statements_statements"
    _owned(
        t,
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("introduction", sa.Text(), nullable=False),
        sa.Column("encouraging_involvement", sa.Text(), nullable=False),
        sa.Column("using_feedback", sa.Text(), nullable=False),
        sa.Column("ways_to_get_involved", sa.JSON(), nullable=False),
        sa.Column("change_summary", sa.String(length=500), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        extra=(
            _user_fk(t, "approved_by_id"),
            sa.UniqueConstraint("organisation_id", "version", name=op.f(f"uq_{t}_organisation_id_version")),
        ),
    )
    t = "partner_statements_standard_assessments"
    _owned(
        t,
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("commitment_key", sa.String(length=60), nullable=False),
        sa.Column("commitment_ref", sa.String(length=20), nullable=False),
        sa.Column("commitment_title", sa.String(length=300), nullable=False),
        sa.Column("rating", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        _created(),
        extra=(
            _user_fk(t, "assessed_by_id"),
            sa.UniqueConstraint(
                "organisation_id",
                "period",
                "commitment_key",
                name=op.f(f"uq_{t}_organisation_id_period_commitment_key"),
            ),
        ),
    )
    t = "partner_statements_action_plans"
    _owned(
        t,
        sa.Column("assessed_period", sa.String(length=12), nullable=False),
        sa.Column("action_plan_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        _created(),
        extra=(
            _org_fk(t, "action_plan_id", "action_plans"),
            _user_fk(t, "approved_by_id"),
            sa.UniqueConstraint(
                "organisation_id", "assessed_period", name=op.f(f"uq_{t}_organisation_id_assessed_period")
            ),
            sa.UniqueConstraint(
                "organisation_id", "action_plan_id", name=op.f(f"uq_{t}_organisation_id_action_plan_id")
            ),
        ),
    )
    t = "partner_statements_weaknesses"
    _owned(
        t,
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
        _created(),
        extra=(
            _org_fk(t, "plan_id", "partner_statements_action_plans", ondelete="CASCADE"),
            sa.UniqueConstraint(
                "organisation_id",
                "plan_id",
                "source",
                "key",
                name=op.f(f"uq_{t}_organisation_id_plan_id_source_key"),
            ),
        ),
    )
    t = "partner_statements_weakness_actions"
    _owned(
        t,
        sa.Column("weakness_id", sa.Integer(), nullable=False),
        sa.Column("action_item_id", sa.Integer(), nullable=False),
        sa.Column("outputs", sa.Text(), nullable=False),
        _created(),
        extra=(
            _org_fk(t, "weakness_id", "partner_statements_weaknesses", ondelete="CASCADE"),
            _org_fk(t, "action_item_id", "action_plan_items", ondelete="CASCADE"),
            sa.UniqueConstraint(
                "organisation_id",
                "weakness_id",
                "action_item_id",
                name=op.f(f"uq_{t}_organisation_id_weakness_id_action_item_id"),
            ),
        ),
    )
    t = "partner_statements_budgets"
    _owned(
        t,
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=True),
        _created(),
        extra=(
            sa.UniqueConstraint("organisation_id", "period", name=op.f(f"uq_{t}_organisation_id_period")),
        ),
    )
    t = "partner_statements_rasp_nominations"
    _owned(
        t,
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("consent_given_on", sa.Date(), nullable=False),
        sa.Column("consent_method", sa.String(length=20), nullable=False),
        sa.Column("nominated_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("panel_member_id", sa.Integer(), nullable=True),
        _created(),
        extra=(_org_fk(t, "participant_id", "participants"),),
    )
    t = "partner_statements_rasp_members"
    _owned(
        t,
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("nomination_ref", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        _created(),
        extra=(
            sa.ForeignKeyConstraint(
                ["partner_id"], ["organisations.id"], name=op.f(f"fk_{t}_partner_id_organisations")
            ),
            sa.UniqueConstraint(
                "organisation_id",
                "partner_id",
                "nomination_ref",
                name=op.f(f"uq_{t}_organisation_id_partner_id_nomination_ref"),
            ),
        ),
    )
    t = "partner_statements_assessment_reviews"
    _owned(
        t,
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("comments", sa.Text(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        _created(),
        extra=(
            sa.ForeignKeyConstraint(
                ["partner_id"], ["organisations.id"], name=op.f(f"fk_{t}_partner_id_organisations")
            ),
            _user_fk(t, "reviewer_id"),
            sa.UniqueConstraint(
                "organisation_id",
                "partner_id",
                "period",
                name=op.f(f"uq_{t}_organisation_id_partner_id_period"),
            ),
        ),
    )
    for table in TABLES:
        enable_rls(table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(table)
        op.drop_table(table)
