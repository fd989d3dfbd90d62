"""What key targets holds about a person: the empty homes they inspected as a tenant inspector and
the mystery shops they made, for their subject-access export and their erasure.

Erasure removes the free text they wrote (inspection notes and item comments, shop notes and
findings may name them or others) and keeps the records themselves, because the pass rate and the
mystery-shopping score still count them. Callers commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from core.extensions import db
from plugins.key_targets.models import Finding, Inspection, InspectionResult, Scenario, Shop, ShopScore

ERASED_FINDING = "(removed: the shopper was erased)"


def records_of_person(participant_id: int) -> dict[str, Any] | None:
    inspections = db.session.scalars(
        select(Inspection).where(Inspection.inspector_id == participant_id).order_by(Inspection.inspected_on)
    ).all()
    shops = db.session.scalars(
        select(Shop).where(Shop.shopper_id == participant_id).order_by(Shop.shopped_on)
    ).all()
    if not inspections and not shops:
        return None
    comments = _by(InspectionResult.inspection_id, [i.id for i in inspections], InspectionResult)
    scores = _by(ShopScore.shop_id, [s.id for s in shops], ShopScore)
    findings = _by(Finding.shop_id, [s.id for s in shops], Finding)
    titles = dict(db.session.execute(select(Scenario.id, Scenario.title)).all())
    return {
        "inspections": [
            {
                "household_id": i.household_id,
                "inspected_on": i.inspected_on.isoformat(),
                "passed": i.passed,
                "notes": i.notes,
                "items": [
                    {"item": r.item_label, "passed": r.passed, "comment": r.comment}
                    for r in comments.get(i.id, [])
                ],
            }
            for i in inspections
        ],
        "mystery_shops": [
            {
                "scenario": titles.get(s.scenario_id),
                "channel": s.channel,
                "shopped_on": s.shopped_on.isoformat(),
                "notes": s.notes,
                "scores": {c.criterion: c.score for c in scores.get(s.id, [])},
                "findings": [f.text for f in findings.get(s.id, [])],
            }
            for s in shops
        ],
    }


def _by(column, ids: list[int], model) -> dict[int, list]:
    rows: dict[int, list] = {}
    if ids:
        for row in db.session.scalars(select(model).where(column.in_(ids)).order_by(model.id)):
            rows.setdefault(getattr(row, column.key), []).append(row)
    return rows


def forget_person(participant_id: int) -> None:
    inspections = select(Inspection.id).where(Inspection.inspector_id == participant_id)
    shops = select(Shop.id).where(Shop.shopper_id == participant_id)
    db.session.execute(update(Inspection).where(Inspection.inspector_id == participant_id).values(notes=None))
    db.session.execute(
        update(InspectionResult).where(InspectionResult.inspection_id.in_(inspections)).values(comment=None)
    )
    db.session.execute(update(Shop).where(Shop.shopper_id == participant_id).values(notes=None))
    db.session.execute(update(Finding).where(Finding.shop_id.in_(shops)).values(text=ERASED_FINDING))
    db.session.flush()
