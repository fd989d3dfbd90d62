"""``/walkabouts`` (timetable, outcome), their ``issues`` and each issue's ``action``; and
``/neighbourhood-plans`` (one core action plan per area and year, holding walkabout actions and
local priorities)."""

from flask.views import MethodView
from sqlalchemy import select

from core.errors import NotFound
from core.lifecycle import permission
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.street_reps.api import blp
from plugins.street_reps.models import NeighbourhoodPlan, Walkabout, WalkaboutIssue
from plugins.street_reps.schemas import records as s
from plugins.street_reps.services import walkabouts as service


@blp.route("/walkabouts")
class Walkabouts(MethodView):
    @blp.arguments(s.SrWalkaboutArgs, location="query")
    @blp.response(200, s.SrWalkaboutListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """The walkabout timetable, soonest first; filter by area or status."""
        query = select(Walkabout).order_by(Walkabout.starts_at, Walkabout.id)
        if "area_id" in args:
            query = query.where(Walkabout.area_id == args["area_id"])
        if "status" in args:
            query = query.where(Walkabout.status == args["status"])
        return paginate(query, args)

    @blp.arguments(s.SrWalkaboutSchema)
    @blp.response(201, s.SrWalkaboutSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Put a walkabout on the timetable (published only once agreed with residents)."""
        return service.save_walkabout(Walkabout(), body)


@blp.route("/walkabouts/<int:sr_walkabout_id>")
class WalkaboutDetail(MethodView):
    @blp.response(200, s.SrWalkaboutSchema)
    @permission("street_reps.read")
    def get(self, sr_walkabout_id):
        """One walkabout."""
        return get_or_404(Walkabout, sr_walkabout_id, "walkabout")

    @blp.arguments(s.SrWalkaboutUpdateSchema)
    @blp.response(200, s.SrWalkaboutSchema)
    @permission("street_reps.write")
    def patch(self, changes, sr_walkabout_id):
        """Reschedule, publish, record as held or cancelled, write and publish the outcome."""
        return service.save_walkabout(get_or_404(Walkabout, sr_walkabout_id, "walkabout"), changes)


@blp.route("/walkabouts/<int:sr_walkabout_id>/issues")
class Issues(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrIssueListSchema)
    @permission("street_reps.read")
    def get(self, args, sr_walkabout_id):
        """Issues found on the walkabout, each with its action and progress."""
        query = (
            select(WalkaboutIssue)
            .where(WalkaboutIssue.walkabout_id == sr_walkabout_id)
            .order_by(WalkaboutIssue.id)
        )
        page = paginate(query, args)
        service.describe_issues(page["items"])
        return page

    @blp.arguments(s.SrIssueSchema)
    @blp.response(201, s.SrIssueSchema)
    @permission("street_reps.write")
    def post(self, body, sr_walkabout_id):
        """Record an issue found (location, category, description) on a walkabout that was held."""
        return service.add_issue(get_or_404(Walkabout, sr_walkabout_id, "walkabout"), body)


def _issue(walkabout_id: int, issue_id: int) -> WalkaboutIssue:
    issue = get_or_404(WalkaboutIssue, issue_id, "walkabout issue")
    if issue.walkabout_id != walkabout_id:
        raise NotFound("No such walkabout issue.")
    return issue


@blp.route("/walkabouts/<int:sr_walkabout_id>/issues/<int:sr_issue_id>")
class IssueDetail(MethodView):
    @blp.response(200, s.SrIssueSchema)
    @permission("street_reps.read")
    def get(self, sr_walkabout_id, sr_issue_id):
        """One issue with its action."""
        return service.describe_issues([_issue(sr_walkabout_id, sr_issue_id)])[0]


@blp.route("/walkabouts/<int:sr_walkabout_id>/issues/<int:sr_issue_id>/action")
class IssueAction(MethodView):
    @blp.arguments(s.SrActionSchema)
    @blp.response(201, s.SrIssueSchema)
    @permission("street_reps.write")
    def post(self, body, sr_walkabout_id, sr_issue_id):
        """Turn the issue into an action (owner, due date) on the area's neighbourhood action plan."""
        walkabout = get_or_404(Walkabout, sr_walkabout_id, "walkabout")
        return service.create_action(walkabout, _issue(sr_walkabout_id, sr_issue_id), body)

    @blp.arguments(s.SrActionUpdateSchema)
    @blp.response(200, s.SrIssueSchema)
    @permission("street_reps.write")
    def patch(self, changes, sr_walkabout_id, sr_issue_id):
        """Record the action's progress: status, notes, outcome (done sets the completion date)."""
        return service.update_action(_issue(sr_walkabout_id, sr_issue_id), changes)


@blp.route("/neighbourhood-plans")
class NeighbourhoodPlans(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrNeighbourhoodPlanListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Neighbourhood action plans, latest year first, with their items."""
        page = paginate(
            select(NeighbourhoodPlan).order_by(NeighbourhoodPlan.period.desc(), NeighbourhoodPlan.id), args
        )
        service.describe_plans(page["items"])
        return page

    @blp.arguments(s.SrNeighbourhoodPlanSchema)
    @blp.response(201, s.SrNeighbourhoodPlanSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Start an area's plan for a year with its local priorities (one per area and year)."""
        return service.describe_plans([service.create_plan(body)])[0]


@blp.route("/neighbourhood-plans/<int:sr_plan_id>")
class NeighbourhoodPlanDetail(MethodView):
    @blp.response(200, s.SrNeighbourhoodPlanSchema)
    @permission("street_reps.read")
    def get(self, sr_plan_id):
        """One plan with every item (walkabout actions and others added through core action plans)."""
        return service.describe_plans(
            [get_or_404(NeighbourhoodPlan, sr_plan_id, "neighbourhood action plan")]
        )[0]

    @blp.arguments(s.SrNeighbourhoodPlanUpdateSchema)
    @blp.response(200, s.SrNeighbourhoodPlanSchema)
    @permission("street_reps.write")
    def patch(self, changes, sr_plan_id):
        """Change the local priorities."""
        plan = get_or_404(NeighbourhoodPlan, sr_plan_id, "neighbourhood action plan")
        service.change_priorities(plan, changes["local_priorities"])
        return service.describe_plans([plan])[0]
