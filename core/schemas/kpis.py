"""Shapes of ``/kpis``: the period query and the report of KPI values, targets and previous values."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates

from core.periods import Period, PeriodError
from core.schemas.fields import UtcDateTime

NUMBER_OR_NULL = {"type": "number", "nullable": True}


class KpiArgs(Schema):
    period = fields.String(
        required=True, metadata={"description": "A financial year like 2025-26 or a quarter like 2025-26-Q1"}
    )
    stored = fields.Boolean(
        load_default=False, metadata={"description": "Read the figures stored by the quarterly snapshot"}
    )

    @validates("period")
    def _valid_period(self, value: str, **kwargs) -> None:
        try:
            Period.parse(value)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None


class KpiSchema(Schema):
    code = fields.String()
    title = fields.String()
    value = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    unit = fields.String()
    target = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    previous = fields.Raw(allow_none=True, metadata=NUMBER_OR_NULL)
    source = fields.String(metadata={"description": '"core" or the name of the plugin that adds the KPI'})
    details = fields.Dict(
        metadata={"description": "Supporting figures, e.g. sample_size and margin_of_error"}
    )
    computed_at = UtcDateTime(metadata={"description": "When a stored figure was computed"})


class KpiReportSchema(Schema):
    period = fields.String()
    kpis = fields.List(fields.Nested(KpiSchema))
    note = fields.String()
