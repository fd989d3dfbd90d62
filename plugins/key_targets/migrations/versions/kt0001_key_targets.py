"""key_targets plugin: strands, key-targets plan, tenant inspections, mystery shopping, conference

Revision ID: kt0001_key_targets
Revises: (none; depends on 0003_surveys_kpis)
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "kt0001_key_targets"
down_revision = None
branch_labels = ("key_targets",)
depends_on = "0003_surveys_kpis"


def upgrade():
    op.create_table(
        "key_targets_conferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendance", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_conferences_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_conferences")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_conferences_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id", "year", name=op.f("uq_key_targets_conferences_organisation_id_year")
        ),
    )
    op.create_table(
        "key_targets_phases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_phases_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_phases")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_key_targets_phases_organisation_id_id")),
    )
    op.create_table(
        "key_targets_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_scenarios_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_scenarios")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_scenarios_organisation_id_id")
        ),
    )
    op.create_table(
        "key_targets_strands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_strands_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_strands")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_key_targets_strands_organisation_id_id")),
        sa.UniqueConstraint(
            "organisation_id", "key", name=op.f("uq_key_targets_strands_organisation_id_key")
        ),
    )
    op.create_table(
        "key_targets_strand_opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strand_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "opportunity_id"],
            ["opportunities.organisation_id", "opportunities.id"],
            name=op.f("fk_key_targets_strand_opportunities_organisation_id_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "strand_id"],
            ["key_targets_strands.organisation_id", "key_targets_strands.id"],
            name=op.f("fk_key_targets_strand_opportunities_organisation_id_strand_id_key_targets_strands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_strand_opportunities_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_strand_opportunities")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_strand_opportunities_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "strand_id",
            "opportunity_id",
            name=op.f("uq_key_targets_strand_opportunities_organisation_id_strand_id_opportunity_id"),
        ),
    )
    op.create_table(
        "key_targets_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("strategic_aims", sa.JSON(), nullable=False),
        sa.Column("responsibility", sa.JSON(), nullable=False),
        sa.Column("core_values", sa.JSON(), nullable=False),
        sa.Column("kloe_tags", sa.JSON(), nullable=False),
        sa.Column("continuous_review", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "phase_id"],
            ["key_targets_phases.organisation_id", "key_targets_phases.id"],
            name=op.f("fk_key_targets_targets_organisation_id_phase_id_key_targets_phases"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_targets_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_targets")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_key_targets_targets_organisation_id_id")),
        sa.UniqueConstraint(
            "organisation_id",
            "phase_id",
            "reference",
            name=op.f("uq_key_targets_targets_organisation_id_phase_id_reference"),
        ),
    )
    op.create_table(
        "key_targets_conference_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "conference_id"],
            ["key_targets_conferences.organisation_id", "key_targets_conferences.id"],
            name=op.f(
                "fk_key_targets_conference_decisions_organisation_id_conference_id_key_targets_conferences"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "target_id"],
            ["key_targets_targets.organisation_id", "key_targets_targets.id"],
            name=op.f("fk_key_targets_conference_decisions_organisation_id_target_id_key_targets_targets"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_conference_decisions_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_conference_decisions")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_conference_decisions_organisation_id_id")
        ),
    )
    op.create_table(
        "key_targets_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "target_id"],
            ["key_targets_targets.organisation_id", "key_targets_targets.id"],
            name=op.f("fk_key_targets_deadlines_organisation_id_target_id_key_targets_targets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_deadlines_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_deadlines")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_deadlines_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "target_id",
            "due_on",
            name=op.f("uq_key_targets_deadlines_organisation_id_target_id_due_on"),
        ),
    )
    op.create_table(
        "key_targets_strand_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strand_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "body_id"],
            ["bodies.organisation_id", "bodies.id"],
            name=op.f("fk_key_targets_strand_bodies_organisation_id_body_id_bodies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "strand_id"],
            ["key_targets_strands.organisation_id", "key_targets_strands.id"],
            name=op.f("fk_key_targets_strand_bodies_organisation_id_strand_id_key_targets_strands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_strand_bodies_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_strand_bodies")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_strand_bodies_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "strand_id",
            "body_id",
            name=op.f("uq_key_targets_strand_bodies_organisation_id_strand_id_body_id"),
        ),
    )
    op.create_table(
        "key_targets_inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=True),
        sa.Column("reinspection_of_id", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "household_id"],
            ["households.organisation_id", "households.id"],
            name=op.f("fk_key_targets_inspections_organisation_id_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "inspector_id"],
            ["participants.organisation_id", "participants.id"],
            name=op.f("fk_key_targets_inspections_organisation_id_inspector_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "reinspection_of_id"],
            ["key_targets_inspections.organisation_id", "key_targets_inspections.id"],
            name=op.f(
                "fk_key_targets_inspections_organisation_id_reinspection_of_id_key_targets_inspections"
            ),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_inspections_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_inspections")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_inspections_organisation_id_id")
        ),
    )
    op.create_table(
        "key_targets_progress_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "decision_id"],
            ["key_targets_conference_decisions.organisation_id", "key_targets_conference_decisions.id"],
            name=op.f(
                "fk_key_targets_progress_entries_organisation_id_decision_id_key_targets_conference_decisions"
            ),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "target_id"],
            ["key_targets_targets.organisation_id", "key_targets_targets.id"],
            name=op.f("fk_key_targets_progress_entries_organisation_id_target_id_key_targets_targets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_progress_entries_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_progress_entries")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_progress_entries_organisation_id_id")
        ),
    )
    op.create_table(
        "key_targets_shops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("shopped_on", sa.Date(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "scenario_id"],
            ["key_targets_scenarios.organisation_id", "key_targets_scenarios.id"],
            name=op.f("fk_key_targets_shops_organisation_id_scenario_id_key_targets_scenarios"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "shopper_id"],
            ["participants.organisation_id", "participants.id"],
            name=op.f("fk_key_targets_shops_organisation_id_shopper_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_shops_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_shops")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_key_targets_shops_organisation_id_id")),
    )
    op.create_table(
        "key_targets_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("action_item_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "action_item_id"],
            ["action_plan_items.organisation_id", "action_plan_items.id"],
            name=op.f("fk_key_targets_findings_organisation_id_action_item_id_action_plan_items"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "shop_id"],
            ["key_targets_shops.organisation_id", "key_targets_shops.id"],
            name=op.f("fk_key_targets_findings_organisation_id_shop_id_key_targets_shops"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_findings_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_findings")),
        sa.UniqueConstraint("organisation_id", "id", name=op.f("uq_key_targets_findings_organisation_id_id")),
    )
    op.create_table(
        "key_targets_inspection_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=60), nullable=False),
        sa.Column("item_label", sa.String(length=200), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("action_item_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "action_item_id"],
            ["action_plan_items.organisation_id", "action_plan_items.id"],
            name=op.f("fk_key_targets_inspection_results_organisation_id_action_item_id_action_plan_items"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "inspection_id"],
            ["key_targets_inspections.organisation_id", "key_targets_inspections.id"],
            name=op.f(
                "fk_key_targets_inspection_results_organisation_id_inspection_id_key_targets_inspections"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_inspection_results_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_inspection_results")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_inspection_results_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "inspection_id",
            "item_key",
            name=op.f("uq_key_targets_inspection_results_organisation_id_inspection_id_item_key"),
        ),
    )
    op.create_table(
        "key_targets_shop_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=60), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "shop_id"],
            ["key_targets_shops.organisation_id", "key_targets_shops.id"],
            name=op.f("fk_key_targets_shop_scores_organisation_id_shop_id_key_targets_shops"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_key_targets_shop_scores_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_targets_shop_scores")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_key_targets_shop_scores_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "shop_id",
            "criterion",
            name=op.f("uq_key_targets_shop_scores_organisation_id_shop_id_criterion"),
        ),
    )
    enable_rls("key_targets_conferences")
    enable_rls("key_targets_phases")
    enable_rls("key_targets_scenarios")
    enable_rls("key_targets_strands")
    enable_rls("key_targets_strand_opportunities")
    enable_rls("key_targets_targets")
    enable_rls("key_targets_conference_decisions")
    enable_rls("key_targets_deadlines")
    enable_rls("key_targets_strand_bodies")
    enable_rls("key_targets_inspections")
    enable_rls("key_targets_progress_entries")
    enable_rls("key_targets_shops")
    enable_rls("key_targets_findings")
    enable_rls("key_targets_inspection_results")
    enable_rls("key_targets_shop_scores")


def downgrade():
    disable_rls("key_targets_shop_scores")
    op.drop_table("key_targets_shop_scores")
    disable_rls("key_targets_inspection_results")
    op.drop_table("key_targets_inspection_results")
    disable_rls("key_targets_findings")
    op.drop_table("key_targets_findings")
    disable_rls("key_targets_shops")
    op.drop_table("key_targets_shops")
    disable_rls("key_targets_progress_entries")
    op.drop_table("key_targets_progress_entries")
    disable_rls("key_targets_inspections")
    op.drop_table("key_targets_inspections")
    disable_rls("key_targets_strand_bodies")
    op.drop_table("key_targets_strand_bodies")
    disable_rls("key_targets_deadlines")
    op.drop_table("key_targets_deadlines")
    disable_rls("key_targets_conference_decisions")
    op.drop_table("key_targets_conference_decisions")
    disable_rls("key_targets_targets")
    op.drop_table("key_targets_targets")
    disable_rls("key_targets_strand_opportunities")
    op.drop_table("key_targets_strand_opportunities")
    disable_rls("key_targets_strands")
    op.drop_table("key_targets_strands")
    disable_rls("key_targets_scenarios")
    op.drop_table("key_targets_scenarios")
    disable_rls("key_targets_phases")
    op.drop_table("key_targets_phases")
    disable_rls("key_targets_conferences")
    op.drop_table("key_targets_conferences")
