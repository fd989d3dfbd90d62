"""Plain-English words for the vocabulary codes residents see (levels, channels, formats, access
needs, venue features, equality categories and answers), marked for translation.

Every code a resident can meet is listed in ``LABELS`` so that ``pybabel extract`` finds its words
and the Welsh catalogue can translate them; a code not listed (a landlord's own topic, say) falls
back to its code written as words, in English."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import format_date, gettext


def N_(text: str) -> str:  # noqa: N802  (marks a string for extraction; translated where shown)
    return text


LABELS = {
    # How involved a resident wants to be (LEVELS)
    "informed": N_("Being kept informed"),
    "consulted": N_("Being asked my views"),
    "involved": N_("Taking part in groups or activities"),
    "decision_making": N_("Making decisions (for example on a panel or board)"),
    # How to contact them (CONTACT_CHANNELS)
    "post": N_("Post"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "sms": N_("Text message"),
    "online": N_("Online"),
    "face_to_face": N_("Face to face"),
    # Formats (FORMATS)
    "standard": N_("Standard"),
    "large_print": N_("Large print"),
    "braille": N_("Braille"),
    "audio": N_("Audio"),
    "easy_read": N_("Easy read"),
    # Support to take part (ACCESS_NEEDS) and venues' features (VENUE_FEATURES)
    "hearing_loop": N_("Hearing loop"),
    "bsl_interpreter": N_("British Sign Language interpreter"),
    "language_interpreter": N_("Language interpreter"),
    "transport": N_("Transport"),
    "step_free_access": N_("Step-free access"),
    "accessible_toilet": N_("Accessible toilet"),
    "daytime_meetings": N_("Daytime meetings"),
    "evening_meetings": N_("Evening meetings"),
    "childcare": N_("Childcare"),
    "carer_or_assistant": N_("Carer or assistant"),
    "accessible_parking": N_("Accessible parking"),
    "public_transport_nearby": N_("Public transport nearby"),
    "quiet_room": N_("Quiet room"),
    # Equality questions (EQUALITY_CATEGORIES) and their answers
    "age_band": N_("Age"),
    "sex": N_("Sex"),
    "ethnicity": N_("Ethnic group"),
    "disability": N_("Do you consider yourself to have a disability?"),
    "religion": N_("Religion or belief"),
    "sexual_orientation": N_("Sexual orientation"),
    "prefer_not_to_say": N_("Prefer not to say"),
    "under_18": N_("Under 18"),
    "18_24": N_("18 to 24"),
    "25_34": N_("25 to 34"),
    "35_44": N_("35 to 44"),
    "45_54": N_("45 to 54"),
    "55_64": N_("55 to 64"),
    "65_74": N_("65 to 74"),
    "75_plus": N_("75 or over"),
    "female": N_("Female"),
    "male": N_("Male"),
    "non_binary": N_("Non-binary"),
    "other": N_("Other"),
    "asian": N_("Asian"),
    "black": N_("Black"),
    "mixed": N_("Mixed"),
    "white": N_("White"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "none": N_("No religion"),
    "christian": N_("Christian"),
    "buddhist": N_("Buddhist"),
    "hindu": N_("Hindu"),
    "jewish": N_("Jewish"),
    "muslim": N_("Muslim"),
    "sikh": N_("Sikh"),
    "heterosexual": N_("Heterosexual"),
    "gay_or_lesbian": N_("Gay or lesbian"),
    "bisexual": N_("Bisexual"),
}


def label(code: str | None) -> str:
    """``step_free_access`` → "Step-free access" (translated when the catalogue has it)."""
    if not code:
        return ""
    text = LABELS.get(code) or code.replace("_", " ").capitalize()
    return gettext(text)


def error_message(messages) -> dict | None:
    """A field's messages as a GOV.UK error message (``errors.answer | error_message``), its hidden
    "Error:" prefix in the resident's language; None when the field has none."""
    if not messages:
        return None
    return {"text": " ".join(messages), "visuallyHiddenText": gettext("Error")}


def resident_date(value: Any) -> str:
    """A date, a datetime (UTC kept, shown in the UK's time) or their ISO text as "5 December 2026"
    in the resident's language ("5 Rhagfyr 2026"); anything else as it is."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, date):
        return "" if value is None else str(value)
    return format_date(value, "d MMMM y")


def in_language(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """A service's field messages in the resident's language: each message the catalogue knows is
    translated (the shared schemas' fixed messages are listed in ``SERVICE_MESSAGES``), any other
    stays as the service wrote it."""
    return {name: [gettext(str(message)) for message in messages] for name, messages in fields.items()}


# Fixed messages of the shared services and schemas that residents' forms can show, listed here so
# that the catalogue translates them (the API keeps the English words).
SERVICE_MESSAGES = (
    N_("Enter your email address."),
    N_("Not a valid email address."),
    N_("Longer than maximum length 254."),
    N_("Longer than maximum length 50."),
    N_("Longer than maximum length 40."),
)
