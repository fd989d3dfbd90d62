"""``/kpis``: every KPI of the organisation for a period, with target, previous value and source.

``?period=2025-26`` (or a quarter) computes the figures now, in a fixed number of aggregate
statements whatever the size of the organisation; ``&stored=true`` reads what the quarterly
``kpis.snapshot`` job stored instead (an empty list with a note when nothing is stored yet), with
``as_of``, when the oldest of them was computed. ``POST /kpis/refresh`` asks the worker to compute
and store a period's figures again now (the same job), so a dashboard reads fresh stored figures
without computing them in a request.
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView

from core.api.resources import org_blueprint
from core.jobs import enqueue
from core.kpis.service import kpi_report, stored_report
from core.lifecycle import permission
from core.periods import Period
from core.schemas.kpis import KpiArgs, KpiRefreshSchema, KpiReportSchema, PeriodArgs

blp = org_blueprint("kpis", "kpis", "KPIs: computed from the records for a financial year or quarter")


@blp.route("")
class Kpis(MethodView):
    @blp.arguments(KpiArgs, location="query")
    @blp.response(200, KpiReportSchema)
    @permission("records.read")
    def get(self, args):
        """Every KPI available to the organisation (core and enabled plugins') for a period."""
        period = Period.parse(args["period"])
        if args["stored"]:
            return stored_report(g.organisation, period)
        return kpi_report(g.organisation, period)


@blp.route("/refresh")
class KpiRefresh(MethodView):
    @blp.arguments(PeriodArgs)
    @blp.response(202, KpiRefreshSchema)
    @permission("reports.write")
    def post(self, args):
        """Compute and store the period's KPIs again in the background (the ``kpis.snapshot`` job);
        read them with ``?stored=true`` once it has run."""
        period = Period.parse(args["period"])
        enqueue("kpis.snapshot", org_id=g.organisation.id, period=period.label)
        return {"job": "kpis.snapshot", "period": period.label, "status": "queued"}
