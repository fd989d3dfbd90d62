"""Marshmallow schemas: the plugin's settings (group and partner keys, all with defaults) and the API
shapes."""

from __future__ import annotations

from flask import current_app, has_app_context
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.periods import Period, PeriodError
from core.schemas.common import PERIOD_TEXT, calendar_date, choice, list_schema, record_id
from core.schemas.fields import UtcDateTime
from plugins.partner_statements.models import (
    NOMINATION_STATUSES,
    PLAN_STATUSES,
    RATINGS,
    REVIEW_OUTCOMES,
    STATEMENT_STATUSES,
    WEAKNESS_SOURCES,
)

# Seed section 11: the service standards, reworded, as the default Customer First Standard.
DEFAULT_COMMITMENTS = [
    {"ref": "11.1", "key": "how_to_get_involved", "title": "Clear information on how to get involved"},
    {
        "ref": "11.2",
        "key": "how_concerns_are_handled",
        "title": "Clear information on how concerns are dealt with",
    },
    {
        "ref": "11.3",
        "key": "training_and_support",
        "title": "Training and support for those who get involved",
    },
    {
        "ref": "11.4",
        "key": "feedback_within_three_months",
        "title": "Feedback on every consultation within three months",
    },
    {
        "ref": "11.5",
        "key": "different_ways_to_take_part",
        "title": "Different ways to take part for different people",
    },
    {
        "ref": "11.6",
        "key": "meaningful_opportunities",
        "title": "Meaningful opportunities that meet people's needs",
    },
    {"ref": "11.7", "key": "recognise_contributions", "title": "Formal recognition of contributions"},
]
DEFAULT_INDICATORS = {
    "training_and_support": ["training_sessions"],
    "feedback_within_three_months": ["feedback_on_time"],
    "meaningful_opportunities": ["satisfied_opportunities"],
}
# Seed 12.6: the involvement Local Performance Indicators, as core KPI codes.
DEFAULT_LPIS = [
    "involved_total",
    "involved_formal",
    "satisfied_opportunities",
    "training_sessions",
    "spend_per_household",
]
# A KPI code as the KPI registry names them.
KPI_CODE = validate.Length(max=60)
STATEMENT_FORMATS = ("web_page", "leaflet", "booklet", "large_print", "audio", "easy_read")
RASP_FIELDS = ("name", "partner")
CONSENT_METHODS = ("written", "online", "verbal", "phone")


def _default_commitments() -> list[dict]:
    return [{**c, "indicators": DEFAULT_INDICATORS.get(c["key"], [])} for c in DEFAULT_COMMITMENTS]


def known_kpi(code: str) -> bool:
    """A KPI code this instance knows (core or an installed plugin's)."""
    if has_app_context():
        known = set(current_app.extensions["involve"].kpis.kpis)
    else:
        from core.kpis.core_kpis import CORE_KPIS

        known = {kpi.code for kpi in CORE_KPIS}
    if code not in known:
        raise ValidationError(f"{code!r} is not a KPI code.")
    return True


