"""Officers' pages for the Customer Forum's budget for local environmental issues (seed 001: "They
will have a budget available to them to address local environmental issues"): one budget per
financial year with what is allocated and what remains, allocations (each recorded as core spend)
and their withdrawal, changing a year's amount (never below what is allocated); and the Forum's
meetings, where officers record which councillors and independent members were present ("Two of
the meetings are attended by the full membership which includes three local ward Councillors and
three independent members"). Overspending, a second budget for a year, cutting a budget below its
allocations and a seat that is not on the Forum are the forum service's refusals, in its words."""

from __future__ import annotations

from flask import abort, request, url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Activity, Area, Body
from core.periods import Period, PeriodError
from core.records import get_or_404
from core.web import labels
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, listing, permission, render_page, save_form
from plugins.street_reps.models import ForumAllocation, ForumBudget
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.compliance import SrFullAttendanceSchema
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


@web_bp.route("/forum/budgets/<int:sr_budget_id>/edit", methods=["GET", "POST"])
@permission("street_reps.budget")
def budget_edit(sr_budget_id: int):
    budget = service.describe(get_or_404(ForumBudget, sr_budget_id, "Forum budget"))
    form = forms.BudgetChangeForm()
    if not form.is_submitted():
        form.amount_pence.data = f"{budget.amount_pence / 100:.2f}"
        form.notes.data = budget.notes
    done = save_form(
        form,
        s.SrBudgetUpdateSchema(),
        lambda values: service.change_budget(budget, values),
        payload=forms.budget_change_body,
        success=lambda changed: f"Forum budget for {changed.period} changed.",
        next_url=url_for(".budget_detail", sr_budget_id=budget.id),
    )
    return done or render_page("street_reps/forum/budget_edit.html", form, budget=budget)


# -- the Forum's meetings and their full membership ------------------------------------------------


def _year(value: str | None) -> Period:
    """The financial year asked for in the URL, or this one (a malformed value is ignored)."""
    this_year = Period.financial_year_of(plugin_kit.today())
    try:
        period = Period.parse(value) if value else this_year
    except PeriodError:
        return this_year
    return this_year if period.is_quarter else period


@web_bp.route("/forum/meetings")
@permission("street_reps.read")
def meeting_list():
    period = _year(request.args.get("period"))
    settings = current_settings()
    meetings = service.forum_meetings(period, settings)
    this_year = Period.financial_year_of(plugin_kit.today())
    years = [this_year]
    for _ in range(4):
        years.append(years[-1].previous())
    return render_page(
        "street_reps/forum/meetings.html",
        period=period,
        years=years,
        meetings=meetings,
        settings=settings,
        full=sum(1 for m in meetings if m["full_membership"]),
    )


def _meeting(activity_id: int) -> Activity:
    activity = get_or_404(Activity, activity_id, "activity")
    if activity.kind != "meeting" or activity.body_id is None:
        abort(404)
    body = db.session.get(Body, activity.body_id)
    if body is None or body.kind != "forum":
        abort(404)
    return activity


@web_bp.route("/forum/meetings/<int:activity_id>")
@permission("street_reps.read")
def meeting_detail(activity_id: int):
    """The meeting with its councillors and independent members; officers who may write record who
    was present (the form posts to ``meeting_attendance``)."""
    return _meeting_page(_meeting(activity_id), None)


def _meeting_page(activity: Activity, form):
    settings = current_settings()
    seats = service.full_seats(activity)
    if form is None:
        form = forms.FullAttendanceForm()
        form.membership_ids.data = [seat["id"] for seat in seats if seat["present"]]
    form.membership_ids.choices = [
        (seat["id"], f"{seat['name']} ({labels.label(seat['seat_type'])})") for seat in seats
    ]
    return render_page(
        "street_reps/forum/meeting.html",
        form,
        meeting=service.forum_meetings(None, settings, activity_id=activity.id)[0],
        seats=seats,
        settings=settings,
    )


@web_bp.route("/forum/meetings/<int:activity_id>/attendance", methods=["POST"])
@permission("street_reps.write")
def meeting_attendance(activity_id: int):
    activity = _meeting(activity_id)
    form = forms.FullAttendanceForm()
    form.membership_ids.choices = [(seat["id"], "") for seat in service.full_seats(activity)]
    done = save_form(
        form,
        SrFullAttendanceSchema(),
        lambda values: service.record_full_attendance(activity, values["membership_ids"], current_settings()),
        payload=lambda f: {"membership_ids": list(f.membership_ids.data or [])},
        success=lambda meeting: (
            f"Attendance recorded: {meeting['title']} "
            + (
                "is a full-membership meeting."
                if meeting["full_membership"]
                else "is not a full-membership meeting."
            )
        ),
        next_url=url_for(".meeting_detail", activity_id=activity.id),
    )
    return done or _meeting_page(activity, form)
