"""Marshmallow schemas of the Customer Voice API: one per resource shape, plus list envelopes.

Checks that need only the submitted fields (vocabularies, lengths, a required reason) are made
here; rules needing the organisation's records or settings are in ``services``.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.models.vocab import (
    ACTIVITY_STATUSES,
    MEMBERSHIP_ROLES,
    RECOMMENDATION_RESPONSES,
    RECOMMENDATION_STATUSES,
)
from core.schemas.common import (
    PERIOD_TEXT,
    PageArgs,
    UtcDateTime,
    calendar_date,
    choice,
    list_schema,
    query_record_id,
    record_id,
)
from plugins.customer_voice.vocab import (
    ASSESSMENT_RATINGS,
    CHAIN_STATUSES,
    CHALLENGE_STATUSES,
    LISTENING_CHANNELS,
    REPORT_STATUSES,
    REVIEW_STATUSES,
    SCOPE_TYPES,
    SCORE_MAX,
    SCORE_MIN,
    SENTIMENTS,
)

CODE = [
    validate.Length(max=50),
    validate.Regexp(r"^[a-z][a-z0-9_]{0,49}$", error="Use a code: lower-case letters, digits and _."),
]


def text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def optional_text(**kwargs) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=10_000), **kwargs)


# -- forums ------------------------------------------------------------------------------------------


class CvForumSchema(Schema):
    id = fields.Integer(dump_only=True)
    slot = fields.Integer(dump_only=True)
    body_id = fields.Integer(dump_only=True)
    name = text(200)
    area_id = record_id(allow_none=True)
    area_name = fields.String(dump_only=True, allow_none=True)
    description = optional_text()
    current_members = fields.Integer(dump_only=True)


class CvForumUpdateSchema(Schema):
    name = text(200)
    area_id = record_id(allow_none=True)
    description = optional_text()


class CvForumMemberSchema(Schema):
    participant_id = record_id(required=True)
    role = choice(MEMBERSHIP_ROLES, load_default="member")
    starts_on = calendar_date(required=True)
    ends_on = calendar_date(allow_none=True, load_default=None)
    other_area_reason = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "Why a resident of another management area sits on this forum."},
    )


class CvForumMemberViewSchema(Schema):
    membership_id = fields.Integer()
    participant_id = fields.Integer(allow_none=True)
    name = fields.String(allow_none=True)
    role = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    other_area_reason = fields.String(allow_none=True)


class CvChallengeSchema(Schema):
    id = fields.Integer(dump_only=True)
    forum_id = fields.Integer(dump_only=True)
    service_area = fields.String(required=True, validate=CODE)
    title = text(300, required=True)
    detail = optional_text()
    raised_on = calendar_date(required=True)
    response_due_on = calendar_date(allow_none=True)
    response = optional_text()
    responded_on = calendar_date(allow_none=True)
    outcome = optional_text()
    status = choice(CHALLENGE_STATUSES, load_default="open")
    closed_on = calendar_date(allow_none=True)


class CvChallengeUpdateSchema(CvChallengeSchema):
    service_area = fields.String(validate=CODE)
    title = text(300)
    raised_on = calendar_date()
    status = choice(CHALLENGE_STATUSES)


class CvChallengeArgs(PageArgs):
    status = choice(CHALLENGE_STATUSES)


# -- feedback ----------------------------------------------------------------------------------------


class CvFeedbackSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(allow_none=True, validate=validate.Length(min=1, max=64))
    channel = choice(LISTENING_CHANNELS, required=True)
    received_on = calendar_date(required=True)
    service_area = fields.String(required=True, validate=CODE)
    area_id = record_id(allow_none=True)
    sentiment = choice(SENTIMENTS, required=True)
    summary = optional_text()


class CvFeedbackUpdateSchema(CvFeedbackSchema):
    channel = choice(LISTENING_CHANNELS)
    received_on = calendar_date()
    service_area = fields.String(validate=CODE)
    sentiment = choice(SENTIMENTS)


class CvFeedbackArgs(PageArgs):
    channel = choice(LISTENING_CHANNELS)
    sentiment = choice(SENTIMENTS)
    service_area = fields.String(validate=CODE)
    area_id = query_record_id()
    date_from = calendar_date()
    date_to = calendar_date()


class CvImportResultSchema(Schema):
    created = fields.Integer()


class CvPeriodArgs(Schema):
    period = fields.String(
        validate=PERIOD_TEXT,
        metadata={"description": "2025-26 or 2025-26-Q2; by default the quarter holding today."},
    )


class CvBreakdownRowSchema(Schema):
    value = fields.String()
    this_period = fields.Integer()
    previous_period = fields.Integer()
    change = fields.Integer()
    trend = fields.String()


class CvVoicePackSchema(Schema):
    forum_id = fields.Integer()
    forum_name = fields.String()
    area_id = fields.Integer(allow_none=True)
    period = fields.String()
    previous_period = fields.String()
    total = fields.Integer()
    previous_total = fields.Integer()
    net_sentiment = fields.Float(allow_none=True, metadata={"description": "% positive − % negative."})
    previous_net_sentiment = fields.Float(allow_none=True)
    by_channel = fields.List(fields.Nested(CvBreakdownRowSchema))
    by_service_area = fields.List(fields.Nested(CvBreakdownRowSchema))
    by_sentiment = fields.List(fields.Nested(CvBreakdownRowSchema))
    open_challenges = fields.List(fields.Dict())


# -- Information & Knowledge events, volunteering, Rate Your Estate -----------------------------------


class CvScheduleSchema(Schema):
    year = fields.String(
        required=True, validate=PERIOD_TEXT, metadata={"description": "Financial year, e.g. 2026-27."}
    )
    topics = fields.List(text(200), load_default=list)


class CvScheduleResultSchema(Schema):
    year = fields.String()
    interval_months = fields.Integer()
    events_in_year = fields.Integer()
    created = fields.Integer()


class CvEventSchema(Schema):
    id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(dump_only=True)
    topic = text(200, required=True)
    starts_at = UtcDateTime(required=True)
    status = choice(ACTIVITY_STATUSES, load_default="planned")
    schedule_year = fields.String(dump_only=True, allow_none=True)
    slot = fields.Integer(dump_only=True, allow_none=True)
    attended = fields.Integer(dump_only=True)


class CvEventUpdateSchema(CvEventSchema):
    topic = text(200)
    starts_at = UtcDateTime()
    status = choice(ACTIVITY_STATUSES)


class CvEventArgs(PageArgs):
    year = fields.String(validate=PERIOD_TEXT)


class CvSessionSchema(Schema):
    id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(dump_only=True)
    role = fields.String(required=True, validate=CODE)
    title = text(200, required=True)
    starts_at = UtcDateTime(required=True)
    status = choice(ACTIVITY_STATUSES, load_default="planned")
    area_id = record_id(allow_none=True, load_default=None)
    volunteers = fields.Integer(dump_only=True)
    hours = fields.Float(dump_only=True)


class CvRatingSchema(Schema):
    id = fields.Integer(dump_only=True)
    area_id = record_id(required=True)
    participant_id = record_id(allow_none=True, load_default=None)
    visited_on = calendar_date(required=True)
    comments = optional_text(load_default=None)
    scores = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=50)),
        values=fields.Integer(strict=True, validate=validate.Range(min=SCORE_MIN, max=SCORE_MAX)),
        required=True,
        metadata={"description": "criterion → score (1 poor … 5 excellent); every criterion is scored."},
    )
    average = fields.Float(dump_only=True, allow_none=True)


class CvRatingUpdateSchema(Schema):
    visited_on = calendar_date()
    comments = optional_text()


class CvRatingArgs(PageArgs):
    area_id = query_record_id()


class CvTrendArgs(Schema):
    area_id = query_record_id()
    date_from = calendar_date()
    date_to = calendar_date()


class CvTrendRowSchema(Schema):
    area_id = fields.Integer()
    area_name = fields.String()
    quarter = fields.String()
    criterion = fields.String()
    average = fields.Float()
    visits = fields.Integer()


class CvTrendListSchema(Schema):
    items = fields.List(fields.Nested(CvTrendRowSchema))


# -- CHAIN projects ----------------------------------------------------------------------------------


class CvProjectSchema(Schema):
    id = fields.Integer(dump_only=True)
    body_id = fields.Integer(
        dump_only=True, metadata={"description": "Add members at bodies/<body_id>/memberships."}
    )
    title = text(180, required=True)
    scope_type = choice(SCOPE_TYPES, required=True)
    scope = text(300, required=True)
    starts_on = calendar_date(required=True)
    planned_end_on = calendar_date(required=True)
    status = choice(CHAIN_STATUSES, load_default="active")
    completed_on = calendar_date(allow_none=True)
    summary = optional_text()
    overdue = fields.Boolean(dump_only=True)
    members = fields.Integer(dump_only=True)
    recommendations = fields.Integer(dump_only=True)
    improvements = fields.Integer(dump_only=True)


class CvProjectUpdateSchema(CvProjectSchema):
    title = text(180)
    scope_type = choice(SCOPE_TYPES)
    scope = text(300)
    starts_on = calendar_date()
    planned_end_on = calendar_date()
    status = choice(CHAIN_STATUSES)


class CvProjectArgs(PageArgs):
    status = choice(CHAIN_STATUSES)
    overdue = fields.Boolean()


class CvRecommendationInSchema(Schema):
    title = text(300, required=True)
    description = optional_text()
    made_on = calendar_date(allow_none=True)
    due_on = calendar_date(allow_none=True)


class CvRecommendationOutSchema(Schema):
    id = fields.Integer()
    review_id = fields.Integer()
    body_id = fields.Integer()
    title = fields.String()
    description = fields.String(allow_none=True)
    made_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True)
    response = fields.String(allow_none=True)
    response_reason = fields.String(allow_none=True)
    responded_on = fields.Date(allow_none=True)
    status = fields.String()
    implemented_on = fields.Date(allow_none=True)


class CvImprovementLinkSchema(Schema):
    improvement_id = record_id(required=True)


class CvImprovementLinkOutSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    improvement_id = fields.Integer()


# -- scrutiny reviews --------------------------------------------------------------------------------


class CvReviewSchema(Schema):
    id = fields.Integer(dump_only=True)
    topic = text(200, required=True)
    scope = text(10_000, required=True)
    service_area = fields.String(allow_none=True, validate=CODE)
    starts_on = calendar_date(required=True)
    report_due_on = calendar_date(allow_none=True)
    report_published_on = calendar_date(allow_none=True)
    report_summary = optional_text()
    status = choice(REVIEW_STATUSES, load_default="scoping")
    closed_on = calendar_date(allow_none=True)


class CvReviewUpdateSchema(CvReviewSchema):
    topic = text(200)
    scope = text(10_000)
    starts_on = calendar_date()
    status = choice(REVIEW_STATUSES)


class CvReviewArgs(PageArgs):
    status = choice(REVIEW_STATUSES)


class CvEvidenceSchema(Schema):
    id = fields.Integer(dump_only=True)
    review_id = fields.Integer(dump_only=True)
    service = text(200, required=True)
    request = text(10_000, required=True)
    requested_on = calendar_date(load_default=None)
    due_on = calendar_date(required=True)
    received_on = calendar_date(allow_none=True)
    notes = optional_text()
    overdue = fields.Boolean(dump_only=True)


class CvEvidenceUpdateSchema(CvEvidenceSchema):
    service = text(200)
    request = text(10_000)
    requested_on = calendar_date()
    due_on = calendar_date()


class CvResponseSchema(Schema):
    response = choice(RECOMMENDATION_RESPONSES, allow_none=True)
    response_reason = optional_text()
    responded_on = calendar_date(allow_none=True)
    due_on = calendar_date(allow_none=True)
    status = choice(RECOMMENDATION_STATUSES)
    implemented_on = calendar_date(allow_none=True)


# -- standards ---------------------------------------------------------------------------------------


class CvAssessmentSchema(Schema):
    rating = choice(ASSESSMENT_RATINGS, required=True)
    commentary = optional_text()


class CvStandardsReportInSchema(Schema):
    period_start = calendar_date(
        load_default=None,
        metadata={"description": "First day of the window; by default the last finished one."},
    )


class CvStandardsReportUpdateSchema(Schema):
    assessments = fields.Dict(
        keys=fields.String(validate=CODE),
        values=fields.Nested(CvAssessmentSchema),
        validate=validate.Length(max=100),
    )
    status = choice(REPORT_STATUSES)
    presented_on = calendar_date(allow_none=True)


class CvEvidenceItemSchema(Schema):
    kind = fields.String()
    label = fields.String()
    count = fields.Integer()


class CvExpectationSchema(Schema):
    code = fields.String()
    label = fields.String()
    evidence = fields.List(fields.Nested(CvEvidenceItemSchema))
    evidence_total = fields.Integer()
    rating = fields.String(allow_none=True)
    commentary = fields.String(allow_none=True)


class CvStandardsReportSchema(Schema):
    id = fields.Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    status = fields.String()
    presented_on = fields.Date(allow_none=True)
    expectations = fields.List(fields.Nested(CvExpectationSchema))
    assessed = fields.Integer()
    unassessed = fields.Integer()


class CvStandardsStatusSchema(Schema):
    approach_review_due_on = fields.Date(allow_none=True)
    approach_review_overdue = fields.Boolean()
    approach_review_reminder = fields.Boolean()
    last_approach_review = fields.String(allow_none=True)
    report_window_start = fields.Date()
    report_window_end = fields.Date()
    report_due = fields.Boolean()
    report_id = fields.Integer(allow_none=True)


CvForumListSchema = list_schema(CvForumSchema, "CustomerVoiceForumList")
CvForumMemberListSchema = list_schema(CvForumMemberViewSchema, "CustomerVoiceForumMemberList")
CvChallengeListSchema = list_schema(CvChallengeSchema, "CustomerVoiceChallengeList")
CvFeedbackListSchema = list_schema(CvFeedbackSchema, "CustomerVoiceFeedbackList")
CvEventListSchema = list_schema(CvEventSchema, "CustomerVoiceEventList")
CvSessionListSchema = list_schema(CvSessionSchema, "CustomerVoiceSessionList")
CvRatingListSchema = list_schema(CvRatingSchema, "CustomerVoiceRatingList")
CvProjectListSchema = list_schema(CvProjectSchema, "CustomerVoiceProjectList")
CvReviewListSchema = list_schema(CvReviewSchema, "CustomerVoiceReviewList")
CvEvidenceListSchema = list_schema(CvEvidenceSchema, "CustomerVoiceEvidenceList")
CvRecommendationListSchema = list_schema(CvRecommendationOutSchema, "CustomerVoiceRecommendationList")
CvStandardsReportListSchema = list_schema(CvStandardsReportSchema, "CustomerVoiceStandardsReportList")
