"""Plain-English words for the vocabulary codes residents see (levels, channels, formats, access
needs, venue features, equality categories, topics), marked for translation."""

from __future__ import annotations

from flask_babel import gettext

SPECIAL = {
    "bsl_interpreter": "British Sign Language interpreter",
    "sms": "Text message",
    "face_to_face": "Face to face",
    "easy_read": "Easy read",
    "large_print": "Large print",
    "step_free_access": "Step-free access",
    "decision_making": "Making decisions (for example on a panel or board)",
    "informed": "Being kept informed",
    "consulted": "Being asked my views",
    "involved": "Taking part in groups or activities",
    "prefer_not_to_say": "Prefer not to say",
    "under_18": "Under 18",
    "18_24": "18 to 24",
    "25_34": "25 to 34",
    "35_44": "35 to 44",
    "45_54": "45 to 54",
    "55_64": "55 to 64",
    "65_74": "65 to 74",
    "75_plus": "75 or over",
    "non_binary": "Non-binary",
    "gay_or_lesbian": "Gay or lesbian",
    "age_band": "Age",
    "sex": "Sex",
    "ethnicity": "Ethnic group",
    "disability": "Do you consider yourself to have a disability?",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "public_transport_nearby": "Public transport nearby",
}


def label(code: str | None) -> str:
    """``step_free_access`` → "Step-free access" (translated when the catalogue has it)."""
    if not code:
        return ""
    text = SPECIAL.get(code) or code.replace("_", " ").capitalize()
    return gettext(text)
