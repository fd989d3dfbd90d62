"""Web pages for impact assessments and the group comparison (routes on ``org_web``).

The pages read the same services as the API (``core.services.impact_assessments`` and
``core.services.comparison``), so a page, its downloads and the JSON always agree.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Optional

from core import plugin_kit
from core.errors import Conflict, NotFound, ValidationFailed
from core.extensions import db
from core.lifecycle import permission, require
from core.periods import Period, PeriodError
from core.permissions import can
from core.plugin_kit import csv_response
from core.reports.downloads import download, split_format
from core.schemas.reports import EasyReadSchema
from core.services import comparison as comparing
from core.services import impact_assessments as assessments
from core.web.toolkit import render_page, save_form
from core.web.views import _org_context, org_web

STATUS_TEXT = {"published": "Published", "draft": "Draft", "not_started": "Not started"}


def _recent_years(count: int = 3) -> list[Period]:
    """The current financial year and the ones before it."""
    year = Period.financial_year_of(plugin_kit.today())
    years = [year]
    for _ in range(count - 1):
        years.append(years[-1].previous())
    return years


def _year_or_404(label: str) -> Period:
    try:
        return assessments.financial_year(label)
    except ValidationFailed:
        raise NotFound("No such year.") from None


@org_web.route("/impact-assessments", endpoint="assessments")
@permission("records.read")
def assessments_list():
    started = {row["period"]: row for row in assessments.listing()}
    for year in _recent_years():
        started.setdefault(year.label, {"period": year.label, "status": "not_started", "published_at": None})
    rows = sorted(started.values(), key=lambda r: r["period"], reverse=True)
    for row in rows:
        row["status_text"] = STATUS_TEXT[row["status"]]
    return render_template("reports/assessments.html", rows=rows, **_org_context())


@org_web.route("/impact-assessments/<period>")
@permission("records.read")
def assessment(period):
    label, suffix = split_format(period)
    year = _year_or_404(label)
    stored = _stored()
    if suffix is not None:
        if stored:  # a stored document (and the PDF printed of it), or 404 when none is stored
            document, printed = assessments.stored_pdf(g.organisation, year)
            return download(document, suffix, request.args.get("table"), printed if suffix == "pdf" else None)
        return download(assessments.document(g.organisation, year), suffix, request.args.get("table"))
    document, stored_missing = None, False
    if stored:
        try:
            document = assessments.stored_document(g.organisation, year)
        except NotFound:
            stored_missing = True  # the page says so, and shows the figures worked out now
    if document is None:
        document = assessments.document(g.organisation, year)
    editable = document["status"] != "published"
    record = assessments.find(year)
    return render_template(
        "reports/assessment.html",
        document=document,
        easy_read=record if record is not None and record.is_published else None,
        can_attach=not editable and can(current_user, "reports.publish", g.organisation),
        can_write=editable and can(current_user, "reports.write", g.organisation),
        can_publish=editable and can(current_user, "reports.publish", g.organisation),
        publishable=plugin_kit.today() > year.end,
        stored=bool(document.get("stored")),
        stored_missing=stored_missing,
        stored_as_of=assessments.stored_as_of(year) if editable and not document.get("stored") else None,
        **_org_context(),
    )


@org_web.route("/impact-assessments/<period>/refresh", methods=["POST"])
@permission("reports.write")
def assessment_refresh(period):
    """Queue the job that builds and stores the year's assessment; back to the stored copy."""
    year = _year_or_404(period)
    assessments.refresh(g.organisation, year)
    flash(
        f"The {year.label} impact assessment is being worked out again. "
        "Reload this page in a few minutes to see the new figures.",
        "success",
    )
    return redirect(url_for("org_web.assessment", period=year.label, stored="true")), 303


@org_web.route("/impact-assessments/<period>.<fmt>")
@permission("records.read")
def assessment_file(period, fmt):
    return assessment(f"{period}.{fmt}")


@org_web.route("/impact-assessments/<period>/narratives/<section_key>", methods=["POST"])
@permission("reports.write")
def assessment_narrative(period, section_key):
    year = _year_or_404(period)
    try:
        assessments.set_narrative(
            g.organisation, year, section_key, request.form.get("text", ""), current_user.id
        )
    except (ValidationFailed, Conflict) as exc:
        db.session.rollback()
        flash(_message(exc), "error")
        return redirect(url_for("org_web.assessment", period=year.label)), 303
    flash("Narrative saved.", "success")
    return redirect(url_for("org_web.assessment", period=year.label, _anchor=f"section-{section_key}")), 303


@org_web.route("/impact-assessments/<period>/publish", methods=["POST"])
@permission("reports.publish")
def assessment_publish(period):
    year = _year_or_404(period)
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm you want to publish.", "error")
        return redirect(url_for("org_web.assessment", period=year.label, _anchor="publish-heading")), 303
    try:
        assessments.publish(g.organisation, year, current_user.id)
    except Conflict as exc:
        db.session.rollback()
        flash(_message(exc), "error")
        return redirect(url_for("org_web.assessment", period=year.label)), 303
    flash(f"The {year.label} impact assessment is published.", "success")
    return redirect(url_for("org_web.assessment", period=year.label)), 303


class EasyReadForm(FlaskForm):
    easy_read_url = StringField("Link to the easy read version", validators=[Optional()])
    easy_read_description = StringField("What the easy read version is (optional)", validators=[Optional()])


