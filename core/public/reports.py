"""Published impact assessments for residents: the list, each one's page (a residents' summary
first, then every section's figures with charts backed by tables) and its PDF. Only published
assessments exist here; a draft or unknown year is 404. The figures are the published snapshot, with
small numbers already suppressed exactly as on the staff page."""

from __future__ import annotations

from flask import g, render_template

from core.errors import NotFound, ValidationFailed
from core.public import public
from core.services import impact_assessments as assessments
from core.services import public_site


@public.route("/reports")
def reports():
    return render_template("public/reports.html", assessments=public_site.published_assessments())


def _published(period: str) -> dict:
    try:
        year = assessments.financial_year(period)
    except ValidationFailed:
        raise NotFound("No such report.") from None
    found = assessments.find(year)
    if found is None or not found.is_published:
        raise NotFound("No such report.")
    return assessments.document(g.organisation, year)


@public.route("/reports/<period>")
def report(period):
    label, dot, suffix = period.partition(".")
    if dot:
        if suffix != "pdf":
            raise NotFound("No such document.")
        return report_pdf(label)
    document = _published(period)
    easy_read = assessments.find(assessments.financial_year(period))
    return render_template("public/report.html", document=document, easy_read=easy_read)


@public.route("/reports/<period>.pdf")
def report_pdf(period):
    from core.reports.downloads import download

    return download(_published(period), "pdf")
