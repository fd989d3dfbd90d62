"""API shapes of the plugin's records. Field rules that need no database are checked here (422);
rules that count or compare records are the services' (409)."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from core.models.vocab import ACTION_STATUSES, CONTACT_CHANNELS
from core.periods import Period, PeriodError
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
from plugins.street_reps.schemas.compliance import SrComplianceSchema
from plugins.street_reps.schemas.settings import CONSULTATION_TOPICS, GRANT_TYPES
from plugins.street_reps.services.grants import GRANT_STATUSES
from plugins.street_reps.services.walkabouts import ISSUE_CATEGORIES

MAX_PENCE = 2**31 - 1
TEXT = validate.Length(min=1, max=10000)


def short_text(max_length=200, **kwargs):
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def pence(**kwargs):
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_PENCE), **kwargs)


def _period(text, quarter_allowed=True):
    try:
        period = Period.parse(text)
    except PeriodError as error:
        raise ValidationError(str(error)) from None
    if period.is_quarter and not quarter_allowed:
        raise ValidationError("Give a financial year, like 2025-26.")


class YearField(fields.String):
    def __init__(self, **kwargs):
        kwargs.setdefault("validate", PERIOD_TEXT)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        _period(text, quarter_allowed=False)
        return text


class SrQuarterArgs(Schema):
    period = fields.String(required=True, validate=PERIOD_TEXT)

    @validates("period")
    def _quarter(self, value, **kwargs):
        _period(value)
        if not Period.parse(value).is_quarter:
            raise ValidationError("Give a quarter, like 2025-26-Q1.")


class SrYearArgs(Schema):
    period = YearField(required=True)


# -- representatives ------------------------------------------------------------------------


class SrRepSchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = record_id(required=True)
    name = fields.String(dump_only=True)
    patch_name = short_text(required=True)
    appointed_on = calendar_date(required=True)
    stood_down_on = calendar_date(allow_none=True, dump_only=True)
    notes = fields.String(allow_none=True, validate=TEXT)
    household_ids = fields.List(
        record_id(), load_only=True, load_default=list, validate=validate.Length(max=1000)
    )
    households = fields.Integer(dump_only=True)
    tenancy_holders = fields.Integer(dump_only=True)


class SrRepUpdateSchema(Schema):
    patch_name = short_text()
    notes = fields.String(allow_none=True, validate=TEXT)
    stood_down_on = calendar_date()


class SrRepArgs(PageArgs):
    current = fields.Boolean()


class SrHouseholdIdsSchema(Schema):
    household_ids = fields.List(record_id(), required=True, validate=validate.Length(min=1, max=1000))


class SrMoveSchema(Schema):
    to_rep_id = record_id(required=True)


class SrPatchHouseholdSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    address_lines = fields.List(fields.String())
    postcode = fields.String(allow_none=True)
    area_id = fields.Integer(allow_none=True)
    tenure = fields.String(allow_none=True)


class SrPatchSchema(Schema):
    rep = fields.Nested(SrRepSchema)
    households = fields.List(fields.Nested(SrPatchHouseholdSchema))


class SrAreaCoverageSchema(Schema):
    area_id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    parent_id = fields.Integer(allow_none=True)
    tenancy_households = fields.Integer()
    covered = fields.Integer()
    percent = fields.Float(allow_none=True)


class SrCoverageSchema(Schema):
    tenancy_households = fields.Integer()
    covered = fields.Integer()
    percent = fields.Float(allow_none=True)
    areas = fields.List(fields.Nested(SrAreaCoverageSchema))


class SrUncoveredStreetSchema(Schema):
    area_id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    within = fields.String(allow_none=True)
    tenancy_households = fields.Integer()
    uncovered = fields.Integer()


class SrUncoveredListSchema(Schema):
    items = fields.List(fields.Nested(SrUncoveredStreetSchema))
    total = fields.Integer()


class SrViewSchema(Schema):
    id = fields.Integer(dump_only=True)
    rep_id = fields.Integer(dump_only=True)
    topic = choice(CONSULTATION_TOPICS, required=True)
    summary = short_text(300, required=True)
    view = fields.String(required=True, validate=TEXT)
    submitted_on = calendar_date(required=True)
    answer_due_on = calendar_date(allow_none=True, dump_only=True)
    answer = fields.String(allow_none=True, dump_only=True)
    answered_on = calendar_date(allow_none=True, dump_only=True)
    status = fields.String(dump_only=True)
    overdue = fields.Boolean(dump_only=True)


class SrViewAnswerSchema(Schema):
    answer = fields.String(validate=TEXT)
    answered_on = calendar_date()
    status = choice(("closed",))


class SrViewArgs(PageArgs):
    status = choice(("submitted", "answered", "closed"))
    overdue = fields.Boolean()


# -- Customer Forum -------------------------------------------------------------------------


class SrBudgetSchema(Schema):
    id = fields.Integer(dump_only=True)
    period = YearField(required=True)
    amount_pence = pence(required=True)
    body_id = record_id(allow_none=True)
    notes = fields.String(allow_none=True, validate=TEXT)
    allocated_pence = fields.Integer(dump_only=True)
    remaining_pence = fields.Integer(dump_only=True)


class SrBudgetUpdateSchema(Schema):
    amount_pence = pence()
    body_id = record_id(allow_none=True)
    notes = fields.String(allow_none=True, validate=TEXT)


class SrAllocationSchema(Schema):
    id = fields.Integer(dump_only=True)
    budget_id = fields.Integer(dump_only=True)
    title = short_text(300, required=True)
    area_id = record_id(allow_none=True)
    amount_pence = pence(required=True)
    allocated_on = calendar_date(required=True)
    spend_id = fields.Integer(allow_none=True, dump_only=True)


class SrForumYearSchema(Schema):
    period = fields.String()
    forum_id = fields.Integer(allow_none=True)
    meetings_expected = fields.Integer()
    full_membership_meetings_expected = fields.Integer()
    full_membership_meetings_held = fields.Integer()
    meetings_held = fields.Integer()
    meetings_planned = fields.Integer()
    budget = fields.Nested(SrBudgetSchema, allow_none=True)


# -- Customer Panel -------------------------------------------------------------------------


class SrPanelMemberSchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = record_id(required=True)
    channel = choice(CONTACT_CHANNELS, required=True)
    joined_on = calendar_date(required=True)
    left_on = calendar_date(allow_none=True)


class SrPanelMemberUpdateSchema(Schema):
    channel = choice(CONTACT_CHANNELS)
    left_on = calendar_date(allow_none=True)


class SrChannelRateSchema(Schema):
    channel = fields.String()
    sent = fields.Integer()
    responded = fields.Integer()
    response_rate = fields.Float(allow_none=True)


class SrWaveSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = short_text(300, required=True)
    topic = choice(CONSULTATION_TOPICS, required=True)
    sent_on = calendar_date(required=True)
    closes_on = calendar_date(required=True)
    sent = fields.Integer(dump_only=True)
    responded = fields.Integer(dump_only=True)
    response_rate = fields.Float(dump_only=True, allow_none=True)
    channels = fields.List(fields.Nested(SrChannelRateSchema), dump_only=True)


class SrWaveResponseSchema(Schema):
    member_id = record_id(required=True)
    responded_on = calendar_date(required=True)
    comment = fields.String(allow_none=True, validate=TEXT)


# -- walkabouts and neighbourhood plans ----------------------------------------------------


class SrWalkaboutSchema(Schema):
    id = fields.Integer(dump_only=True)
    area_id = record_id(required=True)
    title = short_text(required=True)
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(allow_none=True)
    meeting_point = short_text(300, required=True)
    agencies = fields.List(short_text(), load_default=list, validate=validate.Length(max=30))
    status = choice(("planned", "held", "cancelled"), load_default="planned")
    published = fields.Boolean(load_default=False)
    agreed_with_residents_on = calendar_date(allow_none=True)
    outcome_summary = fields.String(allow_none=True, validate=TEXT)
    outcome_published_on = calendar_date(allow_none=True)


class SrWalkaboutUpdateSchema(Schema):
    title = short_text()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime(allow_none=True)
    meeting_point = short_text(300)
    agencies = fields.List(short_text(), validate=validate.Length(max=30))
    status = choice(("planned", "held", "cancelled"))
    published = fields.Boolean()
    agreed_with_residents_on = calendar_date(allow_none=True)
    outcome_summary = fields.String(allow_none=True, validate=TEXT)
    outcome_published_on = calendar_date(allow_none=True)


class SrWalkaboutArgs(PageArgs):
    area_id = query_record_id()
    status = choice(("planned", "held", "cancelled"))


class SrActionSchema(Schema):
    id = fields.Integer(dump_only=True)
    plan_id = fields.Integer(dump_only=True)
    title = short_text(300, required=True)
    owner = short_text(required=True)
    due_on = calendar_date(required=True)
    status = choice(ACTION_STATUSES, dump_only=True)
    progress = fields.String(allow_none=True, dump_only=True)
    outcome = fields.String(allow_none=True, dump_only=True)
    completed_on = calendar_date(allow_none=True, dump_only=True)


class SrIssueActionSchema(SrActionSchema):
    """An issue's action as answered: the action plan item may have been written without an owner."""

    owner = fields.String(allow_none=True, dump_only=True)


