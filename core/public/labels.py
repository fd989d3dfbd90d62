"""Plain-English words for the vocabulary codes residents see (levels, channels, formats, access
needs, venue features, equality categories, topics), marked for translation."""

from __future__ import annotations

from flask_babel import gettext


def N_(text: str) -> str:  # noqa: N802  (marks a string for extraction; translated where shown)
    return text


SPECIAL = {
    "bsl_interpreter": N_("British Sign Language interpreter"),
    "sms": N_("Text message"),
    "face_to_face": N_("Face to face"),
    "easy_read": N_("Easy read"),
    "large_print": N_("Large print"),
    "step_free_access": N_("Step-free access"),
    "decision_making": N_("Making decisions (for example on a panel or board)"),
    "informed": N_("Being kept informed"),
    "consulted": N_("Being asked my views"),
    "involved": N_("Taking part in groups or activities"),
    "prefer_not_to_say": N_("Prefer not to say"),
    "under_18": N_("Under 18"),
    "18_24": N_("18 to 24"),
    "25_34": N_("25 to 34"),
    "35_44": N_("35 to 44"),
    "45_54": N_("45 to 54"),
    "55_64": N_("55 to 64"),
    "65_74": N_("65 to 74"),
    "75_plus": N_("75 or over"),
    "non_binary": N_("Non-binary"),
    "gay_or_lesbian": N_("Gay or lesbian"),
    "age_band": N_("Age"),
    "sex": N_("Sex"),
    "ethnicity": N_("Ethnic group"),
    "disability": N_("Do you consider yourself to have a disability?"),
    "religion": N_("Religion or belief"),
    "sexual_orientation": N_("Sexual orientation"),
    "public_transport_nearby": N_("Public transport nearby"),
}


def label(code: str | None) -> str:
    """``step_free_access`` → "Step-free access" (translated when the catalogue has it)."""
    if not code:
        return ""
    text = SPECIAL.get(code) or code.replace("_", " ").capitalize()
    return gettext(text)
