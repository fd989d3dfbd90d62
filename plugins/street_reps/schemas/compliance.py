"""API shapes of Halton's standing-rules check (``/compliance`` and the Board PIs) and of the
Customer Forum's full-membership meetings (``/forum/meetings``)."""

from marshmallow import Schema, fields, validate

from core.schemas.common import UtcDateTime, record_id


class SrBoardMemberCheckSchema(Schema):
    membership_id = fields.Integer()
    name = fields.String()
    seat_type = fields.String()
    tenancy_holder = fields.Boolean()


class SrBoardCheckSchema(Schema):
    body_id = fields.Integer()
    name = fields.String()
    seats_total = fields.Integer(allow_none=True)
    reserved = fields.Integer(
        metadata={"description": "Seats reserved for tenancy holders (a third, rounded up)"}
    )
    members = fields.Integer(metadata={"description": "Members in office on the day checked"})
    tenancy_holders = fields.Integer()
    others = fields.Integer(metadata={"description": "Members who do not hold a tenancy (external ones too)"})
    open_seats = fields.Integer(allow_none=True)
    vacant_reserved = fields.Integer()
    complies = fields.Boolean()
    breaches = fields.List(fields.String())
    people = fields.List(fields.Nested(SrBoardMemberCheckSchema))


class SrRepOverLimitSchema(Schema):
    rep_id = fields.Integer()
    name = fields.String(allow_none=True)
    patch_name = fields.String()
    tenancy_holders = fields.Integer()
    limit = fields.Integer()
    message = fields.String()


class SrBreachSchema(Schema):
    rule = fields.String(metadata={"enum": ["board_tenancy_third", "rep_tenancy_holder_limit"]})
    subject = fields.String()
    message = fields.String()


class SrComplianceSchema(Schema):
    checked_on = fields.Date()
    complies = fields.Boolean()
    boards = fields.List(fields.Nested(SrBoardCheckSchema))
    reps_over_limit = fields.List(fields.Nested(SrRepOverLimitSchema))
    max_tenancy_holders_per_rep = fields.Integer()
    breaches = fields.List(fields.Nested(SrBreachSchema))


class SrForumMeetingSchema(Schema):
    activity_id = fields.Integer()
    title = fields.String()
    starts_at = UtcDateTime()
    status = fields.String()
    councillors_present = fields.Integer()
    independents_present = fields.Integer()
    full_membership = fields.Boolean(
        metadata={
            "description": "Held, with the settings' numbers of councillors and independent members present"
        }
    )


class SrForumMeetingListSchema(Schema):
    period = fields.String()
    full_membership_meetings_expected = fields.Integer()
    full_membership_meetings_held = fields.Integer()
    items = fields.List(fields.Nested(SrForumMeetingSchema))


class SrFullAttendanceSchema(Schema):
    membership_ids = fields.List(
        record_id(),
        required=True,
        validate=validate.Length(max=200),
        metadata={"description": "Seats (body memberships) of councillors and independent members present"},
    )
