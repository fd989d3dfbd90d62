"""Participants and their involvement preferences; equality monitoring kept apart; customer profile.

Equality monitoring is special-category data: its own table, never joined into participant
reads, readable only through aggregate queries (and the person's own subject-access export).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key


class Participant(OrgOwned, db.Model):
    __tablename__ = "participants"
    __audited__ = True
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "reference"),
        org_foreign_key("household_id", "households"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(64))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    household_id: Mapped[int | None] = mapped_column()
    is_tenancy_holder: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    preferred_level: Mapped[str | None] = mapped_column(String(30))
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(50))
    access_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_consent: Mapped[bool] = mapped_column(default=False)
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    consent_method: Mapped[str | None] = mapped_column(String(20))
    representative_name: Mapped[str | None] = mapped_column(String(200))
    representative_contact: Mapped[str | None] = mapped_column(String(200))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class EqualityMonitoring(OrgOwned, db.Model):
    """One person's voluntary answers; every field optional, each may be prefer_not_to_say."""

    __tablename__ = "equality_monitoring"
    __audited__ = True
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "participant_id"),
        org_foreign_key("participant_id", "participants", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    age_band: Mapped[str | None] = mapped_column(String(30))
    sex: Mapped[str | None] = mapped_column(String(30))
    ethnicity: Mapped[str | None] = mapped_column(String(30))
    disability: Mapped[str | None] = mapped_column(String(30))
    religion: Mapped[str | None] = mapped_column(String(30))
    sexual_orientation: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = created_at_column()


class MonitoringObjection(OrgOwned, db.Model):
    """A written objection: the person's monitoring data is deleted and never collected again."""

    __tablename__ = "monitoring_objections"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "participant_id"),
        org_foreign_key("participant_id", "participants", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    objected_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class CustomerProfileCount(OrgOwned, db.Model):
    """How many of all the organisation's customers fall in one category of a characteristic."""

    __tablename__ = "customer_profile_counts"
    __org_table_args__ = (UniqueConstraint("organisation_id", "characteristic", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    characteristic: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(30))
    count: Mapped[int] = mapped_column()
    as_of: Mapped[date | None] = mapped_column(Date)


class EqualitySnapshot(OrgOwned, db.Model):
    """The published equality monitoring counts of one population for one characteristic.

    Monitoring aggregates are never computed on demand: a daily job counts each population
    (``register``: everyone on the register; ``involved``: people involved in a financial year)
    and replaces the published counts only when enough people changed since the last
    publication (``core.services.monitoring``). ``taken_on`` is the last day the job looked,
    ``published_on`` the day these counts were first published.
    """

    __tablename__ = "equality_snapshots"
    __org_table_args__ = (UniqueConstraint("organisation_id", "population", "period", "characteristic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    population: Mapped[str] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(12))
    characteristic: Mapped[str] = mapped_column(String(30))
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    recorded: Mapped[int] = mapped_column(default=0)
    taken_on: Mapped[date] = mapped_column(Date)
    published_on: Mapped[date] = mapped_column(Date)
