"""What the residents' site publishes, read in the organisation scope of a public page.

Every query here filters to what staff have chosen to make public: open (not cancelled, not
planned) consultations; "you said, we did" feedback with a publication date that has come;
activities marked ``is_public`` and not cancelled; published impact assessments; stored KPI figures
that have a target. Nothing here returns a person's name: responses, participants and staff are
never read. Pages and any future API read these same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, select

from core.errors import NotFound
from core.extensions import db
from core.models import (
    Activity,
    Area,
    Consultation,
    ConsultationFeedback,
    ImpactAssessment,
    Venue,
)
from core.services import consultations as consulting
from core.services.involvement import _as_utc
from core.services.people import areas_within

FEEDBACK_PAGE = 50
EVENTS_AHEAD_DAYS = 366


def open_consultations(today: date) -> list[Consultation]:
    """Consultations residents can answer now, closing soonest first."""
    found = db.session.scalars(
        select(Consultation)
        .where(consulting.status_condition("open", today))
        .order_by(Consultation.closes_on, Consultation.id)
    ).all()
    consulting.describe(found, today)
    return list(found)


def open_consultation(consultation_id: int, today: date) -> Consultation:
    """One consultation a resident may answer; 404 when it is not open (planned, closed, cancelled)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consulting.status_of(consultation, today) != "open":
        raise NotFound("This consultation is not open.")
    return consultation


def _published_by(today: date):
    return and_(ConsultationFeedback.published_on.is_not(None), ConsultationFeedback.published_on <= today)


def published_feedback(
    today: date, topic: str | None = None, area_id: int | None = None
) -> list[Consultation]:
    """Consultations whose feedback is published (by today), newest feedback first, each with its
    feedback, linked improvements (``consultations.describe``) and ``area_name``. ``area_id`` keeps
    those about that area or an area inside it (consultations about no one area are then left out)."""
    query = (
        select(Consultation, Area.name)
        .join(ConsultationFeedback, ConsultationFeedback.consultation_id == Consultation.id)
        .outerjoin(Area, Area.id == Consultation.area_id)
        .where(_published_by(today))
        .order_by(ConsultationFeedback.published_on.desc(), Consultation.id.desc())
        .limit(FEEDBACK_PAGE)
    )
    if topic:
        query = query.where(Consultation.topic == topic)
    if area_id is not None:
        query = query.where(Consultation.area_id.in_(areas_within(area_id)))
    found = []
    for consultation, area_name in db.session.execute(query):
        consultation.area_name = area_name
        found.append(consultation)
    consulting.describe(found, today)
    return found


def feedback_topics(today: date) -> list[str]:
    """The topics that have published feedback (for the filter)."""
    return list(
        db.session.scalars(
            select(Consultation.topic)
            .join(ConsultationFeedback, ConsultationFeedback.consultation_id == Consultation.id)
            .where(_published_by(today))
            .distinct()
            .order_by(Consultation.topic)
        )
    )


def feedback_areas(today: date) -> list[tuple[int, str]]:
    """(id, name) of the areas worth filtering by, by name: each area with published feedback and
    every area it sits inside (an estate's feedback is found from its management area too). Areas
    with none are left out, as topics with none are."""
    used = set(
        db.session.scalars(
            select(Consultation.area_id)
            .join(ConsultationFeedback, ConsultationFeedback.consultation_id == Consultation.id)
            .where(_published_by(today), Consultation.area_id.is_not(None))
            .distinct()
        )
    )
    if not used:
        return []
    areas = {row.id: row for row in db.session.execute(select(Area.id, Area.name, Area.parent_id))}
    shown: set[int] = set()
    for area_id in used:
        while area_id is not None and area_id in areas and area_id not in shown:
            shown.add(area_id)
            area_id = areas[area_id].parent_id
    return sorted(((i, areas[i].name) for i in shown), key=lambda pair: (pair[1].lower(), pair[0]))


@dataclass
class PublicEvent:
    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    description: str | None
    venue_name: str | None
    venue_address: str | None
    venue_features: list[str]
    area_name: str | None


def _public_events_query():
    return (
        select(Activity, Venue, Area.name)
        .outerjoin(Venue, Venue.id == Activity.venue_id)
        .outerjoin(Area, Area.id == Activity.area_id)
        .where(Activity.is_public.is_(True), Activity.status != "cancelled")
    )


def _event(activity: Activity, venue: Venue | None, area_name: str | None) -> PublicEvent:
    return PublicEvent(
        id=activity.id,
        title=activity.title,
        kind=activity.kind,
        starts_at=_as_utc(activity.starts_at),
        ends_at=_as_utc(activity.ends_at) if activity.ends_at else None,
        description=activity.description,
        venue_name=venue.name if venue else None,
        venue_address=venue.address if venue else None,
        venue_features=list(venue.features or []) if venue else [],
        area_name=area_name,
    )


def upcoming_events(now: datetime, limit: int | None = None) -> list[PublicEvent]:
    """Public activities from today (London) for the next year, soonest first."""
    start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    query = (
        _public_events_query()
        .where(
            Activity.starts_at >= start_of_today,
            Activity.starts_at <= now + timedelta(days=EVENTS_AHEAD_DAYS),
        )
        .order_by(Activity.starts_at, Activity.id)
    )
    if limit:
        query = query.limit(limit)
    return [_event(*row) for row in db.session.execute(query)]


def public_event(activity_id: int) -> PublicEvent:
    row = db.session.execute(_public_events_query().where(Activity.id == activity_id)).first()
    if row is None:
        raise NotFound("No such event.")
    return _event(*row)


def published_assessments() -> list[ImpactAssessment]:
    return list(
        db.session.scalars(
            select(ImpactAssessment)
            .where(ImpactAssessment.status == "published")
            .order_by(ImpactAssessment.period.desc())
        )
    )


def kpis_against_targets(organisation, period) -> dict:
    """The stored KPI figures of ``period`` that the organisation has set a target for."""
    from core.kpis.service import stored_report

    report = stored_report(organisation, period)
    rows = [row for row in report["kpis"] if row["target"] is not None]
    return {"period": period.label, "kpis": rows, "note": report.get("note")}
