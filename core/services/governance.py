"""Rules of governance bodies: seats and vacancies, who may hold a seat, attendance, recommendations.

A membership is *current* when its term covers today. Seats are checked over the whole term
asked for, not only today: on no day may a body have more members than seats, more than one
chair, or one person twice. Plugins add their own seat rules (Halton's third of Board seats for
tenancy holders) through ``validate_membership``, called last, before the row is written.
Counts and attendance are computed in SQL, one statement per page or report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import Date, and_, func, inspect, literal, or_, select, union

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Activity, Area, Body, BodyMembership, Participant, Participation, Recommendation
from core.records import apply, check_reference
from core.services.events import announce
from core.services.involvement import today, utc_date

CLOSED_RECOMMENDATION = ("implemented", "closed")
REASON_NEEDED = ("partly_accepted", "rejected")


def covers(day) -> Any:
    """Memberships whose term includes ``day`` (a date or a date column)."""
    return and_(
        BodyMembership.starts_on <= day,
        or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= day),
    )


def overlaps(starts_on: date, ends_on: date | None) -> Any:
    """Memberships whose term shares at least one day with ``starts_on``…``ends_on``."""
    conditions = [or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= starts_on)]
    if ends_on is not None:
        conditions.append(BodyMembership.starts_on <= ends_on)
    return and_(*conditions)


# -- bodies -------------------------------------------------------------------------------


def with_seat_counts(bodies: list[Body]) -> list[Body]:
    """Set ``current_members`` and ``vacancies`` on each body with one GROUP BY."""
    ids = [body.id for body in bodies]
    counts = (
        dict(
            db.session.execute(
                select(BodyMembership.body_id, func.count(BodyMembership.id))
                .where(BodyMembership.body_id.in_(ids), covers(today()))
                .group_by(BodyMembership.body_id)
            ).all()
        )
        if ids
        else {}
    )
    for body in bodies:
        body.current_members = counts.get(body.id, 0)
        body.vacancies = None if body.seats_total is None else max(body.seats_total - body.current_members, 0)
    return bodies


def save_body(body: Body, changes: dict[str, Any]) -> Body:
    check_reference(Area, changes.get("area_id"), "area_id")
    seats = changes.get("seats_total", body.seats_total)
    reserved = changes.get("reserved_resident_seats", body.reserved_resident_seats) or 0
    if seats is not None and reserved > seats:
        field = "reserved_resident_seats" if "reserved_resident_seats" in changes else "seats_total"
        raise ValidationFailed({field: ["Reserved resident seats cannot exceed seats_total."]})
    if body.id is not None and seats is not None and "seats_total" in changes:
        taken = peak_members(body.id, today(), None)
        if taken > seats:
            raise Conflict(
                f"The body has {taken} members from today on; end some terms before reducing seats."
            )
    apply(body, changes)
    if body.id is None:
        db.session.add(body)
    db.session.flush()
    return with_seat_counts([body])[0]


def delete_body(body: Body) -> None:
    """Delete a body with its memberships; one with meetings or recommendations is kept (409)."""
    for model, what in ((Activity, "meetings"), (Recommendation, "recommendations")):
        if db.session.scalar(select(model.id).where(model.body_id == body.id).limit(1)) is not None:
            raise Conflict(f"This body has {what} on record; it cannot be deleted.")
    for membership in db.session.scalars(select(BodyMembership).where(BodyMembership.body_id == body.id)):
        db.session.delete(membership)  # one by one, so the audit log records each
    db.session.flush()  # before the body, whose deletion would cascade to them unlogged
    db.session.delete(body)


# -- memberships --------------------------------------------------------------------------


def peak_members(body_id: int, starts_on: date, ends_on: date | None, *, excluding: int | None = None) -> int:
    """The most memberships of the body in force on any one day of ``starts_on``…``ends_on``.

    The count only rises on a day a term starts, so the peak is on ``starts_on`` or on the
    first day of one of the terms starting inside the range.
    """
    others = [BodyMembership.body_id == body_id]
    if excluding is not None:
        others.append(BodyMembership.id != excluding)
    later_starts = select(BodyMembership.starts_on.label("day")).where(
        *others, BodyMembership.starts_on > starts_on
    )
    if ends_on is not None:
        later_starts = later_starts.where(BodyMembership.starts_on <= ends_on)
    days = union(select(literal(starts_on, Date).label("day")), later_starts).subquery()
    in_force = (
        select(func.count(BodyMembership.id))
        .where(*others, covers(days.c.day))
        .correlate(days)
        .scalar_subquery()
    )
    return db.session.scalar(select(func.max(in_force)).select_from(days)) or 0


def _refuse_overlap(membership: BodyMembership, condition, message: str) -> None:
    statement = select(BodyMembership.id).where(
        BodyMembership.body_id == membership.body_id,
        overlaps(membership.starts_on, membership.ends_on),
        condition,
    )
    if membership.id is not None:
        statement = statement.where(BodyMembership.id != membership.id)
    if db.session.scalar(statement.limit(1)) is not None:
        raise Conflict(message)


def _check_membership(organisation, body: Body, membership: BodyMembership) -> None:
    if (membership.participant_id is None) == (membership.external_name is None):
        message = "Give exactly one of participant_id or external_name."
        raise ValidationFailed({"participant_id": [message], "external_name": [message]})
    if membership.ends_on is not None and membership.ends_on < membership.starts_on:
        raise ValidationFailed({"ends_on": ["The term cannot end before it starts."]})
    if membership.participant_id is not None:
        check_reference(Participant, membership.participant_id, "participant_id")
        _refuse_overlap(
            membership,
            BodyMembership.participant_id == membership.participant_id,
            "This person already holds a seat on this body for part of that term.",
        )
    if membership.role == "chair":
        _refuse_overlap(membership, BodyMembership.role == "chair", "The body already has a chair then.")
    if body.seats_total is not None:
        taken = peak_members(body.id, membership.starts_on, membership.ends_on, excluding=membership.id)
        if taken >= body.seats_total:
            raise Conflict(f"All {body.seats_total} seats are taken for part of that term.")
    plugins = current_app.extensions["involve"].plugins
    plugins.hook_for(organisation.id, "validate_membership")(
        organisation=organisation, body=body, membership=membership
    )


def add_membership(organisation, body: Body, values: dict[str, Any]) -> BodyMembership:
    membership = BodyMembership(body_id=body.id, **values)
    _check_membership(organisation, body, membership)
    db.session.add(membership)
    db.session.flush()
    announce("on_membership_changed", organisation, body=body, membership=membership)
    return membership


def change_membership(organisation, body: Body, membership: BodyMembership, changes: dict[str, Any]):
    """Check the membership as it would be (an unsaved copy carrying its id, so rules and plugins
    can leave the stored row out of their counts), then change it."""
    current = {attr.key: getattr(membership, attr.key) for attr in inspect(BodyMembership).column_attrs}
    _check_membership(organisation, body, BodyMembership(**{**current, **changes}))
    apply(membership, changes)
    db.session.flush()
    announce("on_membership_changed", organisation, body=body, membership=membership)
    return membership


# -- attendance ---------------------------------------------------------------------------


def remove_membership(membership: BodyMembership) -> None:
    """A membership recorded by mistake (a term ends with ``ends_on`` instead)."""
    db.session.delete(membership)


def attendance(body: Body, date_from: date | None, date_to: date | None, page: int = 1, per_page: int = 50):
    """Per membership overlapping the range, a page of: the body's meetings held in the range
    during the term, and how many the member attended (external members: not recorded, null)."""
    meeting_day = utc_date(Activity.starts_at)
    held = [Activity.body_id == body.id, Activity.status == "held"]
    if date_from is not None:
        held.append(meeting_day >= date_from)
    if date_to is not None:
        held.append(meeting_day <= date_to)
    in_term = [
        meeting_day >= BodyMembership.starts_on,
        or_(BodyMembership.ends_on.is_(None), meeting_day <= BodyMembership.ends_on),
    ]
    meetings = select(func.count(Activity.id)).where(*held, *in_term).scalar_subquery()
    attended = (
        select(func.count(Participation.id))
        .join(Activity, Activity.id == Participation.activity_id)
        .where(
            *held,
            *in_term,
            Participation.participant_id == BodyMembership.participant_id,
            Participation.attended.is_(True),
        )
        .scalar_subquery()
    )
    members = [BodyMembership.body_id == body.id]
    if date_from is not None:
        members.append(or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= date_from))
    if date_to is not None:
        members.append(BodyMembership.starts_on <= date_to)
    statement = (
        select(BodyMembership, meetings.label("meetings"), attended.label("attended"))
        .where(*members)
        .order_by(BodyMembership.starts_on, BodyMembership.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = []
    for membership, meeting_count, attended_count in db.session.execute(statement):
        external = membership.participant_id is None
        rows.append(
            {
                "membership_id": membership.id,
                "participant_id": membership.participant_id,
                "external_name": membership.external_name,
                "seat_type": membership.seat_type,
                "role": membership.role,
                "starts_on": membership.starts_on,
                "ends_on": membership.ends_on,
                "meetings": meeting_count,
                "attended": None if external else attended_count,
                "attendance_percent": (
                    round(attended_count * 100 / meeting_count, 1) if meeting_count and not external else None
                ),
            }
        )
    return {
        "body_id": body.id,
        "date_from": date_from,
        "date_to": date_to,
        "meetings_held": db.session.scalar(select(func.count(Activity.id)).where(*held)),
        "items": rows,
        "total": db.session.scalar(select(func.count(BodyMembership.id)).where(*members)),
        "page": page,
        "per_page": per_page,
    }


# -- recommendations ----------------------------------------------------------------------


def save_recommendation(recommendation: Recommendation, changes: dict[str, Any]) -> Recommendation:
    """Check the body and the response, default ``responded_on`` to today, write."""
    check_reference(Body, changes.get("body_id"), "body_id")
    response = changes.get("response", recommendation.response)
    reason = changes.get("response_reason", recommendation.response_reason)
    if response in REASON_NEEDED and not (reason or "").strip():
        raise ValidationFailed({"response_reason": [f"Give the reasons when the response is {response}."]})
    if response is not None and changes.get("responded_on", recommendation.responded_on) is None:
        changes = {**changes, "responded_on": today()}
    made_on = changes.get("made_on", recommendation.made_on)
    for field in ("due_on", "responded_on"):
        value = changes.get(field, getattr(recommendation, field))
        if made_on is not None and value is not None and value < made_on:
            raise ValidationFailed({field: ["Cannot be before the recommendation was made."]})
    apply(recommendation, changes)
    if recommendation.id is None:
        db.session.add(recommendation)
    db.session.flush()
    return recommendation


def delete_recommendation(recommendation: Recommendation) -> None:
    """A recommendation recorded by mistake."""
    db.session.delete(recommendation)


def overdue_condition(day: date | None = None):
    # due_on IS NOT NULL first, so that not_(overdue) keeps those without a due date.
    return and_(
        Recommendation.due_on.is_not(None),
        Recommendation.due_on < (day or today()),
        Recommendation.status.not_in(CLOSED_RECOMMENDATION),
    )
