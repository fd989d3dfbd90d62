"""``/impact-assessments``: the yearly impact assessment, its narrative, publishing and documents.

``GET /impact-assessments/2025-26`` is the assessment as JSON: the published copy once published,
otherwise a draft assembled from the records now. The same URL with ``Accept: text/html`` is the
accessible page, and ``2025-26.pdf``, ``2025-26.csv`` (``?table=<key>`` for one table) and
``2025-26.xlsx`` are the documents. Staff write a narrative per section; publishing freezes it.

``?stored=true`` (JSON, page and documents alike) serves the copy the ``impact_assessments.store``
job built, with ``as_of``, instead of assembling the draft now; ``POST …/<period>/refresh`` queues
that job (202).
"""

from __future__ import annotations

from flask import Response, g, render_template, request
from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.reports.downloads import download, split_format
from core.schemas.reports import EasyReadSchema
from core.services import impact_assessments as assessments

blp = org_blueprint(
    "impact_assessments",
    "impact-assessments",
    "Impact assessments: the yearly report, narrative and publishing",
)


class AssessmentSummarySchema(Schema):
    period = fields.String()
    title = fields.String()
    status = fields.String(metadata={"description": "draft or published"})
    published_at = fields.DateTime(allow_none=True)
    easy_read_url = fields.String(
        allow_none=True, metadata={"description": "The landlord's easy-read version"}
    )
    easy_read_description = fields.String(allow_none=True)


class AssessmentListSchema(Schema):
    items = fields.List(fields.Nested(AssessmentSummarySchema))


class DocumentArgs(Schema):
    table = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "With the .csv document: only this table (its key)."},
    )
    stored = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Serve the copy built by the impact_assessments.store job (with as_of) instead "
            "of assembling the draft now; 404 when none is stored yet. A published assessment is its "
            "published copy either way."
        },
    )


class PeriodRefreshSchema(Schema):
    job = fields.String()
    period = fields.String()
    status = fields.String(metadata={"description": '"queued": the worker builds and stores the assessment'})


class NarrativeSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(max=assessments.NARRATIVE_LIMIT))


class NarrativeOutSchema(Schema):
    section_key = fields.String()
    text = fields.String()
    updated_at = fields.DateTime()


def _user_id() -> int | None:
    user = g.get("api_user") or current_user
    return getattr(user, "id", None)


def wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "text/html"
        and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]
    )


@blp.route("")
class Assessments(MethodView):
    @blp.response(200, AssessmentListSchema)
    @permission("records.read")
    def get(self):
        """The organisation's impact assessments (drafts started and published ones), newest first."""
        return {"items": assessments.listing()}


@blp.route("/<period>")
class Assessment(MethodView):
    @blp.arguments(DocumentArgs, location="query")
    @blp.response(200, description="The assessment document (JSON), its HTML page, or a .pdf/.csv/.xlsx file")
    @permission("records.read")
    def get(self, args, period):
        """One year's assessment: the published copy, or a draft assembled from the records now
        (``stored=true``: the draft as the store job last built it, with ``as_of``)."""
        label, suffix = split_format(period)
        year = assessments.financial_year(label)
        printed = None
        if args["stored"] and suffix == "pdf":
            document, printed = assessments.stored_pdf(g.organisation, year)
        elif args["stored"]:
            document = assessments.stored_document(g.organisation, year)
        else:
            document = assessments.document(g.organisation, year)
        if suffix is not None:
            return download(document, suffix, args.get("table"), printed)
        if wants_html():
            page = render_template("reports/assessment_document.html", document=document)
            return Response(page, mimetype="text/html")
        return document


@blp.route("/<period>/refresh")
class Refresh(MethodView):
    @blp.response(202, PeriodRefreshSchema)
    @permission("reports.write")
    def post(self, period):
        """Build and store the year's assessment again in the background (the
        ``impact_assessments.store`` job); read it with ``?stored=true`` once it has run."""
        year = assessments.financial_year(period)
        job = assessments.refresh(g.organisation, year)
        return {"job": job, "period": year.label, "status": "queued"}


@blp.route("/<period>/narratives/<section_key>")
class Narrative(MethodView):
    @blp.arguments(NarrativeSchema)
    @blp.response(200, NarrativeOutSchema)
    @permission("reports.write")
    def put(self, body, period, section_key):
        """Write (or replace) the narrative of one section; refused once the assessment is published."""
        year = assessments.financial_year(period)
        return assessments.set_narrative(g.organisation, year, section_key, body["text"], _user_id())


@blp.route("/<period>/publish")
class Publish(MethodView):
    @blp.response(200, description="The published assessment")
    @permission("reports.publish")
    def post(self, period):
        """Publish the year's assessment: its figures and narrative are frozen from now on."""
        year = assessments.financial_year(period)
        return assessments.publish(g.organisation, year, _user_id())


@blp.route("/<period>/easy-read")
class EasyRead(MethodView):
    @blp.arguments(EasyReadSchema)
    @blp.response(200, EasyReadSchema)
    @permission("reports.publish")
    def put(self, body, period):
        """Attach the landlord's easy-read version to a published assessment (a null link removes it).

        The residents' site shows it as an "Easy read version" link beside the report; 409 while the
        assessment is not published."""
        year = assessments.financial_year(period)
        return assessments.set_easy_read(year, body)
