"""Six-monthly standards reports to Board and what is due (report, approach review)."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.lifecycle import permission
from core.records import get_or_404
from core.schemas.common import PageArgs
from plugins.customer_voice.api.blueprint import blp, page_of
from plugins.customer_voice.models import StandardsReport
from plugins.customer_voice.schemas import (
    CvStandardsReportInSchema,
    CvStandardsReportListSchema,
    CvStandardsReportSchema,
    CvStandardsReportUpdateSchema,
    CvStandardsStatusSchema,
)
from plugins.customer_voice.services import standards


@blp.route("/standards/status")
class StandardsStatus(MethodView):
    @blp.response(200, CvStandardsStatusSchema)
    @permission("customer_voice.read")
    def get(self):
        """When the next standards report and the customers' review of the approach are due."""
        return standards.status(plugin_kit.today())


@blp.route("/standards-reports")
class StandardsReports(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CvStandardsReportListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """Standards reports, newest window first, with the evidence gathered for each expectation."""
        page = page_of(select(StandardsReport).order_by(StandardsReport.period_start.desc()), args)
        page["items"] = [standards.report_dict(report) for report in page["items"]]
        return page

    @blp.arguments(CvStandardsReportInSchema)
    @blp.response(201, CvStandardsReportSchema)
    @blp.alt_response(409, description="The window already has a report")
    @permission("customer_voice.write")
    def post(self, values):
        """Start the report for a window (by default the last finished one)."""
        return standards.report_dict(standards.create_report(values["period_start"], plugin_kit.today()))


@blp.route("/standards-reports/<int:cv_report_id>")
class StandardsReportDetail(MethodView):
    @blp.response(200, CvStandardsReportSchema)
    @permission("customer_voice.read")
    def get(self, cv_report_id):
        """One report: per expectation, the evidence counted from the records and the assessment."""
        return standards.report_dict(get_or_404(StandardsReport, cv_report_id, "standards report"))

    @blp.arguments(CvStandardsReportUpdateSchema)
    @blp.response(200, CvStandardsReportSchema)
    @blp.alt_response(409, description="Presented with expectations unassessed, or changed after presenting")
    @permission("customer_voice.write")
    def patch(self, changes, cv_report_id):
        """Record assessments ``{code: {rating, commentary}}``; present it once all are assessed."""
        report = get_or_404(StandardsReport, cv_report_id, "standards report")
        return standards.report_dict(standards.update_report(report, changes))
