"""Halton's involvement records: street representatives and their patches, views put forward,
the Customer Forum's environmental budget, the Customer Panel, estate walkabouts, customer
inspectors, grants to residents' groups and Trust membership.

Every table is organisation-owned and points at other organisation-owned rows (its own or core's)
through composite foreign keys, so the database itself refuses a link into another organisation.
The rules that need counting (the 30 tenancy holders, the budget, one start-up grant) live in the
services; the unique constraints here are the last line of defence when two requests race.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key

# -- street representatives -----------------------------------------------------------------


class StreetRep(OrgOwned, db.Model):
    """A resident appointed to speak for the tenancy holders of a patch of households."""

    __tablename__ = "street_reps_reps"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "participant_id"),
        org_foreign_key("participant_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    patch_name: Mapped[str] = mapped_column(String(200))
    appointed_on: Mapped[date] = mapped_column(Date)
    stood_down_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class PatchHousehold(OrgOwned, db.Model):
    """One household in a representative's patch; a household has one representative at most."""

    __tablename__ = "street_reps_patch_households"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "household_id"),
        org_foreign_key("rep_id", "street_reps_reps", ondelete="CASCADE"),
        org_foreign_key("household_id", "households"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(index=True)
    household_id: Mapped[int] = mapped_column()
    added_on: Mapped[date] = mapped_column(Date)


class RepView(OrgOwned, db.Model):
    """A view a representative put forward on a housing-policy issue, and the Trust's answer."""

    __tablename__ = "street_reps_views"
    __org_table_args__ = (org_foreign_key("rep_id", "street_reps_reps", ondelete="CASCADE"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(index=True)
    topic: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(String(300))
    view: Mapped[str] = mapped_column(Text)
    submitted_on: Mapped[date] = mapped_column(Date)
    answer_due_on: Mapped[date | None] = mapped_column(Date)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    created_at: Mapped[datetime] = created_at_column()


# -- Customer Forum budget ------------------------------------------------------------------


class ForumBudget(OrgOwned, db.Model):
    """The Customer Forum's budget for local environmental issues for one financial year."""

    __tablename__ = "street_reps_forum_budgets"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "period"),
        org_foreign_key("body_id", "bodies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(12))
    amount_pence: Mapped[int] = mapped_column()
    body_id: Mapped[int | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class ForumAllocation(OrgOwned, db.Model):
    """Money the Forum allocated from its budget to one local environmental issue.

    Each allocation is also a row of core spend (``spend_id``), so involvement spend and spend per
    household include it without double entry.
    """

    __tablename__ = "street_reps_forum_allocations"
    __org_table_args__ = (
        org_foreign_key("budget_id", "street_reps_forum_budgets"),
        org_foreign_key("area_id", "areas"),
        org_foreign_key("spend_id", "spend"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    area_id: Mapped[int | None] = mapped_column()
    amount_pence: Mapped[int] = mapped_column()
    allocated_on: Mapped[date] = mapped_column(Date)
    spend_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


# -- Customer Panel -------------------------------------------------------------------------


class PanelMember(OrgOwned, db.Model):
    """A resident in the Customer Panel pool, with how they like to be asked (post or phone)."""

    __tablename__ = "street_reps_panel_members"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "participant_id"),
        org_foreign_key("participant_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    channel: Mapped[str] = mapped_column(String(20))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class PanelWave(OrgOwned, db.Model):
    """One round of Customer Panel consultation, sent to the members in the pool that day."""

    __tablename__ = "street_reps_panel_waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(60))
    sent_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class PanelContact(OrgOwned, db.Model):
    """A wave sent to one member by one channel, and whether (and when) they answered."""

    __tablename__ = "street_reps_panel_contacts"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "wave_id", "member_id"),
        org_foreign_key("wave_id", "street_reps_panel_waves", ondelete="CASCADE"),
        org_foreign_key("member_id", "street_reps_panel_members"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(index=True)
    member_id: Mapped[int] = mapped_column()
    channel: Mapped[str] = mapped_column(String(20))
    responded_on: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)


# -- estate walkabouts and neighbourhood action plans ---------------------------------------


class NeighbourhoodPlan(OrgOwned, db.Model):
    """Links an area to its neighbourhood action plan (a core action plan) for a financial year."""

    __tablename__ = "street_reps_neighbourhood_plans"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "area_id", "period"),
        UniqueConstraint("organisation_id", "plan_id"),
        org_foreign_key("area_id", "areas"),
        org_foreign_key("plan_id", "action_plans", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column()
    period: Mapped[str] = mapped_column(String(12))
    plan_id: Mapped[int] = mapped_column()
    local_priorities: Mapped[list[str]] = mapped_column(JSON, default=list)


class Walkabout(OrgOwned, db.Model):
    """An estate walkabout on the timetable agreed with residents, and its published outcome."""

    __tablename__ = "street_reps_walkabouts"
    __org_table_args__ = (org_foreign_key("area_id", "areas"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    meeting_point: Mapped[str] = mapped_column(String(300))
    agencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    published: Mapped[bool] = mapped_column(default=False)
    agreed_with_residents_on: Mapped[date | None] = mapped_column(Date)
    outcome_summary: Mapped[str | None] = mapped_column(Text)
    outcome_published_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class WalkaboutIssue(OrgOwned, db.Model):
    """A problem found on a walkabout; its action is an item of the area's neighbourhood plan."""

    __tablename__ = "street_reps_walkabout_issues"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "action_item_id"),
        org_foreign_key("walkabout_id", "street_reps_walkabouts", ondelete="CASCADE"),
        org_foreign_key("action_item_id", "action_plan_items", ondelete="SET NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    walkabout_id: Mapped[int] = mapped_column(index=True)
    location: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    action_item_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


# -- grants to residents' groups ------------------------------------------------------------


class Grant(OrgOwned, db.Model):
    """A grant application by a residents' group (a core body), through assessment to payment.

    ``start_up_body_id`` repeats ``body_id`` only on a start-up grant that is not refused, so the
    unique constraint lets each group have one such grant at most, even when two requests race.
    """

    __tablename__ = "street_reps_grants"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "start_up_body_id"),
        org_foreign_key("body_id", "bodies"),
        org_foreign_key("spend_id", "spend"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    start_up_body_id: Mapped[int | None] = mapped_column()
    grant_type: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(Text)
    requested_pence: Mapped[int] = mapped_column()
    applied_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="applied")
    assessment: Mapped[str | None] = mapped_column(Text)
    assessed_on: Mapped[date | None] = mapped_column(Date)
    awarded_pence: Mapped[int | None] = mapped_column()
    awarded_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    spend_id: Mapped[int | None] = mapped_column()
    monitoring_due_on: Mapped[date | None] = mapped_column(Date)
    monitoring_received_on: Mapped[date | None] = mapped_column(Date)
    monitoring_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


# -- customer inspectors --------------------------------------------------------------------


class Inspector(OrgOwned, db.Model):
    """A resident in the customer inspectors' pool."""

    __tablename__ = "street_reps_inspectors"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "participant_id"),
        org_foreign_key("participant_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class InspectorTraining(OrgOwned, db.Model):
    """A course an inspector completed (reality checking, report writing…)."""

    __tablename__ = "street_reps_inspector_training"
    __org_table_args__ = (org_foreign_key("inspector_id", "street_reps_inspectors", ondelete="CASCADE"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(index=True)
    course: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    provider: Mapped[str | None] = mapped_column(String(200))


class Inspection(OrgOwned, db.Model):
    """A reality check of a service by trained inspectors, with findings and suggestions.

    An accepted suggestion becomes a core service improvement (``improvement_id``).
    """

    __tablename__ = "street_reps_inspections"
    __org_table_args__ = (org_foreign_key("improvement_id", "improvements", ondelete="SET NULL"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(200))
    inspected_on: Mapped[date] = mapped_column(Date)
    inspector_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    findings: Mapped[str] = mapped_column(Text)
    suggested_improvements: Mapped[str | None] = mapped_column(Text)
    improvement_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


# -- Trust membership -----------------------------------------------------------------------


class TrustMember(OrgOwned, db.Model):
    """A tenancy holder registered as a Member of the Trust."""

    __tablename__ = "street_reps_trust_members"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "participant_id"),
        org_foreign_key("participant_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class AgmAttendance(OrgOwned, db.Model):
    """A Member attending an Annual General Meeting (a core activity)."""

    __tablename__ = "street_reps_agm_attendance"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "activity_id", "member_id"),
        org_foreign_key("activity_id", "activities", ondelete="CASCADE"),
        org_foreign_key("member_id", "street_reps_trust_members"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column()
    member_id: Mapped[int] = mapped_column()


class AgmVote(OrgOwned, db.Model):
    """The Members' vote at an AGM on appointing an Independent Board Member (totals)."""

    __tablename__ = "street_reps_agm_votes"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "activity_id", "candidate"),
        org_foreign_key("activity_id", "activities", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column()
    candidate: Mapped[str] = mapped_column(String(200))
    votes_for: Mapped[int] = mapped_column()
    votes_against: Mapped[int] = mapped_column()
    abstentions: Mapped[int] = mapped_column(default=0)
    appointed: Mapped[bool] = mapped_column()


class ForumAttendance(OrgOwned, db.Model):
    """A councillor or independent member of the Customer Forum present at one of its meetings.

    Residents' attendance is core participation; the councillors and independent members are
    usually external members (a name on a seat), so their presence is recorded against their
    seat (a core body membership) to tell the Forum's full-membership meetings apart.
    """

    __tablename__ = "street_reps_forum_attendance"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "activity_id", "membership_id"),
        org_foreign_key("activity_id", "activities", ondelete="CASCADE"),
        org_foreign_key("membership_id", "body_memberships", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column()
    membership_id: Mapped[int] = mapped_column()
