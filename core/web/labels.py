"""Words for the fixed vocabularies on staff pages: ``"bsl_interpreter"`` → ``"BSL interpreter"``.

The stored codes are the API's; pages show them as a person would say them, and choices for
selects, radios and checkboxes are built from the same vocabularies the schemas check against.
"""

from __future__ import annotations

from collections.abc import Iterable

SPECIAL = {
    "bsl_interpreter": "BSL interpreter",
    "step_free_access": "Step-free access",
    "sms": "Text message (SMS)",
    "email": "Email",
    "online": "Online",
    "face_to_face": "Face to face",
    "decision_making": "Decision making",
    "prefer_not_to_say": "Prefer not to say",
    "not_recorded": "Not recorded",
    "under_18": "Under 18",
    "18_24": "18 to 24",
    "25_34": "25 to 34",
    "35_44": "35 to 44",
    "45_54": "45 to 54",
    "55_64": "55 to 64",
    "65_74": "65 to 74",
    "75_plus": "75 or over",
    "gay_or_lesbian": "Gay or lesbian",
    "age_band": "Age",
    "sex": "Sex",
    "ethnicity": "Ethnic group",
    "disability": "Disability",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "none": "No religion",
}


def label(code: str | None) -> str:
    """The words for one code (an unknown code is shown tidied, never hidden)."""
    if not code:
        return ""
    return SPECIAL.get(code, code.replace("_", " ").capitalize())


def labels(codes: Iterable[str] | None) -> str:
    return ", ".join(label(code) for code in codes or [])


def choices(codes: Iterable[str], blank: str | None = None) -> list[tuple[str, str]]:
    """``(code, words)`` pairs for a WTForms field, with a first empty choice when ``blank``."""
    return ([("", blank)] if blank is not None else []) + [(code, label(code)) for code in codes]
