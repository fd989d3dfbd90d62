"""API shapes of Halton's standing-rules check (``/compliance`` and the Board PIs)."""

from marshmallow import Schema, fields


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
