"""Schemas of governance bodies, their memberships and attendance, and recommendations.

Checks that need only the submitted fields (a term ending before it starts, exactly one of a
participant or an external name, reserved seats within the seats) are made here; rules that
need the stored records are in ``core.services.governance``.
"""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from core import plugin_kit
from core.models.vocab import (
    BODY_KINDS,
    MEMBERSHIP_ROLES,
    RECOMMENDATION_RESPONSES,
    RECOMMENDATION_STATUSES,
    SEAT_TYPES,
)
from core.periods import Period, PeriodError
from core.schemas.common import LONG_TEXT, PERIOD_TEXT, PageArgs, UtcDateTime, choice, list_schema
from core.schemas.involvement import MAX_INT, RECORD_ID

SEATS = validate.Range(min=0, max=MAX_INT)


def _today() -> date:
    return plugin_kit.today()


def _not_before(data: dict, earlier: str, later: str, message: str) -> None:
    if data.get(earlier) is not None and data.get(later) is not None and data[later] < data[earlier]:
        raise ValidationError(message, field_name=later)


# -- bodies ----------------------------------------------------------------------------------


class BodySchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = choice(BODY_KINDS, required=True)
    decision_making = fields.Boolean(load_default=False)
    seats_total = fields.Integer(
        allow_none=True, load_default=None, validate=SEATS, metadata={"description": "None: no limit."}
    )
    reserved_resident_seats = fields.Integer(load_default=0, validate=SEATS)
    area_id = fields.Integer(validate=RECORD_ID, allow_none=True, load_default=None)
    description = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    current_members = fields.Integer(
        dump_only=True, metadata={"description": "Members whose term covers today."}
    )
    vacancies = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "seats_total − current_members."}
    )
    created_at = UtcDateTime(dump_only=True)

    @validates_schema
    def _reserved_within_seats(self, data, **kwargs):
        seats, reserved = data.get("seats_total"), data.get("reserved_resident_seats")
        if seats is not None and reserved is not None and reserved > seats:
            raise ValidationError("Cannot exceed seats_total.", field_name="reserved_resident_seats")


class BodyUpdateSchema(BodySchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = choice(BODY_KINDS)
    decision_making = fields.Boolean()
    seats_total = fields.Integer(allow_none=True, validate=SEATS)
    reserved_resident_seats = fields.Integer(validate=SEATS)
    area_id = fields.Integer(validate=RECORD_ID, allow_none=True)
    description = fields.String(allow_none=True, validate=LONG_TEXT)


class BodyArgs(PageArgs):
    kind = choice(BODY_KINDS)
    decision_making = fields.Boolean()
    area_id = fields.Integer(validate=RECORD_ID)


# -- memberships -----------------------------------------------------------------------------


class MembershipSchema(Schema):
    id = fields.Integer(dump_only=True)
    body_id = fields.Integer(dump_only=True)
    participant_id = fields.Integer(validate=RECORD_ID, allow_none=True, load_default=None)
    external_name = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "For a member who is not a participant (independent, councillor)."},
    )
    seat_type = choice(SEAT_TYPES, required=True)
    role = choice(MEMBERSHIP_ROLES, load_default="member")
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True, load_default=None)
    current = fields.Method(
        "_is_current", dump_only=True, metadata={"type": "boolean", "description": "The term covers today."}
    )
    created_at = UtcDateTime(dump_only=True)

    @validates_schema
    def _term_in_order(self, data, **kwargs):
        _not_before(data, "starts_on", "ends_on", "The term cannot end before it starts.")

    @validates_schema
    def _one_member(self, data, **kwargs):
        named = [key for key in ("participant_id", "external_name") if data.get(key) is not None]
        if len(named) != 1:
            message = "Give exactly one of participant_id or external_name."
            raise ValidationError({"participant_id": [message], "external_name": [message]})

    def _is_current(self, membership) -> bool:
        day = _today()
        return membership.starts_on <= day and (membership.ends_on is None or membership.ends_on >= day)


class MembershipUpdateSchema(MembershipSchema):
    participant_id = fields.Integer(validate=RECORD_ID, allow_none=True)
    external_name = fields.String(allow_none=True, validate=validate.Length(min=1, max=200))
    seat_type = choice(SEAT_TYPES)
    role = choice(MEMBERSHIP_ROLES)
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)

    def _one_member(self, data, **kwargs):
        """Not a validator here: a change is checked against the stored membership by the service."""


