"""Annual impact assessments: staff narrative per section, and the frozen copy made on publishing.

A draft is assembled live from the records every time it is read. Publishing stores the assembled
document (every section's figures and tables, the KPIs and the narrative) in ``snapshot``; from then
on the published assessment is read from the snapshot only, so later corrections to records never
change what was published to residents and the regulator.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key

ASSESSMENT_STATUSES = ("draft", "published")


class ImpactAssessment(OrgOwned, db.Model):
    """One organisation's impact assessment for one financial year."""

    __tablename__ = "impact_assessments"
    __org_table_args__ = (UniqueConstraint("organisation_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = created_at_column()
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    # The landlord's easy-read version of the published report (not part of the frozen snapshot).
    easy_read_url: Mapped[str | None] = mapped_column(String(500))
    easy_read_description: Mapped[str | None] = mapped_column(String(100))

    @property
    def is_published(self) -> bool:
        return self.status == "published"


class ImpactAssessmentNarrative(OrgOwned, db.Model):
    """What staff wrote for one section of an assessment (plain text, paragraphs split by blank lines)."""

    __tablename__ = "impact_assessment_narratives"
    __org_table_args__ = (
        org_foreign_key("assessment_id", "impact_assessments", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "assessment_id", "section_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column()
    section_key: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = created_at_column()
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


STORED_AUDIENCES = ("everyone", "analysts")


class StoredAssessment(OrgOwned, db.Model):
    """A draft impact assessment's sections as an rq job built them, served instead of building
    them in a request (``?stored=true``). One row per organisation, year and audience: the
    ``everyone`` copy has equality monitoring figures withheld, the ``analysts`` copy has them,
    so each reader gets what a live build would have given them. Narrative, title and status are
    not taken from here: they are read fresh whenever a stored copy is served. The job also prints
    the copy as served at that moment (``pdf``); ``pdf_key`` fingerprints that document, so the
    PDF is served only while the narrative, title and status are still the ones it was printed
    with."""

    __tablename__ = "stored_assessments"
    __org_table_args__ = (UniqueConstraint("organisation_id", "period", "audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(12))
    audience: Mapped[str] = mapped_column(String(20))
    document: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[datetime] = created_at_column()
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf_key: Mapped[str | None] = mapped_column(String(64))
