"""The Your Voice tables: members, the append-only points ledger and the yearly conversions.

The ledger is the only record of points: a member's balance is always the sum of their entries, so
there is no stored balance to drift. Entries are never changed or deleted (an ORM guard here and a
database trigger in the migration refuse it); a mistake is put right by a compensating entry.
Every entry carries an idempotency key, unique per organisation, so an event delivered twice, a
retried request or a re-run job cannot write the same points twice.

``participation_id`` and ``activity_id`` on an entry are deliberately plain integers, not foreign
keys: the ledger is history and must outlive a participation deleted later (a foreign key would
either block that deletion or rewrite the entry).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key

ENTRY_KINDS = ("participation", "participation_reversal", "contribution", "correction", "conversion")
REWARD_CHOICES = ("shopping_voucher", "charity_donation")


class RewardMember(OrgOwned, db.Model):
    """A resident in the Your Voice scheme, with how they want their points paid out."""

    __tablename__ = "reward_points_members"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "participant_id"),
        org_foreign_key("participant_id", "participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    reward_choice: Mapped[str] = mapped_column(String(30))
    retailer: Mapped[str | None] = mapped_column(String(100))
    charity: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class RewardEntry(OrgOwned, db.Model):
    """One line of the points ledger (positive: earned; negative: reversed, corrected, converted)."""

    __tablename__ = "reward_points_entries"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "idempotency_key"),
        org_foreign_key("member_id", "reward_points_members"),
        Index("ix_reward_points_entries_member", "organisation_id", "member_id", "scheme_year"),
        Index("ix_reward_points_entries_participation", "organisation_id", "participation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(30))
    points: Mapped[int] = mapped_column()
    # What the rule or the officer asked for, before the annual cap trimmed it.
    requested_points: Mapped[int] = mapped_column()
    scheme_year: Mapped[int] = mapped_column()
    occurred_on: Mapped[date] = mapped_column(Date)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    involvement_type: Mapped[str | None] = mapped_column(String(60))
    participation_id: Mapped[int | None] = mapped_column()
    activity_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class RewardConversion(OrgOwned, db.Model):
    """A member's points for one scheme year turned into money: a voucher or a donation."""

    __tablename__ = "reward_points_conversions"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "member_id", "scheme_year"),
        org_foreign_key("member_id", "reward_points_members"),
        org_foreign_key("spend_id", "spend"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column()
    scheme_year: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column()
    # The rate applied, as a decimal string (e.g. "10" or "2.5"): exact on both backends.
    pence_per_point: Mapped[str] = mapped_column(String(20))
    value_pence: Mapped[int] = mapped_column()
    reward_choice: Mapped[str] = mapped_column(String(30))
    retailer: Mapped[str | None] = mapped_column(String(100))
    charity: Mapped[str | None] = mapped_column(String(100))
    spend_id: Mapped[int | None] = mapped_column()
    converted_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class LedgerIsAppendOnly(RuntimeError):
    """Somebody tried to change or delete a ledger entry or a conversion."""


@event.listens_for(Session, "before_flush")
def _refuse_ledger_changes(session: Session, flush_context, instances) -> None:
    for record in (*session.dirty, *session.deleted):
        if isinstance(record, RewardEntry | RewardConversion) and (
            record in session.deleted or session.is_modified(record)
        ):
            raise LedgerIsAppendOnly(
                f"{type(record).__name__} {record.id} cannot be changed; write a compensating entry"
            )
