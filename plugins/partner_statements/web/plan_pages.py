"""Action plan pages (seed 5.5): start the plan answering a year's assessment, take the weaknesses
again from the records, add a weakness the group raised, answer a weakness with an action of the
plan and the outputs it will deliver, unlink one, and approve the plan (refused, in the service's
words, while any weakness has no action with a timetable and outputs).

The actions themselves are items of the core action plan behind the partner plan: the answer
form lists them and links to core's pages to add one (``core/web/action_plans.py``)."""

from __future__ import annotations

from flask import g, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.errors import NotFound
from core.extensions import db
from core.models import ActionPlan, ActionPlanItem
from core.records import get_or_404
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, form_payload, permission, render_page, save_form
from plugins.partner_statements.models import PartnerActionPlan, Weakness, WeaknessAction
from plugins.partner_statements.schemas import PsLinkSchema, PsPlanCreateSchema, PsWeaknessSchema
from plugins.partner_statements.services import plans
from plugins.partner_statements.services.common import actor_id
from plugins.partner_statements.web import web_bp
from plugins.partner_statements.web.overview import chosen_year


def _plan(ps_plan_id: int) -> PartnerActionPlan:
    return get_or_404(PartnerActionPlan, ps_plan_id, "partner action plan")


def _weakness_of(plan: PartnerActionPlan, ps_weakness_id: int) -> Weakness:
    weakness = get_or_404(Weakness, ps_weakness_id, "weakness")
    if weakness.plan_id != plan.id:
        raise NotFound("No such weakness.")
    return weakness


def _enforced() -> bool:
    from plugins.partner_statements.services.common import weaknesses_must_be_answered

    return weaknesses_must_be_answered(g.organisation)


def _detail(plan_id: int) -> str:
    return url_for(".plan", ps_plan_id=plan_id)


class PlanForm(FlaskForm):
    assessed_period = StringField("Assessed year", validators=[Optional()])
    title = StringField("Title of the action plan", validators=[Optional()])


class WeaknessForm(FlaskForm):
    title = StringField("Weakness", validators=[Optional()])
    detail = TextAreaField("Detail", validators=[Optional()])


class LinkForm(FlaskForm):
    action_item_id = SelectField("Action", validators=[Optional()], validate_choice=False)
    outputs = TextAreaField("Outputs this action will deliver", validators=[Optional()])


@web_bp.route("/action-plans/new", methods=["GET", "POST"])
@permission("partner_statements.write")
def plan_new():
    form = PlanForm()
    if not form.is_submitted():
        form.assessed_period.data = chosen_year().label
    done = save_form(
        form,
        PsPlanCreateSchema(),
        lambda values: plans.create(values, g.organisation),
        success=lambda p: f"Action plan answering {p.assessed_period} started.",
        next_url=lambda p: _detail(p.id),
    )
    return done or render_page("partner_statements/plan_form.html", form)


def _show(plan: PartnerActionPlan, form=None):
    return render_page(
        "partner_statements/plan.html",
        form or EmptyForm(),
        plan=plans.describe(plan, plugin_kit.today()),
    )


@web_bp.route("/action-plans/<int:ps_plan_id>")
@permission("records.read")
def plan(ps_plan_id: int):
    return _show(_plan(ps_plan_id))


@web_bp.route("/action-plans/<int:ps_plan_id>/refresh", methods=["POST"])
@permission("partner_statements.write")
def plan_refresh(ps_plan_id: int):
    record = _plan(ps_plan_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: plans.sync_weaknesses(record, g.organisation),
        success="Weaknesses taken again from the self-assessment and the KPI targets.",
        next_url=_detail(record.id),
    )
    return done or _show(record, form)


@web_bp.route("/action-plans/<int:ps_plan_id>/approve", methods=["POST"])
@permission("partner_statements.approve")
def plan_approve(ps_plan_id: int):
    record = _plan(ps_plan_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: plans.approve(record, g.organisation, _enforced(), actor_id(), plugin_kit.today()),
        success=f"Action plan answering {record.assessed_period} approved.",
        next_url=_detail(record.id),
    )
    return done or _show(record, form)


@web_bp.route("/action-plans/<int:ps_plan_id>/weaknesses/new", methods=["GET", "POST"])
@permission("partner_statements.write")
def weakness_new(ps_plan_id: int):
    record = _plan(ps_plan_id)
    form = WeaknessForm()
    done = save_form(
        form,
        PsWeaknessSchema(),
        lambda values: plans.add_review_weakness(record, values),
        success=lambda w: f"Weakness “{w.title}” added.",
        next_url=_detail(record.id),
    )
    return done or render_page("partner_statements/weakness_form.html", form, plan=record)


def link_body(form: LinkForm) -> dict:
    body = form_payload(form, ["outputs"])
    raw = form.action_item_id.data or ""
    if raw:
        body["action_item_id"] = int(raw) if raw.isdigit() and len(raw) < 10 else raw
    return body


@web_bp.route(
    "/action-plans/<int:ps_plan_id>/weaknesses/<int:ps_weakness_id>/actions/new", methods=["GET", "POST"]
)
@permission("partner_statements.write")
def link_new(ps_plan_id: int, ps_weakness_id: int):
    record = _plan(ps_plan_id)
    weakness = _weakness_of(record, ps_weakness_id)
    form = LinkForm()
    items = db.session.execute(
        select(ActionPlanItem.id, ActionPlanItem.title, ActionPlanItem.due_on)
        .where(ActionPlanItem.plan_id == record.action_plan_id, ActionPlanItem.status != "dropped")
        .order_by(ActionPlanItem.due_on, ActionPlanItem.id)
    ).all()
    form.action_item_id.choices = [("", "Choose an action")] + [
        (str(i.id), f"{i.title} (due {i.due_on.strftime('%-d %B %Y')})" if i.due_on else i.title)
        for i in items
    ]
    done = save_form(
        form,
        PsLinkSchema(),
        lambda values: plans.link(record, weakness, values),
        payload=link_body,
        success="Action linked to the weakness.",
        next_url=_detail(record.id),
    )
    return done or render_page(
        "partner_statements/link_form.html",
        form,
        plan=record,
        weakness=weakness,
        has_items=bool(items),
        core_plan=db.session.get(ActionPlan, record.action_plan_id),
    )


@web_bp.route("/action-plans/<int:ps_plan_id>/weakness-actions/<int:ps_link_id>/unlink", methods=["POST"])
@permission("partner_statements.write")
def unlink(ps_plan_id: int, ps_link_id: int):
    record = _plan(ps_plan_id)
    link_row = get_or_404(WeaknessAction, ps_link_id, "weakness action")
    _weakness_of(record, link_row.weakness_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: plans.unlink(record, link_row),
        success="Action unlinked from the weakness.",
        next_url=_detail(record.id),
    )
    return done or _show(record, form)
