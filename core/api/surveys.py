"""``/surveys`` with their ``responses``, the CSV import of a survey supplier's responses and the
survey's ``results``: questions on a satisfaction, agreement, yes/no or free-text scale, answered
by a participant or anonymously. TP06 and OPPS are the built-in TSM questions the KPIs read.
Lists take a fixed number of statements per page; results are counted in SQL.
"""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.api.households import CSV_UPLOAD, NOT_CSV, uploaded_csv
from core.api.resources import org_blueprint
from core.errors import NotFound, ValidationFailed
from core.lifecycle import permission
from core.models.surveys import Survey, SurveyResponse
from core.periods import Period, PeriodError
from core.records import get_or_404, paginate, url_model
from core.schemas.common import PageArgs
from core.schemas.surveys import (
    SurveyArgs,
    SurveyImportResultSchema,
    SurveyListSchema,
    SurveyResponseListSchema,
    SurveyResponseSchema,
    SurveyResultsArgs,
    SurveyResultsSchema,
    SurveySchema,
    SurveyUpdateSchema,
)
from core.services import surveys as service

blp = org_blueprint(
    "surveys", "surveys", "Surveys: questions on scales, responses, supplier imports, results"
)
url_model("survey_id", Survey, "survey")
# "response_id" already names a consultation's response (one name, one kind of record).
url_model("survey_response_id", SurveyResponse, "survey response")

IMPORT_REFUSED = 'Nothing imported; `fields` names every bad cell ("row 3.TP06") or "header".'


def _described(survey: Survey) -> Survey:
    service.describe([survey])
    return survey


@blp.route("")
class Surveys(MethodView):
    @blp.arguments(SurveyArgs, location="query")
    @blp.response(200, SurveyListSchema)
    @permission("records.read")
    def get(self, args):
        """Surveys, newest first, with their questions; ``question_code`` keeps those asking it."""
        query = select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc())
        if "question_code" in args:
            query = query.where(service.asking(args["question_code"]))
        page = paginate(query, args)
        service.describe(page["items"])
        return page

    @blp.arguments(SurveySchema)
    @blp.response(201, SurveySchema)
    @permission("records.write")
    def post(self, body):
        """Create a survey with its questions (TP06 and OPPS take their standard wording if none)."""
        return service.create_survey(body)


@blp.route("/<int:survey_id>")
class SurveyDetail(MethodView):
    @blp.response(200, SurveySchema)
    @permission("records.read")
    def get(self, survey_id):
        """One survey, with its questions in order and its response count."""
        return _described(get_or_404(Survey, survey_id))

    @blp.arguments(SurveyUpdateSchema)
    @blp.response(200, SurveySchema)
    @blp.alt_response(409, description="The survey has responses: its questions are fixed")
    @permission("records.write")
    def patch(self, changes, survey_id):
        """Change a survey; ``questions`` replaces them all until the first response arrives."""
        return service.update_survey(get_or_404(Survey, survey_id), changes)

    @blp.response(204)
    @blp.alt_response(409, description="The survey has responses")
    @permission("records.write")
    def delete(self, survey_id):
        """Delete a survey nobody has answered."""
        service.delete_survey(get_or_404(Survey, survey_id))


@blp.route("/<int:survey_id>/responses")
class Responses(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SurveyResponseListSchema)
    @permission("records.read")
    def get(self, args, survey_id):
        """Responses to a survey with their answers, oldest first."""
        survey = get_or_404(Survey, survey_id)
        query = (
            select(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.responded_on, SurveyResponse.id)
        )
        page = paginate(query, args)
        service.attach_answers(page["items"])
        return page

    @blp.arguments(SurveyResponseSchema)
    @blp.response(201, SurveyResponseSchema)
    @permission("records.write")
    def post(self, body, survey_id):
        """Record a response: ``answers`` maps question codes to values of their scales."""
        return service.record_response(get_or_404(Survey, survey_id), body, plugin_kit.today())


@blp.route("/<int:survey_id>/responses/import")
class ResponseImport(MethodView):
    @blp.doc(requestBody=CSV_UPLOAD)
    @blp.response(200, SurveyImportResultSchema)
    @blp.alt_response(422, description=IMPORT_REFUSED)
    @blp.alt_response(415, description=NOT_CSV)
    @permission("records.write")
    def post(self, survey_id):
        """Import a survey supplier's responses from a CSV file.

        Columns: response_id (the supplier's id, required), responded_on (YYYY-MM-DD or
        DD/MM/YYYY, required), participant (a participant's reference), channel, and one column
        per question headed by its code (any case) holding the scale's values or the supplier's
        wording ("Very satisfied", "Neither satisfied nor dissatisfied", "Don't know", "Yes").
        A response_id the survey already holds is left alone, so the same file imported twice
        changes nothing. All or nothing: any problem answers 422 whose ``fields`` name every bad
        cell as ``"row N.column"`` (the header is row 1) or ``"header"``; nothing is written."""
        survey = get_or_404(Survey, survey_id)
        return service.import_responses(survey, uploaded_csv())


def _response_of(survey_id: int, survey_response_id: int) -> SurveyResponse:
    survey = get_or_404(Survey, survey_id)
    response = get_or_404(SurveyResponse, survey_response_id, "survey response")
    if response.survey_id != survey.id:
        raise NotFound("No such survey response.")
    return response


@blp.route("/<int:survey_id>/responses/<int:survey_response_id>")
class ResponseDetail(MethodView):
    @blp.response(200, SurveyResponseSchema)
    @permission("records.read")
    def get(self, survey_id, survey_response_id):
        """One response with its answers."""
        response = _response_of(survey_id, survey_response_id)
        service.attach_answers([response])
        return response

    @blp.response(204)
    @permission("records.write")
    def delete(self, survey_id, survey_response_id):
        """Delete a response recorded in error."""
        service.delete_response(_response_of(survey_id, survey_response_id))


@blp.route("/<int:survey_id>/results")
class Results(MethodView):
    @blp.arguments(SurveyResultsArgs, location="query")
    @blp.response(200, SurveyResultsSchema)
    @permission("records.read")
    def get(self, args, survey_id):
        """Answers per question counted per value, with the percentage satisfied (TSM rule:
        very + fairly satisfied ÷ answers other than dont_know); ``period`` limits the dates."""
        survey = get_or_404(Survey, survey_id)
        period = None
        if "period" in args:
            try:
                period = Period.parse(args["period"])
            except PeriodError as exc:
                raise ValidationFailed({"period": [str(exc)]}) from None
        return service.results(survey, period)