@org_web.route("/impact-assessments/<period>/easy-read", methods=["GET", "POST"])
@permission("reports.publish")
def assessment_easy_read(period):
    """Attach, change or remove the easy-read version of a published assessment."""
    year = _year_or_404(period)
    record = assessments.find(year)
    if record is None or not record.is_published:
        raise NotFound("This impact assessment is not published.")
    form = EasyReadForm(obj=record)
    back = url_for("org_web.assessment", period=year.label)

    def body(f: EasyReadForm) -> dict:
        return {
            "easy_read_url": (f.easy_read_url.data or "").strip() or None,
            "easy_read_description": (f.easy_read_description.data or "").strip() or None,
        }

    done = save_form(
        form,
        EasyReadSchema(),
        lambda values: assessments.set_easy_read(year, values),
        payload=body,
        success=lambda a: "Easy read version saved." if a.easy_read_url else "Easy read version removed.",
        next_url=url_for("org_web.assessment", period=year.label, _anchor="easy-read"),
    )
    return done or render_page("reports/easy_read.html", form, assessment=record, back=back)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationFailed):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.fields.items())
    return getattr(exc, "message", None) or str(exc)


# -- group comparison --------------------------------------------------------------------------------


def _comparison_period() -> Period:
    label = request.args.get("period") or Period.financial_year_of(plugin_kit.today()).previous().label
    try:
        return Period.parse(label)
    except PeriodError:
        raise NotFound("No such period.") from None


def _compare(period: Period, stored: bool = False) -> dict:
    if not g.organisation.is_group:
        raise NotFound("Only a group has partners to compare.")
    require("group.compare")
    return comparing.compare(g.organisation, period, actor_id=current_user.id, stored=stored)


def _stored() -> bool:
    return request.args.get("stored") == "true"


@org_web.route("/comparison")
@permission("group.compare")
def comparison():
    period = _comparison_period()
    stored = _stored()
    result = _compare(period, stored)
    years = _recent_years(4)
    choices = []
    for year in years:
        for option in (year, *[Period.parse(f"{year.label}-Q{n}") for n in range(1, 5)]):
            choices.append({"value": option.label, "text": option.label, "selected": option == period})
    if period.label not in {c["value"] for c in choices}:
        choices.insert(0, {"value": period.label, "text": period.label, "selected": True})
    return render_template(
        "reports/comparison.html",
        result=result,
        tables=comparing.comparison_tables(result),
        titles={k["code"]: k["title"] for k in result["kpis"]},
        assessment_year=Period.financial_year_of(period.start).label,
        period_choices=choices,
        stored=stored,
        **_org_context(),
    )


@org_web.route("/comparison/refresh", methods=["POST"])
@permission("group.compare")
def comparison_refresh():
    """Queue every partner's KPI snapshot job for the period; back to the stored figures."""
    if not g.organisation.is_group:
        raise NotFound("Only a group has partners to compare.")
    try:
        period = Period.parse(request.form.get("period", ""))
    except PeriodError:
        raise NotFound("No such period.") from None
    count = comparing.refresh(g.organisation, period)
    flash(
        f"The stored figures of {count} partners for {period.label} are being worked out again. "
        "Reload this page in a few minutes to see them.",
        "success",
    )
    return redirect(url_for("org_web.comparison", period=period.label, stored="true")), 303


@org_web.route("/comparison.csv")
@permission("group.compare")
def comparison_csv():
    """The comparison as a spreadsheet people read: headers and statuses in words, KPI titles
    rather than codes, ranks that say when they are shared."""
    period = _comparison_period()
    result = _compare(period, _stored())
    year = Period.financial_year_of(period.start).label
    kpis = result["kpis"]
    codes = [k["code"] for k in kpis]
    titles = {k["code"]: k["title"] for k in kpis}
    header = [
        "Partner",
        f"Impact assessment {year}",
        *(f"{titles[c]} ({UNIT_WORDS.get(k['unit'], k['unit'])})" for c, k in zip(codes, kpis, strict=True)),
        *(f"{titles[c]}: rank" for c in codes),
        "Targets missed",
    ]
    rows = []
    for partner in result["partners"]:
        cells = partner["kpis"]
        rows.append(
            [
                partner["name"],
                STATUS_TEXT[partner["assessment"]["status"]],
                *(
                    "not shown (small number)" if cells[c]["suppressed"] else _blank(cells[c]["value"])
                    for c in codes
                ),
                *(comparing.rank_text(cells[c]) for c in codes),
                "; ".join(titles[c] for c in partner["missed_targets"]),
            ]
        )
    rows.append(["Group total", "", *(_blank(result["totals"][c], "not added up") for c in codes)])
    rows.append(["Median partner", "", *(_blank(result["medians"][c]) for c in codes)])
    return csv_response(f"{g.organisation.slug}-comparison-{period.label}.csv", header, rows)


UNIT_WORDS = {"count": "number", "percent": "%", "pence": "pence", "hours": "hours", "points": "points"}


def _blank(value, empty: str = "no figure"):
    return empty if value is None else value


@org_web.route("/partners/<partner>/impact-assessments/<period>", endpoint="partner_assessment")
@permission("group.compare")
def partner_assessment_page(partner, period):
    """A partner's impact assessment, read by the group's staff from the comparison (audited)."""
    if not g.organisation.is_group:
        raise NotFound("Only a group has partners.")
    require("group.compare")
    year = _year_or_404(period)
    document = comparing.partner_assessment(g.organisation, partner, year, actor_id=current_user.id)
    return render_template(
        "reports/partner_assessment.html",
        document=document,
        comparison_period=year.label,
        **_org_context(),
    )
