"""The key-targets plan (seed section 11): phases, targets with their deadlines and a dated,
append-only progress log, and the overdue and due-soon lists.

Rules (each has a test named after it):
* phases of the plan do not overlap (409) and none starts before plan monitoring began (422);
* a target's reference is unique within its phase (409) — the seed numbers each phase from 1;
* a target has at least one deadline or is under continuous review (422);
* strategic aims, core values and KLOE tags come from the organisation's lists when it has
  configured them (422);
* "ongoing" is the status of continuous-review targets only (422);
* progress and met deadlines are never dated in the future (422).
The plan page lists each phase's targets in reference order (2 before 10) under one heading that
gives the phase's dates once.
A change of status is written to the progress log, so the log tells the whole story.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.records import check_reference
from plugins.key_targets.models import Deadline, Decision, Phase, ProgressEntry, Target
from plugins.key_targets.services.common import settings

TARGET_STATUSES = ("not_started", "in_progress", "ongoing", "done", "dropped")
FINISHED = ("done", "dropped")
STATUS_WORDS = {
    "not_started": "not started",
    "in_progress": "in progress",
    "ongoing": "ongoing (continuous review)",
    "done": "done",
    "dropped": "dropped",
}


# -- phases --------------------------------------------------------------------------------------


def save_phase(phase: Phase | None, values: dict[str, Any]) -> Phase:
    starts_on = values.get("starts_on", phase.starts_on if phase else None)
    ends_on = values.get("ends_on", phase.ends_on if phase else None)
    if ends_on < starts_on:
        raise ValidationFailed({"ends_on": ["A phase cannot end before it starts."]})
    monitoring = settings()["plan_monitoring_start"]
    if monitoring and starts_on < date.fromisoformat(monitoring):
        raise ValidationFailed({"starts_on": [f"Monitoring of the plan began on {monitoring}."]})
    overlapping = db.session.scalar(
        select(Phase.title).where(
            Phase.starts_on <= ends_on,
            Phase.ends_on >= starts_on,
            Phase.id != (phase.id if phase else 0),
        )
    )
    if overlapping is not None:
        raise Conflict(
            f"The phase overlaps the phase {overlapping!r}; phases of the plan follow one another."
        )
    if phase is None:
        phase = Phase(**values)
        db.session.add(phase)
    else:
        for name, value in values.items():
            setattr(phase, name, value)
    db.session.flush()
    return phase


def delete_phase(phase: Phase) -> None:
    if db.session.scalar(select(Target.id).where(Target.phase_id == phase.id).limit(1)) is not None:
        raise Conflict("The phase has targets; move or delete them first.")
    db.session.delete(phase)


# -- targets -------------------------------------------------------------------------------------


def check_tags(values: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """Aims, values and KLOE tags must be the organisation's own, once it has listed them."""
    config = settings()
    allowed = {
        "strategic_aims": [aim["key"] for aim in config["strategic_aims"]],
        "core_values": config["core_values"],
        "kloe_tags": config["kloe_tags"],
    }
    problems: dict[str, list[str]] = {}
    for field, known in allowed.items():
        given = values.get(field) or []
        unknown = [tag for tag in given if known and tag not in known]
        if unknown:
            problems[f"{prefix}{field}"] = [
                f"Not in the organisation's list: {', '.join(unknown)}; use {', '.join(known)}."
            ]
    return problems


def _check_target(target: Target | None, values: dict[str, Any], deadlines: list[date] | None) -> None:
    check_reference(Phase, values.get("phase_id"), "phase_id")
    problems = check_tags(values)
    continuous = values.get("continuous_review", target.continuous_review if target else False)
    if deadlines is None and target is not None:
        has_deadlines = db.session.scalar(select(Deadline.id).where(Deadline.target_id == target.id).limit(1))
    else:
        has_deadlines = bool(deadlines)
    if not has_deadlines and not continuous:
        problems["deadlines"] = ["Give at least one deadline, or mark the target for continuous review."]
    status = values.get("status", target.status if target else "not_started")
    if status == "ongoing" and not continuous:
        problems["status"] = ["Only a target under continuous review can be ongoing."]
    if problems:
        raise ValidationFailed(problems)
    phase_id = values.get("phase_id", target.phase_id if target else None)
    reference = values.get("reference", target.reference if target else None)
    clash = db.session.scalar(
        select(Target.id).where(
            Target.phase_id == phase_id,
            Target.reference == reference,
            Target.id != (target.id if target else 0),
        )
    )
    if clash is not None:
        raise Conflict(f"The phase already has a target with the reference {reference!r}.")