class SrActionUpdateSchema(Schema):
    owner = short_text()
    due_on = calendar_date()
    status = choice(ACTION_STATUSES)
    progress = fields.String(allow_none=True, validate=TEXT)
    outcome = fields.String(allow_none=True, validate=TEXT)
    completed_on = calendar_date(allow_none=True)


class SrIssueSchema(Schema):
    id = fields.Integer(dump_only=True)
    walkabout_id = fields.Integer(dump_only=True)
    location = short_text(300, required=True)
    category = choice(ISSUE_CATEGORIES, required=True)
    description = fields.String(required=True, validate=TEXT)
    action = fields.Nested(SrIssueActionSchema, dump_only=True, allow_none=True)


class SrPlanItemSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    owner = fields.String(allow_none=True)
    due_on = fields.Date()
    status = fields.String()
    completed_on = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    from_walkabout = fields.Boolean()


class SrNeighbourhoodPlanSchema(Schema):
    id = fields.Integer(dump_only=True)
    area_id = record_id(required=True)
    area_name = fields.String(dump_only=True)
    period = YearField(required=True)
    plan_id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    local_priorities = fields.List(short_text(300), load_default=list, validate=validate.Length(max=50))
    items = fields.List(fields.Nested(SrPlanItemSchema), dump_only=True)


