"""What involvement changed and cost: service improvements linked to their source, action plans with
their items' progress, and involvement spend with its per-period totals.

Rules kept here rather than in schemas because they need the database or several fields at once:
an improvement's ``source_id`` must name a consultation (source ``consultation``) or a
recommendation (source ``scrutiny``) of the organisation; an item's ``completed_on`` follows its
status; spend is never zero, and a negative amount (a refund or correction) needs a description
saying what it corrects. Counts and totals are GROUP BY queries; callers commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import and_, case, func, or_, select

from core.errors import ValidationFailed
from core.extensions import db
from core.models import (
    ActionPlan,
    ActionPlanItem,
    Activity,
    Consultation,
    Improvement,
    Recommendation,
    Spend,
)
from core.models.vocab import ACTION_STATUSES, SPEND_CATEGORIES
from core.periods import Period
from core.records import apply, check_reference

FINISHED = ("done", "dropped")
SOURCE_RECORDS = {"consultation": Consultation, "scrutiny": Recommendation}


def delete_record(record: ActionPlan | Improvement | Spend) -> None:
    """Delete an improvement, a spend record or an action plan (its items go with it: the
    database cascades)."""
    db.session.delete(record)


# -- improvements --------------------------------------------------------------------------------


def check_improvement_source(source: str, source_id: int | None) -> None:
    """A consultation or scrutiny source must point at a record of this organisation (422)."""
    model = SOURCE_RECORDS.get(source)
    if model is not None:
        check_reference(model, source_id, "source_id")


def save_improvement(improvement: Improvement | None, values: dict[str, Any]) -> Improvement:
    """Create (``improvement`` None) or change an improvement; its source is checked as it will be."""
    if improvement is None or "source" in values or "source_id" in values:
        current = improvement or Improvement(source="other")
        check_improvement_source(
            values.get("source", current.source), values.get("source_id", current.source_id)
        )
    if improvement is None:
        improvement = Improvement(**values)
        db.session.add(improvement)
    else:
        apply(improvement, values)
    db.session.flush()
    return improvement


# -- action plans --------------------------------------------------------------------------------


def save_action_plan(plan: ActionPlan | None, values: dict[str, Any]) -> ActionPlan:
    """Create (``plan`` None) or change an action plan."""
    if plan is None:
        plan = ActionPlan(**values)
        db.session.add(plan)
    else:
        apply(plan, values)
    db.session.flush()
    return plan


def add_item(plan: ActionPlan, values: dict[str, Any], today: date) -> ActionPlanItem:
    """Add an item to a plan; ``completed_on`` is set when its status is done."""
    item = ActionPlanItem(plan_id=plan.id)
    apply_item_changes(item, values, today)
    db.session.add(item)
    db.session.flush()
    return item


def item_overdue_condition(today: date):
    return and_(ActionPlanItem.due_on < today, ActionPlanItem.status.not_in(FINISHED))


def period_condition(label: str):
    """Plans of a period; a financial year also takes in its quarters' plans."""
    period = Period.parse(label)
    if period.is_quarter:
        return ActionPlan.period == label
    return or_(ActionPlan.period == label, ActionPlan.period.like(f"{label}-Q_"))


def describe_plans(plans: Sequence[ActionPlan], today: date) -> None:
    """Item counts by status and overdue count for a page of plans, in one GROUP BY statement."""
    ids = [p.id for p in plans]
    counts: dict[int, dict[str, int]] = {i: dict.fromkeys(ACTION_STATUSES, 0) for i in ids}
    overdue: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        rows = db.session.execute(
            select(
                ActionPlanItem.plan_id,
                ActionPlanItem.status,
                func.count(ActionPlanItem.id),
                func.sum(case((item_overdue_condition(today), 1), else_=0)),
            )
            .where(ActionPlanItem.plan_id.in_(ids))
            .group_by(ActionPlanItem.plan_id, ActionPlanItem.status)
        )
        for plan_id, status, count, late in rows:
            counts[plan_id][status] = count
            overdue[plan_id] += int(late or 0)
    for plan in plans:
        plan.items_by_status = counts[plan.id]
        plan.items_total = sum(counts[plan.id].values())
        plan.overdue_items = overdue[plan.id]


