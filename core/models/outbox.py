"""The job outbox: every job asked for by a write, recorded in that write's transaction.

A row is written by ``core.jobs.enqueue`` in the same transaction as the records the job is
about, so the job exists exactly when the write does. After the commit it is pushed to rq
(``core.outbox``); while Redis is away it waits here and the worker's relay delivers it later.

A platform table, not an organisation-owned one: the relay delivers every organisation's jobs
and runs with no organisation scope. A row names its organisation (the job's explicit
``org_id``), the job kind and its JSON arguments, which are identifiers and periods, never
personal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column


class JobOutbox(db.Model):
    __tablename__ = "job_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The rq job id, fixed when the row is written: delivering the row twice cannot queue two jobs.
    job_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
