"""``/recommendations``: what bodies (scrutiny above all) recommend, and the landlord's response.

A response other than ``accepted`` needs its reasons (residents must be told how their views
were considered); ``?overdue=true`` lists those past their due date and not implemented or closed.
"""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import not_, select

from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.models import Recommendation
from core.records import get_or_404, paginate, url_model
from core.schemas.governance import (
    RecommendationArgs,
    RecommendationListSchema,
    RecommendationSchema,
    RecommendationUpdateSchema,
)
from core.services import governance

blp = org_blueprint(
    "recommendations", "recommendations", "Recommendations of bodies and the landlord's response with reasons"
)
url_model("recommendation_id", Recommendation, "recommendation")


@blp.route("")
class Recommendations(MethodView):
    @blp.arguments(RecommendationArgs, location="query")
    @blp.response(200, RecommendationListSchema)
    @permission("records.read")
    def get(self, args):
        """Recommendations, oldest due first; filter by body, response, status, ``overdue``."""
        query = select(Recommendation).order_by(
            Recommendation.due_on.is_(None), Recommendation.due_on, Recommendation.id
        )
        for name in ("body_id", "response", "status"):
            if name in args:
                query = query.where(getattr(Recommendation, name) == args[name])
        if "overdue" in args:
            overdue = governance.overdue_condition()
            query = query.where(overdue if args["overdue"] else not_(overdue))
        return paginate(query, args)

    @blp.arguments(RecommendationSchema)
    @blp.response(201, RecommendationSchema)
    @permission("records.write")
    def post(self, body):
        """Record a recommendation (with the response, if already given)."""
        return governance.save_recommendation(Recommendation(), body)


@blp.route("/<int:recommendation_id>")
class RecommendationDetail(MethodView):
    @blp.response(200, RecommendationSchema)
    @permission("records.read")
    def get(self, recommendation_id):
        """One recommendation."""
        return get_or_404(Recommendation, recommendation_id)

    @blp.arguments(RecommendationUpdateSchema)
    @blp.response(200, RecommendationSchema)
    @permission("records.write")
    def patch(self, changes, recommendation_id):
        """Respond to or progress a recommendation."""
        return governance.save_recommendation(get_or_404(Recommendation, recommendation_id), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, recommendation_id):
        """Delete a recommendation recorded by mistake."""
        governance.delete_recommendation(get_or_404(Recommendation, recommendation_id))
