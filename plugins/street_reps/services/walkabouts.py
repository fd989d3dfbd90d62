"""Estate walkabouts on a timetable agreed with residents, issues found, actions, published outcomes;
and the neighbourhood action plans (core action plans, one per area and year) their actions join.

Rules (seed 001, "Published Estate Walkabouts"):
* a walkabout goes on the public timetable only once its date was agreed with residents, and that
  agreement comes before the day of the walkabout (it cannot be "agreed" after it happened);
* a walkabout is recorded as held only once it has started, and its outcome is published only
  after it was held and has an outcome written;
* each issue found becomes at most one action: an item, with owner and due date, of the area's
  neighbourhood action plan for the year of the walkabout, where its progress is tracked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import ActionPlan, ActionPlanItem, Area
from core.periods import Period
from core.records import check_reference
from core.services.outcomes import apply_item_changes
from plugins.street_reps.models import NeighbourhoodPlan, Walkabout, WalkaboutIssue

ISSUE_CATEGORIES = (
    "litter_and_fly_tipping",
    "graffiti",
    "lighting",
    "paths_and_roads",
    "grounds_maintenance",
    "communal_areas",
    "parking",
    "anti_social_behaviour",
    "repairs",
    "other",
)


def _as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return plugin_kit.utc(moment)


def local_day(moment: datetime) -> date:
    """The UK calendar day of a moment (a walkabout at 00:30 BST is on that day, not the one before)."""
    return plugin_kit.in_london(moment).date()


def save_walkabout(walkabout: Walkabout, changes: dict[str, Any]) -> Walkabout:
    check_reference(Area, changes.get("area_id"), "area_id")
    merged = {
        name: changes.get(name, getattr(walkabout, name))
        for name in (
            "starts_at",
            "ends_at",
            "published",
            "agreed_with_residents_on",
            "status",
            "outcome_summary",
            "outcome_published_on",
        )
    }
    starts_at, ends_at = _as_utc(merged["starts_at"]), _as_utc(merged["ends_at"])
    if ends_at is not None and starts_at is not None and ends_at <= starts_at:
        raise ValidationFailed({"ends_at": ["Must be after the start."]})
    agreed_on = merged["agreed_with_residents_on"]
    if agreed_on is not None and starts_at is not None and agreed_on >= local_day(starts_at):
        raise ValidationFailed(
            {
                "agreed_with_residents_on": [
                    "The timetable is agreed with residents in advance: this must be before the day of "
                    f"the walkabout ({local_day(starts_at).isoformat()})."
                ]
            }
        )
    if merged["published"] and merged["agreed_with_residents_on"] is None:
        raise Conflict(
            "The walkabout timetable is agreed with residents in advance: record the date it was agreed "
            "(agreed_with_residents_on) before publishing it."
        )
    if merged["status"] == "held" and starts_at is not None and starts_at > datetime.now(UTC):
        raise Conflict("A walkabout can only be recorded as held once it has started.")
    if merged["outcome_published_on"] is not None:
        if merged["status"] != "held":
            raise Conflict("Only the outcome of a walkabout that was held can be published.")
        if not (merged["outcome_summary"] or "").strip():
            raise Conflict("Write the outcome (outcome_summary) before publishing it.")
    for key, value in changes.items():
        setattr(walkabout, key, value)
    if walkabout.id is None:
        db.session.add(walkabout)
    db.session.flush()
    return walkabout


def describe_issues(issues: list[WalkaboutIssue]) -> list[WalkaboutIssue]:
    """Attach each issue's action (the core plan item) as ``action``."""
    ids = [issue.action_item_id for issue in issues if issue.action_item_id]
    items = {
        item.id: item for item in db.session.scalars(select(ActionPlanItem).where(ActionPlanItem.id.in_(ids)))
    }
    for issue in issues:
        issue.action = items.get(issue.action_item_id)
    return issues


def plan_for(area_id: int, period: Period) -> NeighbourhoodPlan:
    """The area's neighbourhood action plan for a financial year, made on first use."""
    plan = db.session.scalar(
        select(NeighbourhoodPlan).where(
            NeighbourhoodPlan.area_id == area_id, NeighbourhoodPlan.period == period.label
        )
    )
    if plan is not None:
        return plan
    return create_plan({"area_id": area_id, "period": period.label, "local_priorities": []})


def create_plan(values: dict[str, Any]) -> NeighbourhoodPlan:
    check_reference(Area, values["area_id"], "area_id")
    period = Period.parse(values["period"])
    if period.is_quarter:
        raise ValidationFailed(
            {"period": ["A neighbourhood action plan is for a financial year, like 2025-26."]}
        )
    exists = db.session.scalar(
        select(NeighbourhoodPlan.id).where(
            NeighbourhoodPlan.area_id == values["area_id"], NeighbourhoodPlan.period == period.label
        )
    )
    if exists is not None:
        raise Conflict(f"This area already has a neighbourhood action plan for {period.label}.")
    area = db.session.get(Area, values["area_id"])
    core_plan = ActionPlan(
        title=f"Neighbourhood action plan: {area.name} {period.label}"[:300],
        period=period.label,
        description="Local priorities and the actions from estate walkabouts in this area.",
    )
    db.session.add(core_plan)
    db.session.flush()
    plan = NeighbourhoodPlan(plan_id=core_plan.id, **values)
    db.session.add(plan)
    db.session.flush()
    return plan


