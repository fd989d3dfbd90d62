"""Information & Knowledge events (and their yearly schedule), volunteering sessions, Rate Your Estate."""

from __future__ import annotations

from datetime import timedelta

from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.lifecycle import permission
from core.records import get_or_404
from core.schemas.common import PageArgs
from core.services.involvement import starting_between
from plugins.customer_voice.api.blueprint import blp, page_of
from plugins.customer_voice.models import EstateRating, InformationEvent, VolunteerSession
from plugins.customer_voice.schemas import (
    CvEventArgs,
    CvEventListSchema,
    CvEventSchema,
    CvEventUpdateSchema,
    CvRatingArgs,
    CvRatingListSchema,
    CvRatingSchema,
    CvRatingUpdateSchema,
    CvScheduleResultSchema,
    CvScheduleSchema,
    CvSessionListSchema,
    CvSessionSchema,
    CvTrendArgs,
    CvTrendListSchema,
)
from plugins.customer_voice.services import events


@blp.route("/information-events")
class InformationEvents(MethodView):
    @blp.arguments(CvEventArgs, location="query")
    @blp.response(200, CvEventListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """I&K events in date order, with attendance; ``year`` limits them to a financial year."""
        statement = events.event_rows()
        if "year" in args:
            year = events.financial_year(args["year"])
            statement = events.event_rows(lambda s: s.where(*starting_between(year.start, year.end)))
        return page_of(statement, args, events.event_dict)

    @blp.arguments(CvEventSchema)
    @blp.response(201, CvEventSchema)
    @permission("customer_voice.write")
    def post(self, values):
        """Add an extra I&K event outside the schedule."""
        return events.one_event(events.add_event(values))


@blp.route("/information-events/schedule")
class InformationSchedule(MethodView):
    @blp.arguments(CvScheduleSchema)
    @blp.response(200, CvScheduleResultSchema)
    @permission("customer_voice.write")
    def post(self, values):
        """Plan a financial year's I&K events, one every N months (setting); topics fill the places
        in order. Running it again adds only the places not yet planned."""
        return events.generate_schedule(events.financial_year(values["year"]), values["topics"])


@blp.route("/information-events/<int:cv_event_id>")
class InformationEventDetail(MethodView):
    @blp.response(200, CvEventSchema)
    @permission("customer_voice.read")
    def get(self, cv_event_id):
        """One I&K event with its attendance (record attendance on the core activity)."""
        return events.one_event(get_or_404(InformationEvent, cv_event_id, "event"))

    @blp.arguments(CvEventUpdateSchema)
    @blp.response(200, CvEventSchema)
    @permission("customer_voice.write")
    def patch(self, changes, cv_event_id):
        """Set the topic, move the event, or mark it held or cancelled."""
        event = get_or_404(InformationEvent, cv_event_id, "event")
        return events.one_event(events.update_event(event, changes))


@blp.route("/volunteering/sessions")
class Sessions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CvSessionListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """Volunteering sessions, newest first, with volunteers and hours given."""
        return page_of(events.session_rows(), args, events.session_dict)

    @blp.arguments(CvSessionSchema)
    @blp.response(201, CvSessionSchema)
    @permission("customer_voice.write")
    def post(self, values):
        """Plan a volunteering session in one of the organisation's roles."""
        return events.one_session(events.add_session(values))


@blp.route("/volunteering/sessions/<int:cv_session_id>")
class SessionDetail(MethodView):
    @blp.response(200, CvSessionSchema)
    @permission("customer_voice.read")
    def get(self, cv_session_id):
        """One session (record volunteers and hours as participations of its core activity)."""
        return events.one_session(get_or_404(VolunteerSession, cv_session_id, "session"))


@blp.route("/estate-ratings")
class Ratings(MethodView):
    @blp.arguments(CvRatingArgs, location="query")
    @blp.response(200, CvRatingListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """Rate Your Estate visits, newest first."""
        statement = select(EstateRating).order_by(EstateRating.visited_on.desc(), EstateRating.id.desc())
        if "area_id" in args:
            statement = statement.where(EstateRating.area_id == args["area_id"])
        page = page_of(statement, args)
        page["items"] = [events.rating_dict(rating) for rating in page["items"]]
        return page

    @blp.arguments(CvRatingSchema)
    @blp.response(201, CvRatingSchema)
    @permission("customer_voice.write")
    def post(self, values):
        """Record a visit: a score from 1 to 5 for every criterion set in the settings."""
        return events.rating_dict(events.record_rating(values))


@blp.route("/estate-ratings/trends")
class RatingTrends(MethodView):
    @blp.arguments(CvTrendArgs, location="query")
    @blp.response(200, CvTrendListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """Average score per estate, criterion and calendar quarter (by default the last two years)."""
        date_to = args.get("date_to", plugin_kit.today())
        date_from = args.get("date_from", date_to - timedelta(days=730))
        return {"items": events.rating_trends(args.get("area_id"), date_from, date_to)}


@blp.route("/estate-ratings/<int:cv_rating_id>")
class RatingDetail(MethodView):
    @blp.response(200, CvRatingSchema)
    @permission("customer_voice.read")
    def get(self, cv_rating_id):
        """One visit with its scores."""
        return events.rating_dict(get_or_404(EstateRating, cv_rating_id, "rating"))

    @blp.arguments(CvRatingUpdateSchema)
    @blp.response(200, CvRatingSchema)
    @permission("customer_voice.write")
    def patch(self, changes, cv_rating_id):
        """Correct the visit date or comments (scores are re-recorded as a new visit)."""
        return events.rating_dict(
            events.change_rating(get_or_404(EstateRating, cv_rating_id, "rating"), changes)
        )
