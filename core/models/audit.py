"""Audit of reads that cross organisations (a group comparing its partners' aggregates)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column


class CrossOrgRead(db.Model):
    __tablename__ = "cross_org_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_ids: Mapped[list[int]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()


def record_cross_org_read(*, actor_id: int | None, org_ids: list[int], purpose: str) -> None:
    """Add the audit row to the current transaction: it commits with the work it describes."""
    db.session.add(CrossOrgRead(actor_id=actor_id, organisation_ids=org_ids, purpose=purpose))
