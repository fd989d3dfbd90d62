"""Web pages: the officer's screen (``/o/<slug>/plugins/partner_statements/``) and the residents'
pages (``/p/<slug>/partner_statements/``: the current published statement and a printable leaflet).

Staff pages read only; changes go through the API. On a group the staff page is the oversight
dashboard (``group.compare`` needed); on a partner it shows its statement, self-assessment and plans.
Public pages show only the current published statement and the involvement contact, nothing else.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from sqlalchemy import select

from core import plugin_kit
from core.errors import NotFound
from core.extensions import db
from core.lifecycle import permission, require
from core.periods import Period, PeriodError
from plugins.partner_statements.models import PartnerActionPlan, Statement
from plugins.partner_statements.services import oversight, plans, standard, statements
from plugins.partner_statements.services.common import actor_id, settings_of, standard_for

web_bp = Blueprint("plugin_partner_statements_web", __name__, template_folder="templates")
public_bp = Blueprint("plugin_partner_statements_public", __name__, template_folder="templates")


def _period() -> Period:
    try:
        period = Period.parse(request.args.get("period", ""))
        if not period.is_quarter:
            return period
    except PeriodError:
        pass
    return Period.financial_year_of(plugin_kit.today())


@web_bp.route("/")
@permission("records.read")  # a group's board also needs group.compare (checked below)
def index():
    organisation = g.organisation
    period = _period()
    if organisation.is_group:
        require("group.compare")
        board = oversight.dashboard(organisation, period, actor_id(), plugin_kit.today())
        return render_template(
            "partner_statements/group.html", organisation=organisation, board=board, period=period
        )
    require("records.read")
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
        versions=versions,
        assessment=assessment,
        plans=plan_rows,
        contact=settings_of(organisation),
    )


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