class SrNeighbourhoodPlanUpdateSchema(Schema):
    local_priorities = fields.List(short_text(300), required=True, validate=validate.Length(max=50))


# -- grants -------------------------------------------------------------------------------


class SrGrantSchema(Schema):
    id = fields.Integer(dump_only=True)
    body_id = record_id(required=True)
    grant_type = choice(GRANT_TYPES, required=True)
    purpose = fields.String(required=True, validate=TEXT)
    requested_pence = pence(required=True)
    applied_on = calendar_date(required=True)
    status = choice(GRANT_STATUSES, dump_only=True)
    assessment = fields.String(allow_none=True, dump_only=True)
    assessed_on = calendar_date(allow_none=True, dump_only=True)
    awarded_pence = fields.Integer(allow_none=True, dump_only=True)
    awarded_on = calendar_date(allow_none=True, dump_only=True)
    paid_on = calendar_date(allow_none=True, dump_only=True)
    spend_id = fields.Integer(allow_none=True, dump_only=True)
    monitoring_due_on = calendar_date(allow_none=True, dump_only=True)
    monitoring_received_on = calendar_date(allow_none=True, dump_only=True)
    monitoring_notes = fields.String(allow_none=True, dump_only=True)


class SrGrantDecisionSchema(Schema):
    decision = choice(("award", "refuse"), required=True)
    assessment = fields.String(required=True, validate=TEXT)
    awarded_pence = pence()
    decided_on = calendar_date()


class SrGrantPaymentSchema(Schema):
    paid_on = calendar_date(required=True)


class SrMonitoringReturnSchema(Schema):
    received_on = calendar_date(required=True)
    notes = fields.String(allow_none=True, validate=TEXT)


class SrGrantArgs(PageArgs):
    body_id = query_record_id()
    status = choice(GRANT_STATUSES)
    monitoring_overdue = fields.Boolean()


# -- inspectors ---------------------------------------------------------------------------


class SrInspectorSchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = record_id(required=True)
    joined_on = calendar_date(required=True)
    left_on = calendar_date(allow_none=True)
    courses = fields.Integer(dump_only=True)
    last_trained_on = calendar_date(dump_only=True, allow_none=True)


