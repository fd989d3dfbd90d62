"""Shapes of ``/kpis``: the period query and the report of KPI values, targets and previous values."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates

from core.periods import Period, PeriodError
from core.schemas.common import PERIOD_TEXT
from core.schemas.fields import UtcDateTime

NUMBER_OR_NULL = {"type": "number", "nullable": True}


class PeriodArgs(Schema):
    period = fields.String(
        required=True,
        validate=PERIOD_TEXT,
        metadata={"description": "A financial year like 2025-26 or a quarter like 2025-26-Q1"},
    )

    @validates("period")
    def _valid_period(self, value: str, **kwargs) -> None:
        try:
            Period.parse(value)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None


class KpiArgs(PeriodArgs):
    stored = fields.Boolean(
        load_default=False, metadata={"description": "Read the figures stored by the quarterly snapshot"}
    )


class KpiSchema(Schema):
    code = fields.String()
    title = fields.String()
    value = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    unit = fields.String()
    target = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    previous = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    source = fields.String(metadata={"description": '"core" or the name of the plugin that adds the KPI'})
    met = fields.Boolean(
        allow_none=True,
        metadata={"description": "Whether the value reaches the target (null without a target or a value)"},
    )
    details = fields.Dict(
        metadata={"description": "Supporting figures, e.g. sample_size and margin_of_error"}
    )
    reason = fields.String(
        metadata={"description": "Why the value is null, in words (e.g. too few people recorded to compare)"}
    )
    computed_at = UtcDateTime(metadata={"description": "When a stored figure was computed"})


class KpiReportSchema(Schema):
    period = fields.String()
    kpis = fields.List(fields.Nested(KpiSchema))
    note = fields.String()
    as_of = UtcDateTime(metadata={"description": "Stored figures: when the oldest of them was computed"})


class KpiRefreshSchema(Schema):
    job = fields.String()
    period = fields.String()
    status = fields.String(metadata={"description": '"queued": the worker computes and stores the figures'})


class ComparisonKpiSchema(Schema):
    code = fields.String()
    title = fields.String()
    unit = fields.String()
    higher_is_better = fields.Boolean()


class ComparisonCellSchema(Schema):
    value = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    suppressed = fields.Boolean(metadata={"description": "True when the figure is too small to show"})
    reason = fields.String(allow_none=True, metadata={"description": "Why a null value is null, in words"})
    target = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    met = fields.Boolean(allow_none=True)
    rank = fields.Integer(allow_none=True, metadata={"description": "1 is best; ties share a rank"})
    tied = fields.Boolean(metadata={"description": "True when another partner shares this rank"})


class AssessmentStatusSchema(Schema):
    period = fields.String()
    status = fields.String(metadata={"description": "not_started, draft or published"})
    published_at = UtcDateTime(allow_none=True)
    url = fields.String(
        metadata={"description": "Where the group reads this partner's assessment (audited, aggregates only)"}
    )


class ComparisonPartnerSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    kpis = fields.Dict(keys=fields.String(), values=fields.Nested(ComparisonCellSchema))
    missed_targets = fields.List(fields.String())
    assessment = fields.Nested(AssessmentStatusSchema)
    as_of = UtcDateTime(
        allow_none=True,
        metadata={
            "description": "With stored=true: when the oldest of this partner's stored figures was "
            "computed (null when none is stored for the period)"
        },
    )


class ComparisonSchema(Schema):
    group = fields.Dict()
    period = fields.String()
    kpis = fields.List(fields.Nested(ComparisonKpiSchema))
    partners = fields.List(fields.Nested(ComparisonPartnerSchema))
    totals = fields.Dict(metadata={"description": "Sum across partners, for counts only"})
    medians = fields.Dict()
    small_number_threshold = fields.Integer()
    stored = fields.Boolean(metadata={"description": "Present and true when the figures are the stored ones"})
    as_of = UtcDateTime(
        allow_none=True,
        metadata={"description": "With stored=true: the oldest as_of among the partners (null when none)"},
    )


class ComparisonRefreshSchema(KpiRefreshSchema):
    partners = fields.Integer(metadata={"description": "How many partners' snapshot jobs were queued"})
