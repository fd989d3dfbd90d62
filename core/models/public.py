"""What residents send through the public site before staff act on it: expressions of interest.

An ``InvolvementRequest`` is someone asking to get involved. It is *not* a participant: it is on no
register, in no KPI and in no participant list or API until a member of staff confirms it (a new
participant is created) or merges it into an existing participant. Equality monitoring answers given
after the request wait in ``equality_answers`` only until that decision, when they are recorded
through the same service as staff entry (``core.services.people.record_equality``) and wiped; no page
or API ever reads them back. Once decided, a request keeps no personal data: its names become empty,
its contact details and preferences are cleared, and only the decision trail remains.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key

REQUEST_STATUSES = ("pending", "confirmed", "merged", "declined")


class InvolvementRequest(OrgOwned, db.Model):
    __tablename__ = "involvement_requests"
    __org_table_args__ = (UniqueConstraint("organisation_id", "submission_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(500))
    preferred_level: Mapped[str | None] = mapped_column(String(30))
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_needs: Mapped[str | None] = mapped_column(Text)
    contact_consent: Mapped[bool] = mapped_column(default=False)
    consent_given_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # Set when confirmed (the new participant) or merged (the existing one). Not a foreign key: a
    # decided request keeps no personal data, only this trail, and must never stop the participant
    # being deleted or erased.
    participant_id: Mapped[int | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Voluntary answers held only until the decision; never shown (see the module docstring).
    equality_answers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The form's one-time token: a double submit finds the first request instead of adding another.
    submission_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_at_column()


class ResidentSignInLink(OrgOwned, db.Model):
    """A one-time sign-in link e-mailed to a resident (issue 16 item 7): only the SHA-256 of its
    secret is kept; it signs in to one participant of one organisation, once, before it expires."""

    __tablename__ = "resident_sign_in_links"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "token_hash"),
        org_foreign_key("participant_id", "participants", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
