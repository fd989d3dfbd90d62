"""``/areas``: the organisation's tree of management areas, neighbourhoods, estates, streets."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.models import Area
from core.records import get_or_404, paginate, url_model
from core.schemas.places import AreaArgs, AreaListSchema, AreaSchema, AreaUpdateSchema
from core.services.areas import delete_area, save_area

blp = org_blueprint("areas", "areas", "Areas: a tree of management areas down to streets and blocks")
url_model("area_id", Area, "area")


@blp.route("")
class Areas(MethodView):
    @blp.arguments(AreaArgs, location="query")
    @blp.response(200, AreaListSchema)
    @permission("records.read")
    def get(self, args):
        """Areas, by name; filter by kind or parent."""
        query = select(Area).order_by(Area.name, Area.id)
        if "kind" in args:
            query = query.where(Area.kind == args["kind"])
        if "parent_id" in args:
            query = query.where(Area.parent_id == args["parent_id"])
        return paginate(query, args)

    @blp.arguments(AreaSchema)
    @blp.response(201, AreaSchema)
    @permission("records.write")
    def post(self, body):
        """Create an area."""
        return save_area(None, body)


@blp.route("/<int:area_id>")
class AreaDetail(MethodView):
    @blp.response(200, AreaSchema)
    @permission("records.read")
    def get(self, area_id):
        """One area."""
        return get_or_404(Area, area_id)

    @blp.arguments(AreaUpdateSchema)
    @blp.response(200, AreaSchema)
    @permission("records.write")
    def patch(self, changes, area_id):
        """Change an area."""
        return save_area(get_or_404(Area, area_id), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, area_id):
        """Delete an area that nothing refers to."""
        delete_area(get_or_404(Area, area_id))
