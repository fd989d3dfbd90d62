"""The plugin's per-organisation settings; every field has a default so ``{}`` loads.

Defaults follow Halton's policy (seed 001), so an organisation enabling the plugin without
settings gets the Trust's own rules.
"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.models.vocab import CONTACT_CHANNELS, SPEND_CATEGORIES, TENURES

GRANT_TYPES = ("start_up", "annual", "development")
BOARD_PIS = ("community_events", "estate_walkabouts", "customer_profiling")
# Tenures whose households hold a tenancy (leaseholders and shared owners do not).
TENANCY_TENURES = ("general_needs", "supported", "sheltered", "rent_to_buy", "market_rent", "temporary")
CONSULTATION_TOPICS = (
    "business_planning",
    "housing_strategy",
    "investment_priorities",
    "service_standards_and_targets",
    "service_and_performance_reviews",
    "regeneration_redevelopment_and_repairs",
    "environmental_works",
    "tenancy_conditions",
    "housing_management",
    "rent_and_service_charges",
    "community_safety",
    "equality_and_diversity",
    "customer_information",
    "complaints_procedure",
)


def _list_of(values, default):
    return fields.List(
        fields.String(validate=validate.OneOf(values)),
        load_default=lambda: list(default),
        validate=validate.Length(min=1),
    )


class StreetRepsSettings(Schema):
    max_tenancy_holders_per_rep = fields.Integer(load_default=30, validate=validate.Range(min=1, max=1000))
    tenancy_tenures = _list_of(TENURES, TENANCY_TENURES)
    board_reserved_seats_numerator = fields.Integer(load_default=1, validate=validate.Range(min=0, max=100))
    board_reserved_seats_denominator = fields.Integer(load_default=3, validate=validate.Range(min=1, max=100))
    customer_forum_meetings_per_year = fields.Integer(load_default=6, validate=validate.Range(min=1, max=52))
    customer_forum_full_membership_meetings_per_year = fields.Integer(
        load_default=2, validate=validate.Range(min=0, max=52)
    )
    customer_forum_full_membership_councillors = fields.Integer(
        load_default=3, validate=validate.Range(min=0, max=50)
    )
    customer_forum_full_membership_independent_members = fields.Integer(
        load_default=3, validate=validate.Range(min=0, max=50)
    )
    forum_spend_category = fields.String(load_default="other", validate=validate.OneOf(SPEND_CATEGORIES))
    customer_panel_channels = _list_of(CONTACT_CHANNELS, ("post", "phone"))
    walkabout_timetable_public = fields.Boolean(load_default=True)
    walkabout_outcomes_public = fields.Boolean(load_default=True)
    customer_inspectors_require_training = fields.Boolean(load_default=True)
    grant_types = _list_of(GRANT_TYPES, GRANT_TYPES)
    start_up_grant_once_per_group = fields.Boolean(load_default=True)
    grant_monitoring_return_months = fields.Integer(load_default=12, validate=validate.Range(min=1, max=60))
    view_answer_days = fields.Integer(load_default=28, validate=validate.Range(min=1, max=365))
    trust_membership_requires_tenancy = fields.Boolean(load_default=True)
    quarterly_board_pis = _list_of(BOARD_PIS, BOARD_PIS)
    consultation_topics = _list_of(CONSULTATION_TOPICS, CONSULTATION_TOPICS)

    @validates_schema
    def _fraction_at_most_one(self, data, **kwargs):
        numerator = data.get("board_reserved_seats_numerator", 1)
        denominator = data.get("board_reserved_seats_denominator", 3)
        if numerator > denominator:
            raise ValidationError(
                "The reserved share of Board seats cannot be more than all of them.",
                "board_reserved_seats_numerator",
            )
        full = data.get("customer_forum_full_membership_meetings_per_year", 2)
        if full > data.get("customer_forum_meetings_per_year", 6):
            raise ValidationError(
                "More full-membership meetings than meetings a year.",
                "customer_forum_full_membership_meetings_per_year",
            )


def load_settings(raw: dict | None) -> dict:
    """Stored settings completed with today's defaults (a key added later gets its default)."""
    return StreetRepsSettings().load(dict(raw or {}))


def current_settings() -> dict:
    """The settings of the organisation of the request or job in scope."""
    from core.plugin_kit import plugin_settings

    return plugin_settings("street_reps")
