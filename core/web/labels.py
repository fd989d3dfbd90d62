"""Words for the fixed vocabularies on staff pages: ``hearing_loop`` → "Hearing loop", choices
for select boxes and checkboxes, and money in pence shown as pounds ("£12.50")."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from wtforms import StringField


def label(code: str | None) -> str:
    """A vocabulary code as words (``scrutiny_panel`` → "Scrutiny panel")."""
    return (code or "").replace("_", " ").capitalize()


def choices(codes: Iterable[str], empty: str | None = None) -> list[tuple[str, str]]:
    """``(code, words)`` pairs, after an empty choice when ``empty`` names it."""
    first = [("", empty)] if empty is not None else []
    return first + [(code, label(code)) for code in codes]


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
