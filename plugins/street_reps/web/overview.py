"""Officers' overview pages: the coverage of tenancy holders by representatives and the streets
uncovered, the year's Forum and walkabouts at a glance, the quarterly PIs to Board (with a
period picker) and the standing rules checked today."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import g, render_template, request
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission
from core.models import Body
from core.periods import Period, PeriodError
from plugins.street_reps.models import Grant, StreetRep, Walkabout
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import compliance, forum, grants, reps
from plugins.street_reps.services import walkabouts as walkabout_service
from plugins.street_reps.services.measures import board_pis
from plugins.street_reps.web import web_bp


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


def quarter_choices(today: date, count: int = 12) -> list[Period]:
    """The current quarter and the ``count - 1`` before it, latest first: every choice is valid."""
    quarters = [_current_quarter(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


@web_bp.route("/board-pis")
@permission("street_reps.read")
def board_pis_page():
    """The quarterly PIs to Board. The period comes from a list of quarters; a hand-edited or
    unknown period shows the current quarter rather than an error."""
    choices = quarter_choices(plugin_kit.today())
    labels = [quarter.label for quarter in choices]
    try:
        period = Period.parse(request.args.get("period") or "")
    except PeriodError:
        period = choices[0]
    if not period.is_quarter:
        period = choices[0]
    return render_template(
        "street_reps/board_pis.html",
        organisation=g.organisation,
        report=board_pis(period, current_settings()),
        previous=period.previous().label,
        choices=labels if period.label in labels else [period.label, *labels],
        chosen=period.label,
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
