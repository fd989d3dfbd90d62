"""Areas (a tree per organisation) and households (homes/tenancies)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key


class Area(OrgOwned, db.Model):
    """Management area → neighbourhood/estate → street/block."""

    __tablename__ = "areas"
    __org_table_args__ = (org_foreign_key("parent_id", "areas"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    parent_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class Household(OrgOwned, db.Model):
    """A home or tenancy: the denominator of per-household figures and street-rep patches."""

    __tablename__ = "households"
    __audited__ = True
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "reference"),
        org_foreign_key("area_id", "areas"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64))
    address_lines: Mapped[list[str]] = mapped_column(JSON, default=list)
    postcode: Mapped[str | None] = mapped_column(String(10))
    area_id: Mapped[int | None] = mapped_column()
    tenure: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()
