"""The group's routes (``/group/...``): which partners have a current statement, the Customer First
compliance matrix, the oversight dashboard and its CSV export for the Group Policy Forum, the RASP
panel and the group's reviews of partners' impact assessments.

Each route answers 404 on an organisation that is not a group (the route does not exist there),
then needs ``group.compare`` (reviews need ``partner_statements.review``). Partners' figures are
read only through the audited read scope in ``services.oversight``.
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission, require
from core.models import Organisation
from core.periods import Period
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.partner_statements.blueprint import blp
from plugins.partner_statements.models import AssessmentReview, RaspMember
from plugins.partner_statements.schemas import (
    PsComplianceMatrixSchema,
    PsOversightSchema,
    PsPeriodArgs,
    PsReviewSchema,
    PsStatementStatusSchema,
    RaspMemberListSchema,
    ReviewListSchema,
)
from plugins.partner_statements.services import exports, oversight, reviews
from plugins.partner_statements.services.common import actor_id, require_group


def _group(action: str = "group.compare") -> Organisation:
    require_group(g.organisation)
    require(action)
    return g.organisation


@blp.route("/group/statements")
class GroupStatements(MethodView):
    @blp.response(200, PsStatementStatusSchema)
    @permission("group.compare")
    def get(self):
        """Which partners have a current (published) statement, and which are drafting one."""
        return oversight.statement_statuses(_group(), actor_id())


@blp.route("/group/compliance")
class GroupCompliance(MethodView):
    @blp.arguments(PsPeriodArgs, location="query")
    @blp.response(200, PsComplianceMatrixSchema)
    @permission("group.compare")
    def get(self, args):
        """Partners × Customer First commitments: each partner's rating for the year."""
        return oversight.compliance_matrix(_group(), Period.parse(args["period"]), actor_id())


@blp.route("/group/oversight")
class GroupOversight(MethodView):
    @blp.arguments(PsPeriodArgs, location="query")
    @blp.response(200, PsOversightSchema)
    @permission("group.compare")
    def get(self, args):
        """The oversight dashboard: one row per partner, ranked, with the flags that need attention."""
        return oversight.dashboard(_group(), Period.parse(args["period"]), actor_id(), plugin_kit.today())


@blp.route("/group/oversight.csv")
class GroupOversightCsv(MethodView):
    @blp.arguments(PsPeriodArgs, location="query")
    @blp.doc(
        responses={"200": {"description": "CSV for the Group Policy Forum", "content": {"text/csv": {}}}}
    )
    @permission("group.compare")
    def get(self, args):
        """The dashboard as a CSV file for the Group Policy Forum."""
        board = oversight.dashboard(_group(), Period.parse(args["period"]), actor_id(), plugin_kit.today())
        filename = f"{g.organisation.slug}-partner-oversight-{args['period']}.csv"
        return plugin_kit.csv_response(filename, *exports.oversight_table(board))


@blp.route("/group/rasp")
class GroupRasp(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RaspMemberListSchema)
    @permission("group.compare")
    def get(self, args):
        """The RASP panel: each nominee's display name and partner (nothing else is held)."""
        _group()
        page = paginate(select(RaspMember).order_by(RaspMember.display_name, RaspMember.id), args)
        names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
        for member in page["items"]:
            member.partner_name = names.get(member.partner_id)
        return page


@blp.route("/group/rasp/indicators")
class GroupRaspIndicators(MethodView):
    @blp.arguments(PsPeriodArgs, location="query")
    @blp.response(200, PsOversightSchema)
    @permission("group.compare")
    def get(self, args):
        """What RASP scrutinises (seed 12.4): the group's involvement LPIs per partner, aggregates only."""
        board = oversight.dashboard(_group(), Period.parse(args["period"]), actor_id(), plugin_kit.today())
        board["partners"] = [
            {
                "name": p["name"],
                "rank": p["rank"],
                "lpis": p["lpis"],
                "feedback_on_time": p["feedback_on_time"],
            }
            for p in board["partners"]
        ]
        board["flags"] = []
        return board


@blp.route("/group/reviews")
class GroupReviews(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ReviewListSchema)
    @permission("group.compare")
    def get(self, args):
        """The group's reviews of partners' impact assessments."""
        _group()
        return paginate(
            select(AssessmentReview).order_by(AssessmentReview.period.desc(), AssessmentReview.id), args
        )

    @blp.arguments(PsReviewSchema)
    @blp.response(201, PsReviewSchema)
    @permission("partner_statements.review")
    def post(self, body):
        """Review a partner's published impact assessment (one review per partner and year; 409 if
        the assessment is not published)."""
        group = _group("partner_statements.review")
        return reviews.record(group, body, actor_id(), plugin_kit.today())


@blp.route("/group/reviews/<int:ps_review_id>")
class GroupReviewDetail(MethodView):
    @blp.response(200, PsReviewSchema)
    @permission("group.compare")
    def get(self, ps_review_id):
        """One review."""
        _group()
        return get_or_404(AssessmentReview, ps_review_id)
