"""Schemas of surveys, their questions and responses, a CSV import's counts and a survey's results.

A survey's questions are given in order as ``{code, text, scale}``; ``text`` may be left out for
the built-in TSM codes (``TP06``, ``OPPS``), whose wording the service fills in. A response's
``answers`` map question codes to values of the question's scale; the service checks them against
the survey, so the errors name ``answers.CODE``. ``response_count``, ``answers`` on output and the
results are computed by the service (in SQL) and hung on the records before they are dumped.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.models.surveys import AGREEMENT_VALUES, SATISFACTION_VALUES, SCALES, YES_NO_VALUES
from core.models.vocab import RESPONSE_CHANNELS
from core.schemas.common import (
    PageArgs,
    UtcDateTime,
    calendar_date,
    choice,
    list_schema,
    record_id,
    scalar_values,
)

QUESTION_CODE = validate.Regexp(
    r"^[A-Z0-9_]{1,30}$", error="Use 1–30 uppercase letters, digits or underscores (e.g. TP06)."
)
MAX_QUESTIONS = 200
# Longest free-text answer (the service says so in the words it refuses with).
MAX_TEXT_ANSWER = 5000
SCALE_HELP = (
    f"satisfaction: {', '.join(SATISFACTION_VALUES)}; agreement: {', '.join(AGREEMENT_VALUES)}; "
    f"yes_no: {', '.join(YES_NO_VALUES)}; text: free text (at most 5,000 characters)"
)


class SurveyQuestionSchema(Schema):
    code = fields.String(
        required=True,
        validate=[validate.Length(max=30), QUESTION_CODE],
        metadata={"description": "Unique in the survey; TP06 and OPPS are the built-in TSM questions"},
    )
    text = fields.String(
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Required, except for TP06 and OPPS (their standard wording is used)"},
    )
    scale = choice(SCALES, required=True)


class SurveySchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=20000))
    opens_on = calendar_date(allow_none=True, load_default=None)
    closes_on = calendar_date(
        allow_none=True, load_default=None, metadata={"description": "On or after opens_on"}
    )
    conducted_by = fields.String(
        load_default="landlord",
        validate=validate.Length(min=1, max=200),
        metadata={"description": '"landlord" (default) or the name of the survey supplier'},
    )
    questions = fields.List(
        fields.Nested(SurveyQuestionSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_QUESTIONS),
        metadata={"description": "In the order asked; cannot change once the survey has responses"},
    )
    response_count = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class SurveyUpdateSchema(SurveySchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True, validate=validate.Length(max=20000))
    opens_on = calendar_date(allow_none=True)
    closes_on = calendar_date(allow_none=True)
    conducted_by = fields.String(validate=validate.Length(min=1, max=200))
    questions = fields.List(
        fields.Nested(SurveyQuestionSchema),
        validate=validate.Length(min=1, max=MAX_QUESTIONS),
        metadata={"description": "Replaces every question; 409 once the survey has responses"},
    )


class SurveyArgs(PageArgs):
    question_code = fields.String(
        validate=[validate.Length(max=30), QUESTION_CODE],
        metadata={"description": "Only surveys asking this question, e.g. TP06"},
    )


class SurveyResponseSchema(Schema):
    id = fields.Integer(dump_only=True)
    survey_id = fields.Integer(dump_only=True)
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(max=30)),
        values=fields.Raw(allow_none=True),
        required=True,
        validate=[validate.Length(max=MAX_QUESTIONS), scalar_values(MAX_TEXT_ANSWER)],
        metadata={"description": f"Question code → value; null or blank leaves it unanswered. {SCALE_HELP}"},
    )
    participant_id = record_id(
        allow_none=True, load_default=None, metadata={"description": "Empty for an anonymous response"}
    )
    channel = choice(RESPONSE_CHANNELS, allow_none=True, load_default=None)
    responded_on = calendar_date(
        allow_none=True, load_default=None, metadata={"description": "Default today; not in the future"}
    )
    external_ref = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "The survey supplier's response id"}
    )
    created_at = UtcDateTime(dump_only=True)


class SurveyImportResultSchema(Schema):
    """What an all-or-nothing import did, matching rows on the supplier's ``response_id``."""

    created = fields.Integer()
    unchanged = fields.Integer()


class SurveyResultsArgs(Schema):
    period = fields.String(
        validate=validate.Length(max=20),
        metadata={"description": "Only responses dated in it: a financial year (2025-26) or quarter"},
    )


class QuestionResultSchema(Schema):
    code = fields.String()
    text = fields.String()
    scale = fields.String(metadata={"enum": list(SCALES)})
    answered = fields.Integer(metadata={"description": "Responses answering it (dont_know included)"})
    blank = fields.Integer(metadata={"description": "Responses leaving it unanswered"})
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Value → answers, every value of the scale (none for text)"},
    )
    satisfied_percent = fields.Float(
        allow_none=True,
        metadata={
            "description": "Satisfaction questions: (very + fairly satisfied) ÷ answers other than "
            "dont_know × 100, one decimal; null when there is nothing to measure"
        },
    )


class SurveyResultsSchema(Schema):
    survey_id = fields.Integer()
    period = fields.String(allow_none=True)
    responses = fields.Integer()
    questions = fields.List(fields.Nested(QuestionResultSchema))


SurveyListSchema = list_schema(SurveySchema, "SurveyList")
SurveyResponseListSchema = list_schema(SurveyResponseSchema, "SurveyResponseList")
