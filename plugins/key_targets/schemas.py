"""Request and response shapes of the key_targets API (one marshmallow schema per resource shape)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.schemas.common import PERIOD_TEXT, PageArgs, calendar_date, choice, list_schema, record_id
from plugins.key_targets.services.plan import TARGET_STATUSES
from plugins.key_targets.settings import CHANNELS, KEY

TEXT = validate.Length(min=1, max=4000)
TAG = fields.String(validate=validate.Length(min=1, max=200))


class KtPeriodArgs(Schema):
    period = fields.String(
        required=True, validate=PERIOD_TEXT, metadata={"description": "2025-26 or 2025-26-Q1"}
    )


# -- strands ---------------------------------------------------------------------------------------


class KtStrandSchema(Schema):
    id = fields.Integer(dump_only=True)
    key = fields.String(required=True, validate=KEY)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    outcome = fields.String(allow_none=True, validate=validate.Length(max=4000))
    position = fields.Integer(validate=validate.Range(min=0, max=10000))
    active = fields.Boolean()
    opportunity_ids = fields.List(fields.Integer(), dump_only=True)
    body_ids = fields.List(fields.Integer(), dump_only=True)


class KtStrandUpdateSchema(KtStrandSchema):
    key = fields.String(validate=KEY)
    name = fields.String(validate=validate.Length(min=1, max=200))


class KtStrandLinksSchema(Schema):
    opportunity_ids = fields.List(record_id(), metadata={"description": "Replaces the mapped opportunities"})
    body_ids = fields.List(record_id(), metadata={"description": "Replaces the mapped bodies"})


class KtGrowthRowSchema(Schema):
    strand_id = fields.Integer()
    key = fields.String()
    name = fields.String()
    outcome = fields.String(allow_none=True)
    activities = fields.Integer()
    participants = fields.Integer()
    previous_participants = fields.Integer()
    growth_percent = fields.Float(allow_none=True)
    target_percent = fields.Float()
    status = fields.String(metadata={"enum": ["met", "below_target", "no_baseline"]})
    below_target = fields.Boolean()


class KtGrowthSchema(Schema):
    period = fields.String()
    compared_with = fields.String()
    target_percent = fields.Float()
    strands = fields.List(fields.Nested(KtGrowthRowSchema))


# -- plan ------------------------------------------------------------------------------------------


class KtPhaseSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    starts_on = calendar_date(required=True)
    ends_on = calendar_date(required=True)


class KtPhaseUpdateSchema(KtPhaseSchema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    starts_on = calendar_date()
    ends_on = calendar_date()


class KtDeadlineSchema(Schema):
    id = fields.Integer(dump_only=True)
    due_on = calendar_date(dump_only=True)
    met_on = calendar_date(allow_none=True, required=True)


class KtProgressSchema(Schema):
    id = fields.Integer(dump_only=True)
    recorded_on = calendar_date(metadata={"description": "Default today"})
    note = fields.String(required=True, validate=TEXT)
    status = choice(TARGET_STATUSES, allow_none=True, metadata={"description": "Also changes the target"})
    source = fields.String(dump_only=True, metadata={"enum": ["officer", "import", "conference"]})
    decision_id = fields.Integer(dump_only=True, allow_none=True)


class KtTargetSchema(Schema):
    id = fields.Integer(dump_only=True)
    phase_id = record_id(required=True)
    reference = fields.String(required=True, validate=validate.Length(min=1, max=20))
    action = fields.String(required=True, validate=TEXT)
    strategic_aims = fields.List(TAG, load_default=list)
    responsibility = fields.List(TAG, load_default=list)
    core_values = fields.List(TAG, load_default=list)
    kloe_tags = fields.List(TAG, load_default=list)
    continuous_review = fields.Boolean(load_default=False)
    deadlines = fields.Method("_deadlines", deserialize="_load_deadlines", load_default=list)
    status = choice(TARGET_STATUSES, load_default="not_started")
    outcome = fields.String(allow_none=True, validate=validate.Length(max=4000))
    completed_on = calendar_date(dump_only=True, allow_none=True)
    progress = fields.Method(
        "_progress",
        deserialize="_load_progress",
        load_default=None,
        metadata={"description": "On create or update: a note for the progress log"},
    )
    next_due_on = calendar_date(dump_only=True, allow_none=True)
    overdue = fields.Boolean(dump_only=True)
    due_soon = fields.Boolean(dump_only=True)

    def _deadlines(self, target):
        return KtDeadlineSchema(many=True).dump(getattr(target, "deadlines", []))

    def _load_deadlines(self, value):
        return fields.List(calendar_date()).deserialize(value)

    def _progress(self, target):
        return KtProgressSchema(many=True).dump(getattr(target, "progress", []))

    def _load_progress(self, value):
        return fields.String(validate=TEXT, allow_none=True).deserialize(value)


class KtTargetUpdateSchema(KtTargetSchema):
    phase_id = record_id()
    reference = fields.String(validate=validate.Length(min=1, max=20))
    action = fields.String(validate=TEXT)
    strategic_aims = fields.List(TAG)
    responsibility = fields.List(TAG)
    core_values = fields.List(TAG)
    kloe_tags = fields.List(TAG)
    continuous_review = fields.Boolean()
    deadlines = fields.Method("_deadlines", deserialize="_load_deadlines")
    status = choice(TARGET_STATUSES)
    progress = fields.Method("_progress", deserialize="_load_progress")


class KtTargetArgs(PageArgs):
    phase_id = fields.Integer()
    status = choice(TARGET_STATUSES)
    due = choice(("overdue", "due_soon"), metadata={"description": "overdue, or due within due_soon_days"})


class KtImportResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()


# -- tenant inspectors -----------------------------------------------------------------------------


class KtResultSchema(Schema):
    item = fields.String(required=True, validate=validate.Length(min=1, max=60))
    label = fields.String(dump_only=True)
    passed = fields.Boolean(required=True)
    comment = fields.String(allow_none=True, validate=validate.Length(max=2000))
    action_item_id = fields.Integer(dump_only=True, allow_none=True)


class KtInspectionSchema(Schema):
    id = fields.Integer(dump_only=True)
    household_id = record_id(required=True)
    inspected_on = calendar_date(required=True)
    inspector_id = record_id(allow_none=True)
    reinspection_of_id = record_id(allow_none=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))
    results = fields.Method("_results", deserialize="_load_results", required=True)
    passed = fields.Boolean(dump_only=True)
    first_time = fields.Boolean(dump_only=True)

    def _results(self, inspection):
        return [
            {
                "item": r.item_key,
                "label": r.item_label,
                "passed": r.passed,
                "comment": r.comment,
                "action_item_id": r.action_item_id,
            }
            for r in getattr(inspection, "results", [])
        ]

    def _load_results(self, value):
        return KtResultSchema(many=True).load(value)


class KtInspectionArgs(PageArgs):
    household_id = fields.Integer()
    passed = fields.Boolean()


class KtChecklistItemSchema(Schema):
    key = fields.String()
    label = fields.String()


class KtInspectionKpisSchema(Schema):
    period = fields.String()
    homes_inspected = fields.Integer()
    passed_first_time_percent = fields.Float(allow_none=True)
    checklist = fields.List(fields.Nested(KtChecklistItemSchema))


# -- mystery shopping ------------------------------------------------------------------------------


class KtCriterionSchema(Schema):
    key = fields.String(required=True, validate=KEY)
    label = fields.String(required=True, validate=validate.Length(min=1, max=200))


class KtScenarioSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    channel = choice(CHANNELS, required=True)
    criteria = fields.List(
        fields.Nested(KtCriterionSchema), required=True, validate=validate.Length(min=1, max=30)
    )
    active = fields.Boolean(load_default=True)


class KtScenarioUpdateSchema(KtScenarioSchema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    channel = choice(CHANNELS)
    criteria = fields.List(fields.Nested(KtCriterionSchema), validate=validate.Length(min=1, max=30))
    active = fields.Boolean()


class KtFindingSchema(Schema):
    id = fields.Integer(dump_only=True)
    text = fields.String(required=True, validate=TEXT)
    action_title = fields.String(load_only=True, validate=validate.Length(min=1, max=300))
    due_on = calendar_date(required=True, load_only=True)
    owner = fields.String(load_only=True, validate=validate.Length(max=200))
    action_item_id = fields.Integer(dump_only=True)


class KtShopSchema(Schema):
    id = fields.Integer(dump_only=True)
    scenario_id = record_id(required=True)
    channel = fields.String(dump_only=True)
    shopped_on = calendar_date(required=True)
    shopper_id = record_id(allow_none=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))
    scores = fields.Dict(
        keys=fields.String(validate=validate.Length(max=60)),
        values=fields.Integer(strict=True),
        required=True,
    )
    score_percent = fields.Float(dump_only=True, allow_none=True)
    findings = fields.List(fields.Nested(KtFindingSchema), dump_only=True)


class KtShopArgs(PageArgs):
    channel = choice(CHANNELS)
    scenario_id = fields.Integer()


class KtTrendRowSchema(Schema):
    channel = fields.String()
    quarter = fields.String()
    shops = fields.Integer()
    score_percent = fields.Float(allow_none=True)


class KtTrendSchema(Schema):
    period = fields.String()
    overall_percent = fields.Float(allow_none=True)
    rows = fields.List(fields.Nested(KtTrendRowSchema))


# -- conference ------------------------------------------------------------------------------------


class KtNewTargetSchema(KtTargetSchema):
    """A target a conference decision adds to the plan (its note is the decision itself)."""

    class Meta:
        exclude = ("progress",)


class KtDecisionSchema(Schema):
    id = fields.Integer(dump_only=True)
    text = fields.String(required=True, validate=TEXT)
    target_id = record_id(allow_none=True)
    set_status = choice(TARGET_STATUSES, load_only=True)
    add_deadline = calendar_date(load_only=True)
    new_target = fields.Nested(KtNewTargetSchema, load_only=True)
    change = fields.String(dump_only=True)


class KtConferenceSchema(Schema):
    id = fields.Integer(dump_only=True)
    year = fields.Integer(required=True, validate=validate.Range(min=1990, max=2999))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    held_on = calendar_date(required=True)
    attendance = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=100000))
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))
    due_on = calendar_date(dump_only=True)
    on_time = fields.Boolean(dump_only=True)
    decisions = fields.List(fields.Nested(KtDecisionSchema), dump_only=True)


class KtConferenceUpdateSchema(KtConferenceSchema):
    year = fields.Integer(validate=validate.Range(min=1990, max=2999))
    title = fields.String(validate=validate.Length(min=1, max=200))
    held_on = calendar_date()


StrandListSchema = list_schema(KtStrandSchema, "KtStrandList")
PhaseListSchema = list_schema(KtPhaseSchema, "KtPhaseList")
TargetListSchema = list_schema(KtTargetSchema, "KtTargetList")
InspectionListSchema = list_schema(KtInspectionSchema, "KtInspectionList")
ScenarioListSchema = list_schema(KtScenarioSchema, "KtScenarioList")
ShopListSchema = list_schema(KtShopSchema, "KtShopList")
ConferenceListSchema = list_schema(KtConferenceSchema, "KtConferenceList")
