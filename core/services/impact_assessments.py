"""Annual impact assessments: assemble the sections, keep staff narrative, publish a frozen copy.

A draft is assembled from the records each time it is read (core sections plus those of the
organisation's enabled plugins). Publishing stores the assembled document in the assessment row, in
the same transaction that marks it published; a published assessment is only ever read back from
that copy, and neither its narrative nor its figures can change afterwards.

Assembling a draft reads a whole year of records, so it can also be built off the request path:
:func:`refresh` queues the ``impact_assessments.store`` job, whose body :func:`store` builds the
sections and keeps them in ``stored_assessments`` with the time they were built, and
:func:`stored_document` serves that copy (``?stored=true``) with the narrative, title and status
read fresh. The live assembly stays the default.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from core import plugin_kit
from core.errors import Conflict, NotFound, ValidationFailed
from core.extensions import db
from core.jobs import enqueue
from core.kpis.core_kpis import shared_aggregates
from core.models import ImpactAssessment, ImpactAssessmentNarrative, Organisation, StoredAssessment
from core.periods import Period
from core.reports.core_sections import build_all
from core.services import easy_read
from core.services.monitoring import (
    audit_read,
    monitoring_released,
    release_for_publication,
    release_for_stored_copy,
    withhold_monitoring,
)

NARRATIVE_LIMIT = 20_000
log = logging.getLogger(__name__)


def financial_year(label: str, field: str = "period") -> Period:
    """The financial year ``label`` names (422 naming ``field`` for anything else)."""
    from core.periods import PeriodError

    try:
        period = Period.parse(label)
    except PeriodError as exc:
        raise ValidationFailed({field: [str(exc)]}) from None
    if period.is_quarter:
        raise ValidationFailed({field: ["An impact assessment covers a financial year, like 2025-26."]})
    return period


def find(period: Period) -> ImpactAssessment | None:
    return db.session.scalar(select(ImpactAssessment).where(ImpactAssessment.period == period.label))


def get_or_create(organisation: Organisation, period: Period) -> ImpactAssessment:
    assessment = find(period)
    if assessment is None:
        assessment = ImpactAssessment(
            period=period.label, title=f"{organisation.name} impact assessment {period.label}", status="draft"
        )
        db.session.add(assessment)
        db.session.flush()
    return assessment


def listing() -> list[dict[str, Any]]:
    rows = db.session.scalars(select(ImpactAssessment).order_by(ImpactAssessment.period.desc())).all()
    return [
        {
            "period": a.period,
            "title": a.title,
            "status": a.status,
            "published_at": a.published_at,
            "easy_read_url": a.easy_read_url,
            "easy_read_description": a.easy_read_description,
        }
        for a in rows
    ]


def section_keys(organisation: Organisation) -> list[str]:
    return [s.key for s in current_app.extensions["involve"].reports.for_organisation(organisation.id)]


def _narratives(assessment: ImpactAssessment | None) -> dict[str, str]:
    if assessment is None or assessment.id is None:
        return {}
    rows = db.session.execute(
        select(ImpactAssessmentNarrative.section_key, ImpactAssessmentNarrative.text).where(
            ImpactAssessmentNarrative.assessment_id == assessment.id
        )
    ).all()
    return dict(rows)


def document(organisation: Organisation, period: Period) -> dict[str, Any]:
    """The assessment for ``period``: the published copy, or a draft assembled now."""
    assessment = find(period)
    if assessment is not None and assessment.is_published:
        return dict(assessment.snapshot)
    return _assemble(organisation, period, assessment)


def _assemble(organisation: Organisation, period: Period, assessment: ImpactAssessment | None) -> dict:
    registry = current_app.extensions["involve"].reports
    narratives = _narratives(assessment)
    sections = []
    for section, built in build_all(registry.for_organisation(organisation.id), period):
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "source": section.plugin or "core",
                "narrative": narratives.get(section.key, ""),
                "content": built,
            }
        )
    return _plain(
        {
            "organisation": {"slug": organisation.slug, "name": organisation.name},
            "period": period.label,
            "starts_on": period.start,
            "ends_on": period.end,
            "title": assessment.title
            if assessment is not None
            else f"{organisation.name} impact assessment {period.label}",
            "status": assessment.status if assessment is not None else "not_started",
            "published_at": None,
            "assembled_at": datetime.now(UTC),
            "sections": sections,
        }
    )


def _plain(value: Any) -> Any:
    """JSON-safe copy (dates as ISO strings), so a snapshot reads back exactly as it was built."""

    def encode(item: Any) -> str:
        if isinstance(item, datetime | date):
            return item.isoformat()
        raise TypeError(f"cannot store {type(item).__name__} in an impact assessment")

    return json.loads(json.dumps(value, default=encode))


def set_narrative(
    organisation: Organisation, period: Period, section_key: str, text: str, user_id: int | None
) -> ImpactAssessmentNarrative:
    if section_key not in section_keys(organisation):
        raise ValidationFailed({"section_key": [f"No section {section_key!r} in this assessment."]})
    if len(text) > NARRATIVE_LIMIT:
        raise ValidationFailed({"text": [f"At most {NARRATIVE_LIMIT} characters."]})
    assessment = get_or_create(organisation, period)
    _refuse_if_published(assessment)
    narrative = db.session.scalar(
        select(ImpactAssessmentNarrative).where(
            ImpactAssessmentNarrative.assessment_id == assessment.id,
            ImpactAssessmentNarrative.section_key == section_key,
        )
    )
    if narrative is None:
        narrative = ImpactAssessmentNarrative(assessment_id=assessment.id, section_key=section_key)
        db.session.add(narrative)
    narrative.text = text.strip()
    narrative.updated_at = datetime.now(UTC)
    narrative.updated_by_id = user_id
    db.session.flush()
    return narrative


def set_easy_read(period: Period, values: dict[str, Any]) -> ImpactAssessment:
    """Attach (or, with an empty link, remove) the landlord's easy-read version of a published
    assessment. It is kept beside the frozen copy, not in it: the report itself never changes."""
    assessment = find(period)
    if assessment is None or not assessment.is_published:
        raise Conflict(
            f"The {period.label} impact assessment is not published; an easy read version is added "
            "to a published report."
        )
    cleaned = easy_read.check(
        {
            easy_read.URL_FIELD: values.get(easy_read.URL_FIELD),
            easy_read.DESCRIPTION_FIELD: values.get(easy_read.DESCRIPTION_FIELD),
        }
    )
    assessment.easy_read_url = cleaned[easy_read.URL_FIELD]
    assessment.easy_read_description = cleaned[easy_read.DESCRIPTION_FIELD]
    db.session.flush()
    return assessment


def _refuse_if_published(assessment: ImpactAssessment) -> None:
    if assessment.is_published:
        raise Conflict(
            f"The {assessment.period} impact assessment was published on "
            f"{assessment.published_at:%d %B %Y}; a published assessment cannot change."
        )


def publish(
    organisation: Organisation, period: Period, user_id: int | None, today: date | None = None
) -> dict[str, Any]:
    """Freeze the assessment: assemble it now and store that copy. Only after the year has ended."""
    today = today or plugin_kit.today()
    if today <= period.end:
        raise Conflict(
            f"The {period.label} year runs until {period.end:%d %B %Y}; publish its assessment after it ends."
        )
    assessment = db.session.scalar(
        select(ImpactAssessment).where(ImpactAssessment.period == period.label).with_for_update()
    ) or get_or_create(organisation, period)
    _refuse_if_published(assessment)
    # Publication is the one designed release of monitoring figures to everyone: the year's
    # published counts go into the frozen copy even when the publisher is not an analyst.
    with release_for_publication():
        snapshot = _assemble(organisation, period, assessment)
    now = datetime.now(UTC)
    assessment.snapshot = {**snapshot, "status": "published", "published_at": now.isoformat()}
    assessment.status = "published"
    assessment.published_at = now
    assessment.published_by_id = user_id
    db.session.flush()
    return document(organisation, period)


# -- stored copies, built by a job ---------------------------------------------------------------

STORE_JOB = "impact_assessments.store"


def refresh(organisation: Organisation, period: Period) -> str:
    """Queue the job that builds and stores the year's assessment (sent when the caller commits)."""
    enqueue(STORE_JOB, org_id=organisation.id, period=period.label)
    return STORE_JOB