def change_priorities(plan: NeighbourhoodPlan, local_priorities) -> NeighbourhoodPlan:
    plan.local_priorities = local_priorities
    return plan


def describe_plans(plans: list[NeighbourhoodPlan]) -> list[NeighbourhoodPlan]:
    from core.services.outcomes import describe_items

    plan_ids = [plan.plan_id for plan in plans]
    items = db.session.scalars(
        select(ActionPlanItem).where(ActionPlanItem.plan_id.in_(plan_ids)).order_by(ActionPlanItem.due_on)
    ).all()
    describe_items(items, plugin_kit.today())
    from_walkabouts = set(
        db.session.scalars(
            select(WalkaboutIssue.action_item_id).where(WalkaboutIssue.action_item_id.is_not(None))
        )
    )
    titles = dict(
        db.session.execute(select(ActionPlan.id, ActionPlan.title).where(ActionPlan.id.in_(plan_ids))).all()
    )
    areas = dict(
        db.session.execute(
            select(Area.id, Area.name).where(Area.id.in_([plan.area_id for plan in plans]))
        ).all()
    )
    for plan in plans:
        plan.title = titles.get(plan.plan_id)
        plan.area_name = areas.get(plan.area_id)
        plan.items = [item for item in items if item.plan_id == plan.plan_id]
        for item in plan.items:
            item.from_walkabout = item.id in from_walkabouts
    return plans


def add_issue(walkabout: Walkabout, values: dict[str, Any]) -> WalkaboutIssue:
    if walkabout.status != "held":
        raise Conflict("Issues are recorded from a walkabout that was held.")
    issue = WalkaboutIssue(walkabout_id=walkabout.id, **values)
    db.session.add(issue)
    db.session.flush()
    return describe_issues([issue])[0]


def create_action(walkabout: Walkabout, issue: WalkaboutIssue, values: dict[str, Any]) -> WalkaboutIssue:
    """Turn the issue into an action on the area's neighbourhood plan for the walkabout's year."""
    if issue.action_item_id is not None:
        raise Conflict("This issue already has its action; update that action's progress instead.")
    plan = plan_for(walkabout.area_id, Period.financial_year_of(_as_utc(walkabout.starts_at).date()))
    item = ActionPlanItem(plan_id=plan.plan_id)
    apply_item_changes(item, {"status": "not_started", **values}, plugin_kit.today())
    db.session.add(item)
    db.session.flush()
    issue.action_item_id = item.id
    db.session.flush()
    return describe_issues([issue])[0]


def update_action(issue: WalkaboutIssue, changes: dict[str, Any]) -> WalkaboutIssue:
    if issue.action_item_id is None:
        raise Conflict("This issue has no action yet; create one first.")
    item = db.session.get(ActionPlanItem, issue.action_item_id)
    apply_item_changes(item, changes, plugin_kit.today())
    db.session.flush()
    return describe_issues([issue])[0]


# -- what the public pages show -------------------------------------------------------------


def published_timetable(settings: dict) -> list[Walkabout]:
    if not settings["walkabout_timetable_public"]:
        return []
    walkabouts = db.session.scalars(
        select(Walkabout)
        .where(Walkabout.published.is_(True), Walkabout.status != "cancelled")
        .order_by(Walkabout.starts_at, Walkabout.id)
    ).all()
    return _with_area_names(walkabouts)


def published_outcome(walkabout_id: int, settings: dict) -> Walkabout | None:
    """A walkabout whose outcome is published (and the setting allows publishing), else None."""
    if not settings["walkabout_outcomes_public"]:
        return None
    walkabout = db.session.scalar(
        select(Walkabout).where(
            Walkabout.id == walkabout_id,
            Walkabout.published.is_(True),
            Walkabout.outcome_published_on.is_not(None),
        )
    )
    if walkabout is None:
        return None
    walkabout.issues = describe_issues(
        db.session.scalars(
            select(WalkaboutIssue)
            .where(WalkaboutIssue.walkabout_id == walkabout.id)
            .order_by(WalkaboutIssue.id)
        ).all()
    )
    return _with_area_names([walkabout])[0]


def _with_area_names(walkabouts: list[Walkabout]) -> list[Walkabout]:
    names = dict(
        db.session.execute(
            select(Area.id, Area.name).where(Area.id.in_({w.area_id for w in walkabouts}))
        ).all()
    )
    for walkabout in walkabouts:
        walkabout.area_name = names.get(walkabout.area_id)
    return walkabouts
