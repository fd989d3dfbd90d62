"""Schemas of participants, equality monitoring, the customer profile and the subject-access export.

Equality monitoring has input schemas only (answers go in, never come out) apart from the
aggregate summary, whose counts are already suppressed, and the person's own export.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate

from core.models.vocab import (
    ACCESS_NEEDS,
    CONSENT_METHODS,
    CONTACT_CHANNELS,
    EQUALITY_CATEGORIES,
    FORMATS,
    LEVELS,
    PREFER_NOT_TO_SAY,
)
from core.schemas.common import PageArgs, UtcDateTime, choice, choice_list, list_schema, scalar_values
from core.schemas.compiled import CompiledDump
from core.schemas.places import HouseholdSchema, NulFree, id_field

CHARACTERISTICS = tuple(EQUALITY_CATEGORIES)


def _text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def _interests(**kwargs) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(min=1, max=100)), **kwargs)


class ParticipantSchema(CompiledDump, NulFree):
    """A participant as the API shows it. Dumped through a plan made once (``CompiledDump``): the
    list of participants is the busiest list of the API."""

    id = fields.Integer(dump_only=True)
    reference = _text(64, allow_none=True, load_default=None)
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    household_id = id_field(allow_none=True, load_default=None)
    is_tenancy_holder = fields.Boolean(load_default=False)
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    phone = _text(40, allow_none=True, load_default=None)
    preferred_level = choice(LEVELS, allow_none=True, load_default=None)
    channels = choice_list(CONTACT_CHANNELS)
    formats = choice_list(FORMATS)
    language = _text(50, allow_none=True, load_default=None)
    access_needs = choice_list(ACCESS_NEEDS)
    interests = _interests(load_default=list)
    contact_consent = fields.Boolean(load_default=False)
    consent_given_on = fields.Date(allow_none=True, load_default=None)
    consent_method = choice(CONSENT_METHODS, allow_none=True, load_default=None)
    representative_name = _text(200, allow_none=True, load_default=None)
    representative_contact = _text(200, allow_none=True, load_default=None)
    erased_at = UtcDateTime(allow_none=True, dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)

    @post_load
    def tidy(self, participant, **kwargs):
        for name in ("first_name", "last_name"):
            if name in participant:
                participant[name] = participant[name].strip()
                if not participant[name]:
                    raise ValidationError("Cannot be blank.", name)
        if participant.get("reference") is not None:
            participant["reference"] = participant["reference"].strip() or None
        for name in ("channels", "formats", "access_needs", "interests"):
            if name in participant:
                participant[name] = list(dict.fromkeys(v.strip() for v in participant[name] if v.strip()))
        return participant


class ParticipantUpdateSchema(ParticipantSchema):
    reference = _text(64, allow_none=True)
    first_name = fields.String(validate=validate.Length(min=1, max=100))
    last_name = fields.String(validate=validate.Length(min=1, max=100))
    household_id = id_field(allow_none=True)
    is_tenancy_holder = fields.Boolean()
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    phone = _text(40, allow_none=True)
    preferred_level = choice(LEVELS, allow_none=True)
    channels = fields.List(fields.String(validate=validate.OneOf(CONTACT_CHANNELS)))
    formats = fields.List(fields.String(validate=validate.OneOf(FORMATS)))
    language = _text(50, allow_none=True)
    access_needs = fields.List(fields.String(validate=validate.OneOf(ACCESS_NEEDS)))
    interests = _interests()
    contact_consent = fields.Boolean()
    consent_given_on = fields.Date(allow_none=True)
    consent_method = choice(CONSENT_METHODS, allow_none=True)
    representative_name = _text(200, allow_none=True)
    representative_contact = _text(200, allow_none=True)


class ParticipantArgs(NulFree, PageArgs):
    q = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "Name or reference"})
    area_id = id_field(metadata={"description": "Living in this area or an area inside it"})
    level = choice(LEVELS)  # preferred level of involvement
    interest = fields.String(validate=validate.Length(min=1, max=100))
    format_need = choice(FORMATS, data_key="format")
    access_need = choice(ACCESS_NEEDS)
    household_id = id_field()
    body_id = id_field(metadata={"description": "Holding a seat on this body today"})
    contact_consent = fields.Boolean(metadata={"description": "Whether they consented to be contacted"})
    is_tenancy_holder = fields.Boolean()
    include_erased = fields.Boolean(load_default=False)


ParticipantListSchema = list_schema(ParticipantSchema, "ParticipantList")


def _answer(characteristic: str) -> fields.String:
    categories = (*EQUALITY_CATEGORIES[characteristic], PREFER_NOT_TO_SAY)
    return choice(categories, allow_none=True, load_default=None)


class EqualityAnswersSchema(Schema):
    """A person's answers: every question optional, each may be ``prefer_not_to_say``.

    PUT replaces the whole set, so a question left out is recorded as not answered."""

    age_band = _answer("age_band")
    sex = _answer("sex")
    ethnicity = _answer("ethnicity")
    disability = _answer("disability")
    religion = _answer("religion")
    sexual_orientation = _answer("sexual_orientation")


class RecordedSchema(Schema):
    recorded = fields.Boolean(metadata={"description": "Always true; the answers are never echoed back"})


class ObjectionSchema(Schema):
    objected_on = fields.Date(
        metadata={"description": "When the written objection was received; default today"}
    )


class ObjectionRecordedSchema(Schema):
    objected_on = fields.Date()


class EqualitySummaryArgs(Schema):
    characteristic = choice(CHARACTERISTICS, required=True)


class EqualitySummarySchema(Schema):
    characteristic = fields.String()
    threshold = fields.Integer(metadata={"description": "Counts below this are merged or suppressed"})
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(allow_none=True),
        metadata={"description": "Category → people; small categories merged into other; null = suppressed"},
    )
    prefer_not_to_say = fields.Integer(allow_none=True)
    not_recorded = fields.Integer(allow_none=True)
    as_of = fields.Date(
        allow_none=True, metadata={"description": "The day these counts were published (they move in steps)"}
    )
    reason = fields.String(allow_none=True, metadata={"description": "Why there are no counts yet"})


class CustomerProfileInput(Schema):
    """All customers' counts for one characteristic (categories are checked against it by the service)."""

    as_of = fields.Date(required=True)
    counts = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=30)),
        values=fields.Raw(),
        required=True,
        validate=scalar_values(30),
        metadata={"description": "Category → number of customers (whole number, 0 or more)"},
    )


