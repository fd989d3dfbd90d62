"""``/comparison``: a group's partners side by side on the same KPIs (``?period=2025-26``).

Only for groups (any other organisation: 404) and only for the group's staff; a partner's staff are
not members of the group, so the route is 404 to them as well. Figures are aggregates read through
audited read scopes, with small numbers suppressed (``core.services.comparison``).

``/partners/<partner>/impact-assessments/<period>``: the group's staff read one partner's impact
assessment (JSON, the HTML page with ``Accept: text/html``, or ``.pdf``/``.csv``/``.xlsx``),
through the same audited read scope. Another group's partner, or any organisation that is not a
partner of this group, is 404.
"""

from __future__ import annotations

from flask import Response, g, render_template, request, url_for
from flask.views import MethodView
from flask_login import current_user

from core.api.impact_assessments import download, split_format, wants_html
from core.api.resources import org_blueprint
from core.errors import NotFound
from core.lifecycle import permission, require
from core.periods import Period
from core.schemas.kpis import ComparisonRefreshSchema, ComparisonSchema, KpiArgs, PeriodArgs
from core.services import impact_assessments
from core.services.comparison import compare, partner_assessment, refresh

blp = org_blueprint("comparison", "comparison", "Group comparison: partners side by side on the same KPIs")
partners_blp = org_blueprint(
    "partner_assessments", "partners", "A group reading its partners' impact assessments (audited)"
)


def group_comparison(period_label: str, stored: bool = False) -> dict:
    if not g.organisation.is_group:
        raise NotFound("Only a group has partners to compare.")
    require("group.compare")
    user = g.get("api_user") or current_user
    return compare(g.organisation, Period.parse(period_label), actor_id=user.id, stored=stored)


def read_partner_assessment(partner_slug: str, period_label: str) -> dict:
    """Access first (404 unless a group, 403 without ``group.compare``), then the year (422)."""
    if not g.organisation.is_group:
        raise NotFound("Only a group has partners.")
    require("group.compare")
    year = impact_assessments.financial_year(period_label)
    user = g.get("api_user") or current_user
    return partner_assessment(g.organisation, partner_slug, year, actor_id=user.id)


@blp.route("")
class Comparison(MethodView):
    @blp.arguments(KpiArgs, location="query")
    @blp.response(200, ComparisonSchema)
    @permission("group.compare")
    def get(self, args):
        """Every partner's KPIs for a period, with rank, target met or missed, group totals and
        medians, and each partner's impact assessment status for the year (with where to read it).

        Computed now by default; ``stored=true`` reads each partner's stored KPI snapshot instead,
        with each partner's ``as_of`` (a partner with none stored has no figures and says why)."""
        result = group_comparison(args["period"], args["stored"])
        for partner in result["partners"]:
            partner["assessment"]["url"] = url_for(
                "partner_assessments.PartnerAssessment",
                slug=g.organisation.slug,
                partner=partner["slug"],
                period=partner["assessment"]["period"],
            )
        return result


@blp.route("/refresh")
class ComparisonRefresh(MethodView):
    @blp.arguments(PeriodArgs)
    @blp.response(202, ComparisonRefreshSchema)
    @permission("group.compare")
    def post(self, args):
        """Compute and store every partner's KPIs for the period again in the background (each
        partner's ``kpis.snapshot`` job); read them with ``?stored=true`` once they have run."""
        if not g.organisation.is_group:
            raise NotFound("Only a group has partners to compare.")
        period = Period.parse(args["period"])
        queued = refresh(g.organisation, period)
        return {"job": "kpis.snapshot", "period": period.label, "status": "queued", "partners": queued}


@partners_blp.route("/<partner>/impact-assessments/<period>")
class PartnerAssessment(MethodView):
    @partners_blp.response(
        200, description="The partner's assessment document (JSON), its HTML page, or a .pdf/.csv/.xlsx file"
    )
    @permission("group.compare")
    def get(self, partner, period):
        """A partner's impact assessment for a year, read by the group's staff: aggregates only,
        every read audited; the published copy, or the partner's draft as it stands."""
        label, suffix = split_format(period)
        document = read_partner_assessment(partner, label)
        if suffix is not None:
            return download(document, suffix, request.args.get("table"))
        if wants_html():
            page = render_template("reports/assessment_document.html", document=document)
            return Response(page, mimetype="text/html")
        return document
