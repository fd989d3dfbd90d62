"""Settings of the key_targets plugin (``[plugins.key_targets.settings]`` in tenants_config).

Every field has a default, so ``{}`` is valid: no strands, a 10% growth target, no configured tag
lists (then any tag is accepted), an empty relet checklist (inspections are refused until it is
filled in) and the four mystery-shopping channels. Loaded values are plain JSON (dates stay
``YYYY-MM-DD`` strings) because core stores them and loads them again.
"""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

CHANNELS = ("phone", "visit", "email", "web")
KEY = [
    validate.Length(max=60),
    validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$", error="Use lower-case letters, digits and _ (max 60)."),
]


def _iso_date(value: str) -> None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError("Write the date as YYYY-MM-DD.") from None


def _unique_keys(entries: list[dict], name: str) -> None:
    keys = [entry["key"] for entry in entries]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValidationError(f"Keys given twice: {', '.join(repeated)}.", name)


class StrandSetting(Schema):
    key = fields.String(required=True, validate=KEY)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class LabelledKey(Schema):
    key = fields.String(required=True, validate=KEY)
    label = fields.String(required=True, validate=validate.Length(min=1, max=200))


class KeyTargetsSettings(Schema):
    strand_growth_target_percent = fields.Float(
        load_default=10.0, validate=validate.Range(min=0, max=1000), allow_nan=False
    )
    plan_monitoring_start = fields.String(
        load_default=None, allow_none=True, validate=[validate.Length(max=10), _iso_date]
    )
    core_values = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list)
    kloe_tags = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list)
    strategic_aims = fields.List(fields.Nested(LabelledKey), load_default=list)
    due_soon_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=366))
    annual_conference_due_month = fields.Integer(load_default=12, validate=validate.Range(min=1, max=12))
    mystery_shopping_channels = fields.List(
        fields.String(validate=validate.OneOf(CHANNELS)),
        load_default=lambda: list(CHANNELS),
        validate=validate.Length(min=1),
    )
    mystery_shopping_max_score = fields.Integer(load_default=5, validate=validate.Range(min=1, max=100))
    relet_standard_checklist = fields.List(fields.Nested(LabelledKey), load_default=list)
    inspection_action_days = fields.Integer(load_default=14, validate=validate.Range(min=1, max=365))
    strands = fields.List(fields.Nested(StrandSetting), load_default=list)

    @validates("mystery_shopping_channels")
    def _channels_once(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Each channel once.")

    @validates_schema
    def _keys_unique(self, data, **kwargs):
        for name in ("strands", "strategic_aims", "relet_standard_checklist"):
            _unique_keys(data.get(name) or [], name)