class CustomerProfileSchema(Schema):
    characteristic = fields.String()
    as_of = fields.Date(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()


class CustomerProfileListSchema(Schema):
    items = fields.List(fields.Nested(CustomerProfileSchema))


class ExportParticipationSchema(Schema):
    activity_id = fields.Integer()
    activity_title = fields.String()
    starts_at = UtcDateTime()
    role = fields.String()
    attended = fields.Boolean()
    hours = fields.Decimal(
        as_string=True, allow_none=True, metadata={"type": "string", "format": "decimal", "example": "1.50"}
    )
    expenses_pence = fields.Integer()
    contribution = fields.String(allow_none=True)


class ExportMembershipSchema(Schema):
    body_id = fields.Integer()
    body_name = fields.String()
    seat_type = fields.String()
    role = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class ExportResponseSchema(Schema):
    consultation_id = fields.Integer()
    consultation_title = fields.String()
    channel = fields.String()
    answer = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    responded_on = fields.Date()


class ExportSurveyResponseSchema(Schema):
    survey_id = fields.Integer()
    survey_title = fields.String()
    responded_on = fields.Date()
    channel = fields.String(allow_none=True)
    answers = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))


class ExportAuditEventSchema(Schema):
    action = fields.String()
    record_type = fields.String()
    record_id = fields.Integer(allow_none=True)
    fields_changed = fields.String(attribute="fields", data_key="fields", allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class SubjectAccessSchema(Schema):
    """Everything held about one person (their own equality answers included)."""

    exported_at = UtcDateTime()
    participant = fields.Nested(ParticipantSchema)
    household = fields.Nested(HouseholdSchema, allow_none=True)
    equality_monitoring = fields.Nested(EqualityAnswersSchema, allow_none=True)
    monitoring_objection = fields.Nested(ObjectionRecordedSchema, allow_none=True)
    participations = fields.List(fields.Nested(ExportParticipationSchema))
    body_memberships = fields.List(fields.Nested(ExportMembershipSchema))
    consultation_responses = fields.List(fields.Nested(ExportResponseSchema))
    survey_responses = fields.List(fields.Nested(ExportSurveyResponseSchema))
    audit_events = fields.List(fields.Nested(ExportAuditEventSchema))
    plugins = fields.Dict(
        keys=fields.String(), values=fields.Raw(), metadata={"description": "By plugin name"}
    )


class ErasedSchema(Schema):
    erased_at = UtcDateTime()
