"""Organisations (landlords and housing groups) and the plugins each one has enabled.

``organisations`` is a global table: it is what every other row is scoped by. A group's partners
are the organisations whose ``parent_id`` is the group.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column, utcnow
from core.tenancy import OrgOwned

ORG_KINDS = ("landlord", "group")
ORG_STATUSES = ("active", "suspended")


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("kind IN ('landlord', 'group')", name="kind"),
        CheckConstraint("status IN ('active', 'suspended')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="landlord")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def partners(self) -> list[Organisation]:
        if not self.is_group:
            return []
        return list(
            db.session.scalars(
                select(Organisation).where(Organisation.parent_id == self.id).order_by(Organisation.name)
            )
        )

    def parent(self) -> Organisation | None:
        return db.session.get(Organisation, self.parent_id) if self.parent_id else None

    def setting(self, key: str, default: Any = None) -> Any:
        return (self.settings or {}).get(key, default)

    def touch(self) -> None:
        self.updated_at = utcnow()

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class OrganisationPlugin(OrgOwned, db.Model):
    """Whether one plugin is enabled for one organisation, with its validated settings."""

    __tablename__ = "organisation_plugins"
    __org_table_args__ = (UniqueConstraint("organisation_id", "plugin_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plugin_name: Mapped[str] = mapped_column(String(63))
    enabled: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = created_at_column()
