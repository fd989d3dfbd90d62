"""Demo records for the key_targets plugin, built on core's demo year (``core.demo_data``).

Strands from the settings, mapped to the core board and to bodies and opportunities added here for
the other levels of involvement, with two years of held activities so growth can be compared; the
seed's key-targets plan (``demo_plan``) plus a current phase with targets overdue and due soon;
conferences whose decisions changed the plan; tenant inspections of empty homes; mystery shops on
each channel. Deterministic (``random.Random(slug)``) and added once: an organisation that already
has phases is left alone.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import Activity, Body, Household, Opportunity, Participant, Participation
from core.periods import Period
from plugins.key_targets.models import Deadline, Phase, Strand
from plugins.key_targets.services import conference, demo_checks, plan, strands
from plugins.key_targets.services.demo_plan import PHASES, RIO, TARGETS

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
    today = date.today()
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


def _plan(settings) -> dict[tuple[int, str], object]:
    allowed = _allowed(settings)

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
                    "starts_on": date.fromisoformat(starts),
                    "ends_on": date.fromisoformat(ends),
                },
            )
        )
    for index, rows in TARGETS.items():
        phase = phases[index]
        for ref, action, who, deadlines, continuous, status, progress, outcome, aims, values in rows:
            due = [date.fromisoformat(d) for d in deadlines]
            target = plan.save_target(
                None,
                {
                    "phase_id": phase.id,
                    "reference": ref,
                    "action": action,
                    "responsibility": who,
                    "deadlines": due,
                    "continuous_review": continuous,
                    "status": status,
                    "outcome": outcome,
                    "strategic_aims": keep("strategic_aims", aims),
                    "core_values": keep("core_values", values),
                    "kloe_tags": keep("kloe_tags", ["KLOE 5"] if index == 3 else []),
                    "progress": progress,
                },
                on=min(min(due), phase.ends_on) if status == "done" else phase.ends_on,
                source="import",
            )
            if status == "done":
                for deadline in db.session.scalars(select(Deadline).where(Deadline.target_id == target.id)):
                    deadline.met_on = deadline.due_on
            made[(index, ref)] = target
    _current_phase(allowed, made)
    return made


def _current_phase(allowed, made) -> None:
    today = date.today()
    year = Period.financial_year_of(today)
    if year.start.year <= 2010:
        return
    phase = plan.save_phase(
        None,
        {
            "title": f"Current year – 1 April {year.start.year} to 31 March {year.end.year}",
            "starts_on": year.start,
            "ends_on": year.end,
        },
    )
    aims = "customer_driven_services"
    rows = [
        (
            "1",
            "Review and monitor progress in each involvement strand against the growth target",
            ["Director of Housing"],
            [year.end],
            False,
            "in_progress",
            "Quarterly strand figures reported to the Customer Forum.",
        ),
        (
            "2",
            "Annual conference with tenants and leaseholders to review the strategy and set targets",
            [RIO],
            [date(year.start.year, 12, 1)],
            False,
            "in_progress",
            "Venue booked; invitations going out.",
        ),
        (
            "3",
            "Agree this year's mystery shopping action plan with the shoppers",
            ["Director of Housing"],
            [today - timedelta(days=20)],
            False,
            "not_started",
            None,
        ),
        (
            "4",
            "Refresh the minimum relet standard checklist with the tenant inspectors",
            ["Housing Services Manager", "Tenant inspectors"],
            [today + timedelta(days=12)],
            False,
            "in_progress",
            "Draft checklist discussed at the inspectors' meeting.",
        ),
        (
            "6",
            "Publish last year's involvement results in Tenant Times and on the website",
            ["Head of Communications and Marketing"],
            [today - timedelta(days=40)],
            False,
            "done",
            "Published in the autumn Tenant Times.",
        ),
        (
            "5",
            "Engage under-represented groups, including young people, for fair representation",
            ["Resident Involvement Team"],
            [],
            True,
            "ongoing",
            "Youth focus group met for the first time.",
        ),
    ]
    for ref, action, who, due, continuous, status, progress in rows:
        made[("current", ref)] = plan.save_target(
            None,
            {
                "phase_id": phase.id,
                "reference": ref,
                "action": action,
                "responsibility": who,
                "deadlines": due,
                "continuous_review": continuous,
                "status": status,
                "progress": progress,
                "strategic_aims": [aims]
                if allowed["strategic_aims"] is None or aims in allowed["strategic_aims"]
                else [],
                "outcome": "Improved service delivery and outcomes for tenants.",
            },
            on=min(due) - timedelta(days=2)
            if status == "done"
            else min(today, year.start + timedelta(days=30)),
        )
        if status == "done":
            for deadline in db.session.scalars(
                select(Deadline).where(Deadline.target_id == made[("current", ref)].id)
            ):
                deadline.met_on = deadline.due_on - timedelta(days=2)


def _conferences(targets) -> None:
    first = conference.save_conference(
        None,
        {
            "year": 2006,
            "title": "Tenants' and leaseholders' conference 2006",
            "held_on": date(2006, 12, 5),
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
            "year": 2007,
            "title": "Tenants' and leaseholders' conference 2007",
            "held_on": date(2007, 12, 6),
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
            "add_deadline": date(2009, 3, 31),
        },
    )
    today = date.today()
    last = today.year - 1
    if ("current", "1") in targets and last > 2007:
        recent = conference.save_conference(
            None,
            {
                "year": last,
                "title": f"Tenants' and leaseholders' conference {last}",
                "held_on": date(last, 11, 27),
                "attendance": 112,
            },
        )
        current = targets[("current", "1")]
        conference.record_decision(
            recent,
            {
                "text": "Add a target to recruit more tenant inspectors before the next conference.",
                "new_target": {
                    "phase_id": current.phase_id,
                    "reference": "7",
                    "action": "Recruit and train five more tenant inspectors",
                    "responsibility": [RIO],
                    "deadlines": [today + timedelta(days=45)],
                    "status": "in_progress",
                },
            },
        )
