"""Tenant inspectors: empty homes inspected before letting against the organisation's minimum
relet standard (a checklist in the plugin settings), pass or fail per item.

Rules (each has a test named after it):
* no inspection until the organisation has written its relet checklist (409);
* an inspection records every checklist item once, and nothing else (422);
* a failed item says what is wrong (422) and becomes an action in the core action plan
  "Tenant inspector actions <year>", due a set number of days after the inspection;
* an inspection is not dated in the future (422);
* a re-inspection follows a failed inspection of the same home, on or after it (409).
"Passing first time" is an inspection that is not a re-inspection and passed every item.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, func, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Household, Participant
from core.periods import Period
from core.records import check_reference
from plugins.key_targets.models import Inspection, InspectionResult
from plugins.key_targets.services.common import action_item, percent, settings

ACTION_PLAN = "Tenant inspector actions"


def record_inspection(values: dict[str, Any]) -> Inspection:
    config = settings()
    checklist = {item["key"]: item["label"] for item in config["relet_standard_checklist"]}
    if not checklist:
        raise Conflict(
            "The minimum relet standard checklist is empty: add its items to the plugin settings "
            "(relet_standard_checklist) before recording inspections."
        )
    check_reference(Household, values["household_id"], "household_id")
    check_reference(Participant, values.get("inspector_id"), "inspector_id")
    if values["inspected_on"] > plugin_kit.today():
        raise ValidationFailed({"inspected_on": ["An inspection cannot be in the future."]})
    problems: dict[str, list[str]] = {}
    given = [result["item"] for result in values["results"]]
    missing = [key for key in checklist if key not in given]
    unknown = sorted({key for key in given if key not in checklist})
    repeated = sorted({key for key in given if given.count(key) > 1})
    if missing:
        problems.setdefault("results", []).append(f"Missing checklist items: {', '.join(missing)}.")
    if unknown:
        problems.setdefault("results", []).append(f"Not on the checklist: {', '.join(unknown)}.")
    if repeated:
        problems.setdefault("results", []).append(f"Given more than once: {', '.join(repeated)}.")
    for n, result in enumerate(values["results"]):
        if not result["passed"] and not (result.get("comment") or "").strip():
            problems[f"results.{n}.comment"] = ["Say what is wrong with a failed item."]
    if problems:
        raise ValidationFailed(problems)
    original_id = values.get("reinspection_of_id")
    if original_id is not None:
        original = db.session.get(Inspection, original_id)
        if original is None:
            raise ValidationFailed({"reinspection_of_id": [f"No inspection with id {original_id}."]})
        if original.household_id != values["household_id"]:
            raise Conflict("A re-inspection must be of the same home as the inspection it follows.")
        if original.passed:
            raise Conflict("That inspection passed; only a failed inspection is re-inspected.")
        if values["inspected_on"] < original.inspected_on:
            raise Conflict("A re-inspection cannot be dated before the inspection it follows.")
    inspection = Inspection(
        household_id=values["household_id"],
        inspected_on=values["inspected_on"],
        inspector_id=values.get("inspector_id"),
        reinspection_of_id=original_id,
        notes=values.get("notes"),
        passed=all(result["passed"] for result in values["results"]),
    )
    db.session.add(inspection)
    db.session.flush()
    reference = db.session.scalar(select(Household.reference).where(Household.id == inspection.household_id))
    due_on = inspection.inspected_on + timedelta(days=config["inspection_action_days"])
    for result in sorted(values["results"], key=lambda r: list(checklist).index(r["item"])):
        row = InspectionResult(
            inspection_id=inspection.id,
            item_key=result["item"],
            item_label=checklist[result["item"]],
            passed=result["passed"],
            comment=result.get("comment"),
        )
        if not result["passed"]:
            row.action_item_id = action_item(
                ACTION_PLAN,
                inspection.inspected_on,
                title=f"Relet standard not met at {reference}: {checklist[result['item']]}",
                due_on=due_on,
                owner=None,
                progress=result.get("comment"),
            ).id
        db.session.add(row)
    db.session.flush()
    return inspection


def describe_inspections(inspections: list[Inspection]) -> None:
    ids = [i.id for i in inspections]
    results: dict[int, list[InspectionResult]] = {i: [] for i in ids}
    if ids:
        for row in db.session.scalars(
            select(InspectionResult)
            .where(InspectionResult.inspection_id.in_(ids))
            .order_by(InspectionResult.id)
        ):
            results[row.inspection_id].append(row)
    for inspection in inspections:
        inspection.results = results[inspection.id]
        inspection.first_time = inspection.reinspection_of_id is None


def _in(period: Period):
    return Inspection.inspected_on.between(period.start, period.end)


def homes_inspected(period: Period) -> int:
    return db.session.scalar(select(func.count(distinct(Inspection.household_id))).where(_in(period)))


def first_time_pass_rate(period: Period) -> float | None:
    first, passed = db.session.execute(
        select(func.count(Inspection.id), func.sum(case((Inspection.passed.is_(True), 1), else_=0))).where(
            _in(period), Inspection.reinspection_of_id.is_(None)
        )
    ).one()
    return percent(passed, first)


def failures_by_item(period: Period) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(InspectionResult.item_label, func.count(InspectionResult.id))
        .join(
            Inspection,
            and_(
                Inspection.id == InspectionResult.inspection_id,
                Inspection.organisation_id == InspectionResult.organisation_id,
            ),
        )
        .where(_in(period), InspectionResult.passed.is_(False))
        .group_by(InspectionResult.item_label)
        .order_by(func.count(InspectionResult.id).desc(), InspectionResult.item_label)
    )
    return [(label, count) for label, count in rows]