class PsCommitmentSchema(Schema):
    ref = fields.String(required=True, validate=validate.Length(min=1, max=20))
    key = fields.String(
        required=True, validate=[validate.Length(max=60), validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$")]
    )
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    indicators = fields.List(
        fields.String(validate=[KPI_CODE, known_kpi]), load_default=list, validate=validate.Length(max=50)
    )


class PartnerStatementsSettings(Schema):
    """One schema for the group and its partners; every key has a default so ``{}`` loads."""

    # -- group keys --------------------------------------------------------------------------
    group_lead_role = fields.String(
        load_default="Head of Sustainable Communities", validate=validate.Length(min=1, max=200)
    )
    resident_board_member_threshold_homes = fields.Integer(load_default=250, validate=validate.Range(min=1))
    resident_board_members_required = fields.Integer(load_default=1, validate=validate.Range(min=1, max=50))
    feedback_deadline_months = fields.Integer(load_default=3, validate=validate.Range(min=1, max=24))
    # Months between a partner's Customer First self-assessments and between its published impact
    # assessments: the daily job reminds the partner's administrators when one falls due.
    standard_assessment_interval_months = fields.Integer(
        load_default=12, validate=validate.Range(min=1, max=36)
    )
    impact_assessment_interval_months = fields.Integer(
        load_default=12, validate=validate.Range(min=1, max=36)
    )
    action_plan_must_address_weaknesses = fields.Boolean(load_default=True)
    statement_formats = fields.List(
        fields.String(validate=validate.OneOf(STATEMENT_FORMATS)),
        load_default=lambda: ["web_page", "leaflet"],
        validate=validate.Length(min=1),
    )
    rasp_name = fields.String(
        load_default="Resident and Service User Panel (RASP)", validate=validate.Length(min=1, max=200)
    )
    rasp_shared_fields = fields.List(
        fields.String(validate=validate.OneOf(RASP_FIELDS)), load_default=lambda: list(RASP_FIELDS)
    )
    rasp_requires_consent = fields.Boolean(load_default=True)
    policy_forum_name = fields.String(
        load_default="Group Policy Forum", validate=validate.Length(min=1, max=200)
    )
    lpis = fields.List(
        fields.String(validate=[KPI_CODE, known_kpi]),
        load_default=lambda: list(DEFAULT_LPIS),
        validate=validate.Length(max=100),
    )
    customer_first_commitments = fields.List(
        fields.Nested(PsCommitmentSchema), load_default=_default_commitments, validate=validate.Length(min=1)
    )
    # -- partner keys ------------------------------------------------------------------------
    involvement_contact_role = fields.String(
        load_default="Resident Involvement Officer", validate=validate.Length(min=1, max=200)
    )
    involvement_contact_phone = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=40)
    )
    involvement_contact_email = fields.Email(
        load_default=None, allow_none=True, validate=validate.Length(max=254)
    )
    local_resident_forum = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=200)
    )
    supported_housing_qaf = fields.Boolean(load_default=False)

    @validates_schema
    def _commitment_keys_unique(self, data, **kwargs):
        keys = [c["key"] for c in data.get("customer_first_commitments") or []]
        refs = [c["ref"] for c in data.get("customer_first_commitments") or []]
        if len(set(keys)) != len(keys) or len(set(refs)) != len(refs):
            raise ValidationError("Each commitment needs its own key and ref.", "customer_first_commitments")
        if data.get("rasp_requires_consent") is False:
            raise ValidationError(
                "Nominees' names reach the group only with their recorded consent.", "rasp_requires_consent"
            )
        if "name" not in (data.get("rasp_shared_fields") or []):
            raise ValidationError("The panel needs at least the nominee's name.", "rasp_shared_fields")


def financial_year(value: str) -> str:
    try:
        period = Period.parse(value)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None
    if period.is_quarter:
        raise ValidationError("Use a financial year such as 2025-26.")
    return value


def year_field(**kwargs) -> fields.String:
    return fields.String(validate=[PERIOD_TEXT, financial_year], metadata={"example": "2025-26"}, **kwargs)


# -- statements ---------------------------------------------------------------------------------


class PsStatementSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)
    status = choice(STATEMENT_STATUSES, dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    introduction = fields.String(load_default="", validate=validate.Length(max=5000))
    encouraging_involvement = fields.String(load_default="", validate=validate.Length(max=20000))
    using_feedback = fields.String(load_default="", validate=validate.Length(max=20000))
    ways_to_get_involved = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        load_default=list,
        validate=validate.Length(max=30),
    )
    change_summary = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    copy_current = fields.Boolean(load_only=True, load_default=False)
    approved_on = fields.Date(allow_none=True, dump_only=True)
    published_at = UtcDateTime(allow_none=True, dump_only=True)
    superseded_at = UtcDateTime(allow_none=True, dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class PsStatementCreateSchema(PsStatementSchema):
    """Parts left out stay empty, or come from the published version with ``copy_current``."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    introduction = fields.String(validate=validate.Length(max=5000))
    encouraging_involvement = fields.String(validate=validate.Length(max=20000))
    using_feedback = fields.String(validate=validate.Length(max=20000))
    ways_to_get_involved = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), validate=validate.Length(max=30)
    )


class PsStatementUpdateSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    introduction = fields.String(validate=validate.Length(max=5000))
    encouraging_involvement = fields.String(validate=validate.Length(max=20000))
    using_feedback = fields.String(validate=validate.Length(max=20000))
    ways_to_get_involved = fields.List(fields.String(validate=validate.Length(min=1, max=200)))
    change_summary = fields.String(allow_none=True, validate=validate.Length(max=500))


StatementListSchema = list_schema(PsStatementSchema, "PartnerStatementList")


class PsStatementStatusRow(Schema):
    partner_id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    current_version = fields.Integer(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    draft_in_progress = fields.Boolean()


class PsStatementStatusSchema(Schema):
    partners = fields.List(fields.Nested(PsStatementStatusRow))
    with_current_statement = fields.Integer()
    total = fields.Integer()


# -- Customer First Standard ----------------------------------------------------------------------


class PsPeriodArgs(Schema):
    period = year_field(required=True)


class PsCommitmentOut(Schema):
    ref = fields.String()
    key = fields.String()
    title = fields.String()
    indicators = fields.List(fields.String())


class PsStandardSchema(Schema):
    defined_by = fields.String()
    commitments = fields.List(fields.Nested(PsCommitmentOut))


class PsAssessmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    period = year_field(required=True)
    commitment_key = fields.String(required=True, validate=validate.Length(min=1, max=60))
    commitment_ref = fields.String(dump_only=True)
    commitment_title = fields.String(dump_only=True)
    rating = choice(RATINGS, required=True)
    evidence = fields.String(load_default="", validate=validate.Length(max=20000))
    indicators = fields.Dict(dump_only=True)
    assessed_on = fields.Date(dump_only=True)


class PsAssessmentUpdateSchema(Schema):
    rating = choice(RATINGS)
    evidence = fields.String(validate=validate.Length(max=20000))


class PsSelfAssessmentRow(Schema):
    commitment = fields.Nested(PsCommitmentOut)
    assessment = fields.Nested(PsAssessmentSchema, allow_none=True)
    live_indicators = fields.Dict()


class PsSelfAssessmentSchema(Schema):
    period = fields.String()
    assessed = fields.Integer()
    commitments = fields.Integer()
    complete = fields.Boolean()
    rows = fields.List(fields.Nested(PsSelfAssessmentRow))


class PsComplianceMatrixSchema(Schema):
    period = fields.String()
    commitments = fields.List(fields.Nested(PsCommitmentOut))
    partners = fields.List(fields.Dict())


# -- action plans ----------------------------------------------------------------------------------


class PsPlanCreateSchema(Schema):
    assessed_period = year_field(required=True)
    action_plan_id = record_id(load_default=None, allow_none=True)
    title = fields.String(load_default=None, validate=validate.Length(min=1, max=300))


class PsWeaknessSchema(Schema):
    id = fields.Integer(dump_only=True)
    source = choice(WEAKNESS_SOURCES, dump_only=True)
    key = fields.String(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    detail = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    current = fields.Boolean(dump_only=True)
    actions = fields.List(fields.Dict(), dump_only=True)
    addressed = fields.Boolean(dump_only=True)


class PsPlanSchema(Schema):
    id = fields.Integer()
    assessed_period = fields.String()
    action_plan_id = fields.Integer()
    action_plan_title = fields.String()
    action_plan_period = fields.String()
    status = choice(PLAN_STATUSES)
    approved_on = fields.Date(allow_none=True)
    weaknesses = fields.List(fields.Nested(PsWeaknessSchema))
    unaddressed = fields.Integer()
    progress = fields.Dict()


PlanListSchema = list_schema(PsPlanSchema, "PartnerActionPlanList")


class PsLinkSchema(Schema):
    id = fields.Integer(dump_only=True)
    action_item_id = record_id(required=True)
    outputs = fields.String(required=True, validate=validate.Length(min=1, max=5000))


# -- budgets, RASP, reviews ------------------------------------------------------------------------


class PsBudgetSchema(Schema):
    id = fields.Integer(dump_only=True)
    period = year_field(required=True)
    amount_pence = fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=10**12))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    spent_pence = fields.Integer(dump_only=True)


BudgetListSchema = list_schema(PsBudgetSchema, "PartnerBudgetList")


class PsNominationSchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = record_id(required=True)
    display_name = fields.String(load_default=None, validate=validate.Length(min=1, max=120))
    consent_given = fields.Boolean(load_only=True, required=True)
    consent_given_on = calendar_date(required=True)
    consent_method = choice(CONSENT_METHODS, required=True)
    status = choice(NOMINATION_STATUSES, dump_only=True)
    nominated_on = fields.Date(dump_only=True)
    withdrawn_on = fields.Date(allow_none=True, dump_only=True)


NominationListSchema = list_schema(PsNominationSchema, "RaspNominationList")


class PsRaspMemberSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    partner_id = fields.Integer()
    partner_name = fields.String()
    joined_on = fields.Date()


RaspMemberListSchema = list_schema(PsRaspMemberSchema, "RaspMemberList")


class PsReviewSchema(Schema):
    id = fields.Integer(dump_only=True)
    partner_id = record_id(required=True)
    period = year_field(required=True)
    outcome = choice(REVIEW_OUTCOMES, required=True)
    comments = fields.String(load_default="", validate=validate.Length(max=20000))
    reviewed_on = fields.Date(dump_only=True)

    @validates_schema
    def _changes_need_comments(self, data, **kwargs):
        if data.get("outcome") == "changes_requested" and not (data.get("comments") or "").strip():
            raise ValidationError("Say what the partner should change.", "comments")


ReviewListSchema = list_schema(PsReviewSchema, "AssessmentReviewList")


class PsOversightSchema(Schema):
    period = fields.String()
    policy_forum = fields.String()
    lpis = fields.List(fields.Dict())
    partners = fields.List(fields.Dict())
    flags = fields.List(fields.Dict())
    lpi_source = fields.String()
