"""Pages: the officers' overview, quarterly Board PIs and standing-rules compliance
(``/o/<slug>/plugins/street_reps/``, signed-in members), and the public walkabout timetable, its
iCalendar feed and published outcomes (``/p/<slug>/street_reps/…``, no sign-in, published records
only)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, abort, g, render_template, request, url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission
from core.models import Body
from core.periods import Period, PeriodError
from core.plugin_kit import calendar_response
from plugins.street_reps.models import Grant, StreetRep, Walkabout
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import compliance, forum, grants, reps
from plugins.street_reps.services import walkabouts as walkabout_service
from plugins.street_reps.services.calendar import walkabout_calendar
from plugins.street_reps.services.measures import board_pis

web_bp = Blueprint("plugin_street_reps_web", __name__, template_folder="templates")
public_bp = Blueprint("plugin_street_reps_public", __name__, template_folder="templates")


def _current_quarter(day: date) -> Period:
    year = Period.financial_year_of(day)
    quarter = (day.month - 4) % 12 // 3 + 1
    return Period.parse(f"{year.label}-Q{quarter}")


@web_bp.route("/")
@permission("street_reps.read")
def index():
    settings = current_settings()
    today = plugin_kit.today()
    representatives = reps.describe(
        db.session.scalars(
            select(StreetRep).where(StreetRep.stood_down_on.is_(None)).order_by(StreetRep.patch_name)
        ).all(),
        settings["tenancy_tenures"],
    )
    year = Period.financial_year_of(today)
    upcoming = db.session.scalars(
        select(Walkabout)
        .where(Walkabout.status == "planned", Walkabout.starts_at >= datetime.now(UTC))
        .order_by(Walkabout.starts_at)
        .limit(10)
    ).all()
    overdue_grants = db.session.execute(
        select(Grant, Body.name).join(Body, Body.id == Grant.body_id).where(grants.monitoring_overdue(today))
    ).all()
    return render_template(
        "street_reps/index.html",
        organisation=g.organisation,
        settings=settings,
        representatives=representatives,
        coverage=reps.coverage(settings),
        uncovered=reps.uncovered_streets(settings),
        forum_year=forum.forum_year(year, settings, forum.find_forum()),
        upcoming=walkabout_service._with_area_names(list(upcoming)),
        overdue_grants=overdue_grants,
        quarter=_current_quarter(today),
    )


@web_bp.route("/board-pis")
@permission("street_reps.read")
def board_pis_page():
    text = request.args.get("period") or _current_quarter(plugin_kit.today()).label
    try:
        period = Period.parse(text)
    except PeriodError:
        abort(404)
    if not period.is_quarter:
        abort(404)
    return render_template(
        "street_reps/board_pis.html",
        organisation=g.organisation,
        report=board_pis(period, current_settings()),
        previous=period.previous().label,
    )


@web_bp.route("/compliance")
@permission("street_reps.read")
def compliance_page():
    """The Trust's standing rules checked today: Board seats for tenancy holders, patch limits."""
    settings = current_settings()
    year = Period.financial_year_of(plugin_kit.today())
    return render_template(
        "street_reps/compliance.html",
        organisation=g.organisation,
        report=compliance.check(settings),
        settings=settings,
        year=year,
        forum_meetings=forum.forum_meetings(year, settings),
    )


# -- public pages ---------------------------------------------------------------------------


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
