"""Governance bodies (boards, panels, forums…), their seats and members, and recommendations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key


class Body(OrgOwned, db.Model):
    __tablename__ = "bodies"
    __org_table_args__ = (org_foreign_key("area_id", "areas"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    decision_making: Mapped[bool] = mapped_column(default=False)
    seats_total: Mapped[int | None] = mapped_column()
    reserved_resident_seats: Mapped[int] = mapped_column(default=0)
    area_id: Mapped[int | None] = mapped_column()
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class BodyMembership(OrgOwned, db.Model):
    """A seat held on a body for a term: a participant, or an external member by name."""

    __tablename__ = "body_memberships"
    __audited__ = True
    __org_table_args__ = (
        org_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        org_foreign_key("participant_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column()
    participant_id: Mapped[int | None] = mapped_column()
    external_name: Mapped[str | None] = mapped_column(String(200))
    seat_type: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20), default="member")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class Recommendation(OrgOwned, db.Model):
    """A body's recommendation (e.g. from scrutiny) and the landlord's response with reasons."""

    __tablename__ = "recommendations"
    __org_table_args__ = (org_foreign_key("body_id", "bodies"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body_id: Mapped[int] = mapped_column()
    description: Mapped[str | None] = mapped_column(Text)
    made_on: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str | None] = mapped_column(String(20))
    response_reason: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), default="awaiting_response")
    created_at: Mapped[datetime] = created_at_column()
