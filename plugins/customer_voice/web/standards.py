"""The six-monthly standards report to Board, from draft to presented: start the report for the
last finished window, assess each consumer-standard expectation against the evidence counted from
the records, then present it (refused while any expectation is unassessed). The forms go through
the API's schemas (``CvStandardsReportInSchema``, ``CvAssessmentSchema``,
``CvStandardsReportUpdateSchema``) and ``services.standards``."""

from __future__ import annotations

from flask import abort, g, redirect, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.records import get_or_404
from core.web.fields import GovDateField
from core.web.forms import EmptyForm
from core.web.toolkit import form_payload, permission, render_page, save_form
from plugins.customer_voice.models import StandardsReport
from plugins.customer_voice.schemas import (
    CvAssessmentSchema,
    CvStandardsReportInSchema,
    CvStandardsReportUpdateSchema,
)
from plugins.customer_voice.services import standards
from plugins.customer_voice.vocab import EXPECTATION_CODES
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import AssessmentForm, label


class PresentForm(FlaskForm):
    presented_on = GovDateField("Presented to Board on")


def _report_url(report) -> str:
    return url_for("plugin_customer_voice_web.standards_report", cv_report_id=report.id)


@web_bp.route("/standards")
@permission("customer_voice.read")
def standards_reports():
    """Standards reports to Board and what is due."""
    reports = db.session.scalars(select(StandardsReport).order_by(StandardsReport.period_start.desc())).all()
    return render_page(
        "customer_voice/standards.html",
        EmptyForm(),
        organisation=g.organisation,
        reports=reports,
        due=standards.status(plugin_kit.today()),
    )


@web_bp.route("/standards/new", methods=["POST"])
@permission("customer_voice.write")
def standards_report_new():
    """Start the report for the last finished window (the API's default)."""
    form = EmptyForm()
    done = save_form(
        form,
        CvStandardsReportInSchema(),
        lambda values: standards.create_report(values["period_start"], plugin_kit.today()),
        payload=lambda _: {},
        success="Standards report started.",
        next_url=_report_url,
    )
    if done:
        return done
    reports = db.session.scalars(select(StandardsReport).order_by(StandardsReport.period_start.desc())).all()
    return render_page(
        "customer_voice/standards.html",
        form,
        organisation=g.organisation,
        reports=reports,
        due=standards.status(plugin_kit.today()),
    )


@web_bp.route("/standards/<int:cv_report_id>")
@permission("customer_voice.read")
def standards_report(cv_report_id: int):
    """One report: per expectation, the evidence counted from the records and the assessment."""
    report = standards.report_dict(get_or_404(StandardsReport, cv_report_id, "standards report"))
    return render_page("customer_voice/standards_report.html", report=report, label=label)


@web_bp.route("/standards/<int:cv_report_id>/assess/<expectation>", methods=["GET", "POST"])
@permission("customer_voice.write")
def standards_assess(cv_report_id: int, expectation: str):
    """Assess one expectation: met, partly met, not met or not applicable, with commentary."""
    record = get_or_404(StandardsReport, cv_report_id, "standards report")
    if expectation not in EXPECTATION_CODES:
        abort(404)
    if record.status == "presented":
        return redirect(_report_url(record), code=303)
    report = standards.report_dict(record)
    current = next(e for e in report["expectations"] if e["code"] == expectation)
    form = AssessmentForm(data={"rating": current["rating"], "commentary": current["commentary"]})
    done = save_form(
        form,
        CvAssessmentSchema(),
        lambda values: standards.update_report(record, {"assessments": {expectation: values}}),
        payload=form_payload,
        success=f"Assessment of “{current['label']}” saved.",
        next_url=_report_url(record),
    )
    return done or render_page(
        "customer_voice/standards_assess.html", form, report=report, expectation=current, label=label
    )


@web_bp.route("/standards/<int:cv_report_id>/present", methods=["GET", "POST"])
@permission("customer_voice.write")
def standards_present(cv_report_id: int):
    """Present the report to Board (once every expectation is assessed)."""
    record = get_or_404(StandardsReport, cv_report_id, "standards report")
    if record.status == "presented":
        return redirect(_report_url(record), code=303)
    form = PresentForm()
    done = save_form(
        form,
        CvStandardsReportUpdateSchema(),
        lambda values: standards.update_report(record, values),
        payload=lambda f: {**form_payload(f), "status": "presented"},
        success="The report is recorded as presented to Board.",
        next_url=_report_url(record),
    )
    return done or render_page(
        "customer_voice/standards_present.html", form, report=standards.report_dict(record)
    )