def save_target(
    target: Target | None,
    values: dict[str, Any],
    *,
    on: date | None = None,
    source: str = "officer",
    decision_id: int | None = None,
) -> Target:
    """Create or change a target. ``deadlines`` (a list of dates) replaces the target's deadlines,
    keeping whether each surviving date was met; a change of status is logged."""
    values = dict(values)
    deadlines = values.pop("deadlines", None)
    progress_note = values.pop("progress", None)
    _check_target(target, values, deadlines)
    on = on or plugin_kit.today()
    old_status = target.status if target else None
    if target is None:
        target = Target(**values)
        db.session.add(target)
    else:
        for name, value in values.items():
            setattr(target, name, value)
    if target.status == "done":
        target.completed_on = target.completed_on if old_status == "done" and target.completed_on else on
    else:
        target.completed_on = None
    db.session.flush()
    if deadlines is not None:
        _replace_deadlines(target, deadlines)
    if progress_note:
        log(target, progress_note, on=on, source=source, decision_id=decision_id, status=target.status)
    if old_status is not None and old_status != target.status and not progress_note:
        log(
            target,
            f"Status changed from {STATUS_WORDS[old_status]} to {STATUS_WORDS[target.status]}.",
            on=on,
            source=source,
            decision_id=decision_id,
            status=target.status,
        )
    return target


def _replace_deadlines(target: Target, deadlines: list[date]) -> None:
    wanted = set(deadlines)
    current = {
        d.due_on: d for d in db.session.scalars(select(Deadline).where(Deadline.target_id == target.id))
    }
    for due_on, deadline in current.items():
        if due_on not in wanted:
            db.session.delete(deadline)
    for due_on in sorted(wanted - set(current)):
        db.session.add(Deadline(target_id=target.id, due_on=due_on))
    db.session.flush()


def add_deadline(target: Target, due_on: date) -> None:
    exists_already = db.session.scalar(
        select(Deadline.id).where(Deadline.target_id == target.id, Deadline.due_on == due_on)
    )
    if exists_already is None:
        db.session.add(Deadline(target_id=target.id, due_on=due_on))
        db.session.flush()


def mark_deadline(deadline: Deadline, met_on: date | None) -> Deadline:
    if met_on is not None and met_on > plugin_kit.today():
        raise ValidationFailed({"met_on": ["Cannot be in the future."]})
    deadline.met_on = met_on
    db.session.flush()
    return deadline


