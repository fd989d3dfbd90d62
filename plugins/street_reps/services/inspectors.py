"""Customer inspectors: a trained pool, reality checks of services, suggested improvements.

An inspector who left the pool cannot be named on an inspection after the day they left.
With ``customer_inspectors_require_training`` (Halton: the Trust trains the pool first), an
inspection may only name inspectors who completed training on or before the inspection day. An
accepted suggestion is written to core's register of service improvements (source ``other``,
pointing back at nothing core knows), so it counts in the ``improvements`` KPI.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Improvement, Participant
from core.records import check_reference
from plugins.street_reps.models import Inspection, Inspector, InspectorTraining


def add_inspector(values: dict[str, Any]) -> Inspector:
    check_reference(Participant, values["participant_id"], "participant_id")
    if db.session.scalar(select(Inspector.id).where(Inspector.participant_id == values["participant_id"])):
        raise Conflict("This person is already in the customer inspectors' pool.")
    inspector = Inspector(**values)
    db.session.add(inspector)
    db.session.flush()
    return inspector


def record_leaving(inspector: Inspector, left_on) -> Inspector:
    """Record the day an inspector left the pool (once; not before they joined). Inspections after
    that day cannot name them."""
    if inspector.left_on is not None:
        raise Conflict(f"This inspector already left the pool on {inspector.left_on.isoformat()}.")
    if left_on < inspector.joined_on:
        raise ValidationFailed({"left_on": ["Cannot be before the inspector joined the pool."]})
    inspector.left_on = left_on
    db.session.flush()
    return inspector


def record_training(inspector_id: int, values: dict[str, Any]) -> InspectorTraining:
    """A course the inspector completed."""
    training = InspectorTraining(inspector_id=inspector_id, **values)
    db.session.add(training)
    db.session.flush()
    return training


def describe_inspectors(inspectors: list[Inspector]) -> list[Inspector]:
    ids = [inspector.id for inspector in inspectors]
    rows = db.session.execute(
        select(
            InspectorTraining.inspector_id,
            func.count(InspectorTraining.id),
            func.max(InspectorTraining.completed_on),
        )
        .where(InspectorTraining.inspector_id.in_(ids))
        .group_by(InspectorTraining.inspector_id)
    ).all()
    training = {inspector_id: (count, last) for inspector_id, count, last in rows}
    for inspector in inspectors:
        inspector.courses, inspector.last_trained_on = training.get(inspector.id, (0, None))
    return inspectors


def record_inspection(values: dict[str, Any], settings: dict) -> Inspection:
    ids = sorted(set(values["inspector_ids"]))
    found = dict(
        db.session.execute(select(Inspector.id, Inspector.left_on).where(Inspector.id.in_(ids))).all()
    )
    if missing := [i for i in ids if i not in found]:
        raise ValidationFailed({"inspector_ids": [f"No inspector with id {', '.join(map(str, missing))}."]})
    left = [i for i in ids if found[i] is not None and found[i] < values["inspected_on"]]
    if left:
        raise Conflict(
            f"Inspector {', '.join(map(str, left))} left the customer inspectors' pool before "
            f"{values['inspected_on']}; choose inspectors who were still in the pool that day."
        )
    if settings["customer_inspectors_require_training"]:
        trained = set(
            db.session.scalars(
                select(InspectorTraining.inspector_id).where(
                    InspectorTraining.inspector_id.in_(ids),
                    InspectorTraining.completed_on <= values["inspected_on"],
                )
            )
        )
        untrained = [i for i in ids if i not in trained]
        if untrained:
            raise Conflict(
                "Customer inspectors are trained before they inspect: inspector "
                f"{', '.join(map(str, untrained))} has no training completed by {values['inspected_on']}."
            )
    inspection = Inspection(**{**values, "inspector_ids": ids})
    db.session.add(inspection)
    db.session.flush()
    return inspection


def accept_suggestion(inspection: Inspection, values: dict[str, Any]) -> Inspection:
    """Put the inspection's suggestion on the core improvements register (once)."""
    if inspection.improvement_id is not None:
        raise Conflict("This inspection's suggestion is already on the improvements register.")
    if values["implemented_on"] < inspection.inspected_on:
        raise ValidationFailed({"implemented_on": ["Cannot be before the inspection."]})
    improvement = Improvement(
        title=values["title"],
        description=values.get("description")
        or f"Suggested by customer inspectors after reality checking {inspection.service}.",
        implemented_on=values["implemented_on"],
        source="other",
    )
    db.session.add(improvement)
    db.session.flush()
    inspection.improvement_id = improvement.id
    return inspection
