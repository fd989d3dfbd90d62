"""Key targets' tables: involvement strands mapped to core records, the key-targets plan (phases,
targets, deadlines, progress log), tenant inspections of empty homes, mystery shopping and the
annual tenants' conference. All organisation-owned; every reference between them is a composite
foreign key, so the database refuses a row pointing into another organisation.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key

# -- levels of involvement (seed section 9) ------------------------------------------------------


class Strand(OrgOwned, db.Model):
    """One level of involvement (Board, Customer Forum, tenant inspectors…) with its stated outcome."""

    __tablename__ = "key_targets_strands"
    __org_table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()


class StrandOpportunity(OrgOwned, db.Model):
    """A core opportunity whose activities count towards a strand."""

    __tablename__ = "key_targets_strand_opportunities"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "strand_id", "opportunity_id"),
        org_foreign_key("strand_id", "key_targets_strands", ondelete="CASCADE"),
        org_foreign_key("opportunity_id", "opportunities", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    strand_id: Mapped[int] = mapped_column()
    opportunity_id: Mapped[int] = mapped_column()


class StrandBody(OrgOwned, db.Model):
    """A core governance body whose activities count towards a strand."""

    __tablename__ = "key_targets_strand_bodies"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "strand_id", "body_id"),
        org_foreign_key("strand_id", "key_targets_strands", ondelete="CASCADE"),
        org_foreign_key("body_id", "bodies", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    strand_id: Mapped[int] = mapped_column()
    body_id: Mapped[int] = mapped_column()


# -- key-targets plan (seed section 11) ----------------------------------------------------------


class Phase(OrgOwned, db.Model):
    """A period of the plan ("Year 1 – 1 April 2006 to 31 March 2007")."""

    __tablename__ = "key_targets_phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class Target(OrgOwned, db.Model):
    """A key target: what will be done, by whom, for which aim, and the outcome for tenants."""

    __tablename__ = "key_targets_targets"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "phase_id", "reference"),
        org_foreign_key("phase_id", "key_targets_phases"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column()
    reference: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(Text)
    strategic_aims: Mapped[list[str]] = mapped_column(JSON, default=list)
    responsibility: Mapped[list[str]] = mapped_column(JSON, default=list)
    core_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    kloe_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    continuous_review: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    outcome: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class Deadline(OrgOwned, db.Model):
    """One date a target is due (a yearly target has several); ``met_on`` once achieved."""

    __tablename__ = "key_targets_deadlines"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "target_id", "due_on"),
        org_foreign_key("target_id", "key_targets_targets", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column()
    due_on: Mapped[date] = mapped_column(Date)
    met_on: Mapped[date | None] = mapped_column(Date)


class ProgressEntry(OrgOwned, db.Model):
    """A dated line of a target's progress log (append-only), from an officer, an import or the
    annual conference."""

    __tablename__ = "key_targets_progress_entries"
    __org_table_args__ = (
        org_foreign_key("target_id", "key_targets_targets", ondelete="CASCADE"),
        org_foreign_key("decision_id", "key_targets_conference_decisions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column()
    recorded_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20), default="officer")
    decision_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


# -- tenant inspectors ---------------------------------------------------------------------------


class Inspection(OrgOwned, db.Model):
    """Tenant inspectors' check of an empty home before letting, against the relet standard."""

    __tablename__ = "key_targets_inspections"
    __org_table_args__ = (
        org_foreign_key("household_id", "households"),
        org_foreign_key("inspector_id", "participants"),
        org_foreign_key("reinspection_of_id", "key_targets_inspections"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column()
    inspected_on: Mapped[date] = mapped_column(Date)
    inspector_id: Mapped[int | None] = mapped_column()
    reinspection_of_id: Mapped[int | None] = mapped_column()
    passed: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class InspectionResult(OrgOwned, db.Model):
    """Pass or fail of one checklist item; a failure carries the action raised for it."""

    __tablename__ = "key_targets_inspection_results"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "inspection_id", "item_key"),
        org_foreign_key("inspection_id", "key_targets_inspections", ondelete="CASCADE"),
        org_foreign_key("action_item_id", "action_plan_items"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column()
    item_key: Mapped[str] = mapped_column(String(60))
    item_label: Mapped[str] = mapped_column(String(200))
    passed: Mapped[bool] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)
    action_item_id: Mapped[int | None] = mapped_column()


# -- mystery shopping ----------------------------------------------------------------------------


class Scenario(OrgOwned, db.Model):
    """A mystery-shopping scenario ("report a repair by phone") with the criteria it is scored on."""

    __tablename__ = "key_targets_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    criteria: Mapped[list[dict]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()


class Shop(OrgOwned, db.Model):
    """One mystery shop of a scenario, on a date, by a resident shopper."""

    __tablename__ = "key_targets_shops"
    __org_table_args__ = (
        org_foreign_key("scenario_id", "key_targets_scenarios"),
        org_foreign_key("shopper_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column()
    channel: Mapped[str] = mapped_column(String(20))
    shopped_on: Mapped[date] = mapped_column(Date)
    shopper_id: Mapped[int | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class ShopScore(OrgOwned, db.Model):
    __tablename__ = "key_targets_shop_scores"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "shop_id", "criterion"),
        org_foreign_key("shop_id", "key_targets_shops", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column()
    criterion: Mapped[str] = mapped_column(String(60))
    score: Mapped[int] = mapped_column()
    max_score: Mapped[int] = mapped_column()


class Finding(OrgOwned, db.Model):
    """Something a shopper found, turned into a core action-plan item."""

    __tablename__ = "key_targets_findings"
    __org_table_args__ = (
        org_foreign_key("shop_id", "key_targets_shops", ondelete="CASCADE"),
        org_foreign_key("action_item_id", "action_plan_items"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    action_item_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


# -- annual tenants' conference ------------------------------------------------------------------


class Conference(OrgOwned, db.Model):
    """The yearly conference where tenants and leaseholders review the strategy."""

    __tablename__ = "key_targets_conferences"
    __org_table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    attendance: Mapped[int | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class Decision(OrgOwned, db.Model):
    """A conference decision; when it names a target it changes the plan (logged on the target)."""

    __tablename__ = "key_targets_conference_decisions"
    __org_table_args__ = (
        org_foreign_key("conference_id", "key_targets_conferences", ondelete="CASCADE"),
        org_foreign_key("target_id", "key_targets_targets"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    target_id: Mapped[int | None] = mapped_column()
    change: Mapped[str] = mapped_column(String(20), default="none")
    created_at: Mapped[datetime] = created_at_column()
