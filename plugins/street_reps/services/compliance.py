"""Halton's standing rules, rechecked all year: the Board's tenancy-holder third and the street
representative's 30 tenancy holders.

Both rules are enforced when a seat is filled or a patch grows (``board.check_reserved_seats``,
``reps.add_households``), but they can also be broken later by a change elsewhere: a home changes
tenure (Right to Buy makes a tenant a leaseholder), a household becomes active again, a person
stops holding the tenancy or moves. Those changes must not be refused for a rule about something
else, so core announces them (``on_households_changed``, ``on_participants_changed``,
``on_membership_changed``) and :func:`recheck` runs the checks here, then notifies the officers
of each breach it finds for the first time. The compliance page and the Board PIs show
:func:`check` live, so they are right whatever changed.

Board (seed 001: "one third of the seats on the Trust's Board will be reserved for such
customers"), on the day checked:
* a member in a ``resident`` seat must hold a tenancy (a reserved seat filled by someone else);
* people who do not hold a tenancy may hold at most the seats that are not reserved;
* reserved seats without a tenancy holder are reported as vacancies, not as a breach.

Street representatives (seed 001: "up to 30 customers who hold tenancies"): a current
representative's patch may hold at most ``max_tenancy_holders_per_rep`` tenancy-holding homes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select

from core import plugin_kit
from core.extensions import db
from core.models import Body, BodyMembership, Organisation, Participant
from core.services.notifications import least_role, notify_role
from core.tenancy import current_org_id
from plugins.street_reps.models import StreetRep
from plugins.street_reps.services.board import reserved_seats
from plugins.street_reps.services.common import tenancy_holder

BOARD_RULE = "board_tenancy_third"
REP_RULE = "rep_tenancy_holder_limit"


def _in_force(day: date):
    return and_(
        BodyMembership.starts_on <= day,
        or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= day),
    )


def board_check(body: Body, settings: dict, day: date) -> dict[str, Any]:
    """One board on one day: who sits, how many hold a tenancy, and what breaks the rule."""
    reserved = reserved_seats(body, settings)
    holders = select(Participant.id).where(tenancy_holder(settings["tenancy_tenures"]))
    rows = db.session.execute(
        select(
            BodyMembership.id,
            BodyMembership.seat_type,
            BodyMembership.participant_id,
            BodyMembership.external_name,
            Participant.first_name,
            Participant.last_name,
            BodyMembership.participant_id.in_(holders),
        )
        .outerjoin(Participant, Participant.id == BodyMembership.participant_id)
        .where(BodyMembership.body_id == body.id, _in_force(day))
        .order_by(BodyMembership.id)
    ).all()
    members = []
    for membership_id, seat_type, participant_id, external, first, last, holds in rows:
        name = external if participant_id is None else f"{first} {last}"
        members.append(
            {
                "membership_id": membership_id,
                "name": name,
                "seat_type": seat_type,
                "tenancy_holder": bool(holds) and participant_id is not None,
            }
        )
    seated_holders = sum(1 for m in members if m["tenancy_holder"])
    others = len(members) - seated_holders
    open_seats = body.seats_total - reserved if body.seats_total is not None else None
    breaches, details = [], []
    without = [m for m in members if m["seat_type"] == "resident" and not m["tenancy_holder"]]
    for member in without:
        details.append(f"seat-{member['membership_id']}")
        breaches.append(
            f"{member['name']} holds a resident seat reserved for tenancy holders but does not hold "
            "a tenancy."
        )
    if open_seats is not None and others > open_seats:
        details.append(f"others-{others}")
        breaches.append(
            f"{others} members do not hold a tenancy, but only {open_seats} of the {body.seats_total} seats "
            f"are not reserved for tenancy holders."
        )
    return {
        "body_id": body.id,
        "name": body.name,
        "seats_total": body.seats_total,
        "reserved": reserved,
        "members": len(members),
        "tenancy_holders": seated_holders,
        "others": others,
        "open_seats": open_seats,
        "vacant_reserved": max(0, reserved - seated_holders),
        "complies": not breaches,
        "breaches": breaches,
        "details": details,
        "people": members,
    }


def reps_over_limit(settings: dict) -> list[dict[str, Any]]:
    from plugins.street_reps.services.reps import describe

    current = db.session.scalars(
        select(StreetRep).where(StreetRep.stood_down_on.is_(None)).order_by(StreetRep.patch_name)
    ).all()
    limit = settings["max_tenancy_holders_per_rep"]
    return [
        {
            "rep_id": rep.id,
            "name": rep.name,
            "patch_name": rep.patch_name,
            "tenancy_holders": rep.tenancy_holders,
            "limit": limit,
            "message": (
                f"{rep.name} ({rep.patch_name}) speaks for {rep.tenancy_holders} tenancy holders; "
                f"a street representative speaks for at most {limit}."
            ),
        }
        for rep in describe(list(current), settings["tenancy_tenures"])
        if rep.tenancy_holders > limit
    ]


def check(settings: dict, day: date | None = None) -> dict[str, Any]:
    """Every standing rule on ``day`` (today): the boards, the representatives, and all breaches."""
    day = day or plugin_kit.today()
    boards = [
        board_check(body, settings, day)
        for body in db.session.scalars(select(Body).where(Body.kind == "board").order_by(Body.id))
        if reserved_seats(body, settings) > 0
    ]
    reps = reps_over_limit(settings)
    # ``detail`` says what the breach consists of (which seat, how many), so a notification is
    # keyed by it and not by wording that changes when someone is renamed.
    breaches = [
        {"rule": BOARD_RULE, "subject": f"body:{b['body_id']}", "message": text, "detail": detail}
        for b in boards
        for text, detail in zip(b["breaches"], b["details"], strict=True)
    ]
    breaches += [
        {
            "rule": REP_RULE,
            "subject": f"rep:{r['rep_id']}",
            "message": r["message"],
            "detail": str(r["tenancy_holders"]),
        }
        for r in reps
    ]
    return {
        "checked_on": day,
        "complies": not breaches,
        "boards": boards,
        "reps_over_limit": reps,
        "max_tenancy_holders_per_rep": settings["max_tenancy_holders_per_rep"],
        "breaches": breaches,
    }


def recheck(settings: dict | None = None, day: date | None = None) -> list[dict[str, Any]]:
    """Run :func:`check` and notify the officers of each breach not reported before.

    Never raises for a breach: the change that caused it has already been made (and may be right).
    A breach is keyed by its rule, its subject and what it consists of (which seat, how many), so
    the same breach is reported once and a different one (another member, a higher count) again.
    """
    from plugins.street_reps.schemas.settings import current_settings

    result = check(settings or current_settings(), day)
    slug = db.session.get(Organisation, current_org_id()).slug
    role = least_role("street_reps.write")
    for breach in result["breaches"]:
        key = f"street_reps:compliance:{breach['rule']}:{breach['subject']}:{breach['detail']}"
        notify_role(
            key,
            role,
            "Halton rule broken: " + breach["message"],
            body="A change to a home, a person or a seat broke one of the Trust's standing rules. "
            "See the compliance page for the whole picture.",
            link=f"/o/{slug}/plugins/street_reps/compliance",
        )
    return result["breaches"]
