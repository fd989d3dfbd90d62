"""Officers' pages for neighbourhood action plans (seed 001: "NAPs will reflect the local priorities
and needs of customers in their particular area"): one plan per area and financial year, its local
priorities (listed, added one at a time, changed or taken out) and its actions. Actions from estate
walkabouts link to the walkabout issue they came from, where their progress is recorded; the
plan's other actions are tracked on core's action plan page. A second plan for an area's year and
a quarter given as the year are the walkabouts service's refusals, in its words."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.extensions import db
from core.records import get_or_404
from core.web.toolkit import listing, permission, render_page, save_form
from plugins.street_reps.models import NeighbourhoodPlan, Walkabout, WalkaboutIssue
from plugins.street_reps.schemas import records as s
from plugins.street_reps.services import walkabouts as service
from plugins.street_reps.web import forms, web_bp


@web_bp.route("/neighbourhood-plans")
@permission("street_reps.read")
def plan_list():
    page = listing(select(NeighbourhoodPlan).order_by(NeighbourhoodPlan.period.desc(), NeighbourhoodPlan.id))
    service.describe_plans(page.items)
    return render_page("street_reps/plans/list.html", listing=page)


@web_bp.route("/neighbourhood-plans/new", methods=["GET", "POST"])
@permission("street_reps.write")
def plan_new():
    form = forms.PlanForm()
    done = save_form(
        form,
        s.SrNeighbourhoodPlanSchema(),
        service.create_plan,
        payload=forms.plan_body,
        success=lambda plan: f"Neighbourhood action plan for {plan.period} started.",
        next_url=lambda plan: url_for(".plan_detail", sr_plan_id=plan.id),
    )
    return done or render_page("street_reps/plans/form.html", form)


def _plan_page(plan: NeighbourhoodPlan, form=None):
    service.describe_plans([plan])
    issues = {
        issue.action_item_id: (issue, title)
        for issue, title in db.session.execute(
            select(WalkaboutIssue, Walkabout.title)
            .join(Walkabout, Walkabout.id == WalkaboutIssue.walkabout_id)
            .where(WalkaboutIssue.action_item_id.in_([item.id for item in plan.items]))
        ).all()
    }
    return render_page(
        "street_reps/plans/detail.html",
        form if form is not None else forms.PriorityForm(),
        plan=plan,
        issues=issues,
    )


@web_bp.route("/neighbourhood-plans/<int:sr_plan_id>")
@permission("street_reps.read")
def plan_detail(sr_plan_id: int):
    return _plan_page(get_or_404(NeighbourhoodPlan, sr_plan_id, "neighbourhood action plan"))


@web_bp.route("/neighbourhood-plans/<int:sr_plan_id>/priorities", methods=["POST"])
@permission("street_reps.write")
def plan_priority_add(sr_plan_id: int):
    """Add one local priority at the end of the plan's list."""
    plan = get_or_404(NeighbourhoodPlan, sr_plan_id, "neighbourhood action plan")
    form = forms.PriorityForm()
    done = save_form(
        form,
        s.SrNeighbourhoodPlanUpdateSchema(),
        lambda values: service.change_priorities(plan, values["local_priorities"]),
        payload=lambda f: {
            "local_priorities": [
                *(plan.local_priorities or []),
                *forms.priority_lines(f.local_priorities.data),
            ]
        },
        success="Local priority added.",
        next_url=url_for(".plan_detail", sr_plan_id=plan.id),
    )
    return done or _plan_page(plan, form)


@web_bp.route("/neighbourhood-plans/<int:sr_plan_id>/priorities/edit", methods=["GET", "POST"])
@permission("street_reps.write")
def plan_priorities_edit(sr_plan_id: int):
    """Change, reorder or take out local priorities: the whole list, one a line."""
    plan = get_or_404(NeighbourhoodPlan, sr_plan_id, "neighbourhood action plan")
    form = forms.PrioritiesForm()
    if not form.is_submitted():
        form.local_priorities.data = "\n".join(plan.local_priorities or [])
    done = save_form(
        form,
        s.SrNeighbourhoodPlanUpdateSchema(),
        lambda values: service.change_priorities(plan, values["local_priorities"]),
        payload=lambda f: {"local_priorities": forms.priority_lines(f.local_priorities.data)},
        success="Local priorities changed.",
        next_url=url_for(".plan_detail", sr_plan_id=plan.id),
    )
    return done or render_page(
        "street_reps/plans/priorities.html", form, plan=service.describe_plans([plan])[0]
    )
