"""What the public key-targets page publishes: each phase of the plan (newest first) with how many
of its targets are in each status, and every target's reference, action, intended outcome, status, next
deadline and, once done, its completion date. Who is responsible (often named officers) and the
progress log (officers' working notes) are staff records and are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from core.extensions import db
from plugins.key_targets.models import Phase, Target
from plugins.key_targets.services import plan
from plugins.key_targets.services.plan import TARGET_STATUSES


@dataclass
class PublicTarget:
    reference: str
    action: str
    status: str
    next_due_on: date | None
    overdue: bool
    completed_on: date | None
    outcome: str | None


@dataclass
class PublicPhase:
    heading: str
    starts_on: date
    ends_on: date
    targets: list[PublicTarget] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def plan_progress() -> list[PublicPhase]:
    """Every phase of the plan, newest first, each with its targets in reference order."""
    phases = db.session.scalars(select(Phase).order_by(Phase.starts_on.desc(), Phase.id.desc())).all()
    targets = list(db.session.scalars(select(Target)))
    plan.describe_targets(targets)
    shown = {
        phase.id: PublicPhase(plan.phase_heading(phase), phase.starts_on, phase.ends_on) for phase in phases
    }
    for target in plan.in_reference_order(targets):
        public_phase = shown.get(target.phase_id)
        if public_phase is None:
            continue
        done = target.status == "done"
        public_phase.targets.append(
            PublicTarget(
                reference=target.reference,
                action=target.action,
                status=target.status,
                next_due_on=target.next_due_on,
                overdue=target.overdue,
                completed_on=target.completed_on if done else None,
                outcome=target.outcome,
            )
        )
    for public_phase in shown.values():
        public_phase.counts = {
            status: sum(1 for t in public_phase.targets if t.status == status) for status in TARGET_STATUSES
        }
    return list(shown.values())
