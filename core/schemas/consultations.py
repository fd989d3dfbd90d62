"""Schemas of consultations, their responses, the "you said, we did" feedback and staff notifications.

A consultation's ``status``, ``response_count``, ``feedback``, ``feedback_on_time`` and linked
``improvements`` are read-only: the service computes them (in SQL, for a whole page at once) and
hangs them on the records before they are dumped. ``record_id`` and ``calendar_date`` bound ids and
dates to what the database and date arithmetic can hold, so no input reaches the database as an
out-of-range value (which PostgreSQL would answer with an error, not a 422).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.models.vocab import RESPONSE_CHANNELS
from core.schemas.common import PageArgs, UtcDateTime, calendar_date, choice, list_schema, record_id
from core.services.easy_read import DESCRIPTION_LIMIT as EASY_READ_DESCRIPTION_LIMIT
from core.services.easy_read import URL_LIMIT as EASY_READ_URL_LIMIT

CONSULTATION_STATUSES = ("planned", "open", "closed", "cancelled")
LONG_TEXT = validate.Length(max=20000)


class ConsultationFeedbackSchema(Schema):
    """What residents said and what was done; ``published_on`` empty = a draft not yet published."""

    consultation_id = fields.Integer(dump_only=True)
    you_said = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    we_did = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1, max=20000),
        metadata={"description": "What was done; needed unless why_we_did_not is given"},
    )
    why_we_did_not = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1, max=20000),
        metadata={"description": 'Why a suggestion was not taken up ("you said, we didn\'t, because")'},
    )
    published_on = calendar_date(allow_none=True, load_default=None)
    on_time = fields.Boolean(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "published_on ≤ the consultation's feedback_due_on, and never later than "
            "its feedback_guaranteed_by; null until published"
        },
    )
    within_extension = fields.Boolean(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Published after the guarantee but by an extended due date (not on time)"},
    )
    created_at = UtcDateTime(dump_only=True)


class ImprovementLinkSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)


class ConsultationSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    topic = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "One of the organisation's consultation_topics (its tenants_config "
            'file), or "other" with a topic_description; free text where the organisation sets no list'
        },
    )
    topic_description = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=300),
        metadata={"description": 'What it is about, required when topic is "other" (kept only then)'},
    )
    audience = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=300))
    description = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    opens_on = calendar_date(required=True)
    closes_on = calendar_date(required=True, metadata={"description": "On or after opens_on"})
    feedback_due_on = calendar_date(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "Default: closes_on + the organisation's feedback_period_months (3), the "
            "guarantee; a later date is an extension (org admins, with feedback_extension_reason)"
        },
    )
    feedback_extension_reason = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "Why feedback_due_on is beyond the guarantee (org admins only)"},
    )
    feedback_guaranteed_by = calendar_date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "closes_on + feedback_period_months: feedback_on_time is measured by it"},
    )
    feedback_extended = fields.Boolean(
        dump_only=True, metadata={"description": "feedback_due_on is later than feedback_guaranteed_by"}
    )
    feedback_extended_by_id = fields.Integer(dump_only=True, allow_none=True)
    feedback_within_extension = fields.Boolean(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Feedback published after the guarantee, within the extension"},
    )
    owner_id = record_id(
        allow_none=True,
        load_default=None,
        metadata={"description": "The member of staff notified as feedback falls due"},
    )
    area_id = record_id(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The area of this organisation it concerns (none: everywhere); residents "
            'filter "you said, we did" by it'
        },
    )
    easy_read_url = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=EASY_READ_URL_LIMIT),
        metadata={
            "description": "A link (https:// or http://) to the landlord's own easy-read version, shown "
            "on the residents' site"
        },
    )
    easy_read_description = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=EASY_READ_DESCRIPTION_LIMIT),
        metadata={"description": 'What the easy-read version is, e.g. "PDF, 8 pages" (needs easy_read_url)'},
    )
    status = fields.String(dump_only=True, metadata={"enum": list(CONSULTATION_STATUSES)})
    response_count = fields.Integer(dump_only=True)
    feedback = fields.Nested(ConsultationFeedbackSchema, dump_only=True, allow_none=True)
    feedback_on_time = fields.Boolean(dump_only=True, allow_none=True)
    improvements = fields.List(fields.Nested(ImprovementLinkSchema), dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class ConsultationUpdateSchema(ConsultationSchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    topic = fields.String(validate=validate.Length(min=1, max=100))
    audience = fields.String(allow_none=True, validate=validate.Length(max=300))
    description = fields.String(allow_none=True, validate=LONG_TEXT)
    opens_on = calendar_date()
    closes_on = calendar_date()
    feedback_due_on = calendar_date(allow_none=True)
    topic_description = fields.String(allow_none=True, validate=validate.Length(max=300))
    feedback_extension_reason = fields.String(allow_none=True, validate=validate.Length(max=2000))
    owner_id = record_id(allow_none=True)
    area_id = record_id(allow_none=True)
    easy_read_url = fields.String(allow_none=True, validate=validate.Length(max=EASY_READ_URL_LIMIT))
    easy_read_description = fields.String(
        allow_none=True, validate=validate.Length(max=EASY_READ_DESCRIPTION_LIMIT)
    )
    status = fields.String(
        load_only=True,
        validate=validate.OneOf(("cancelled", "open")),
        metadata={
            "enum": ["cancelled", "open"],
            "description": '"cancelled" cancels; "open" un-cancels (status is then computed again)',
        },
    )


class ConsultationArgs(PageArgs):
    status = choice(CONSULTATION_STATUSES)
    topic = fields.String(validate=validate.Length(max=100))
    owner_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    area_id = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "Concerning this area or an area inside it"},
    )
    overdue = fields.Boolean(
        metadata={"description": "true: closed, feedback due date passed, nothing published, not cancelled"}
    )
    due_within_days = fields.Integer(
        validate=validate.Range(min=0, max=366),
        metadata={"description": "Unpublished feedback due between today and today + N days"},
    )


class ConsultationResponseSchema(Schema):
    id = fields.Integer(dump_only=True)
    consultation_id = fields.Integer(dump_only=True)
    channel = choice(RESPONSE_CHANNELS, required=True)
    participant_id = record_id(allow_none=True, load_default=None)
    answer = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    comment = fields.String(allow_none=True, load_default=None, validate=LONG_TEXT)
    responded_on = calendar_date(
        load_default=None,
        metadata={"description": "Default today; not before opens_on nor in the future"},
    )
    late = fields.Boolean(
        dump_only=True, metadata={"description": "Received after closes_on (accepted, and flagged)"}
    )
    respondent_name = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=200),
        metadata={
            "description": "Given by someone not on the register (optional; online responses). "
            "Personal details: null for readers without people.read"
        },
    )
    respondent_contact = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=254),
        metadata={
            "description": "How to reach them about it, if they want a reply (optional). Personal "
            "details: null for readers without people.read"
        },
    )
    created_at = UtcDateTime(dump_only=True)


class ConsultationResponseArgs(PageArgs):
    channel = choice(RESPONSE_CHANNELS)
    participant_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class NotificationSchema(Schema):
    id = fields.Integer(dump_only=True)
    subject = fields.String(dump_only=True)
    body = fields.String(dump_only=True, allow_none=True)
    link = fields.String(dump_only=True, allow_none=True)
    role = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Set when addressed to a role: everyone with it or a higher one gets it"},
    )
    read = fields.Function(
        lambda notification: _seen_at(notification) is not None, dump_only=True, metadata={"type": "boolean"}
    )
    read_at = fields.Function(
        lambda notification: _utc_text(_seen_at(notification)),
        dump_only=True,
        allow_none=True,
        metadata={"type": "string", "format": "date-time", "description": "When you read it"},
    )
    created_at = UtcDateTime(dump_only=True)


def _seen_at(notification):
    """When the reader read it: set by the notifications service; the row's own ``read_at`` else."""
    return getattr(notification, "seen_at", notification.read_at)


def _utc_text(moment):
    if moment is None:
        return None
    return UtcDateTime()._serialize(moment, "read_at", None)


class NotificationArgs(PageArgs):
    unread = fields.Boolean(metadata={"description": "true: only notifications not yet read"})


ConsultationListSchema = list_schema(ConsultationSchema, "ConsultationList")
ConsultationResponseListSchema = list_schema(ConsultationResponseSchema, "ConsultationResponseList")
NotificationListSchema = list_schema(NotificationSchema, "NotificationList")
