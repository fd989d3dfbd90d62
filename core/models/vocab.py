"""The fixed vocabularies of the core records (API.md names; never rename a value)."""

AREA_KINDS = ("management_area", "neighbourhood", "estate", "street", "block")
TENURES = (
    "general_needs",
    "supported",
    "sheltered",
    "leasehold",
    "shared_ownership",
    "rent_to_buy",
    "market_rent",
    "temporary",
)
LEVELS = ("informed", "consulted", "involved", "decision_making")
CONTACT_CHANNELS = ("post", "phone", "email", "sms", "online", "face_to_face")
FORMATS = ("standard", "large_print", "braille", "audio", "easy_read")
ACCESS_NEEDS = (
    "hearing_loop",
    "bsl_interpreter",
    "language_interpreter",
    "transport",
    "step_free_access",
    "accessible_toilet",
    "daytime_meetings",
    "evening_meetings",
    "childcare",
    "carer_or_assistant",
)
CONSENT_METHODS = ("written", "online", "verbal", "phone", "email")
ACTIVITY_KINDS = (
    "meeting",
    "event",
    "walkabout",
    "inspection",
    "training",
    "survey",
    "volunteering",
    "focus_group",
    "other",
)
ACTIVITY_STATUSES = ("planned", "held", "cancelled")
PARTICIPATION_ROLES = ("attendee", "member", "chair", "volunteer", "inspector", "representative")
BODY_KINDS = (
    "board",
    "committee",
    "scrutiny_panel",
    "forum",
    "panel",
    "residents_association",
    "task_group",
    "partnership",
)
SEAT_TYPES = ("resident", "independent", "councillor", "staff")
MEMBERSHIP_ROLES = ("chair", "vice_chair", "member")
RESPONSE_CHANNELS = ("online", "post", "phone", "face_to_face", "assisted")
RECOMMENDATION_RESPONSES = ("accepted", "partly_accepted", "rejected")
RECOMMENDATION_STATUSES = ("awaiting_response", "in_progress", "implemented", "closed")
IMPROVEMENT_SOURCES = ("consultation", "scrutiny", "complaint", "survey", "forum", "other")
SPEND_CATEGORIES = ("grants", "expenses", "training", "events", "rewards", "staff", "other")
ACTION_STATUSES = ("not_started", "in_progress", "done", "dropped")
VENUE_FEATURES = (
    "step_free_access",
    "hearing_loop",
    "accessible_toilet",
    "accessible_parking",
    "public_transport_nearby",
    "quiet_room",
)

PREFER_NOT_TO_SAY = "prefer_not_to_say"
EQUALITY_CATEGORIES = {
    "age_band": ("under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"),
    "sex": ("female", "male", "non_binary", "other"),
    "ethnicity": ("asian", "black", "mixed", "white", "other"),
    "disability": ("yes", "no"),
    "religion": ("none", "christian", "buddhist", "hindu", "jewish", "muslim", "sikh", "other"),
    "sexual_orientation": ("heterosexual", "gay_or_lesbian", "bisexual", "other"),
}
