"""``/opportunities``: the menu of ways to get involved, each with its level, formality and channel."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.models import Opportunity
from core.records import get_or_404, paginate, url_model
from core.schemas.involvement import (
    OpportunityArgs,
    OpportunityListSchema,
    OpportunitySchema,
    OpportunityUpdateSchema,
)
from core.services.involvement import delete_opportunity, save_opportunity

blp = org_blueprint(
    "opportunities", "opportunities", "Opportunities: the ways residents can get involved (Your Voice…)"
)
url_model("opportunity_id", Opportunity, "opportunity")


@blp.route("")
class Opportunities(MethodView):
    @blp.arguments(OpportunityArgs, location="query")
    @blp.response(200, OpportunityListSchema)
    @permission("records.read")
    def get(self, args):
        """Opportunities, by name; filter by open, level or formal."""
        query = select(Opportunity).order_by(Opportunity.name, Opportunity.id)
        for name in ("open", "level", "formal"):
            if name in args:
                query = query.where(getattr(Opportunity, name) == args[name])
        return paginate(query, args)

    @blp.arguments(OpportunitySchema)
    @blp.response(201, OpportunitySchema)
    @permission("records.write")
    def post(self, body):
        """Create an opportunity."""
        return save_opportunity(None, body)


@blp.route("/<int:opportunity_id>")
class OpportunityDetail(MethodView):
    @blp.response(200, OpportunitySchema)
    @permission("records.read")
    def get(self, opportunity_id):
        """One opportunity."""
        return get_or_404(Opportunity, opportunity_id)

    @blp.arguments(OpportunityUpdateSchema)
    @blp.response(200, OpportunitySchema)
    @permission("records.write")
    def patch(self, changes, opportunity_id):
        """Change an opportunity (close it with ``open: false``)."""
        return save_opportunity(get_or_404(Opportunity, opportunity_id), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, opportunity_id):
        """Delete an opportunity no activity was run under (409 otherwise)."""
        delete_opportunity(get_or_404(Opportunity, opportunity_id))
