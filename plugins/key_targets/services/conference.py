"""The annual tenants' and leaseholders' conference (seed section 11: held each year, due by
1 December, to review the strategy and set ongoing targets) and the decisions it takes.

A decision may change the plan: set a target's status, add a deadline to it, or add a new target
to a phase. The change goes through the plan's own rules and is written in the target's progress
log, dated the day of the conference and linked to the decision.

Rules (each has a test named after it):
* one conference per year (409), held in that year (422);
* decisions are recorded only for a conference that has taken place (409).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.records import check_reference
from plugins.key_targets.models import Conference, Decision, Target
from plugins.key_targets.services import plan
from plugins.key_targets.services.common import settings


def save_conference(conference: Conference | None, values: dict[str, Any]) -> Conference:
    year = values.get("year", conference.year if conference else None)
    held_on = values.get("held_on", conference.held_on if conference else None)
    if held_on.year != year:
        raise ValidationFailed({"held_on": [f"The {year} conference must be held in {year}."]})
    clash = db.session.scalar(
        select(Conference.id).where(
            Conference.year == year, Conference.id != (conference.id if conference else 0)
        )
    )
    if clash is not None:
        raise Conflict(f"There is already a conference for {year}; the conference is once a year.")
    if conference is None:
        conference = Conference(**values)
        db.session.add(conference)
    else:
        for name, value in values.items():
            setattr(conference, name, value)
    db.session.flush()
    return conference


def due_date(year: int) -> date:
    return date(year, settings()["annual_conference_due_month"], 1)


def describe_conferences(conferences: list[Conference]) -> None:
    ids = [c.id for c in conferences]
    decisions: dict[int, list[Decision]] = {i: [] for i in ids}
    if ids:
        for decision in db.session.scalars(
            select(Decision).where(Decision.conference_id.in_(ids)).order_by(Decision.id)
        ):
            decisions[decision.conference_id].append(decision)
    for conference in conferences:
        conference.due_on = due_date(conference.year)
        conference.on_time = conference.held_on <= conference.due_on
        conference.decisions = decisions[conference.id]


def record_decision(conference: Conference, values: dict[str, Any]) -> Decision:
    if conference.held_on > plugin_kit.today():
        raise Conflict("The conference has not taken place yet; record its decisions once it has.")
    check_reference(Target, values.get("target_id"), "target_id")
    changes = {k: values.get(k) for k in ("set_status", "add_deadline") if values.get(k) is not None}
    new_target = values.get("new_target")
    if changes and values.get("target_id") is None:
        raise ValidationFailed({"target_id": ["Name the target the decision changes."]})
    decision = Decision(conference_id=conference.id, text=values["text"], target_id=values.get("target_id"))
    db.session.add(decision)
    db.session.flush()
    note = f"{conference.title} ({conference.held_on.isoformat()}) decided: {values['text']}"
    kinds = []
    if changes:
        target = db.session.get(Target, values["target_id"])
        if "add_deadline" in changes:
            plan.add_deadline(target, changes["add_deadline"])
            kinds.append("deadline")
        update: dict[str, Any] = {"progress": note}
        if "set_status" in changes:
            update["status"] = changes["set_status"]
            kinds.append("status")
        plan.save_target(target, update, on=conference.held_on, source="conference", decision_id=decision.id)
    if new_target is not None:
        try:
            created = plan.save_target(
                None,
                {**new_target, "progress": note},
                on=conference.held_on,
                source="conference",
                decision_id=decision.id,
            )
        except ValidationFailed as exc:
            raise ValidationFailed({f"new_target.{k}": v for k, v in exc.fields.items()}) from None
        decision.target_id = decision.target_id or created.id
        kinds.append("new_target")
    elif values.get("target_id") is not None and not changes:
        plan.log(
            db.session.get(Target, values["target_id"]),
            note,
            on=conference.held_on,
            source="conference",
            decision_id=decision.id,
        )
    decision.change = ",".join(kinds) or "none"
    db.session.flush()
    return decision
