"""Information & Knowledge events and volunteering (sessions, Rate Your Estate visits).

Both kinds of session are core activities, so attendance and volunteer hours are core
participations and count in the core KPIs too. The I&K schedule places one event every N months
(setting) through a financial year, on the second Wednesday of the month; each place in the
schedule has a unique key, so generating the same year again adds nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, cast, extract, func, select, update

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Activity, Area, Opportunity, Participant, Participation
from core.periods import Period, PeriodError
from core.records import apply, check_reference
from plugins.customer_voice.models import EstateRating, EstateScore, InformationEvent, VolunteerSession
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.vocab import SCORE_MAX, SCORE_MIN

IK_OPPORTUNITY = "Information & Knowledge events"
VOLUNTEERING_OPPORTUNITY = "Volunteering"
EVENT_TIME = time(17, 30)  # UTC: an early-evening session
TBC = "Topic to be agreed with customers"


def _opportunity(name: str, level: str) -> int:
    found = db.session.scalar(select(Opportunity.id).where(Opportunity.name == name))
    if found is None:
        opportunity = Opportunity(name=name, level=level, formal=False, channel="face_to_face")
        db.session.add(opportunity)
        db.session.flush()
        found = opportunity.id
    return found


def second_wednesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(2 - first.weekday()) % 7 + 7)


def schedule_dates(year: Period, interval_months: int) -> list[date]:
    """One date every ``interval_months`` from April: 6 a year when the interval is 2."""
    days = []
    for step in range(0, 12, interval_months):
        month = (3 + step) % 12 + 1
        days.append(second_wednesday(year.start.year + (1 if month < 4 else 0), month))
    return days


def financial_year(label: str) -> Period:
    """A schedule's year as typed (``2026-27``); a malformed one is refused on ``year``."""
    try:
        return Period.parse(label)
    except PeriodError as exc:
        raise ValidationFailed({"year": [str(exc)]}) from None


def generate_schedule(year: Period, topics: list[str]) -> dict[str, Any]:
    """Plan the year's I&K events (idempotent: places already planned are left alone)."""
    if year.is_quarter:
        raise ValidationFailed({"year": ["Give a financial year such as 2026-27, not a quarter."]})
    interval = current_settings()["information_event_interval_months"]
    days = schedule_dates(year, interval)
    if len(topics) > len(days):
        raise ValidationFailed(
            {"topics": [f"The year has {len(days)} events; give at most that many topics."]}
        )
    planned = set(
        db.session.scalars(select(InformationEvent.slot).where(InformationEvent.schedule_year == year.label))
    )
    opportunity_id = _opportunity(IK_OPPORTUNITY, "informed")
    created = 0
    for slot, day in enumerate(days, start=1):
        if slot in planned:
            continue
        topic = topics[slot - 1] if slot <= len(topics) else TBC
        activity = Activity(
            title=f"Information & Knowledge: {topic}",
            kind="event",
            starts_at=datetime.combine(day, EVENT_TIME, tzinfo=UTC),
            status="planned",
            opportunity_id=opportunity_id,
            description="Open to all customers.",
            is_public=True,  # seed 000: I&K events "are open to all customers to attend"
        )
        db.session.add(activity)
        db.session.flush()
        db.session.add(
            InformationEvent(activity_id=activity.id, topic=topic, schedule_year=year.label, slot=slot)
        )
        created += 1
    db.session.flush()
    return {"year": year.label, "interval_months": interval, "events_in_year": len(days), "created": created}


def add_event(values: dict[str, Any]) -> InformationEvent:
    """An extra I&K event outside the schedule."""
    activity = Activity(
        title=f"Information & Knowledge: {values['topic']}",
        kind="event",
        starts_at=values["starts_at"],
        status=values.get("status", "planned"),
        opportunity_id=_opportunity(IK_OPPORTUNITY, "informed"),
        description="Open to all customers.",
        is_public=True,
    )
    db.session.add(activity)
    db.session.flush()
    event = InformationEvent(activity_id=activity.id, topic=values["topic"])
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: InformationEvent, changes: dict[str, Any]) -> InformationEvent:
    activity = db.session.get(Activity, event.activity_id)
    if "topic" in changes:
        event.topic = changes["topic"]
        activity.title = f"Information & Knowledge: {changes['topic']}"
    for name in ("starts_at", "status"):
        if name in changes:
            setattr(activity, name, changes[name])
    db.session.flush()
    return event


