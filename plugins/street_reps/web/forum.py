"""Officers' pages for the Customer Forum's budget for local environmental issues (seed 001: "They
will have a budget available to them to address local environmental issues"): one budget per
financial year with what is allocated and what remains, allocations (each recorded as core spend)
and their withdrawal. Overspending and a second budget for a year are the forum service's
refusals, shown in its words."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Area
from core.records import get_or_404
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, listing, permission, render_page, save_form
from plugins.street_reps.models import ForumAllocation, ForumBudget
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import forum as service
from plugins.street_reps.web import forms, web_bp


@web_bp.route("/forum/budgets")
@permission("street_reps.read")
def budget_list():
    page = listing(select(ForumBudget), sorts={"year": ForumBudget.period}, default_sort="year")
    for budget in page.items:
        service.describe(budget)
    return render_page("street_reps/forum/list.html", listing=page)


@web_bp.route("/forum/budgets/new", methods=["GET", "POST"])
@permission("street_reps.budget")
def budget_new():
    form = forms.BudgetForm()
    done = save_form(
        form,
        s.SrBudgetSchema(),
        service.create_budget,
        payload=forms.budget_body,
        success=lambda budget: f"Forum budget for {budget.period} set.",
        next_url=lambda budget: url_for(".budget_detail", sr_budget_id=budget.id),
    )
    return done or render_page("street_reps/forum/budget_form.html", form)


def _budget_page(budget: ForumBudget, form=None):
    allocations = db.session.scalars(
        select(ForumAllocation)
        .where(ForumAllocation.budget_id == budget.id)
        .order_by(ForumAllocation.allocated_on.desc(), ForumAllocation.id.desc())
    ).all()
    areas = dict(db.session.execute(select(Area.id, Area.name)).all())
    return render_page(
        "street_reps/forum/detail.html",
        form,
        budget=service.describe(budget),
        allocations=allocations,
        areas=areas,
    )


@web_bp.route("/forum/budgets/<int:sr_budget_id>")
@permission("street_reps.read")
def budget_detail(sr_budget_id: int):
    return _budget_page(get_or_404(ForumBudget, sr_budget_id, "Forum budget"))


@web_bp.route("/forum/budgets/<int:sr_budget_id>/allocations/new", methods=["GET", "POST"])
@permission("street_reps.budget")
def allocation_new(sr_budget_id: int):
    budget = service.describe(get_or_404(ForumBudget, sr_budget_id, "Forum budget"))
    form = forms.AllocationForm()
    if not form.is_submitted():
        form.allocated_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrAllocationSchema(),
        lambda values: service.allocate(budget.id, values, current_settings()),
        payload=forms.allocation_body,
        success="Allocation recorded (and added to spend).",
        next_url=url_for(".budget_detail", sr_budget_id=budget.id),
    )
    return done or render_page("street_reps/forum/allocation_form.html", form, budget=budget)


@web_bp.route(
    "/forum/budgets/<int:sr_budget_id>/allocations/<int:sr_allocation_id>/withdraw", methods=["POST"]
)
@permission("street_reps.budget")
def allocation_withdraw(sr_budget_id: int, sr_allocation_id: int):
    budget = get_or_404(ForumBudget, sr_budget_id, "Forum budget")
    allocation = get_or_404(ForumAllocation, sr_allocation_id, "Forum allocation")
    if allocation.budget_id != budget.id:
        from flask import abort

        abort(404)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: service.cancel_allocation(allocation),
        success=f"Allocation “{allocation.title}” withdrawn; the money returns to the budget.",
        next_url=url_for(".budget_detail", sr_budget_id=budget.id),
    )
    return done or _budget_page(budget, form)