def store(organisation: Organisation, period: Period) -> int:
    """Job body: build the year's assessment for both audiences and store the copies (replacing
    earlier ones); returns the rows written. Both copies are built before anything is written, and
    the job's single commit writes them, so a crash leaves the previous copies as they were.

    Built in one block of shared aggregates: the involved set and the KPIs are worked out once for
    both copies (the equality figures are kept apart by whether they were released)."""
    with shared_aggregates():
        with withhold_monitoring():
            everyone = _assemble(organisation, period, None)
        with release_for_stored_copy():
            analysts = _assemble(organisation, period, None)
    existing = {
        row.audience: row
        for row in db.session.scalars(select(StoredAssessment).where(StoredAssessment.period == period.label))
    }
    now = datetime.now(UTC)
    for audience, built in (("everyone", everyone), ("analysts", analysts)):
        row = existing.get(audience)
        if row is None:
            row = StoredAssessment(period=period.label, audience=audience)
            db.session.add(row)
        row.document = built
        row.computed_at = now
    db.session.flush()
    # Print each copy as it is served now (narrative, title and status as they stand), so the
    # PDF is ready too; a later change to those makes the read print it afresh.
    from core.reports.documents import to_pdf

    assessment = find(period)
    for row in db.session.scalars(select(StoredAssessment).where(StoredAssessment.period == period.label)):
        served = _served(row, assessment)
        try:
            row.pdf, row.pdf_key = to_pdf(served), document_key(served)
        except Exception:  # the figures are stored all the same; the PDF is printed when asked for
            log.exception("impact assessment %s: printing the stored copy failed", period.label)
            row.pdf, row.pdf_key = None, None
    db.session.flush()
    return 2


