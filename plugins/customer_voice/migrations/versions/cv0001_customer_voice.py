"""customer_voice plugin: forums, challenges, feedback, I&K events, CHAIN, scrutiny, volunteering, standards

Revision ID: cv0001
Revises: (none; depends on 0003_surveys_kpis)
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "cv0001"
down_revision = None
branch_labels = ("customer_voice",)
depends_on = "0003_surveys_kpis"

TABLES = (
    "customer_voice_scrutiny_reviews",
    "customer_voice_standards_reports",
    "customer_voice_evidence_requests",
    "customer_voice_feedback",
    "customer_voice_standards_assessments",
    "customer_voice_chain_projects",
    "customer_voice_forums",
    "customer_voice_scrutiny_groups",
    "customer_voice_chain_improvements",
    "customer_voice_challenges",
    "customer_voice_estate_ratings",
    "customer_voice_ik_events",
    "customer_voice_review_recommendations",
    "customer_voice_volunteer_sessions",
    "customer_voice_estate_scores",
    "customer_voice_member_reasons",
)


def upgrade():
    op.create_table(
        "customer_voice_scrutiny_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("service_area", sa.String(length=50), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("report_due_on", sa.Date(), nullable=True),
        sa.Column("report_published_on", sa.Date(), nullable=True),
        sa.Column("report_summary", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_scrutiny_reviews_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_scrutiny_reviews")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_scrutiny_reviews_organisation_id_id")
        ),
    )
    op.create_table(
        "customer_voice_standards_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("presented_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_standards_reports_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_standards_reports")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_standards_reports_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "period_start",
            name=op.f("uq_customer_voice_standards_reports_organisation_id_period_start"),
        ),
    )
    op.create_table(
        "customer_voice_evidence_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "review_id"],
            ["customer_voice_scrutiny_reviews.organisation_id", "customer_voice_scrutiny_reviews.id"],
            name=op.f(
                "fk_customer_voice_evidence_requests_organisation_id_review_id_customer_voice_scrutiny_reviews"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_evidence_requests_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_evidence_requests")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_evidence_requests_organisation_id_id")
        ),
    )
    op.create_table(
        "customer_voice_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("service_area", sa.String(length=50), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "area_id"],
            ["areas.organisation_id", "areas.id"],
            name=op.f("fk_customer_voice_feedback_organisation_id_area_id_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_feedback_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_feedback")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_feedback_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id", "reference", name=op.f("uq_customer_voice_feedback_organisation_id_reference")
        ),
    )
    op.create_index(
        op.f("ix_customer_voice_feedback_received_on"),
        "customer_voice_feedback",
        ["received_on"],
        unique=False,
    )
    op.create_table(
        "customer_voice_standards_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("expectation", sa.String(length=50), nullable=False),
        sa.Column("rating", sa.String(length=20), nullable=False),
        sa.Column("commentary", sa.Text(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "report_id"],
            ["customer_voice_standards_reports.organisation_id", "customer_voice_standards_reports.id"],
            name=op.f(
                "fk_customer_voice_standards_assessments_organisation_id_report_id_customer_voice_standards_reports"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_standards_assessments_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_standards_assessments")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_standards_assessments_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "report_id",
            "expectation",
            name=op.f("uq_customer_voice_standards_assessments_organisation_id_report_id_expectation"),
        ),
    )
    op.create_table(
        "customer_voice_chain_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("scope_type", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("planned_end_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "body_id"],
            ["bodies.organisation_id", "bodies.id"],
            name=op.f("fk_customer_voice_chain_projects_organisation_id_body_id_bodies"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_chain_projects_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_chain_projects")),
        sa.UniqueConstraint(
            "organisation_id",
            "body_id",
            name=op.f("uq_customer_voice_chain_projects_organisation_id_body_id"),
        ),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_chain_projects_organisation_id_id")
        ),
    )
    op.create_table(
        "customer_voice_forums",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "body_id"],
            ["bodies.organisation_id", "bodies.id"],
            name=op.f("fk_customer_voice_forums_organisation_id_body_id_bodies"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_forums_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_forums")),
        sa.UniqueConstraint(
            "organisation_id", "body_id", name=op.f("uq_customer_voice_forums_organisation_id_body_id")
        ),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_forums_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id", "slot", name=op.f("uq_customer_voice_forums_organisation_id_slot")
        ),
    )
    op.create_table(
        "customer_voice_scrutiny_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "body_id"],
            ["bodies.organisation_id", "bodies.id"],
            name=op.f("fk_customer_voice_scrutiny_groups_organisation_id_body_id_bodies"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_scrutiny_groups_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_scrutiny_groups")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_scrutiny_groups_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id", "slot", name=op.f("uq_customer_voice_scrutiny_groups_organisation_id_slot")
        ),
    )
    op.create_table(
        "customer_voice_chain_improvements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "improvement_id"],
            ["improvements.organisation_id", "improvements.id"],
            name=op.f("fk_customer_voice_chain_improvements_organisation_id_improvement_id_improvements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "project_id"],
            ["customer_voice_chain_projects.organisation_id", "customer_voice_chain_projects.id"],
            name=op.f(
                "fk_customer_voice_chain_improvements_organisation_id_project_id_customer_voice_chain_projects"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_chain_improvements_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_chain_improvements")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_chain_improvements_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "project_id",
            "improvement_id",
            name=op.f("uq_customer_voice_chain_improvements_organisation_id_project_id_improvement_id"),
        ),
    )
    op.create_table(
        "customer_voice_challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("service_area", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("response_due_on", sa.Date(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "forum_id"],
            ["customer_voice_forums.organisation_id", "customer_voice_forums.id"],
            name=op.f("fk_customer_voice_challenges_organisation_id_forum_id_customer_voice_forums"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_challenges_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_challenges")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_challenges_organisation_id_id")
        ),
    )
    op.create_table(
        "customer_voice_estate_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "area_id"],
            ["areas.organisation_id", "areas.id"],
            name=op.f("fk_customer_voice_estate_ratings_organisation_id_area_id_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "participant_id"],
            ["participants.organisation_id", "participants.id"],
            name=op.f("fk_customer_voice_estate_ratings_organisation_id_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_estate_ratings_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_estate_ratings")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_estate_ratings_organisation_id_id")
        ),
    )
    op.create_index(
        op.f("ix_customer_voice_estate_ratings_visited_on"),
        "customer_voice_estate_ratings",
        ["visited_on"],
        unique=False,
    )
    op.create_table(
        "customer_voice_ik_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("schedule_year", sa.String(length=7), nullable=True),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "activity_id"],
            ["activities.organisation_id", "activities.id"],
            name=op.f("fk_customer_voice_ik_events_organisation_id_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_ik_events_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_ik_events")),
        sa.UniqueConstraint(
            "organisation_id",
            "activity_id",
            name=op.f("uq_customer_voice_ik_events_organisation_id_activity_id"),
        ),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_ik_events_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "schedule_year",
            "slot",
            name=op.f("uq_customer_voice_ik_events_organisation_id_schedule_year_slot"),
        ),
    )
    op.create_table(
        "customer_voice_review_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("implemented_on", sa.Date(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "recommendation_id"],
            ["recommendations.organisation_id", "recommendations.id"],
            name=op.f(
                "fk_customer_voice_review_recommendations_organisation_id_recommendation_id_recommendations"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "review_id"],
            ["customer_voice_scrutiny_reviews.organisation_id", "customer_voice_scrutiny_reviews.id"],
            name=op.f(
                "fk_customer_voice_review_recommendations_organisation_id_review_id_customer_voice_scrutiny_reviews"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_review_recommendations_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_review_recommendations")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_review_recommendations_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "recommendation_id",
            name=op.f("uq_customer_voice_review_recommendations_organisation_id_recommendation_id"),
        ),
    )
    op.create_table(
        "customer_voice_volunteer_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "activity_id"],
            ["activities.organisation_id", "activities.id"],
            name=op.f("fk_customer_voice_volunteer_sessions_organisation_id_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_volunteer_sessions_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_volunteer_sessions")),
        sa.UniqueConstraint(
            "organisation_id",
            "activity_id",
            name=op.f("uq_customer_voice_volunteer_sessions_organisation_id_activity_id"),
        ),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_volunteer_sessions_organisation_id_id")
        ),
    )
    op.create_table(
        "customer_voice_estate_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=50), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "rating_id"],
            ["customer_voice_estate_ratings.organisation_id", "customer_voice_estate_ratings.id"],
            name=op.f(
                "fk_customer_voice_estate_scores_organisation_id_rating_id_customer_voice_estate_ratings"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_estate_scores_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_estate_scores")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_estate_scores_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "rating_id",
            "criterion",
            name=op.f("uq_customer_voice_estate_scores_organisation_id_rating_id_criterion"),
        ),
    )
    op.create_table(
        "customer_voice_member_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "membership_id"],
            ["body_memberships.organisation_id", "body_memberships.id"],
            name=op.f("fk_customer_voice_member_reasons_organisation_id_membership_id_body_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_customer_voice_member_reasons_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_voice_member_reasons")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_customer_voice_member_reasons_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "membership_id",
            name=op.f("uq_customer_voice_member_reasons_organisation_id_membership_id"),
        ),
    )
    for table in TABLES:
        enable_rls(table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(table)
        op.drop_table(table)
