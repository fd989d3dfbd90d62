"""Opportunities to get involved, venues, activities and who took part in them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, Index, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key


class Opportunity(OrgOwned, db.Model):
    """One way to get involved ("Your Voice", a panel, a survey), with its level and channel."""

    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    formal: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text)
    open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()


class Venue(OrgOwned, db.Model):
    """A place activities are held, with what it offers disabled people."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(500))
    features: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = created_at_column()


class Activity(OrgOwned, db.Model):
    """A meeting, event, walkabout, inspection, training, survey, volunteering session…"""

    __tablename__ = "activities"
    __org_table_args__ = (
        org_foreign_key("opportunity_id", "opportunities"),
        org_foreign_key("body_id", "bodies"),
        org_foreign_key("area_id", "areas"),
        org_foreign_key("venue_id", "venues"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    opportunity_id: Mapped[int | None] = mapped_column()
    body_id: Mapped[int | None] = mapped_column()
    area_id: Mapped[int | None] = mapped_column()
    venue_id: Mapped[int | None] = mapped_column()
    cost_pence: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(Text)
    # Listed on the residents' site and its calendar feed (staff choose; private by default).
    is_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = created_at_column()


class Participation(OrgOwned, db.Model):
    """One participant's part in one activity (invited/registered, attended or not)."""

    __tablename__ = "participations"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "activity_id", "participant_id"),
        org_foreign_key("activity_id", "activities", ondelete="CASCADE"),
        org_foreign_key("participant_id", "participants"),
        # Covers the KPI joins (who attended which activity) with an index-only scan on PostgreSQL.
        Index(
            "ix_participations_organisation_id_activity_id",
            "organisation_id",
            "activity_id",
            postgresql_include=["participant_id", "attended"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column()
    participant_id: Mapped[int] = mapped_column()
    role: Mapped[str] = mapped_column(String(20), default="attendee")
    attended: Mapped[bool] = mapped_column(default=True)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    expenses_pence: Mapped[int] = mapped_column(default=0)
    contribution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
