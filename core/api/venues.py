"""``/venues``: places activities are held, with the accessibility features each offers."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.extensions import db
from core.lifecycle import require
from core.models import Venue
from core.records import apply, get_or_404, paginate, url_model
from core.schemas.involvement import VenueArgs, VenueListSchema, VenueSchema, VenueUpdateSchema
from core.services.involvement import delete_venue, json_contains

blp = org_blueprint("venues", "venues", "Venues: where activities are held, with their access features")
url_model("venue_id", Venue, "venue")


@blp.route("")
class Venues(MethodView):
    @blp.arguments(VenueArgs, location="query")
    @blp.response(200, VenueListSchema)
    def get(self, args):
        """Venues, by name; ``feature=hearing_loop`` lists only those offering it."""
        require("records.read")
        query = select(Venue).order_by(Venue.name, Venue.id)
        if "feature" in args:
            query = query.where(json_contains(Venue.features, args["feature"]))
        return paginate(query, args)

    @blp.arguments(VenueSchema)
    @blp.response(201, VenueSchema)
    def post(self, body):
        """Create a venue."""
        require("records.write")
        venue = Venue(**body)
        db.session.add(venue)
        db.session.flush()
        return venue


@blp.route("/<int:venue_id>")
class VenueDetail(MethodView):
    @blp.response(200, VenueSchema)
    def get(self, venue_id):
        """One venue."""
        require("records.read")
        return get_or_404(Venue, venue_id)

    @blp.arguments(VenueUpdateSchema)
    @blp.response(200, VenueSchema)
    def patch(self, changes, venue_id):
        """Change a venue (``features`` replaces the whole list)."""
        require("records.write")
        venue = get_or_404(Venue, venue_id)
        apply(venue, changes)
        return venue

    @blp.response(204)
    def delete(self, venue_id):
        """Delete a venue no activity is held at (409 otherwise)."""
        require("records.write")
        delete_venue(get_or_404(Venue, venue_id))
