"""Form fields the GOV.UK patterns need that WTForms lacks.

- :class:`GovDateField`: the GOV.UK date input (day, month and year boxes: ``<name>-day`` …).
- :class:`MultiCheckboxField`: a list of choices shown as checkboxes.

Fields carry no rules of their own beyond reading the input: the API's schema and services judge
the values, so a page and the API refuse the same input with the same words.
"""

from __future__ import annotations

from datetime import date

from wtforms import Field, SelectMultipleField
from wtforms.utils import unset_value


class GovDateField(Field):
    """A date typed into three boxes; empty boxes are no date."""

    widget = None  # drawn by the toolkit's field macro with govukDateInput

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parts = {"day": "", "month": "", "year": ""}

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.data = data if data not in (None, unset_value) else self.default
        if isinstance(self.data, date):
            self.parts = {
                "day": str(self.data.day),
                "month": str(self.data.month),
                "year": str(self.data.year),
            }
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in self.parts):
            self.parts = {
                part: (formdata.get(f"{self.name}-{part}") or "").strip()[:4] for part in self.parts
            }
            self.data = None
            if any(self.parts.values()):
                try:
                    self.data = date(
                        int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"])
                    )
                except ValueError:
                    self.data = None
                    self.process_errors.append(f"{self.label.text} must be a real date")

    def _value(self):
        return self.data.isoformat() if isinstance(self.data, date) else ""


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (the field macro draws govukCheckboxes)."""
