"""API shapes of the Your Voice scheme: members, ledger entries, statements and conversions."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.schemas.common import (
    PERIOD_TEXT,
    PageArgs,
    UtcDateTime,
    calendar_date,
    choice,
    list_schema,
    record_id,
)
from plugins.reward_points.models import ENTRY_KINDS, REWARD_CHOICES
from plugins.reward_points.settings import CONTRIBUTION_OCCASIONS, MAX_POINTS

SCHEME_YEAR = fields.String(
    required=True,
    validate=[PERIOD_TEXT, validate.Regexp(r"^\d{4}-\d{2}$", error="Use a scheme year like 2025-26.")],
    metadata={"example": "2025-26"},
)


class MemberSchema(Schema):
    id = fields.Integer(dump_only=True)
    participant_id = record_id(required=True)
    joined_on = calendar_date(load_default=None)
    left_on = calendar_date(allow_none=True, dump_only=True)
    active = fields.Boolean(dump_only=True)
    reward_choice = choice(REWARD_CHOICES, load_default=None)
    retailer = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    charity = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    balance = fields.Integer(dump_only=True)


class MemberChoiceSchema(Schema):
    """How the member wants their points paid out."""

    reward_choice = choice(REWARD_CHOICES, required=True)
    retailer = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    charity = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class LeaveSchema(Schema):
    left_on = calendar_date(load_default=None)


class RejoinSchema(Schema):
    joined_on = calendar_date(load_default=None)


class MemberArgs(PageArgs):
    active = fields.Boolean()


class EntrySchema(Schema):
    id = fields.Integer(dump_only=True)
    member_id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": list(ENTRY_KINDS)})
    points = fields.Integer(dump_only=True)
    requested_points = fields.Integer(dump_only=True)
    capped = fields.Method("_capped", dump_only=True)
    scheme_year = fields.Method("_year", dump_only=True)
    occurred_on = fields.Date(dump_only=True)
    idempotency_key = fields.String(dump_only=True)
    involvement_type = fields.String(allow_none=True, dump_only=True)
    participation_id = fields.Integer(allow_none=True, dump_only=True)
    activity_id = fields.Integer(allow_none=True, dump_only=True)
    reason = fields.String(dump_only=True)
    recorded_by_id = fields.Integer(allow_none=True, dump_only=True)
    created_at = UtcDateTime(dump_only=True)

    def _capped(self, entry) -> bool:
        return entry.points != entry.requested_points

    def _year(self, entry) -> str:
        return f"{entry.scheme_year}-{(entry.scheme_year + 1) % 100:02d}"


class ManualEntrySchema(Schema):
    """A contribution award or a correction; send an ``Idempotency-Key`` header (or this field)."""

    kind = choice(("contribution", "correction"), required=True)
    points = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=-MAX_POINTS, max=MAX_POINTS)
    )
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))
    occurred_on = calendar_date(load_default=None)
    applies_to = choice(CONTRIBUTION_OCCASIONS, load_default=None)
    activity_id = record_id(load_default=None)
    idempotency_key = fields.String(load_default=None, validate=validate.Length(min=8, max=150))

    @validates_schema
    def _by_kind(self, data, **kwargs):
        errors = {}
        if data["kind"] == "contribution":
            if data["points"] <= 0:
                errors["points"] = ["A contribution award must be more than 0 points."]
            if data.get("applies_to") is None:
                errors["applies_to"] = ["Say whether the contribution was at a meeting or an open event."]
            if data.get("activity_id") is None:
                errors["activity_id"] = [
                    "Give the meeting or open event (activity_id) the member contributed to."
                ]
        elif data["points"] == 0:
            errors["points"] = ["A correction of 0 points changes nothing."]
        if errors:
            raise ValidationError(errors)


class EntryArgs(PageArgs):
    kind = choice(ENTRY_KINDS)
    scheme_year = fields.String(validate=[PERIOD_TEXT, validate.Regexp(r"^\d{4}-\d{2}$")])


class StatementSchema(Schema):
    member = fields.Nested(MemberSchema)
    scheme_name = fields.String()
    balance = fields.Integer()
    pence_per_point = fields.String()
    projected_value_pence = fields.Integer()
    earned_this_year = fields.Integer()
    annual_cap_points = fields.Integer(allow_none=True)
    entries = fields.List(fields.Nested(EntrySchema))
    conversions = fields.List(fields.Nested(lambda: ConversionSchema()))


class ConversionSchema(Schema):
    id = fields.Integer()
    member_id = fields.Integer()
    scheme_year = fields.Method("_year")
    points = fields.Integer()
    pence_per_point = fields.String()
    value_pence = fields.Integer()
    reward_choice = fields.String()
    retailer = fields.String(allow_none=True)
    charity = fields.String(allow_none=True)
    spend_id = fields.Integer(allow_none=True)
    converted_on = fields.Date()

    def _year(self, conversion) -> str:
        return f"{conversion.scheme_year}-{(conversion.scheme_year + 1) % 100:02d}"


class ConversionRunSchema(Schema):
    scheme_year = SCHEME_YEAR


class ConversionRunQueuedSchema(Schema):
    scheme_year = fields.String()
    status = fields.String()


class YearArgs(Schema):
    scheme_year = SCHEME_YEAR


class ConversionArgs(PageArgs):
    scheme_year = fields.String(validate=[PERIOD_TEXT, validate.Regexp(r"^\d{4}-\d{2}$")])
    reward_choice = choice(REWARD_CHOICES)


class VoucherLineSchema(Schema):
    retailer = fields.String(allow_none=True)
    vouchers = fields.Integer()
    value_pence = fields.Integer()


class DonationLineSchema(Schema):
    charity = fields.String(allow_none=True)
    donors = fields.Integer()
    value_pence = fields.Integer()


class YearTotalsSchema(Schema):
    scheme_year = fields.String()
    members_converted = fields.Integer()
    points_converted = fields.Integer()
    value_pence = fields.Integer()
    vouchers_pence = fields.Integer()
    donations_pence = fields.Integer()
    vouchers = fields.List(fields.Nested(VoucherLineSchema))
    donations = fields.List(fields.Nested(DonationLineSchema))


class TypeLineSchema(Schema):
    involvement_type = fields.String(allow_none=True)
    entries = fields.Integer()
    points = fields.Integer()


class SummarySchema(Schema):
    scheme_name = fields.String()
    scheme_year = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    members = fields.Integer()
    active_members = fields.Integer()
    points_awarded = fields.Integer()
    points_by_type = fields.List(fields.Nested(TypeLineSchema))
    points_outstanding = fields.Integer()
    outstanding_value_pence = fields.Integer()
    conversions = fields.Nested(YearTotalsSchema)


class SummaryArgs(Schema):
    scheme_year = fields.String(
        validate=[PERIOD_TEXT, validate.Regexp(r"^\d{4}-\d{2}$", error="Use a scheme year like 2025-26.")]
    )


class SettleQueuedSchema(Schema):
    status = fields.String()


MemberListSchema = list_schema(MemberSchema, "RewardMemberList")
EntryListSchema = list_schema(EntrySchema, "RewardEntryList")
ConversionListSchema = list_schema(ConversionSchema, "RewardConversionList")