def describe_items(items: Sequence[ActionPlanItem], today: date, *, with_plan_titles: bool = False) -> None:
    for item in items:
        item.overdue = item.due_on < today and item.status not in FINISHED
    if with_plan_titles and items:
        titles = dict(
            db.session.execute(
                select(ActionPlan.id, ActionPlan.title).where(ActionPlan.id.in_({i.plan_id for i in items}))
            ).all()
        )
        for item in items:
            item.plan_title = titles.get(item.plan_id)


def create_plan(values: dict[str, Any]) -> ActionPlan:
    plan = ActionPlan(**values)
    db.session.add(plan)
    db.session.flush()
    return plan


def change_plan(plan: ActionPlan, changes: dict[str, Any]) -> ActionPlan:
    apply(plan, changes)
    db.session.flush()
    return plan


def apply_item_changes(item: ActionPlanItem, changes: dict[str, Any], today: date) -> None:
    """Set an item's fields; ``completed_on`` is today when it becomes done (unless given with
    done, for catching up on paper records) and is cleared when it stops being done."""
    values = dict(changes)
    status = values.get("status", item.status)
    if status == "done":
        if values.get("completed_on") is None:
            already = item.status == "done" and item.completed_on is not None
            values["completed_on"] = item.completed_on if already else today
    elif values.get("completed_on") is not None:
        raise ValidationFailed({"completed_on": ["Only an item whose status is done has a completion date."]})
    else:
        values["completed_on"] = None
    if values.get("completed_on") is not None and values["completed_on"] > today:
        raise ValidationFailed({"completed_on": ["Cannot be in the future."]})
    for key, value in values.items():
        setattr(item, key, value)


def change_item(organisation, item: ActionPlanItem, changes: dict[str, Any], today: date) -> None:
    """Change an existing item and tell the organisation's plugins (``on_action_item_changed``)."""
    apply_item_changes(item, changes, today)
    db.session.flush()
    _item_changed(organisation, item, "updated")


def delete_item(organisation, item: ActionPlanItem) -> None:
    """Delete an item and tell the organisation's plugins (``on_action_item_changed``)."""
    db.session.delete(item)
    db.session.flush()
    _item_changed(organisation, item, "deleted")


def _item_changed(organisation, item: ActionPlanItem, change: str) -> None:
    plugins = current_app.extensions["involve"].plugins
    plugins.hook_for(organisation.id, "on_action_item_changed")(
        organisation=organisation, item=item, change=change
    )


# -- spend ---------------------------------------------------------------------------------------


def check_spend(values: dict[str, Any]) -> None:
    """``values``: the record as it will be (for a PATCH, the stored fields with the changes)."""
    amount = values.get("amount_pence")
    if amount == 0:
        raise ValidationFailed({"amount_pence": ["Must not be 0."]})
    if amount is not None and amount < 0 and not (values.get("description") or "").strip():
        raise ValidationFailed(
            {"description": ["A negative amount is a correction or refund: say what it corrects."]}
        )
    check_reference(Activity, values.get("activity_id"), "activity_id")


SPEND_FIELDS = ("spent_on", "category", "amount_pence", "activity_id", "description")


def save_spend(spend: Spend | None, values: dict[str, Any]) -> Spend:
    """Create (``spend`` None) or change a spend record; the rules apply to it as it will be."""
    current = {name: getattr(spend, name) for name in SPEND_FIELDS} if spend is not None else {}
    check_spend({**current, **values})
    if spend is None:
        spend = Spend(**values)
        db.session.add(spend)
    else:
        apply(spend, values)
    db.session.flush()
    return spend


def delete_spend(spend: Spend) -> None:
    db.session.delete(spend)
    db.session.flush()


def spend_summary(period: Period) -> dict[str, Any]:
    """Totals in pence per category (every category, 0 where nothing was spent) for a period."""
    rows = db.session.execute(
        select(Spend.category, func.sum(Spend.amount_pence), func.count(Spend.id))
        .where(Spend.spent_on >= period.start, Spend.spent_on <= period.end)
        .group_by(Spend.category)
    ).all()
    found = {category: (int(total or 0), count) for category, total, count in rows}
    categories = []
    for category in (*SPEND_CATEGORIES, *sorted(set(found) - set(SPEND_CATEGORIES))):
        total, records = found.get(category, (0, 0))
        categories.append({"category": category, "total_pence": total, "records": records})
    return {
        "period": period.label,
        "starts_on": period.start,
        "ends_on": period.end,
        "total_pence": sum(c["total_pence"] for c in categories),
        "categories": categories,
    }