class MembershipArgs(PageArgs):
    current = fields.Boolean(metadata={"description": "true: term covers today; false: past or future."})
    role = choice(MEMBERSHIP_ROLES)
    seat_type = choice(SEAT_TYPES)


# -- attendance ------------------------------------------------------------------------------


class AttendanceArgs(PageArgs):
    date_from = fields.Date(data_key="from", metadata={"description": "Meetings on or after this day."})
    date_to = fields.Date(data_key="to", metadata={"description": "Meetings on or before this day."})
    period = fields.String(
        validate=PERIOD_TEXT, metadata={"description": "Instead of from/to: 2025-26 or 2025-26-Q1."}
    )

    @validates_schema
    def _one_range(self, data, **kwargs):
        if "period" in data:
            if "date_from" in data or "date_to" in data:
                raise ValidationError("Give a period or from/to, not both.", field_name="period")
            try:
                Period.parse(data["period"])
            except PeriodError as exc:
                raise ValidationError(str(exc), field_name="period") from exc
        _not_before(data, "date_from", "date_to", "Must not be before 'from'.")

    @post_load
    def _period_as_dates(self, data, **kwargs):
        if "period" in data:
            period = Period.parse(data.pop("period"))
            data["date_from"], data["date_to"] = period.start, period.end
        return data


class MemberAttendanceSchema(Schema):
    membership_id = fields.Integer()
    participant_id = fields.Integer(allow_none=True)
    external_name = fields.String(allow_none=True)
    seat_type = fields.String()
    role = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    meetings = fields.Integer(metadata={"description": "Meetings held in the range during the term."})
    attended = fields.Integer(
        allow_none=True, metadata={"description": "Of those, attended; null for external members."}
    )
    attendance_percent = fields.Float(allow_none=True)


class AttendanceSchema(Schema):
    body_id = fields.Integer()
    date_from = fields.Date(data_key="from", allow_none=True)
    date_to = fields.Date(data_key="to", allow_none=True)
    meetings_held = fields.Integer(metadata={"description": "Meetings of the body held in the range."})
    items = fields.List(
        fields.Nested(MemberAttendanceSchema), metadata={"description": "One per membership."}
    )
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


# -- recommendations -------------------------------------------------------------------------


class RecommendationSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body_id = fields.Integer(validate=RECORD_ID, required=True)
    description = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    made_on = fields.Date(allow_none=True, load_default=None)
    response = choice(RECOMMENDATION_RESPONSES, allow_none=True, load_default=None)
    response_reason = fields.String(
        allow_none=True,
        load_default=None,
        validate=LONG_TEXT,
        metadata={"description": "Required unless accepted."},
    )
    responded_on = fields.Date(allow_none=True, load_default=None, metadata={"description": "Default today."})
    due_on = fields.Date(allow_none=True, load_default=None)
    status = choice(RECOMMENDATION_STATUSES, load_default="awaiting_response")
    overdue = fields.Method(
        "_is_overdue",
        dump_only=True,
        metadata={"type": "boolean", "description": "Due date passed, not implemented or closed."},
    )
    created_at = UtcDateTime(dump_only=True)

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        _not_before(data, "made_on", "due_on", "Cannot be due before it was made.")
        _not_before(data, "made_on", "responded_on", "Cannot be answered before it was made.")

    def _is_overdue(self, recommendation) -> bool:
        return (
            recommendation.due_on is not None
            and recommendation.due_on < _today()
            and recommendation.status not in ("implemented", "closed")
        )


class RecommendationUpdateSchema(RecommendationSchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    body_id = fields.Integer(validate=RECORD_ID)
    description = fields.String(allow_none=True, validate=LONG_TEXT)
    made_on = fields.Date(allow_none=True)
    response = choice(RECOMMENDATION_RESPONSES, allow_none=True)
    response_reason = fields.String(allow_none=True, validate=LONG_TEXT)
    responded_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True)
    status = choice(RECOMMENDATION_STATUSES)


class RecommendationArgs(PageArgs):
    body_id = fields.Integer(validate=RECORD_ID)
    response = choice(RECOMMENDATION_RESPONSES)
    status = choice(RECOMMENDATION_STATUSES)
    overdue = fields.Boolean(metadata={"description": "true: due date passed, not implemented or closed."})


BodyListSchema = list_schema(BodySchema, "BodyList")
MembershipListSchema = list_schema(MembershipSchema, "MembershipList")
RecommendationListSchema = list_schema(RecommendationSchema, "RecommendationList")
