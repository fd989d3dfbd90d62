"""Words for the fixed vocabularies on staff pages: ``"bsl_interpreter"`` → ``"BSL interpreter"``.

The stored codes are the API's; pages show them as a person would say them, and choices for
selects, radios and checkboxes are built from the same vocabularies the schemas check against;
money in pence is shown as pounds ("£12.50") and typed in pounds (:class:`PoundsField`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from wtforms import StringField

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


def choices(
    codes: Iterable[str], blank: str | None = None, *, empty: str | None = None
) -> list[tuple[str, str]]:
    """``(code, words)`` pairs for a WTForms field, after a first empty choice named ``blank``
    (or ``empty``)."""
    first = blank if blank is not None else empty
    return ([("", first)] if first is not None else []) + [(code, label(code)) for code in codes]


def pounds(pence: int | None) -> str:
    """Pence as pounds: 1250 → "£12.50"."""
    return f"£{(pence or 0) / 100:,.2f}"


class PoundsField(StringField):
    """An amount typed in pounds ("12.50", "£3") whose ``data`` is whole pence for the API's
    ``*_pence`` field; the schema judges the amount (its range), this only reads it."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()[:20]
        self.data = None
        text = self.raw.replace("£", "").replace(",", "").strip()
        if not text:
            return
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            self.process_errors.append("Enter an amount in pounds and pence, like 12.50")
            return
        self.data = int(amount * 100)

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return "" if self.data in (None, "") else f"{int(self.data) / 100:.2f}"
