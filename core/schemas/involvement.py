"""Schemas of opportunities, venues, activities, participations and an activity's access plan.

Datetimes arrive as ISO 8601 with an offset (a naive one is refused) and are stored in UTC, so
SQLite, which keeps no offset, compares them like PostgreSQL does; they leave with their offset.
Update schemas repeat the create fields without ``required`` or defaults, so a ``PATCH`` changes
only what it names.
"""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from core.models.vocab import (
    ACCESS_NEEDS,
    ACTIVITY_KINDS,
    ACTIVITY_STATUSES,
    LEVELS,
    PARTICIPATION_ROLES,
    VENUE_FEATURES,
)
from core.schemas.common import LONG_TEXT, PageArgs, UtcDateTime, choice, choice_list, list_schema

# Integer columns are 32-bit on PostgreSQL: a larger number must be a 422, not a database error.
MAX_INT = 2_147_483_647
PENCE = validate.Range(min=0, max=MAX_INT)
RECORD_ID = validate.Range(min=1, max=MAX_INT)


class AwareUtcDateTime(fields.AwareDateTime, UtcDateTime):
    """Loads a datetime with an offset (naive → 422) and converts it to UTC; dumps with its offset."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:  # year 1 or 9999 pushed past the calendar by the offset
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from exc


class Hours(fields.Decimal):
    """Hours given, to the quarter hour or minute: loaded as Decimal, shown as a JSON number."""

    def __init__(self, **kwargs):
        super().__init__(places=2, validate=validate.Range(min=0, max=9999.99), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)


# -- opportunities ---------------------------------------------------------------------------


class OpportunitySchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    level = choice(LEVELS, required=True)
    formal = fields.Boolean(required=True)
    channel = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=30),
        metadata={"description": 'How people take part, or the programme it belongs to ("Your Voice").'},
    )
    description = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    open = fields.Boolean(load_default=True)
    created_at = UtcDateTime(dump_only=True)


class OpportunityUpdateSchema(OpportunitySchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    level = choice(LEVELS)
    formal = fields.Boolean()
    channel = fields.String(allow_none=True, validate=validate.Length(max=30))
    description = fields.String(allow_none=True, validate=LONG_TEXT)
    open = fields.Boolean()


class OpportunityArgs(PageArgs):
    open = fields.Boolean()
    level = choice(LEVELS)
    formal = fields.Boolean()


# -- venues ----------------------------------------------------------------------------------


class VenueSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))
    features = choice_list(VENUE_FEATURES, metadata={"description": "What the venue offers disabled people."})
    created_at = UtcDateTime(dump_only=True)

    @post_load
    def _each_feature_once(self, data, **kwargs):
        if "features" in data:
            data["features"] = list(dict.fromkeys(data["features"]))
        return data


class VenueUpdateSchema(VenueSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    address = fields.String(allow_none=True, validate=validate.Length(max=500))
    features = fields.List(fields.String(validate=validate.OneOf(VENUE_FEATURES)))


class VenueArgs(PageArgs):
    feature = choice(VENUE_FEATURES)  # only venues offering this


# -- activities ------------------------------------------------------------------------------


class ActivitySchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = choice(ACTIVITY_KINDS, required=True)
    starts_at = AwareUtcDateTime(required=True)
    ends_at = AwareUtcDateTime(allow_none=True, load_default=None)
    status = choice(ACTIVITY_STATUSES, load_default="planned")
    opportunity_id = fields.Integer(validate=RECORD_ID, allow_none=True, load_default=None)
    body_id = fields.Integer(
        allow_none=True, validate=RECORD_ID, load_default=None, metadata={"description": "Set for meetings."}
    )
    area_id = fields.Integer(validate=RECORD_ID, allow_none=True, load_default=None)
    venue_id = fields.Integer(validate=RECORD_ID, allow_none=True, load_default=None)
    cost_pence = fields.Integer(load_default=0, validate=PENCE)
    description = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    is_public = fields.Boolean(
        load_default=False,
        metadata={"description": "Listed on the residents' site and its calendar feed (/p/<slug>/events)."},
    )
    created_at = UtcDateTime(dump_only=True)

    @validates_schema
    def _ends_after_start(self, data, **kwargs):
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at is not None and ends_at is not None and ends_at < starts_at:
            raise ValidationError("Cannot end before it starts.", field_name="ends_at")


class ActivityUpdateSchema(ActivitySchema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    kind = choice(ACTIVITY_KINDS)
    starts_at = AwareUtcDateTime()
    ends_at = AwareUtcDateTime(allow_none=True)
    status = choice(ACTIVITY_STATUSES)
    opportunity_id = fields.Integer(validate=RECORD_ID, allow_none=True)
    body_id = fields.Integer(validate=RECORD_ID, allow_none=True)
    area_id = fields.Integer(validate=RECORD_ID, allow_none=True)
    venue_id = fields.Integer(validate=RECORD_ID, allow_none=True)
    cost_pence = fields.Integer(validate=PENCE)
    description = fields.String(allow_none=True, validate=LONG_TEXT)
    is_public = fields.Boolean()


class ActivityArgs(PageArgs):
    kind = choice(ACTIVITY_KINDS)
    status = choice(ACTIVITY_STATUSES)
    body_id = fields.Integer(validate=RECORD_ID)
    area_id = fields.Integer(validate=RECORD_ID)
    opportunity_id = fields.Integer(validate=RECORD_ID)
    venue_id = fields.Integer(validate=RECORD_ID)
    date_from = fields.Date(data_key="from", metadata={"description": "Starting on or after this date."})
    date_to = fields.Date(data_key="to", metadata={"description": "Starting on or before this date."})

    @validates_schema
    def _range_in_order(self, data, **kwargs):
        if "date_from" in data and "date_to" in data and data["date_to"] < data["date_from"]:
            raise ValidationError("Must not be before 'from'.", field_name="to")


# -- participations --------------------------------------------------------------------------


class ParticipationSchema(Schema):
    id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(dump_only=True)
    participant_id = fields.Integer(validate=RECORD_ID, required=True)
    role = choice(PARTICIPATION_ROLES, load_default="attendee")
    attended = fields.Boolean(load_default=True)
    hours = Hours(allow_none=True, load_default=None)
    expenses_pence = fields.Integer(load_default=0, validate=PENCE)
    contribution = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    created_at = UtcDateTime(dump_only=True)


class ParticipationUpdateSchema(ParticipationSchema):
    """The person cannot change: record a new participation for someone else."""

    participant_id = fields.Integer(dump_only=True)
    role = choice(PARTICIPATION_ROLES)
    attended = fields.Boolean()
    hours = Hours(allow_none=True)
    expenses_pence = fields.Integer(validate=PENCE)
    contribution = fields.String(allow_none=True, validate=LONG_TEXT)


class ParticipationArgs(PageArgs):
    attended = fields.Boolean()
    role = choice(PARTICIPATION_ROLES)


# -- access plan -----------------------------------------------------------------------------

PROVISION_STATUSES = ("to_arrange", "venue_has", "venue_lacks", "venue_unknown", "time_suits", "time_clashes")


class LanguageNeedSchema(Schema):
    language = fields.String()
    count = fields.Integer()
    participant_ids = fields.List(fields.Integer())


class ProvisionSchema(Schema):
    item = fields.String(metadata={"description": "What to provide, e.g. transport, braille_papers."})
    count = fields.Integer(metadata={"description": "How many registered people need it."})
    participant_ids = fields.List(fields.Integer(), metadata={"description": "Who, for staff to act on."})
    status = choice(PROVISION_STATUSES)
    venue_feature = choice(VENUE_FEATURES, allow_none=True)
    languages = fields.List(fields.Nested(LanguageNeedSchema), allow_none=True)


class AccessPlanSchema(Schema):
    activity_id = fields.Integer()
    venue_id = fields.Integer(allow_none=True)
    registered = fields.Integer(metadata={"description": "People registered (participations)."})
    provisions = fields.List(fields.Nested(ProvisionSchema))
    venue_lacks = fields.List(fields.String(), metadata={"description": "Needed items the venue lacks."})
    venue_unknown = fields.List(fields.String(), metadata={"description": "Venue items unknown: no venue."})
    time_clashes = fields.List(choice(ACCESS_NEEDS), metadata={"description": "Meeting-time preferences."})


OpportunityListSchema = list_schema(OpportunitySchema, "OpportunityList")
VenueListSchema = list_schema(VenueSchema, "VenueList")
ActivityListSchema = list_schema(ActivitySchema, "ActivityList")
ParticipationListSchema = list_schema(ParticipationSchema, "ParticipationList")