def _attendance():
    return (
        select(func.count(Participation.id))
        .where(Participation.activity_id == Activity.id, Participation.attended.is_(True))
        .correlate(Activity)
        .scalar_subquery()
    )


def event_rows(statement_filter=None) -> Any:
    statement = (
        select(InformationEvent, Activity.starts_at, Activity.status, _attendance().label("attended"))
        .join(Activity, Activity.id == InformationEvent.activity_id)
        .order_by(Activity.starts_at, InformationEvent.id)
    )
    if statement_filter is not None:
        statement = statement_filter(statement)
    return statement


def event_dict(event: InformationEvent, starts_at, status, attended) -> dict[str, Any]:
    return {
        "id": event.id,
        "activity_id": event.activity_id,
        "topic": event.topic,
        "schedule_year": event.schedule_year,
        "slot": event.slot,
        "starts_at": starts_at,
        "status": status,
        "attended": attended,
    }


def one_event(event: InformationEvent) -> dict[str, Any]:
    row = db.session.execute(event_rows(lambda s: s.where(InformationEvent.id == event.id))).one()
    return event_dict(*row)


# -- volunteering ------------------------------------------------------------------------------------


def add_session(values: dict[str, Any]) -> VolunteerSession:
    roles = current_settings()["volunteering_roles"]
    if values["role"] not in roles:
        raise ValidationFailed({"role": [f"Not a volunteering role here: {', '.join(roles) or 'none set'}."]})
    check_reference(Area, values.get("area_id"), "area_id")
    activity = Activity(
        title=values["title"],
        kind="volunteering",
        starts_at=values["starts_at"],
        status=values.get("status", "planned"),
        area_id=values.get("area_id"),
        opportunity_id=_opportunity(VOLUNTEERING_OPPORTUNITY, "involved"),
    )
    db.session.add(activity)
    db.session.flush()
    session = VolunteerSession(activity_id=activity.id, role=values["role"])
    db.session.add(session)
    db.session.flush()
    return session


def session_rows():
    hours = (
        select(func.coalesce(func.sum(Participation.hours), 0))
        .where(Participation.activity_id == Activity.id, Participation.attended.is_(True))
        .correlate(Activity)
        .scalar_subquery()
    )
    return (
        select(VolunteerSession, Activity, _attendance().label("volunteers"), hours.label("hours"))
        .join(Activity, Activity.id == VolunteerSession.activity_id)
        .order_by(Activity.starts_at.desc(), VolunteerSession.id)
    )


def session_dict(session: VolunteerSession, activity: Activity, volunteers, hours) -> dict[str, Any]:
    return {
        "id": session.id,
        "activity_id": activity.id,
        "role": session.role,
        "title": activity.title,
        "starts_at": activity.starts_at,
        "status": activity.status,
        "area_id": activity.area_id,
        "volunteers": volunteers,
        "hours": float(hours or 0),
    }


def one_session(session: VolunteerSession) -> dict[str, Any]:
    return session_dict(*db.session.execute(session_rows().where(VolunteerSession.id == session.id)).one())


# -- Rate Your Estate --------------------------------------------------------------------------------

RATEABLE = ("estate", "neighbourhood", "block", "street")


