"""Halton's Board rule: a third of the seats are reserved for tenancy holders (``validate_membership``).

Reserved seats on the organisation's board (a body of kind ``board``) are the larger of what the
body records (``reserved_resident_seats``) and the settings' share of ``seats_total`` rounded up
(12 seats → 4, 10 → 4: "one third" is a floor, never rounded away). Two checks follow:

* a membership in a ``resident`` seat fills a reserved seat, so it must be a tenancy-holding
  participant (an external member or a leaseholder is refused);
* on no day of the new term may people who are not tenancy holders hold more than the seats left
  over, or a tenancy holder could later find every seat taken.

Reserved seat holders have the same rights and votes as other members; nothing here treats
them differently once seated.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, and_, func, literal, or_, select, union

from core.errors import Conflict
from core.extensions import db
from core.models import Body, BodyMembership, Participant
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services.common import is_tenancy_holder, tenancy_holder


def reserved_seats(body: Body, settings: dict) -> int:
    share = 0
    if body.seats_total:
        numerator = settings["board_reserved_seats_numerator"]
        denominator = settings["board_reserved_seats_denominator"]
        share = -(-body.seats_total * numerator // denominator)
    return max(body.reserved_resident_seats or 0, share)


def _covers(day):
    return and_(
        BodyMembership.starts_on <= day,
        or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= day),
    )


def peak_without_tenancy(
    body_id: int, starts_on: date, ends_on: date | None, excluding: int | None, tenures
) -> int:
    """Most seats held on any one day of the term by people who are not tenancy holders.

    The count only rises on the day a term starts, so the peak is on ``starts_on`` or on the first
    day of a term starting inside the range (the same reasoning as core's seat count).
    """
    holders = select(Participant.id).where(tenancy_holder(tenures))
    others = [
        BodyMembership.body_id == body_id,
        or_(BodyMembership.participant_id.is_(None), BodyMembership.participant_id.not_in(holders)),
    ]
    if excluding is not None:
        others.append(BodyMembership.id != excluding)
    later = select(BodyMembership.starts_on.label("day")).where(*others, BodyMembership.starts_on > starts_on)
    if ends_on is not None:
        later = later.where(BodyMembership.starts_on <= ends_on)
    days = union(select(literal(starts_on, Date).label("day")), later).subquery("sr_days")
    in_force = select(func.count(BodyMembership.id)).where(*others, _covers(days.c.day)).correlate(days)
    return db.session.scalar(select(func.max(in_force.scalar_subquery())).select_from(days)) or 0


def only_shortens(membership: BodyMembership) -> bool:
    """True when a change to a seat only brings its term to an end sooner (same person, same
    seat): that never takes a seat from a tenancy holder, so it is allowed even while the Board
    breaks the rule (ending the term of a member who no longer holds a tenancy is how it is put
    right)."""
    if membership.id is None:
        return False
    stored = db.session.get(BodyMembership, membership.id)
    if stored is None or membership.ends_on is None:
        return False
    return (
        stored.participant_id == membership.participant_id
        and stored.external_name == membership.external_name
        and stored.seat_type == membership.seat_type
        and membership.starts_on >= stored.starts_on
        and (stored.ends_on is None or membership.ends_on <= stored.ends_on)
    )


def check_reserved_seats(organisation, body: Body, membership: BodyMembership) -> None:
    if body.kind != "board" or only_shortens(membership):
        return
    settings = current_settings()
    reserved = reserved_seats(body, settings)
    if reserved == 0:
        return
    tenures = settings["tenancy_tenures"]
    holder = is_tenancy_holder(membership.participant_id, tenures)
    if membership.seat_type == "resident" and not holder:
        raise Conflict(
            f"{reserved} Board seats are reserved for customers who hold a tenancy with "
            f"{organisation.name}; a resident seat can only be filled by a tenancy-holding participant."
        )
    if holder or body.seats_total is None:
        return
    open_seats = body.seats_total - reserved
    taken = peak_without_tenancy(body.id, membership.starts_on, membership.ends_on, membership.id, tenures)
    if taken >= open_seats:
        raise Conflict(
            f"{reserved} of the Board's {body.seats_total} seats are reserved for tenancy holders and "
            f"the other {open_seats} are already held for part of that term; this seat needs a "
            "tenancy holder."
        )