class SrTrainingSchema(Schema):
    id = fields.Integer(dump_only=True)
    inspector_id = fields.Integer(dump_only=True)
    course = short_text(required=True)
    completed_on = calendar_date(required=True)
    provider = short_text(allow_none=True)


class SrInspectionSchema(Schema):
    id = fields.Integer(dump_only=True)
    service = short_text(required=True)
    inspected_on = calendar_date(required=True)
    inspector_ids = fields.List(record_id(), required=True, validate=validate.Length(min=1, max=50))
    findings = fields.String(required=True, validate=TEXT)
    suggested_improvements = fields.String(allow_none=True, validate=TEXT)
    improvement_id = fields.Integer(allow_none=True, dump_only=True)


class SrAcceptSuggestionSchema(Schema):
    title = short_text(300, required=True)
    description = fields.String(allow_none=True, validate=TEXT)
    implemented_on = calendar_date(required=True)


# -- Trust membership --------------------------------------------------------------------


class SrTrustMemberSchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = record_id(required=True)
    joined_on = calendar_date(required=True)
    left_on = calendar_date(allow_none=True)


class SrInspectorLeavingSchema(Schema):
    left_on = calendar_date(required=True)


class SrTrustLeavingSchema(Schema):
    left_on = calendar_date(required=True)


class SrAttendanceSchema(Schema):
    activity_id = record_id(required=True)
    member_ids = fields.List(record_id(), required=True, validate=validate.Length(min=1, max=5000))


class SrAttendanceResultSchema(Schema):
    activity_id = fields.Integer()
    attended = fields.Integer()


class SrVoteSchema(Schema):
    id = fields.Integer(dump_only=True)
    activity_id = record_id(required=True)
    candidate = short_text(required=True)
    votes_for = fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=1000000))
    votes_against = fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=1000000))
    abstentions = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=1000000))
    appointed = fields.Boolean(dump_only=True)


# -- quarterly PIs -------------------------------------------------------------------------


class SrBoardPiSchema(Schema):
    code = fields.String()
    title = fields.String()
    unit = fields.String()
    value = fields.Raw(allow_none=True)
    previous = fields.Raw(allow_none=True)
    target = fields.Raw(
        allow_none=True, metadata={"description": "What the rule asks for, where there is one"}
    )
    complies = fields.Boolean(allow_none=True)


class SrBoardPisSchema(Schema):
    period = fields.String()
    previous_period = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    pis = fields.List(fields.Nested(SrBoardPiSchema))
    details = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    compliance = fields.Nested(SrComplianceSchema)


SrRepListSchema = list_schema(SrRepSchema, "StreetRepsStreetRepList")
SrViewListSchema = list_schema(SrViewSchema, "StreetRepsStreetRepViewList")
SrAllocationListSchema = list_schema(SrAllocationSchema, "StreetRepsForumAllocationList")
SrBudgetListSchema = list_schema(SrBudgetSchema, "StreetRepsForumBudgetList")
SrPanelMemberListSchema = list_schema(SrPanelMemberSchema, "StreetRepsPanelMemberList")
SrWaveListSchema = list_schema(SrWaveSchema, "StreetRepsPanelWaveList")
SrWalkaboutListSchema = list_schema(SrWalkaboutSchema, "StreetRepsWalkaboutList")
SrIssueListSchema = list_schema(SrIssueSchema, "StreetRepsWalkaboutIssueList")
SrNeighbourhoodPlanListSchema = list_schema(SrNeighbourhoodPlanSchema, "StreetRepsNeighbourhoodPlanList")
SrGrantListSchema = list_schema(SrGrantSchema, "StreetRepsGrantList")
SrInspectorListSchema = list_schema(SrInspectorSchema, "StreetRepsInspectorList")
SrTrainingListSchema = list_schema(SrTrainingSchema, "StreetRepsInspectorTrainingList")
SrInspectionListSchema = list_schema(SrInspectionSchema, "StreetRepsInspectionList")
SrTrustMemberListSchema = list_schema(SrTrustMemberSchema, "StreetRepsTrustMemberList")
SrVoteListSchema = list_schema(SrVoteSchema, "StreetRepsAgmVoteList")
