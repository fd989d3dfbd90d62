"""The plugin's settings schema (``tenants_config`` ``[plugins.customer_voice.settings]``) and reader.

Every field has a default, so ``{}`` is valid: an organisation that enables the plugin without
settings gets one forum per management area it has recorded, two-monthly Information & Knowledge
events and six-monthly standards reports.
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate

from plugins.customer_voice.vocab import LISTENING_CHANNELS, SERVICE_AREAS

CODE = [
    validate.Length(max=50),
    validate.Regexp(r"^[a-z][a-z0-9_]{0,49}$", error="Use lower-case letters, digits and _ (at most 50)."),
]
YEAR_MONTH = re.compile(r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$")


def _year_month(value: str | None) -> None:
    if value is not None and not YEAR_MONTH.match(value):
        raise ValidationError("Write the month as YYYY-MM, e.g. 2018-09.")


def _codes(default, **kwargs) -> fields.List:
    return fields.List(fields.String(validate=CODE), load_default=lambda: list(default), **kwargs)


class CustomerVoiceSettings(Schema):
    management_area_count = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=50),
        metadata={"description": "Forums to create; at least one per management area already recorded."},
    )
    forum_chair_must_be_resident = fields.Boolean(load_default=True)
    forum_member_from_other_area_needs_reason = fields.Boolean(load_default=True)
    listening_channels = fields.List(
        fields.String(validate=validate.OneOf(LISTENING_CHANNELS)),
        load_default=lambda: list(LISTENING_CHANNELS),
        validate=validate.Length(min=1),
    )
    service_areas = _codes(SERVICE_AREAS, validate=validate.Length(min=1))
    information_event_interval_months = fields.Integer(load_default=2, validate=validate.Range(min=1, max=12))
    task_and_finish_label = fields.String(load_default="CHAIN", validate=validate.Length(min=1, max=40))
    scrutiny_group_name = fields.String(
        load_default="Scrutiny group", validate=validate.Length(min=1, max=100)
    )
    volunteering_roles = _codes(("rate_your_estate", "community_clean_up"))
    rate_your_estate_criteria = _codes(())
    standards_report_interval_months = fields.Integer(load_default=6, validate=validate.Range(min=1, max=12))
    approach_review_interval_years = fields.Integer(load_default=3, validate=validate.Range(min=1, max=10))
    last_approach_review = fields.String(
        load_default=None, allow_none=True, validate=[validate.Length(max=7), _year_month]
    )
    headline_kpis = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list)


def current_settings() -> dict:
    """The organisation in scope's settings, defaults filled in."""
    from core.plugin_kit import plugin_settings

    return plugin_settings("customer_voice")
