"""``/venues``: places activities are held, with the accessibility features each offers."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.models import Venue
from core.records import get_or_404, paginate, url_model
from core.schemas.involvement import VenueArgs, VenueListSchema, VenueSchema, VenueUpdateSchema
from core.services.involvement import delete_venue, json_contains, save_venue

blp = org_blueprint("venues", "venues", "Venues: where activities are held, with their access features")
url_model("venue_id", Venue, "venue")


@blp.route("")
class Venues(MethodView):
    @blp.arguments(VenueArgs, location="query")
    @blp.response(200, VenueListSchema)
    @permission("records.read")
    def get(self, args):
        """Venues, by name; ``feature=hearing_loop`` lists only those offering it."""
        query = select(Venue).order_by(Venue.name, Venue.id)
        if "feature" in args:
            query = query.where(json_contains(Venue.features, args["feature"]))
        return paginate(query, args)

    @blp.arguments(VenueSchema)
    @blp.response(201, VenueSchema)
    @permission("records.write")
    def post(self, body):
        """Create a venue."""
        return save_venue(None, body)


@blp.route("/<int:venue_id>")
class VenueDetail(MethodView):
    @blp.response(200, VenueSchema)
    @permission("records.read")
    def get(self, venue_id):
        """One venue."""
        return get_or_404(Venue, venue_id)

    @blp.arguments(VenueUpdateSchema)
    @blp.response(200, VenueSchema)
    @permission("records.write")
    def patch(self, changes, venue_id):
        """Change a venue (``features`` replaces the whole list)."""
        return save_venue(get_or_404(Venue, venue_id), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, venue_id):
        """Delete a venue no activity is held at (409 otherwise)."""
        delete_venue(get_or_404(Venue, venue_id))