def log(
    target: Target,
    note: str,
    *,
    on: date | None = None,
    status: str | None = None,
    source: str = "officer",
    decision_id: int | None = None,
) -> ProgressEntry:
    entry = ProgressEntry(
        target_id=target.id,
        recorded_on=on or plugin_kit.today(),
        note=note,
        status=status,
        source=source,
        decision_id=decision_id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def record_progress(target: Target, values: dict[str, Any]) -> ProgressEntry:
    """An officer's dated progress note; a status given with it changes the target too."""
    recorded_on = values.get("recorded_on") or plugin_kit.today()
    if recorded_on > plugin_kit.today():
        raise ValidationFailed({"recorded_on": ["Progress cannot be recorded in the future."]})
    status = values.get("status")
    if status is not None and status != target.status:
        save_target(target, {"status": status, "progress": values["note"]}, on=recorded_on)
        return db.session.scalars(
            select(ProgressEntry)
            .where(ProgressEntry.target_id == target.id)
            .order_by(ProgressEntry.id.desc())
        ).first()
    return log(target, values["note"], on=recorded_on, status=status)


# -- lists ---------------------------------------------------------------------------------------


def unmet_deadline(condition):
    return exists(
        select(Deadline.id).where(
            Deadline.target_id == Target.id,
            Deadline.organisation_id == Target.organisation_id,
            Deadline.met_on.is_(None),
            condition,
        )
    )


def overdue_condition(on: date):
    return and_(Target.status.not_in(FINISHED), unmet_deadline(Deadline.due_on < on))


def due_soon_condition(on: date, days: int):
    return and_(
        Target.status.not_in(FINISHED),
        unmet_deadline(Deadline.due_on.between(on, on + timedelta(days=days))),
    )


def target_query(args: dict[str, Any]):
    statement = select(Target)
    on = plugin_kit.today()
    if args.get("phase_id") is not None:
        statement = statement.where(Target.phase_id == args["phase_id"])
    if args.get("status"):
        statement = statement.where(Target.status == args["status"])
    if args.get("due") == "overdue":
        statement = statement.where(overdue_condition(on))
    elif args.get("due") == "due_soon":
        statement = statement.where(due_soon_condition(on, settings()["due_soon_days"]))
    if args.get("due"):
        # What needs attention now comes first: the latest phase's targets before old ones.
        phase_start = select(Phase.starts_on).where(Phase.id == Target.phase_id).scalar_subquery()
        return statement.order_by(phase_start.desc(), Target.id)
    return statement.order_by(Target.phase_id, Target.id)


def describe_targets(targets: list[Target], *, with_progress: bool = False) -> None:
    """Deadlines (and the progress log) of a page of targets in one query each."""
    ids = [t.id for t in targets]
    deadlines: dict[int, list[Deadline]] = {i: [] for i in ids}
    progress: dict[int, list[ProgressEntry]] = {i: [] for i in ids}
    if ids:
        for deadline in db.session.scalars(
            select(Deadline).where(Deadline.target_id.in_(ids)).order_by(Deadline.due_on)
        ):
            deadlines[deadline.target_id].append(deadline)
        entries = select(ProgressEntry).where(ProgressEntry.target_id.in_(ids))
        if not with_progress:
            latest = (
                select(func.max(ProgressEntry.id))
                .where(ProgressEntry.target_id.in_(ids))
                .group_by(ProgressEntry.target_id)
            )
            entries = entries.where(ProgressEntry.id.in_(latest))
        for entry in db.session.scalars(entries.order_by(ProgressEntry.recorded_on, ProgressEntry.id)):
            progress[entry.target_id].append(entry)
    on = plugin_kit.today()
    soon = on + timedelta(days=settings()["due_soon_days"])
    for target in targets:
        target.deadlines = deadlines[target.id]
        target.progress = progress[target.id]
        target.latest_progress = progress[target.id][-1] if progress[target.id] else None
        unmet = [d.due_on for d in deadlines[target.id] if d.met_on is None]
        open_ = target.status not in FINISHED
        target.next_due_on = min((d for d in unmet if d >= on), default=None)
        target.overdue = open_ and any(d < on for d in unmet)
        target.due_soon = open_ and any(on <= d <= soon for d in unmet)


def reference_order(reference: str) -> tuple:
    """Sort key reading a reference as the seed numbers it: "2" before "10", "3" before "3a"."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.strip().lower())
        for part in re.findall(r"\d+|\D+", reference)
    )


def in_reference_order(targets: list[Target]) -> list[Target]:
    return sorted(targets, key=lambda target: (reference_order(target.reference), target.id))


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def phase_heading(phase: Phase) -> str:
    """The phase's title with its dates, given once: a title that already names both years (as the
    seed's "Year 1 – 1 April 2006 to 31 March 2007" does) is shown as it is."""
    years = {str(phase.starts_on.year), str(phase.ends_on.year)}
    if all(year in phase.title for year in years):
        return phase.title
    return f"{phase.title}: {_long_date(phase.starts_on)} to {_long_date(phase.ends_on)}"


def status_counts() -> dict[str, int]:
    counts = dict.fromkeys(TARGET_STATUSES, 0)
    for status, count in db.session.execute(
        select(Target.status, func.count(Target.id)).group_by(Target.status)
    ):
        counts[status] = count
    return counts


def delete_target(target: Target) -> None:
    """A target goes with its deadlines and log (409 while a conference decision names it: the
    conference's record of what it decided stays whole)."""
    if db.session.scalar(select(Decision.id).where(Decision.target_id == target.id).limit(1)) is not None:
        raise Conflict(
            "A decision of the tenants' conference names this target, so it stays in the plan; "
            "mark it as dropped instead."
        )
    db.session.delete(target)
