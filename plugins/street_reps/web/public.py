"""Public pages (no sign-in, published records only): the estate-walkabout timetable agreed with
residents, its iCalendar feed, and each walkabout's published outcome."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, g, render_template, url_for

from core import plugin_kit
from core.plugin_kit import calendar_response
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import walkabouts as walkabout_service
from plugins.street_reps.services.calendar import walkabout_calendar
from plugins.street_reps.web import public_bp

# The views' titles as the residents' site lists them, for translation (residents-site.md).
PAGE_TITLES = (plugin_kit.N_("The published estate-walkabout timetable"),)


@public_bp.route("/walkabouts")
def timetable():
    """The published estate-walkabout timetable."""
    settings = current_settings()
    walkabouts = walkabout_service.published_timetable(settings)
    now = datetime.now(UTC)
    upcoming = [w for w in walkabouts if _utc(w.starts_at) >= now]
    past = [w for w in walkabouts if _utc(w.starts_at) < now]
    return render_template(
        "street_reps/public_timetable.html",
        public_organisation=g.organisation,
        upcoming=upcoming,
        past=list(reversed(past))[:20],
        outcomes_public=settings["walkabout_outcomes_public"],
        feed_url=url_for(".calendar_feed", slug=g.organisation.slug),
    )


@public_bp.route("/walkabouts.ics")
def calendar_feed():
    """The timetable as an iCalendar feed (RFC 5545) residents can subscribe to."""
    walkabouts = walkabout_service.published_timetable(current_settings())
    body = walkabout_calendar(g.organisation, walkabouts)
    return calendar_response(body, f"{g.organisation.slug}-walkabouts.ics")


@public_bp.route("/walkabouts/<int:sr_walkabout_id>")
def outcome(sr_walkabout_id):
    """What a walkabout found and what is being done, once its outcome is published."""
    walkabout = walkabout_service.published_outcome(sr_walkabout_id, current_settings())
    if walkabout is None:
        abort(404)
    return render_template(
        "street_reps/public_outcome.html", public_organisation=g.organisation, walkabout=walkabout
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
