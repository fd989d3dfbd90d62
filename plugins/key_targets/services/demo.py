"""Demo records for the key_targets plugin, built on core's demo year (``core.demo_data``).

Strands from the settings, mapped to the core board and to bodies and opportunities added here for
the other levels of involvement, with two years of held activities so growth can be compared; the
seed's key-targets plan (``demo_plan``) moved to the demo year: its last phase ("Year 3 and 4") is
the financial year now, every date and year in its text moves with it, and that year's targets
stand as they would today (done, under way — some overdue or due soon — or not started);
conferences whose decisions changed the plan; tenant inspections of empty homes; mystery shops on
each channel. Deterministic (``random.Random(slug)``) and added once: an organisation that already
has phases is left alone.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Activity, Body, Household, Opportunity, Participant, Participation
from core.periods import Period
from plugins.key_targets.models import Deadline, Phase, Strand
from plugins.key_targets.services import conference, demo_checks, plan, strands
from plugins.key_targets.services.demo_plan import PHASES, RIO, SEED_LAST_PHASE_YEAR, TARGETS

# strand key → ("body" | "opportunity", name, body kind or opportunity level, growth factor)
STRAND_RECORDS = {
    "board": ("body", "Board", "board", 1.0),
    "customer_forum": ("body", "Customer Forum", "forum", 1.25),
    "leasehold_forum": ("body", "Leasehold Forum", "forum", 0.8),
    "tenant_consultative_committees": ("body", "Barnwood Tenant Consultative Committee", "committee", 1.15),
    "neighbourhood_partnerships": ("body", "Matson Neighbourhood Partnership", "partnership", 1.1),
    "sheltered_action_group": ("body", "Sheltered Action Group", "panel", 1.3),
    "themed_workshops": ("opportunity", "Themed workshops", "consulted", 0.9),
    "mystery_shopping": ("opportunity", "Mystery shopping", "involved", 1.2),
    "community_pride_days": ("opportunity", "Community pride days", "involved", 1.4),
    "focus_groups": ("opportunity", "Focus groups", "consulted", 1.05),
    "street_and_block_reps": ("opportunity", "Street and block representatives", "involved", 1.2),
    "tenant_inspectors": ("opportunity", "Tenant inspectors", "involved", 1.5),
}
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
KINDS = {
    "board": "meeting",
    "forum": "meeting",
    "committee": "meeting",
    "partnership": "meeting",
    "panel": "meeting",
    "consulted": "focus_group",
    "involved": "volunteering",
}


def load(organisation, settings) -> None:
    if db.session.scalar(select(Phase.id).limit(1)) is not None:
        return
    rng = random.Random(organisation.slug)
    strands.ensure_strands(settings["strands"])
    people = db.session.scalars(select(Participant).order_by(Participant.id)).all()
    if people:
        _strand_activity(rng, people)
    targets = _plan(settings)
    _conferences(targets)
    households = db.session.scalars(select(Household).order_by(Household.id)).all()
    if households and settings["relet_standard_checklist"]:
        demo_checks.inspections_demo(rng, households, people, settings)
    if people:
        demo_checks.shopping_demo(rng, people, settings)
    db.session.flush()


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _strand_activity(rng: random.Random, people: list) -> None:
    today = plugin_kit.today()
    this_year = Period.financial_year_of(today)
    last_year = this_year.previous()
    by_key = {s.key: s for s in db.session.scalars(select(Strand))}
    for key, (kind, name, sort, factor) in STRAND_RECORDS.items():
        strand = by_key.get(key)
        if strand is None:
            continue
        if kind == "body":
            record = db.session.scalar(select(Body).where(Body.name == name))
            if record is None:
                record = Body(name=name, kind=sort, decision_making=sort == "board")
                db.session.add(record)
                db.session.flush()
            strands.set_links(strand, None, [record.id])
        else:
            record = Opportunity(name=name, level=sort, formal=False)
            db.session.add(record)
            db.session.flush()
            strands.set_links(strand, [record.id], None)
        before = rng.randint(5, 12)
        counts = ((last_year, before), (this_year, min(len(people), max(1, round(before * factor)))))
        for period, count in counts:
            last_day = min(period.end, today - timedelta(days=3))
            span = (last_day - period.start).days
            if span < 0:
                continue
            group = rng.sample(people, min(count, len(people)))
            for n in range(3):
                activity = Activity(
                    title=f"{name} {n + 1}",
                    kind=KINDS[sort],
                    status="held",
                    starts_at=_at(period.start + timedelta(days=span * (n + 1) // 4), 18),
                    body_id=record.id if kind == "body" else None,
                    opportunity_id=record.id if kind == "opportunity" else None,
                )
                db.session.add(activity)
                db.session.flush()
                # Everyone in the year's group comes at least once (the first session).
                for m, person in enumerate(group):
                    if n == 0 or (m + n) % 3:
                        db.session.add(Participation(activity_id=activity.id, participant_id=person.id))
    db.session.flush()


def _allowed(settings) -> dict[str, set[str] | None]:
    return {
        "strategic_aims": {a["key"] for a in settings["strategic_aims"]} or None,
        "core_values": set(settings["core_values"]) or None,
        "kloe_tags": set(settings["kloe_tags"]) or None,
    }


def year_shift(today: date) -> int:
    """Years to add to the seed's dates so its last phase is the demo year (the financial year now)."""
    return Period.financial_year_of(today).start.year - SEED_LAST_PHASE_YEAR


