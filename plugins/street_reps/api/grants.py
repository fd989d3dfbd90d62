"""``/grants``: applications by residents' groups, the decision, payment and monitoring return."""

from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.lifecycle import permission
from core.records import get_or_404, paginate
from plugins.street_reps.api import blp
from plugins.street_reps.api.common import current_settings
from plugins.street_reps.models import Grant
from plugins.street_reps.schemas import records as s
from plugins.street_reps.services import grants as service


@blp.route("/grants")
class Grants(MethodView):
    @blp.arguments(s.SrGrantArgs, location="query")
    @blp.response(200, s.SrGrantListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Grants, latest application first; filter by group, status, ``monitoring_overdue=true``."""
        query = select(Grant).order_by(Grant.applied_on.desc(), Grant.id.desc())
        if "body_id" in args:
            query = query.where(Grant.body_id == args["body_id"])
        if "status" in args:
            query = query.where(Grant.status == args["status"])
        if args.get("monitoring_overdue") is not None:
            condition = service.monitoring_overdue(plugin_kit.today())
            query = query.where(condition if args["monitoring_overdue"] else ~condition)
        return paginate(query, args)

    @blp.arguments(s.SrGrantSchema)
    @blp.response(201, s.SrGrantSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Record a group's application; a second start-up grant for a group is refused (409)."""
        return service.apply_for(body, current_settings())


@blp.route("/grants/<int:sr_grant_id>")
class GrantDetail(MethodView):
    @blp.response(200, s.SrGrantSchema)
    @permission("street_reps.read")
    def get(self, sr_grant_id):
        """One grant."""
        return get_or_404(Grant, sr_grant_id, "grant")


@blp.route("/grants/<int:sr_grant_id>/decision")
class GrantDecision(MethodView):
    @blp.arguments(s.SrGrantDecisionSchema)
    @blp.response(200, s.SrGrantSchema)
    @permission("street_reps.grants")
    def post(self, body, sr_grant_id):
        """Assess and award (amount; the monitoring return falls due) or refuse."""
        return service.decide(get_or_404(Grant, sr_grant_id, "grant"), body, current_settings())


@blp.route("/grants/<int:sr_grant_id>/payment")
class GrantPayment(MethodView):
    @blp.arguments(s.SrGrantPaymentSchema)
    @blp.response(200, s.SrGrantSchema)
    @permission("street_reps.grants")
    def post(self, body, sr_grant_id):
        """Pay an awarded grant; the payment is recorded as core spend, category grants."""
        return service.pay(get_or_404(Grant, sr_grant_id, "grant"), body["paid_on"])


@blp.route("/grants/<int:sr_grant_id>/monitoring-return")
class GrantMonitoring(MethodView):
    @blp.arguments(s.SrMonitoringReturnSchema)
    @blp.response(200, s.SrGrantSchema)
    @permission("street_reps.write")
    def post(self, body, sr_grant_id):
        """Record the group's monitoring return."""
        grant = get_or_404(Grant, sr_grant_id, "grant")
        return service.receive_monitoring(grant, body["received_on"], body.get("notes"))
