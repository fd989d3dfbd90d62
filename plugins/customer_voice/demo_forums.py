"""Demo helpers that make the Customer Voice structures believable for the demo year.

* Every Community Engagement Forum covers a management area: core's demo records only two, so the
  forums the settings ask for beyond those get an area of their own (with an estate), named after
  Sunderland's districts.
* Every forum has residents of its area on it, one of them chairing. Where the core demo has too
  few residents in an area, a few households and residents are added there. Seats go through the
  forum's own rules (``forums.add_member``), so the demo never holds a seat the API would refuse.
* The customers' review of the involvement approach: the configuration holds the seed's last
  review (September 2018, every three years), which would make the demo's review nine years
  overdue. The demo assumes the reviews due since were held on time and records the latest one.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Area, Body, Household, Participant
from plugins.customer_voice.models import Forum
from plugins.customer_voice.services import forums

# Management area → an estate in it (Sunderland's five regeneration areas and a familiar estate).
DISTRICTS = [
    ("Washington", "Oxclose"),
    ("Coalfields", "Houghton"),
    ("Sunderland West", "Pennywell"),
    ("Sunderland East", "Hendon"),
    ("Sunderland North", "Southwick"),
]
FIRST_NAMES = ["Aisha", "Barry", "Chloe", "Derek", "Eileen", "Frank", "Gemma", "Harry", "Irene", "Joe"]
LAST_NAMES = ["Armstrong", "Bell", "Charlton", "Dixon", "Elliott", "Forster", "Gibson", "Hall"]
STREETS = ["Wear Street", "Mill Lane", "Colliery Row", "Harbour View"]
MEMBERS_PER_FORUM = 5


def review_up_to_date(settings: dict, today: date) -> dict:
    """Settings whose ``last_approach_review`` is the latest review due by ``today`` (stored too)."""
    last = settings.get("last_approach_review")
    if not last:
        return settings
    year, month = (int(part) for part in last.split("-"))
    step = settings["approach_review_interval_years"]
    while date(year + step, month, 1) <= today:
        year += step
    latest = f"{year}-{month:02d}"
    if latest == last:
        return settings
    return plugin_kit.save_plugin_settings("customer_voice", {"last_approach_review": latest})


def give_every_forum_an_area() -> None:
    """A forum still without a management area gets a new one, with an estate to rate."""
    taken = set(db.session.scalars(select(Area.name)))
    free = [(area, estate) for area, estate in DISTRICTS if area not in taken]
    for forum in db.session.scalars(select(Forum).order_by(Forum.slot)):
        body = db.session.get(Body, forum.body_id)
        if body.area_id is not None or not free:
            continue
        area_name, estate_name = free.pop(0)
        area = Area(name=area_name, kind="management_area")
        db.session.add(area)
        db.session.flush()
        db.session.add(Area(name=estate_name, kind="estate", parent_id=area.id))
        body.area_id, body.name = area.id, f"{area_name} Community Engagement Forum"
    db.session.flush()


def _residents_by_area() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for person in db.session.scalars(
        select(Participant).where(Participant.household_id.is_not(None)).order_by(Participant.id)
    ):
        area = forums.participant_home_area(person)
        if area is not None:
            found.setdefault(area, []).append(person.id)
    return found


def _add_residents(rng: random.Random, organisation, area_id: int, count: int, today: date) -> list[int]:
    """``count`` new households and residents on an estate of the management area."""
    estate_id = db.session.scalar(select(Area.id).where(Area.parent_id == area_id).order_by(Area.id))
    start = db.session.scalar(select(Household.id).order_by(Household.id.desc()).limit(1)) or 0
    people = []
    for n in range(count):
        number = start + n + 1
        home = Household(
            reference=f"{organisation.slug[:3].upper()}{5000 + number}",
            address_lines=[f"{rng.randint(1, 120)} {rng.choice(STREETS)}"],
            postcode=f"SR{rng.randint(1, 6)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('LNPQRT')}",
            area_id=estate_id or area_id,
            tenure="general_needs",
        )
        db.session.add(home)
        db.session.flush()
        person = Participant(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            household_id=home.id,
            is_tenancy_holder=True,
            preferred_level="decision_making",
            channels=["post", "phone"],
            contact_consent=True,
            consent_given_on=today - timedelta(days=rng.randint(200, 600)),
            consent_method="written",
        )
        db.session.add(person)
        db.session.flush()
        people.append(person.id)
    return people


def seat_residents(rng: random.Random, organisation, today: date) -> dict[int, list[int]]:
    """Residents of each forum's area on it (the first chairs); forum body id → member ids."""
    residents = _residents_by_area()
    members: dict[int, list[int]] = {}
    for forum in db.session.scalars(select(Forum).order_by(Forum.slot)):
        body = db.session.get(Body, forum.body_id)
        if body.area_id is None:
            continue
        local = residents.get(body.area_id, [])[:MEMBERS_PER_FORUM]
        if len(local) < MEMBERS_PER_FORUM:
            local += _add_residents(rng, organisation, body.area_id, MEMBERS_PER_FORUM - len(local), today)
        for n, person in enumerate(local):
            forums.add_member(
                organisation,
                forum,
                {
                    "participant_id": person,
                    "role": "chair" if n == 0 else "member",
                    "starts_on": today - timedelta(days=420 - 30 * n),
                },
            )
        members[body.id] = local
    return members
