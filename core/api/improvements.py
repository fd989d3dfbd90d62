"""``/improvements``: the register of service improvements made because of involvement (Gentoo's
KPI), each linked to its source: a consultation, a scrutiny recommendation, a complaint, a survey…

A consultation's representation lists the improvements that cite it, so "you said, we did" links
to what changed.
"""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.models import Improvement
from core.records import get_or_404, paginate, url_model
from core.schemas.outcomes import (
    ImprovementArgs,
    ImprovementListSchema,
    ImprovementSchema,
    ImprovementUpdateSchema,
)
from core.services import outcomes as service
from core.services.outcomes import save_improvement

blp = org_blueprint("improvements", "improvements", "Service improvements made because of involvement")
url_model("improvement_id", Improvement, "improvement")


@blp.route("")
class Improvements(MethodView):
    @blp.arguments(ImprovementArgs, location="query")
    @blp.response(200, ImprovementListSchema)
    @permission("records.read")
    def get(self, args):
        """Improvements, latest first; filter by source (and source_id) and implemented_on from/to."""
        query = select(Improvement).order_by(Improvement.implemented_on.desc(), Improvement.id.desc())
        if "source" in args:
            query = query.where(Improvement.source == args["source"])
        if "source_id" in args:
            query = query.where(Improvement.source_id == args["source_id"])
        if "date_from" in args:
            query = query.where(Improvement.implemented_on >= args["date_from"])
        if "date_to" in args:
            query = query.where(Improvement.implemented_on <= args["date_to"])
        return paginate(query, args)

    @blp.arguments(ImprovementSchema)
    @blp.response(201, ImprovementSchema)
    @permission("records.write")
    def post(self, body):
        """Record an improvement; a consultation or scrutiny source_id must exist here (422)."""
        return save_improvement(None, body)


@blp.route("/<int:improvement_id>")
class ImprovementDetail(MethodView):
    @blp.response(200, ImprovementSchema)
    @permission("records.read")
    def get(self, improvement_id):
        """One improvement."""
        return get_or_404(Improvement, improvement_id)

    @blp.arguments(ImprovementUpdateSchema)
    @blp.response(200, ImprovementSchema)
    @permission("records.write")
    def patch(self, changes, improvement_id):
        """Change an improvement (its source is checked again as it will be)."""
        return save_improvement(get_or_404(Improvement, improvement_id), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, improvement_id):
        """Delete an improvement."""
        service.delete_record(get_or_404(Improvement, improvement_id))
