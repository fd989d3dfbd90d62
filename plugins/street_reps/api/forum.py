"""``/forum``: the Customer Forum's year (meetings against the policy's six, its budget),
``/forum/budgets`` per financial year and their ``allocations`` (each also core spend), and
``/forum/meetings`` with the councillors and independent members at each (full-membership meetings)."""

from flask.views import MethodView
from sqlalchemy import select

from core.errors import NotFound
from core.lifecycle import permission
from core.models import Activity
from core.periods import Period
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.street_reps.api import blp
from plugins.street_reps.api.common import current_settings
from plugins.street_reps.models import ForumAllocation, ForumBudget
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.compliance import (
    SrForumMeetingListSchema,
    SrForumMeetingSchema,
    SrFullAttendanceSchema,
)
from plugins.street_reps.services import forum as service


@blp.route("/forum")
class ForumYear(MethodView):
    @blp.arguments(s.SrYearArgs, location="query")
    @blp.response(200, s.SrForumYearSchema)
    @permission("street_reps.read")
    def get(self, args):
        """The Forum's meetings held and planned in a financial year, and its budget with the balance."""
        period = Period.parse(args["period"])
        budget = service.find_budget(period.label)
        forum_id = budget.body_id if budget is not None and budget.body_id else service.find_forum()
        return service.forum_year(period, current_settings(), forum_id)


@blp.route("/forum/budgets")
class Budgets(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrBudgetListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """The Forum's budgets, latest year first, with allocated and remaining pence."""
        page = paginate(select(ForumBudget).order_by(ForumBudget.period.desc()), args)
        for budget in page["items"]:
            service.describe(budget)
        return page

    @blp.arguments(s.SrBudgetSchema)
    @blp.response(201, s.SrBudgetSchema)
    @permission("street_reps.budget")
    def post(self, body):
        """Set the budget for local environmental issues for a financial year (one per year)."""
        return service.create_budget(body)


@blp.route("/forum/budgets/<int:sr_budget_id>")
class BudgetDetail(MethodView):
    @blp.response(200, s.SrBudgetSchema)
    @permission("street_reps.read")
    def get(self, sr_budget_id):
        """One budget with its balance."""
        return service.describe(get_or_404(ForumBudget, sr_budget_id, "Forum budget"))

    @blp.arguments(s.SrBudgetUpdateSchema)
    @blp.response(200, s.SrBudgetSchema)
    @permission("street_reps.budget")
    def patch(self, changes, sr_budget_id):
        """Change the budget; it cannot go below what is already allocated (409)."""
        return service.change_budget(get_or_404(ForumBudget, sr_budget_id, "Forum budget"), changes)


@blp.route("/forum/budgets/<int:sr_budget_id>/allocations")
class Allocations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrAllocationListSchema)
    @permission("street_reps.read")
    def get(self, args, sr_budget_id):
        """Allocations from the budget, latest first."""
        query = (
            select(ForumAllocation)
            .where(ForumAllocation.budget_id == sr_budget_id)
            .order_by(ForumAllocation.allocated_on.desc(), ForumAllocation.id.desc())
        )
        return paginate(query, args)

    @blp.arguments(s.SrAllocationSchema)
    @blp.response(201, s.SrAllocationSchema)
    @permission("street_reps.budget")
    def post(self, body, sr_budget_id):
        """Allocate to a local environmental issue (recorded as core spend); 409 if it would overspend."""
        return service.allocate(sr_budget_id, body, current_settings())


@blp.route("/forum/budgets/<int:sr_budget_id>/allocations/<int:sr_allocation_id>")
class AllocationDetail(MethodView):
    @blp.response(200, s.SrAllocationSchema)
    @permission("street_reps.read")
    def get(self, sr_budget_id, sr_allocation_id):
        """One allocation."""
        return _allocation(sr_budget_id, sr_allocation_id)

    @blp.response(204)
    @permission("street_reps.budget")
    def delete(self, sr_budget_id, sr_allocation_id):
        """Withdraw an allocation and its spend record (the money returns to the budget)."""
        service.cancel_allocation(_allocation(sr_budget_id, sr_allocation_id))


def _allocation(budget_id: int, allocation_id: int) -> ForumAllocation:
    allocation = get_or_404(ForumAllocation, allocation_id, "Forum allocation")
    if allocation.budget_id != budget_id:
        raise NotFound("No such Forum allocation.")
    return allocation


# -- full-membership meetings ------------------------------------------------------------------


@blp.route("/forum/meetings")
class ForumMeetings(MethodView):
    @blp.arguments(s.SrYearArgs, location="query")
    @blp.response(200, SrForumMeetingListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """The Forum's meetings in a financial year with the councillors and independent members
        present, and how many were full-membership meetings (the policy asks for two)."""
        period = Period.parse(args["period"])
        settings = current_settings()
        meetings = service.forum_meetings(period, settings)
        return {
            "period": period.label,
            "full_membership_meetings_expected": settings["customer_forum_full_membership_meetings_per_year"],
            "full_membership_meetings_held": sum(1 for m in meetings if m["full_membership"]),
            "items": meetings,
        }


@blp.route("/forum/meetings/<int:activity_id>/full-membership")
class ForumMeetingAttendance(MethodView):
    @blp.arguments(SrFullAttendanceSchema)
    @blp.response(200, SrForumMeetingSchema)
    @permission("street_reps.write")
    def put(self, body, activity_id):
        """Record which of the Forum's councillors and independent members (their seats) were present."""
        activity = get_or_404(Activity, activity_id, "activity")
        return service.record_full_attendance(activity, body["membership_ids"], current_settings())
