"""The plugin's landing page (a partner's statement, standard and plans; a group's oversight
dashboard), the group's CSV for the Group Policy Forum, and the residents' public pages."""

from __future__ import annotations

from flask import g, render_template, request
from sqlalchemy import select

from core import plugin_kit
from core.errors import NotFound
from core.extensions import db
from core.periods import Period, PeriodError
from core.web.toolkit import permission, require
from plugins.partner_statements.models import PartnerActionPlan, Statement
from plugins.partner_statements.services import exports, oversight, plans, standard, statements
from plugins.partner_statements.services.common import actor_id, require_group, settings_of, standard_for
from plugins.partner_statements.web import public_bp, web_bp

# The public views' titles as the residents' site lists them, for translation (residents-site.md).
PAGE_TITLES = (
    plugin_kit.N_("The resident-friendly statement page (current published version only)"),
    plugin_kit.N_("The same statement laid out to print as a two-sided leaflet"),
)


def chosen_year() -> Period:
    """The financial year in the query string, or this one: a hand-edited value never errors."""
    try:
        period = Period.parse(request.args.get("period", "")[:20])
        if not period.is_quarter:
            return period
    except PeriodError:
        pass
    return Period.financial_year_of(plugin_kit.today())


def year_links(period: Period) -> dict:
    """The previous and next financial years' labels, for bounded year navigation."""
    first = int(period.label[:4])
    return {
        "previous": f"{first - 1}-{first % 100:02d}",
        "next": f"{first + 1}-{(first + 2) % 100:02d}",
    }


@web_bp.route("/")
@permission("records.read")  # a group's board also needs group.compare (checked below)
def index():
    organisation = g.organisation
    period = chosen_year()
    if organisation.is_group:
        require("group.compare")
        board = oversight.dashboard(organisation, period, actor_id(), plugin_kit.today())
        return render_template(
            "partner_statements/group.html", organisation=organisation, board=board, period=period
        )
    _, commitments = standard_for(organisation)
    versions = db.session.scalars(select(Statement).order_by(Statement.version.desc())).all()
    assessment = standard.self_assessment(commitments, period.label)
    plan_rows = [
        plans.describe(p, plugin_kit.today())
        for p in db.session.scalars(
            select(PartnerActionPlan).order_by(PartnerActionPlan.assessed_period.desc())
        )
    ]
    return render_template(
        "partner_statements/partner.html",
        organisation=organisation,
        period=period,
        years=year_links(period),
        versions=versions,
        open_version=statements.open_version(),
        assessment=assessment,
        plans=plan_rows,
        contact=settings_of(organisation),
    )


@web_bp.route("/oversight.csv")
@permission("group.compare")
def oversight_csv():
    """The oversight dashboard as CSV for the Group Policy Forum, for a signed-in officer."""
    require_group(g.organisation)
    period = chosen_year()
    board = oversight.dashboard(g.organisation, period, actor_id(), plugin_kit.today())
    header, rows = exports.oversight_table(board)
    filename = f"{g.organisation.slug}-partner-oversight-{period.label}.csv"
    return plugin_kit.csv_response(filename, header, rows)


def _published() -> Statement:
    current = statements.current_statement()
    if current is None:
        raise NotFound("No statement has been published yet.")
    return current


@public_bp.route("/")
def public_statement():
    """The resident-friendly statement page (current published version only)."""
    return render_template(
        "partner_statements/public.html",
        statement=_published(),
        org_name=g.organisation.name,
        slug=g.organisation.slug,
        contact=settings_of(g.organisation),
    )


@public_bp.route("/leaflet")
def public_leaflet():
    """The same statement laid out to print as a two-sided leaflet."""
    return render_template(
        "partner_statements/leaflet.html",
        statement=_published(),
        org_name=g.organisation.name,
        contact=settings_of(g.organisation),
    )
