"""Schemas of what involvement changed and cost: service improvements, action plans and their items,
and spend (integer pence) with its per-period summary.

Periods (``2025-26``, ``2025-26-Q1``) are checked here with ``core.periods.Period.parse`` so a bad
one is a 422 naming ``period``; rules that need the database (a source record exists, an activity
exists) are the services' job.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from core.models.vocab import ACTION_STATUSES, IMPROVEMENT_SOURCES, SPEND_CATEGORIES
from core.periods import Period, PeriodError
from core.schemas.common import (
    PERIOD_TEXT,
    PageArgs,
    UtcDateTime,
    calendar_date,
    choice,
    list_schema,
    record_id,
)
from core.schemas.consultations import LONG_TEXT

# A PostgreSQL integer column holds up to 2,147,483,647 pence (£21.4m) a record.
MAX_PENCE = 2**31 - 1


def _valid_period(text: str) -> None:
    try:
        Period.parse(text)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None
    except ValueError:  # a well-formed label past the calendar's end (9999-00)
        raise ValidationError(f"{text!r} is outside the years a period can cover.") from None


def period_field(description: str = "A financial year like 2025-26 or a quarter like 2025-26-Q1", **kwargs):
    return fields.String(
        validate=[PERIOD_TEXT, _valid_period], metadata={"description": description}, **kwargs
    )


class DateRangeArgs(PageArgs):
    date_from = calendar_date(data_key="from", metadata={"description": "On or after this date"})
    date_to = calendar_date(data_key="to", metadata={"description": "On or before this date"})


# -- improvements --------------------------------------------------------------------------------


class ImprovementSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    implemented_on = calendar_date(required=True)
    source = choice(IMPROVEMENT_SOURCES, load_default="other")
    source_id = record_id(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "source consultation: a consultation's id; scrutiny: a recommendation's id; "
            "otherwise a reference of your own"
        },
    )
    created_at = UtcDateTime(dump_only=True)


class ImprovementUpdateSchema(ImprovementSchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True, validate=LONG_TEXT)
    implemented_on = calendar_date()
    source = choice(IMPROVEMENT_SOURCES)
    source_id = record_id(allow_none=True)


class ImprovementArgs(DateRangeArgs):
    source = choice(IMPROVEMENT_SOURCES)
    source_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


# -- action plans --------------------------------------------------------------------------------


class ActionPlanSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    period = period_field(required=True)
    description = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    items_total = fields.Integer(dump_only=True)
    items_by_status = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        dump_only=True,
        metadata={"description": "Count of items per status: " + ", ".join(ACTION_STATUSES)},
    )
    overdue_items = fields.Integer(dump_only=True, metadata={"description": "Past due_on, not done/dropped"})
    created_at = UtcDateTime(dump_only=True)


class ActionPlanUpdateSchema(ActionPlanSchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    period = period_field()
    description = fields.String(allow_none=True, validate=LONG_TEXT)


class ActionPlanArgs(PageArgs):
    period = period_field("Plans of this period (2025-26 or 2025-26-Q1); a year includes its quarters")


class ActionPlanItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    plan_id = fields.Integer(dump_only=True)
    plan_title = fields.String(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    owner = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    due_on = calendar_date(required=True)
    status = choice(ACTION_STATUSES, load_default="not_started")
    progress = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    outcome = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    completed_on = calendar_date(
        allow_none=True,
        load_default=None,
        metadata={"description": "Set to today when status becomes done (may be given with done)"},
    )
    overdue = fields.Boolean(dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class ActionPlanItemUpdateSchema(ActionPlanItemSchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    owner = fields.String(allow_none=True, validate=validate.Length(max=200))
    due_on = calendar_date()
    status = choice(ACTION_STATUSES)
    progress = fields.String(allow_none=True, validate=LONG_TEXT)
    outcome = fields.String(allow_none=True, validate=LONG_TEXT)
    completed_on = calendar_date(allow_none=True)


class ActionPlanItemArgs(PageArgs):
    status = choice(ACTION_STATUSES)
    overdue = fields.Boolean(metadata={"description": "true: past due_on and not done or dropped"})


# -- spend ---------------------------------------------------------------------------------------


class SpendSchema(Schema):
    id = fields.Integer(dump_only=True)
    spent_on = calendar_date(required=True)
    category = choice(SPEND_CATEGORIES, required=True)
    amount_pence = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=-MAX_PENCE, max=MAX_PENCE),
        metadata={"description": "Integer pence, not 0; negative only as a correction with a description"},
    )
    activity_id = record_id(allow_none=True, load_default=None)
    description = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))
    created_at = UtcDateTime(dump_only=True)


class SpendUpdateSchema(SpendSchema):
    spent_on = calendar_date()
    category = choice(SPEND_CATEGORIES)
    amount_pence = fields.Integer(strict=True, validate=validate.Range(min=-MAX_PENCE, max=MAX_PENCE))
    activity_id = record_id(allow_none=True)
    description = fields.String(allow_none=True, validate=validate.Length(max=500))


class SpendArgs(DateRangeArgs):
    category = choice(SPEND_CATEGORIES)
    activity_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class SpendSummaryArgs(Schema):
    period = period_field(required=True)


class SpendCategoryTotalSchema(Schema):
    category = fields.String(metadata={"enum": list(SPEND_CATEGORIES)})
    total_pence = fields.Integer()
    records = fields.Integer()


class SpendSummarySchema(Schema):
    period = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    total_pence = fields.Integer()
    categories = fields.List(fields.Nested(SpendCategoryTotalSchema))


ImprovementListSchema = list_schema(ImprovementSchema, "ImprovementList")
ActionPlanListSchema = list_schema(ActionPlanSchema, "ActionPlanList")
ActionPlanItemListSchema = list_schema(ActionPlanItemSchema, "ActionPlanItemList")
SpendListSchema = list_schema(SpendSchema, "SpendList")