def stored_document(organisation: Organisation, period: Period) -> dict[str, Any]:
    """The assessment as last stored by the job, for this reader: the copy with equality
    monitoring figures only for those a live build would give them to (an analyst's read is
    audited, as a live one is). Narrative, title and status are the current ones. The document
    says ``stored: true`` and ``as_of`` (when its figures were built). A published assessment is
    its published copy, as always. Nothing stored yet: 404 saying how to build one."""
    assessment = find(period)
    if assessment is not None and assessment.is_published:
        return dict(assessment.snapshot)
    released = monitoring_released()
    row = db.session.scalar(
        select(StoredAssessment).where(
            StoredAssessment.period == period.label,
            StoredAssessment.audience == ("analysts" if released else "everyone"),
        )
    )
    if row is None:
        raise NotFound(
            f"No stored copy of the {period.label} impact assessment yet: refresh it to have one built, "
            "or read it live."
        )
    if released:
        audit_read("involved", period.label, "stored impact assessment")
    return _served(row, assessment)


def stored_pdf(organisation: Organisation, period: Period) -> tuple[dict[str, Any], bytes | None]:
    """:func:`stored_document` and, when the job's printed copy shows exactly that document,
    the PDF it printed (else None: the caller prints it)."""
    document = stored_document(organisation, period)
    if not document.get("stored"):
        return document, None  # a published assessment
    released = monitoring_released()
    row = db.session.scalar(
        select(StoredAssessment).where(
            StoredAssessment.period == period.label,
            StoredAssessment.audience == ("analysts" if released else "everyone"),
            StoredAssessment.pdf_key == document_key(document),
        )
    )
    return document, (row.pdf if row is not None else None)


def document_key(document: dict[str, Any]) -> str:
    """A fingerprint of a served document (SHA-256 of its canonical JSON)."""
    import hashlib

    text = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _served(row: StoredAssessment, assessment: ImpactAssessment | None) -> dict[str, Any]:
    """A stored copy as it is served: its figures, with the narrative, title and status of now."""
    narratives = _narratives(assessment)
    document = dict(row.document)
    document["sections"] = [
        {**section, "narrative": narratives.get(section["key"], "")} for section in document["sections"]
    ]
    if assessment is not None:
        document["title"], document["status"] = assessment.title, assessment.status
    document["stored"] = True
    document["as_of"] = document["assembled_at"]
    return document


def stored_as_of(period: Period) -> str | None:
    """When the year's stored copy was built (ISO text), or None: for pages offering it."""
    computed = db.session.scalar(
        select(StoredAssessment.computed_at).where(StoredAssessment.period == period.label).limit(1)
    )
    if computed is None:
        return None
    return (computed if computed.tzinfo else computed.replace(tzinfo=UTC)).isoformat()
