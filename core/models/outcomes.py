"""What involvement changed and cost: service improvements, action plans, spend; the audit log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key


class Improvement(OrgOwned, db.Model):
    """A service improvement made because of involvement, linked to where it came from."""

    __tablename__ = "improvements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    implemented_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="other")
    # The id of the consultation / recommendation / … named by source (checked by the service).
    source_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class ActionPlan(OrgOwned, db.Model):
    __tablename__ = "action_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    period: Mapped[str] = mapped_column(String(12))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class ActionPlanItem(OrgOwned, db.Model):
    __tablename__ = "action_plan_items"
    __org_table_args__ = (org_foreign_key("plan_id", "action_plans", ondelete="CASCADE"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    progress: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class Spend(OrgOwned, db.Model):
    """Involvement spend in integer pence."""

    __tablename__ = "spend"
    __org_table_args__ = (org_foreign_key("activity_id", "activities"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spent_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20))
    amount_pence: Mapped[int] = mapped_column()
    activity_id: Mapped[int | None] = mapped_column()
    description: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()


class AuditEvent(OrgOwned, db.Model):
    """Who created, changed, exported or erased a personal record, and when (never the values)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[int | None] = mapped_column()
    fields: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()


class Notification(OrgOwned, db.Model):
    """A message to staff inside Involve (e.g. consultation feedback falling due).

    Addressed to one user (``user_id``) or to a role in the organisation (``role``): a message to a
    role reaches everyone whose role there is that one or a higher one (``viewer`` < ``staff`` <
    ``org_admin``), as permissions do, including people who join later. ``read_at`` records when
    the addressee read a message to one user; each reader of a message to a role has a
    :class:`NotificationRead` instead, so one officer reading it does not mark it read for the rest.
    ``key`` makes a repeated job idempotent: the same reminder is never stored twice.
    """

    __tablename__ = "notifications"
    __org_table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationRead(OrgOwned, db.Model):
    """One user having read a notification addressed to their role."""

    __tablename__ = "notification_reads"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "notification_id", "user_id"),
        org_foreign_key("notification_id", "notifications", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
