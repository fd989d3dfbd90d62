"""``/action-plans`` and their ``items``: Gloucester's key targets, Circle Anglia's yearly action plan,
Halton's neighbourhood plans and walkabout actions — each item with an owner, a deadline, a status,
progress notes and an outcome.

A plan shows its items counted by status and how many are overdue (past ``due_on``, neither done nor
dropped); ``action-plans/overdue-items`` lists every overdue item of the organisation.
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.api.resources import org_blueprint
from core.errors import NotFound
from core.lifecycle import permission
from core.models import ActionPlan, ActionPlanItem
from core.records import get_or_404, paginate, url_model
from core.schemas.common import PageArgs
from core.schemas.outcomes import (
    ActionPlanArgs,
    ActionPlanItemArgs,
    ActionPlanItemListSchema,
    ActionPlanItemSchema,
    ActionPlanItemUpdateSchema,
    ActionPlanListSchema,
    ActionPlanSchema,
    ActionPlanUpdateSchema,
)
from core.services import outcomes as service

blp = org_blueprint("action_plans", "action-plans", "Action plans and their items (owner, due, status)")
url_model("plan_id", ActionPlan, "action plan")
url_model("item_id", ActionPlanItem, "action plan item")


def _described_plan(plan: ActionPlan) -> ActionPlan:
    service.describe_plans([plan], plugin_kit.today())
    return plan


def _described_item(item: ActionPlanItem) -> ActionPlanItem:
    service.describe_items([item], plugin_kit.today())
    return item


@blp.route("")
class ActionPlans(MethodView):
    @blp.arguments(ActionPlanArgs, location="query")
    @blp.response(200, ActionPlanListSchema)
    @permission("records.read")
    def get(self, args):
        """Action plans, latest period first; filter by period (a year includes its quarters)."""
        query = select(ActionPlan).order_by(ActionPlan.period.desc(), ActionPlan.id.desc())
        if "period" in args:
            query = query.where(service.period_condition(args["period"]))
        page = paginate(query, args)
        service.describe_plans(page["items"], plugin_kit.today())
        return page

    @blp.arguments(ActionPlanSchema)
    @blp.response(201, ActionPlanSchema)
    @permission("records.write")
    def post(self, body):
        """Create an action plan for a financial year (2025-26) or a quarter (2025-26-Q1)."""
        return _described_plan(service.save_action_plan(None, body))


@blp.route("/overdue-items")
class OverdueItems(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ActionPlanItemListSchema)
    @permission("records.read")
    def get(self, args):
        """Every item of every plan past its due date and neither done nor dropped, oldest due first."""
        today = plugin_kit.today()
        query = (
            select(ActionPlanItem)
            .where(service.item_overdue_condition(today))
            .order_by(ActionPlanItem.due_on, ActionPlanItem.id)
        )
        page = paginate(query, args)
        service.describe_items(page["items"], today, with_plan_titles=True)
        return page


@blp.route("/<int:plan_id>")
class ActionPlanDetail(MethodView):
    @blp.response(200, ActionPlanSchema)
    @permission("records.read")
    def get(self, plan_id):
        """One action plan with its item counts."""
        return _described_plan(get_or_404(ActionPlan, plan_id, "action plan"))

    @blp.arguments(ActionPlanUpdateSchema)
    @blp.response(200, ActionPlanSchema)
    @permission("records.write")
    def patch(self, changes, plan_id):
        """Change an action plan."""
        plan = get_or_404(ActionPlan, plan_id, "action plan")
        return _described_plan(service.save_action_plan(plan, changes))

    @blp.response(204)
    @permission("records.write")
    def delete(self, plan_id):
        """Delete an action plan; its items go with it (the database cascades)."""
        service.delete_record(get_or_404(ActionPlan, plan_id, "action plan"))


@blp.route("/<int:plan_id>/items")
class ActionPlanItems(MethodView):
    @blp.arguments(ActionPlanItemArgs, location="query")
    @blp.response(200, ActionPlanItemListSchema)
    @permission("records.read")
    def get(self, args, plan_id):
        """A plan's items by due date; filter by status or ``overdue=true``."""
        today = plugin_kit.today()
        query = (
            select(ActionPlanItem)
            .where(ActionPlanItem.plan_id == plan_id)
            .order_by(ActionPlanItem.due_on, ActionPlanItem.id)
        )
        if "status" in args:
            query = query.where(ActionPlanItem.status == args["status"])
        if args.get("overdue") is not None:
            condition = service.item_overdue_condition(today)
            query = query.where(condition if args["overdue"] else ~condition)
        page = paginate(query, args)
        service.describe_items(page["items"], today)
        return page

    @blp.arguments(ActionPlanItemSchema)
    @blp.response(201, ActionPlanItemSchema)
    @permission("records.write")
    def post(self, body, plan_id):
        """Add an item; ``completed_on`` is set when its status is done."""
        plan = get_or_404(ActionPlan, plan_id, "action plan")
        return _described_item(service.add_item(plan, body, plugin_kit.today()))


def _item_of(plan_id: int, item_id: int) -> ActionPlanItem:
    item = get_or_404(ActionPlanItem, item_id, "action plan item")
    if item.plan_id != plan_id:
        raise NotFound("No such action plan item.")
    return item


@blp.route("/<int:plan_id>/items/<int:item_id>")
class ActionPlanItemDetail(MethodView):
    @blp.response(200, ActionPlanItemSchema)
    @permission("records.read")
    def get(self, plan_id, item_id):
        """One item."""
        return _described_item(_item_of(plan_id, item_id))

    @blp.arguments(ActionPlanItemUpdateSchema)
    @blp.response(200, ActionPlanItemSchema)
    @permission("records.write")
    def patch(self, changes, plan_id, item_id):
        """Record progress: status, progress notes, outcome; done sets ``completed_on``."""
        item = _item_of(plan_id, item_id)
        service.change_item(g.organisation, item, changes, plugin_kit.today())
        return _described_item(item)

    @blp.response(204)
    @permission("records.write")
    def delete(self, plan_id, item_id):
        """Delete an item."""
        service.delete_item(g.organisation, _item_of(plan_id, item_id))