def moved(day: date, shift: int) -> date:
    try:
        return day.replace(year=day.year + shift)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + shift, day=28)


def redate(text: str | None, shift: int) -> str | None:
    """The seed's years in a sentence moved by ``shift`` ("the 2006 meetings" → "the 2023 meetings")."""
    if not text:
        return text
    return YEAR.sub(lambda found: str(int(found.group()) + shift), text)


def as_of(today: date, due: list[date], status: str, progress: str | None) -> tuple[str, str | None]:
    """The demo year's targets the seed left unstarted, as they would stand today: long past their
    deadline done, near it under way, later ones not started yet."""
    if status != "not_started" or not due:
        return status, progress
    last = max(due)
    if last < today - timedelta(days=60):
        return "done", "Completed by the deadline and reported to the Customer Forum."
    if last <= today + timedelta(days=90):
        return "in_progress", "Under way; progress reported to the Customer Forum each quarter."
    return status, progress


def _plan(settings) -> dict[tuple[int, str], object]:
    allowed = _allowed(settings)
    today = plugin_kit.today()
    shift = year_shift(today)

    def keep(field, values):
        return [v for v in values if allowed[field] is None or v in allowed[field]]

    made = {}
    phases = []
    for title, starts, ends in PHASES:
        phases.append(
            plan.save_phase(
                None,
                {
                    "title": title,
                    "starts_on": moved(date.fromisoformat(starts), shift),
                    "ends_on": moved(date.fromisoformat(ends), shift),
                },
            )
        )
    for index, rows in TARGETS.items():
        phase = phases[index]
        for ref, action, who, deadlines, continuous, status, progress, outcome, aims, values in rows:
            due = [moved(date.fromisoformat(d), shift) for d in deadlines]
            status, progress = as_of(today, due, status, progress)
            target = plan.save_target(
                None,
                {
                    "phase_id": phase.id,
                    "reference": ref,
                    "action": redate(action, shift),
                    "responsibility": who,
                    "deadlines": due,
                    "continuous_review": continuous,
                    "status": status,
                    "outcome": redate(outcome, shift),
                    "strategic_aims": keep("strategic_aims", aims),
                    "core_values": keep("core_values", values),
                    "kloe_tags": keep("kloe_tags", ["KLOE 5"] if index == 3 else []),
                    "progress": redate(progress, shift),
                },
                on=min(min(due), phase.ends_on) if status == "done" else min(today, phase.ends_on),
                source="import",
            )
            if status == "done":
                for deadline in db.session.scalars(select(Deadline).where(Deadline.target_id == target.id)):
                    deadline.met_on = deadline.due_on
            made[(index, ref)] = target
    return made


def _conferences(targets) -> None:
    """The seed's 2006 and 2007 conferences (moved to the demo's years) and last year's."""
    today = plugin_kit.today()
    shift = year_shift(today)
    first_year, second_year = 2006 + shift, 2007 + shift
    first = conference.save_conference(
        None,
        {
            "year": first_year,
            "title": f"Tenants' and leaseholders' conference {first_year}",
            "held_on": date(first_year, 12, 5),
            "attendance": 84,
        },
    )
    conference.record_decision(
        first,
        {
            "text": "The conference was held; the Year 1 conference target is met.",
            "target_id": targets[(1, "9")].id,
            "set_status": "done",
        },
    )
    second = conference.save_conference(
        None,
        {
            "year": second_year,
            "title": f"Tenants' and leaseholders' conference {second_year}",
            "held_on": date(second_year, 12, 6),
            "attendance": 97,
        },
    )
    conference.record_decision(
        second,
        {
            "text": "Customer service standards reviewed; keep the yearly conference.",
            "target_id": targets[(2, "2")].id,
        },
    )
    conference.record_decision(
        second,
        {
            "text": "Give the BME action day another year.",
            "target_id": targets[(2, "10")].id,
            "add_deadline": moved(date(2009, 3, 31), shift),
        },
    )
    last = today.year - 1
    if last > second_year:
        recent = conference.save_conference(
            None,
            {
                "year": last,
                "title": f"Tenants' and leaseholders' conference {last}",
                "held_on": date(last, 11, 27),
                "attendance": 112,
            },
        )
        current = targets[(3, "1")]
        conference.record_decision(
            recent,
            {
                "text": "Add a target to recruit more tenant inspectors before the next conference.",
                "new_target": {
                    "phase_id": current.phase_id,
                    "reference": str(len([key for key in targets if key[0] == 3]) + 1),
                    "action": "Recruit and train five more tenant inspectors",
                    "responsibility": [RIO],
                    "deadlines": [today + timedelta(days=45)],
                    "status": "in_progress",
                },
            },
        )
