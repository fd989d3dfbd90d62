"""Tables of the Customer Voice model, all organisation-owned and named ``customer_voice_*``.

Forums, CHAIN groups and the scrutiny group are core ``Body`` rows (so seats, meetings,
attendance and recommendations use the core records); these tables hold what the core does not:
which body plays which part, the reason a member from another area sits on a forum, challenges,
feedback items, the Information & Knowledge schedule, CHAIN projects, Ustoo reviews and their
evidence requests, volunteering sessions, Rate Your Estate visits and the six-monthly standards
reports with the officer's assessment of each expectation.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key


class Forum(OrgOwned, db.Model):
    """A Community Engagement Forum: the core body plus its slot (1…N, one per management area)."""

    __tablename__ = "customer_voice_forums"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "slot"),
        UniqueConstraint("organisation_id", "body_id"),
        org_foreign_key("body_id", "bodies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column()
    slot: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class ScrutinyGroup(OrgOwned, db.Model):
    """The body that is the organisation's independent scrutiny group (Ustoo at Gentoo); one per org."""

    __tablename__ = "customer_voice_scrutiny_groups"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "slot"),
        org_foreign_key("body_id", "bodies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column()
    slot: Mapped[int] = mapped_column(default=1)


class ForumMemberReason(OrgOwned, db.Model):
    """Why a resident of another management area sits on a forum (kept with the seat)."""

    __tablename__ = "customer_voice_member_reasons"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "membership_id"),
        org_foreign_key("membership_id", "body_memberships", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class Challenge(OrgOwned, db.Model):
    """A forum's challenge to a service, the landlord's response and the outcome."""

    __tablename__ = "customer_voice_challenges"
    __org_table_args__ = (org_foreign_key("forum_id", "customer_voice_forums"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column()
    service_area: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)
    response_due_on: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class FeedbackItem(OrgOwned, db.Model):
    """One piece of what customers said through a listening channel, for the voice packs."""

    __tablename__ = "customer_voice_feedback"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "reference"),
        org_foreign_key("area_id", "areas"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(30))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    service_area: Mapped[str] = mapped_column(String(50))
    area_id: Mapped[int | None] = mapped_column()
    sentiment: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class InformationEvent(OrgOwned, db.Model):
    """An Information & Knowledge event: a core activity (attendance on its participations)."""

    __tablename__ = "customer_voice_ik_events"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "activity_id"),
        UniqueConstraint("organisation_id", "schedule_year", "slot"),
        org_foreign_key("activity_id", "activities", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column()
    topic: Mapped[str] = mapped_column(String(200))
    # Financial year and place in it of a scheduled event; both empty for an extra event.
    schedule_year: Mapped[str | None] = mapped_column(String(7))
    slot: Mapped[int | None] = mapped_column()


class ChainProject(OrgOwned, db.Model):
    """A CHAIN task-and-finish group; its members and recommendations are on the core body."""

    __tablename__ = "customer_voice_chain_projects"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "body_id"),
        org_foreign_key("body_id", "bodies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    scope_type: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    planned_end_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")
    completed_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class ChainImprovement(OrgOwned, db.Model):
    """A service improvement a CHAIN project led to."""

    __tablename__ = "customer_voice_chain_improvements"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "project_id", "improvement_id"),
        org_foreign_key("project_id", "customer_voice_chain_projects", ondelete="CASCADE"),
        org_foreign_key("improvement_id", "improvements", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column()
    improvement_id: Mapped[int] = mapped_column()


class ScrutinyReview(OrgOwned, db.Model):
    """An independent scrutiny review by the scrutiny group, from scope to closure."""

    __tablename__ = "customer_voice_scrutiny_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)
    service_area: Mapped[str | None] = mapped_column(String(50))
    starts_on: Mapped[date] = mapped_column(Date)
    report_due_on: Mapped[date | None] = mapped_column(Date)
    report_published_on: Mapped[date | None] = mapped_column(Date)
    report_summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="scoping")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class EvidenceRequest(OrgOwned, db.Model):
    """What a review asked a service for, by when, and when it arrived."""

    __tablename__ = "customer_voice_evidence_requests"
    __org_table_args__ = (
        org_foreign_key("review_id", "customer_voice_scrutiny_reviews", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column()
    service: Mapped[str] = mapped_column(String(200))
    request: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class ReviewRecommendation(OrgOwned, db.Model):
    """A core recommendation made to Board by a review; ``implemented_on`` dates its closure."""

    __tablename__ = "customer_voice_review_recommendations"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "recommendation_id"),
        org_foreign_key("review_id", "customer_voice_scrutiny_reviews", ondelete="CASCADE"),
        org_foreign_key("recommendation_id", "recommendations", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column()
    recommendation_id: Mapped[int] = mapped_column()
    implemented_on: Mapped[date | None] = mapped_column(Date)


class VolunteerSession(OrgOwned, db.Model):
    """A volunteering session (a core activity; hours on its participations) in one role."""

    __tablename__ = "customer_voice_volunteer_sessions"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "activity_id"),
        org_foreign_key("activity_id", "activities", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column()
    role: Mapped[str] = mapped_column(String(50))


class EstateRating(OrgOwned, db.Model):
    """One Rate Your Estate visit: a volunteer scores an estate against every criterion."""

    __tablename__ = "customer_voice_estate_ratings"
    __org_table_args__ = (
        org_foreign_key("area_id", "areas"),
        org_foreign_key("participant_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column()
    participant_id: Mapped[int | None] = mapped_column()
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    comments: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class EstateScore(OrgOwned, db.Model):
    """The score (1 poor … 5 excellent) one visit gave one criterion."""

    __tablename__ = "customer_voice_estate_scores"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "rating_id", "criterion"),
        org_foreign_key("rating_id", "customer_voice_estate_ratings", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column()
    criterion: Mapped[str] = mapped_column(String(50))
    score: Mapped[int] = mapped_column()


class StandardsReport(OrgOwned, db.Model):
    """A report to Board on the involvement standard for one reporting window (6 months)."""

    __tablename__ = "customer_voice_standards_reports"
    __org_table_args__ = (UniqueConstraint("organisation_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    presented_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class StandardsAssessment(OrgOwned, db.Model):
    """The officer's judgement of one expectation of the standard in one report."""

    __tablename__ = "customer_voice_standards_assessments"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "report_id", "expectation"),
        org_foreign_key("report_id", "customer_voice_standards_reports", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column()
    expectation: Mapped[str] = mapped_column(String(50))
    rating: Mapped[str] = mapped_column(String(20))
    commentary: Mapped[str | None] = mapped_column(Text)
