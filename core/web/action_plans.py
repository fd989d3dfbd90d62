"""Staff pages for action plans and their items: the list of plans (by period, with item counts
and how many are past due), one plan with its items table (past-due items tagged), create and
change a plan, add and change an item, and mark an item done. Saved by ``core.services.outcomes``
as the API saves (an item's completion date follows its status; the plugins hear of changes).
"""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.errors import NotFound
from core.lifecycle import permission
from core.models import ActionPlan, ActionPlanItem
from core.models.vocab import ACTION_STATUSES
from core.periods import Period
from core.records import get_or_404
from core.schemas.outcomes import (
    ActionPlanArgs,
    ActionPlanItemSchema,
    ActionPlanItemUpdateSchema,
    ActionPlanSchema,
    ActionPlanUpdateSchema,
)
from core.services import outcomes as service
from core.web.fields import GovDateField
from core.web.forms import EmptyForm
from core.web.record_choices import code_choices, label
from core.web.toolkit import listing, query_args, render_page, require, save_form
from core.web.views import org_web

STATUS_COLOURS = {"not_started": "grey", "in_progress": "blue", "done": "green", "dropped": "orange"}


class PlanForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    period = StringField("Period", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])


class ItemForm(FlaskForm):
    title = StringField("Action", validators=[Optional()])
    owner = StringField("Who is doing it", validators=[Optional()])
    due_on = GovDateField("Due by")
    status = SelectField("Status", validators=[Optional()])
    progress = TextAreaField("Progress notes", validators=[Optional()])
    outcome = TextAreaField("Outcome", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = code_choices(ACTION_STATUSES)


def _item_of(plan: ActionPlan, item_id: int) -> ActionPlanItem:
    item = get_or_404(ActionPlanItem, item_id, "action plan item")
    if item.plan_id != plan.id:
        raise NotFound("No such action plan item.")
    return item


@org_web.route("/action-plans")
@permission("records.read")
def action_plans():
    require("records.read")
    args = query_args(ActionPlanArgs())
    statement = select(ActionPlan).order_by(ActionPlan.period.desc(), ActionPlan.id.desc())
    if "period" in args:
        statement = statement.where(service.period_condition(args["period"]))
    page = listing(statement, keep=args, search=lambda s, text: s.where(ActionPlan.title.ilike(f"%{text}%")))
    service.describe_plans(page.items, plugin_kit.today())
    return render_page(
        "action_plans/list.html",
        listing=page,
        period=args.get("period", ""),
        this_year=Period.financial_year_of(plugin_kit.today()).label,
    )


@org_web.route("/action-plans/new", methods=["GET", "POST"])
@permission("records.write")
def action_plan_new():
    require("records.write")
    form = PlanForm()
    if not form.is_submitted():
        form.period.data = Period.financial_year_of(plugin_kit.today()).label
    done = save_form(
        form,
        ActionPlanSchema(),
        lambda values: service.save_action_plan(None, values),
        success=lambda p: f"Action plan “{p.title}” added.",
        next_url=lambda p: url_for("org_web.action_plan", plan_id=p.id),
    )
    return done or render_page("action_plans/form.html", form, plan=None)


@org_web.route("/action-plans/<int:plan_id>")
@permission("records.read")
def action_plan(plan_id: int):
    require("records.read")
    today = plugin_kit.today()
    plan = get_or_404(ActionPlan, plan_id, "action plan")
    service.describe_plans([plan], today)
    items = listing(
        select(ActionPlanItem)
        .where(ActionPlanItem.plan_id == plan.id)
        .order_by(ActionPlanItem.due_on, ActionPlanItem.id),
        sorts={"due_on": ActionPlanItem.due_on, "status": ActionPlanItem.status},
        default_sort="due_on",
        per_page=50,
    )
    service.describe_items(items.items, today)
    return render_page(
        "action_plans/detail.html",
        plan=plan,
        items=items,
        complete_form=EmptyForm(),
        colours=STATUS_COLOURS,
        label=label,
    )


@org_web.route("/action-plans/<int:plan_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def action_plan_edit(plan_id: int):
    require("records.write")
    plan = get_or_404(ActionPlan, plan_id, "action plan")
    form = PlanForm(obj=plan)
    done = save_form(
        form,
        ActionPlanUpdateSchema(),
        lambda values: service.save_action_plan(plan, values),
        partial=True,
        success=lambda p: f"Action plan “{p.title}” updated.",
        next_url=lambda p: url_for("org_web.action_plan", plan_id=p.id),
    )
    return done or render_page("action_plans/form.html", form, plan=plan)


@org_web.route("/action-plans/<int:plan_id>/items/new", methods=["GET", "POST"])
@permission("records.write")
def action_plan_item_new(plan_id: int):
    require("records.write")
    plan = get_or_404(ActionPlan, plan_id, "action plan")
    form = ItemForm()
    done = save_form(
        form,
        ActionPlanItemSchema(),
        lambda values: service.add_item(plan, values, plugin_kit.today()),
        success=lambda i: f"Action “{i.title}” added.",
        next_url=url_for("org_web.action_plan", plan_id=plan.id, _anchor="items"),
    )
    return done or render_page("action_plans/item_form.html", form, plan=plan, item=None)


@org_web.route("/action-plans/<int:plan_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def action_plan_item_edit(plan_id: int, item_id: int):
    require("records.write")
    plan = get_or_404(ActionPlan, plan_id, "action plan")
    item = _item_of(plan, item_id)
    form = ItemForm(obj=item)
    done = save_form(
        form,
        ActionPlanItemUpdateSchema(),
        lambda values: service.change_item(g.organisation, item, values, plugin_kit.today()) or item,
        partial=True,
        success=lambda i: f"Action “{i.title}” updated.",
        next_url=url_for("org_web.action_plan", plan_id=plan.id, _anchor="items"),
    )
    return done or render_page("action_plans/item_form.html", form, plan=plan, item=item)


@org_web.route("/action-plans/<int:plan_id>/items/<int:item_id>/complete", methods=["POST"])
@permission("records.write")
def action_plan_item_complete(plan_id: int, item_id: int):
    """The "Mark as done" button of the plan's items table."""
    require("records.write")
    plan = get_or_404(ActionPlan, plan_id, "action plan")
    item = _item_of(plan, item_id)
    form = EmptyForm()
    done = save_form(
        form,
        ActionPlanItemUpdateSchema(),
        lambda values: service.change_item(g.organisation, item, values, plugin_kit.today()) or item,
        partial=True,
        payload=lambda f: {"status": "done"},
        success=lambda i: f"Action “{i.title}” marked as done.",
        next_url=url_for("org_web.action_plan", plan_id=plan.id, _anchor="items"),
    )
    if done is not None:
        return done
    # Refused (or the form expired): say why on the plan's page.
    problems = [*form.form_errors, *[m for f in form for m in f.errors]] or [
        "The form expired. Please try again."
    ]
    for message in problems:
        flash(message, "error")
    return redirect(url_for("org_web.action_plan", plan_id=plan.id, _anchor="items"), code=303)
