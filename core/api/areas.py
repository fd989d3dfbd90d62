"""``/areas``: the organisation's tree of management areas, neighbourhoods, estates, streets."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.lifecycle import require
from core.models import Area, Body, Household
from core.records import apply, check_reference, get_or_404, paginate, url_model
from core.schemas.places import AreaArgs, AreaListSchema, AreaSchema, AreaUpdateSchema

blp = org_blueprint("areas", "areas", "Areas: a tree of management areas down to streets and blocks")
url_model("area_id", Area, "area")


def _check_parent(area_id: int | None, parent_id: int | None) -> None:
    check_reference(Area, parent_id, "parent_id")
    seen = {area_id}
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationFailed({"parent_id": ["An area cannot be inside itself."]})
        seen.add(parent_id)
        parent_id = db.session.scalar(select(Area.parent_id).where(Area.id == parent_id))


@blp.route("")
class Areas(MethodView):
    @blp.arguments(AreaArgs, location="query")
    @blp.response(200, AreaListSchema)
    def get(self, args):
        """Areas, by name; filter by kind or parent."""
        require("records.read")
        query = select(Area).order_by(Area.name, Area.id)
        if "kind" in args:
            query = query.where(Area.kind == args["kind"])
        if "parent_id" in args:
            query = query.where(Area.parent_id == args["parent_id"])
        return paginate(query, args)

    @blp.arguments(AreaSchema)
    @blp.response(201, AreaSchema)
    def post(self, body):
        """Create an area."""
        require("records.write")
        _check_parent(None, body.get("parent_id"))
        area = Area(**body)
        db.session.add(area)
        db.session.flush()
        return area


@blp.route("/<int:area_id>")
class AreaDetail(MethodView):
    @blp.response(200, AreaSchema)
    def get(self, area_id):
        """One area."""
        require("records.read")
        return get_or_404(Area, area_id)

    @blp.arguments(AreaUpdateSchema)
    @blp.response(200, AreaSchema)
    def patch(self, changes, area_id):
        """Change an area."""
        require("records.write")
        area = get_or_404(Area, area_id)
        if "parent_id" in changes:
            _check_parent(area.id, changes["parent_id"])
        apply(area, changes)
        return area

    @blp.response(204)
    def delete(self, area_id):
        """Delete an area that nothing refers to."""
        require("records.write")
        area = get_or_404(Area, area_id)
        for model, column in ((Area, Area.parent_id), (Household, Household.area_id), (Body, Body.area_id)):
            if db.session.scalar(select(model.id).where(column == area.id).limit(1)) is not None:
                raise Conflict("This area is still used; move what is in it first.")
        db.session.delete(area)
