"""Tables of the partner statements plugin (all ``partner_statements_*``, organisation-owned).

Rows a partner keeps about itself: its versioned Statement of Resident and Service User
Involvement, its yearly self-assessment against the group's Customer First Standard, its action
plan (a core ``ActionPlan`` plus the weaknesses it must answer and the links from each weakness to
actions), its involvement budget and its RASP nominations.

Rows the group keeps in its own organisation: its reviews of partners' impact assessments and the
RASP panel itself. A panel member row holds only a display name and the partner organisation's id
(``organisations`` is a global table, so a plain foreign key is right there); nothing else about the
resident ever leaves the partner.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key

STATEMENT_STATUSES = ("draft", "approved", "published", "superseded")
RATINGS = ("met", "partly", "not_met")
# "reopened": was approved, then an action answering a weakness was dropped or deleted.
PLAN_STATUSES = ("draft", "approved", "reopened")
WEAKNESS_SOURCES = ("commitment", "kpi", "review")
REVIEW_OUTCOMES = ("accepted", "changes_requested")
NOMINATION_STATUSES = ("nominated", "withdrawn")


class Statement(OrgOwned, db.Model):
    """One version of a partner's Statement of Resident and Service User Involvement (seed 5.2–5.3)."""

    __tablename__ = "partner_statements_statements"
    __org_table_args__ = (UniqueConstraint("organisation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="draft")
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")
    encouraging_involvement: Mapped[str] = mapped_column(Text, default="")
    using_feedback: Mapped[str] = mapped_column(Text, default="")
    ways_to_get_involved: Mapped[list[str]] = mapped_column(JSON, default=list)
    change_summary: Mapped[str | None] = mapped_column(String(500))
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class StandardAssessment(OrgOwned, db.Model):
    """A partner's rating of itself against one Customer First commitment for one financial year.

    The commitment's reference and title are copied in, so the record still reads correctly if
    the group later rewords its standard; ``indicators`` holds the figures taken from the records
    when the rating was saved.
    """

    __tablename__ = "partner_statements_standard_assessments"
    __org_table_args__ = (UniqueConstraint("organisation_id", "period", "commitment_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(12))
    commitment_key: Mapped[str] = mapped_column(String(60))
    commitment_ref: Mapped[str] = mapped_column(String(20))
    commitment_title: Mapped[str] = mapped_column(String(300))
    rating: Mapped[str] = mapped_column(String(10))
    evidence: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[dict] = mapped_column(JSON, default=dict)
    assessed_on: Mapped[date] = mapped_column(Date)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class PartnerActionPlan(OrgOwned, db.Model):
    """The yearly action plan answering one year's impact assessment (seed 5.5).

    ``assessed_period`` is the year whose weaknesses it answers; the actions live in the core
    ``ActionPlan`` named by ``action_plan_id`` (usually for the following year).
    """

    __tablename__ = "partner_statements_action_plans"
    __org_table_args__ = (
        org_foreign_key("action_plan_id", "action_plans"),
        UniqueConstraint("organisation_id", "assessed_period"),
        UniqueConstraint("organisation_id", "action_plan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessed_period: Mapped[str] = mapped_column(String(12))
    action_plan_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="draft")
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class Weakness(OrgOwned, db.Model):
    """A weakness the plan must answer: a commitment not met, a KPI below target, or one the
    group raised in its review."""

    __tablename__ = "partner_statements_weaknesses"
    __org_table_args__ = (
        org_foreign_key("plan_id", "partner_statements_action_plans", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "plan_id", "source", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(String(500))
    # False once the records no longer show it (e.g. a rating was corrected); kept for history.
    current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()


class WeaknessAction(OrgOwned, db.Model):
    """An action (core action plan item) that answers a weakness, with the outputs it will deliver."""

    __tablename__ = "partner_statements_weakness_actions"
    __org_table_args__ = (
        org_foreign_key("weakness_id", "partner_statements_weaknesses", ondelete="CASCADE"),
        org_foreign_key("action_item_id", "action_plan_items", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "weakness_id", "action_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weakness_id: Mapped[int] = mapped_column()
    action_item_id: Mapped[int] = mapped_column()
    outputs: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class InvolvementBudget(OrgOwned, db.Model):
    """The money a partner sets aside for involvement in a financial year (seed 3.10)."""

    __tablename__ = "partner_statements_budgets"
    __org_table_args__ = (UniqueConstraint("organisation_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(12))
    amount_pence: Mapped[int] = mapped_column()
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()


class RaspNomination(OrgOwned, db.Model):
    """A partner's nomination of one of its residents to the group's RASP, with the consent given."""

    __tablename__ = "partner_statements_rasp_nominations"
    __org_table_args__ = (org_foreign_key("participant_id", "participants"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    display_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="nominated")
    consent_given_on: Mapped[date] = mapped_column(Date)
    consent_method: Mapped[str] = mapped_column(String(20))
    nominated_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    # The id of the panel row in the group's organisation (not a foreign key: it is another
    # organisation's record, reachable only through the narrow write in services.rasp).
    panel_member_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class RaspMember(OrgOwned, db.Model):
    """A seat on the group's RASP: the nominee's display name and partner, nothing else (seed 9.1)."""

    __tablename__ = "partner_statements_rasp_members"
    __org_table_args__ = (UniqueConstraint("organisation_id", "partner_id", "nomination_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    nomination_ref: Mapped[int] = mapped_column()
    display_name: Mapped[str] = mapped_column(String(120))
    joined_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class AssessmentReview(OrgOwned, db.Model):
    """The group's review of one partner's published impact assessment for a year (seed 7.2)."""

    __tablename__ = "partner_statements_assessment_reviews"
    __org_table_args__ = (UniqueConstraint("organisation_id", "partner_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    period: Mapped[str] = mapped_column(String(12))
    outcome: Mapped[str] = mapped_column(String(20))
    comments: Mapped[str] = mapped_column(Text, default="")
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