def record_rating(values: dict[str, Any]) -> EstateRating:
    """A visit's scores: every configured criterion scored once, 1 to 5, on an estate-level area."""
    criteria = current_settings()["rate_your_estate_criteria"]
    if not criteria:
        raise Conflict(
            "No Rate Your Estate criteria are set: an officer sets them in the plugin settings first."
        )
    check_reference(Area, values["area_id"], "area_id")
    if db.session.scalar(select(Area.kind).where(Area.id == values["area_id"])) not in RATEABLE:
        raise ValidationFailed(
            {"area_id": ["Rate an estate, neighbourhood, block or street, not a management area."]}
        )
    check_reference(Participant, values.get("participant_id"), "participant_id")
    scores = values["scores"]
    problems = {}
    for criterion, score in scores.items():
        if criterion not in criteria:
            problems[f"scores.{criterion}"] = [f"Not a criterion: {', '.join(criteria)}."]
        elif not SCORE_MIN <= score <= SCORE_MAX:
            problems[f"scores.{criterion}"] = [f"Score from {SCORE_MIN} to {SCORE_MAX}."]
    for criterion in criteria:
        if criterion not in scores:
            problems[f"scores.{criterion}"] = ["Every criterion is scored on each visit."]
    if problems:
        raise ValidationFailed(problems)
    rating = EstateRating(
        area_id=values["area_id"],
        participant_id=values.get("participant_id"),
        visited_on=values["visited_on"],
        comments=values.get("comments"),
    )
    db.session.add(rating)
    db.session.flush()
    for criterion, score in scores.items():
        db.session.add(EstateScore(rating_id=rating.id, criterion=criterion, score=score))
    db.session.flush()
    return rating


def rating_dict(rating: EstateRating) -> dict[str, Any]:
    scores = dict(
        db.session.execute(
            select(EstateScore.criterion, EstateScore.score).where(EstateScore.rating_id == rating.id)
        ).all()
    )
    average = round(sum(scores.values()) / len(scores), 2) if scores else None
    return {
        "id": rating.id,
        "area_id": rating.area_id,
        "participant_id": rating.participant_id,
        "visited_on": rating.visited_on,
        "comments": rating.comments,
        "scores": scores,
        "average": average,
    }


def ratings_of_person(participant_id: int) -> list[dict[str, Any]]:
    """A volunteer's Rate Your Estate visits for their subject-access export: estate, date, scores
    and the comments they wrote, oldest first."""
    visits = db.session.scalars(
        select(EstateRating)
        .where(EstateRating.participant_id == participant_id)
        .order_by(EstateRating.visited_on, EstateRating.id)
    ).all()
    names = dict(
        db.session.execute(select(Area.id, Area.name).where(Area.id.in_({v.area_id for v in visits}))).all()
    )
    return [
        {
            **{key: value for key, value in rating_dict(visit).items() if key != "participant_id"},
            "area_name": names.get(visit.area_id),
            "visited_on": visit.visited_on.isoformat(),
        }
        for visit in visits
    ]


def forget_comments_of(participant_id: int) -> None:
    """On erasure: the comments a volunteer wrote may name them and go; the scores stay for trends."""
    db.session.execute(
        update(EstateRating).where(EstateRating.participant_id == participant_id).values(comments=None)
    )
    db.session.flush()


def rating_trends(area_id: int | None, date_from: date, date_to: date) -> list[dict[str, Any]]:
    """Average score per estate, criterion and quarter (calendar quarters of the visit date)."""
    quarter = (cast(extract("month", EstateRating.visited_on), Integer) - 1) / 3 + 1
    year = cast(extract("year", EstateRating.visited_on), Integer)
    statement = (
        select(
            EstateRating.area_id,
            Area.name,
            year.label("year"),
            quarter.label("quarter"),
            EstateScore.criterion,
            func.avg(EstateScore.score),
            func.count(func.distinct(EstateRating.id)),
        )
        .join(EstateScore, EstateScore.rating_id == EstateRating.id)
        .join(Area, Area.id == EstateRating.area_id)
        .where(EstateRating.visited_on >= date_from, EstateRating.visited_on <= date_to)
        .group_by(EstateRating.area_id, Area.name, year, quarter, EstateScore.criterion)
        .order_by(Area.name, year, quarter, EstateScore.criterion)
    )
    if area_id is not None:
        statement = statement.where(EstateRating.area_id == area_id)
    return [
        {
            "area_id": a_id,
            "area_name": name,
            "quarter": f"{int(y)}-Q{int(q)}",
            "criterion": criterion,
            "average": round(float(avg), 2),
            "visits": visits,
        }
        for a_id, name, y, q, criterion, avg, visits in db.session.execute(statement)
    ]


def change_rating(rating: EstateRating, changes: dict[str, Any]) -> EstateRating:
    apply(rating, {k: v for k, v in changes.items() if k in ("comments", "visited_on")})
    db.session.flush()
    return rating
