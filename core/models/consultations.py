"""Consultations, their responses and the published "you said, we did" feedback."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key


class Consultation(OrgOwned, db.Model):
    __tablename__ = "consultations"
    __org_table_args__ = (org_foreign_key("area_id", "areas"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(100))
    # What the consultation is about when its topic is "other" (not on the organisation's list).
    topic_description: Mapped[str | None] = mapped_column(String(300))
    audience: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    feedback_due_on: Mapped[date] = mapped_column(Date)
    # The organisation's promise: closes_on + its feedback period. ``feedback_on_time`` is measured
    # against this date, so moving feedback_due_on later cannot make late feedback count as on time.
    # Null only for consultations recorded before the guarantee was kept (their due date stands).
    feedback_guaranteed_by: Mapped[date | None] = mapped_column(Date)
    # A due date beyond the guarantee is an extension: an org admin records why, and it is shown.
    feedback_extension_reason: Mapped[str | None] = mapped_column(Text)
    feedback_extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled: Mapped[bool] = mapped_column(default=False)
    # The member of staff who owns the feedback; notified as it falls due.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The area it concerns (none: the whole organisation); residents filter "you said, we did" by it.
    area_id: Mapped[int | None] = mapped_column()
    # The landlord's own easy-read version of the consultation, where it supplies one.
    easy_read_url: Mapped[str | None] = mapped_column(String(500))
    easy_read_description: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_at_column()


class ConsultationResponse(OrgOwned, db.Model):
    __tablename__ = "consultation_responses"
    __org_table_args__ = (
        org_foreign_key("consultation_id", "consultations", ondelete="CASCADE"),
        org_foreign_key("participant_id", "participants"),
        UniqueConstraint("organisation_id", "submission_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column()
    participant_id: Mapped[int | None] = mapped_column()
    channel: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[date] = mapped_column(Date)
    # Given (optionally) by someone answering online without being on the register.
    respondent_name: Mapped[str | None] = mapped_column(String(200))
    respondent_contact: Mapped[str | None] = mapped_column(String(254))
    # The online form's one-time token: a double submit records the response once.
    submission_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_at_column()


class ConsultationFeedback(OrgOwned, db.Model):
    """What residents said and what was done (or why not); one per consultation."""

    __tablename__ = "consultation_feedback"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "consultation_id"),
        org_foreign_key("consultation_id", "consultations", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column()
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str | None] = mapped_column(Text)
    # "...or why we didn't": the reason a suggestion was not taken up (seed 002, 3.9).
    why_we_did_not: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()
