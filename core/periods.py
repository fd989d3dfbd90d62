"""Reporting periods: UK financial years (``2025-26`` = 1 April 2025 – 31 March 2026) and quarters.

``Period.parse`` accepts ``YYYY-YY`` and ``YYYY-YY-QN`` and refuses anything else (a year whose
second half is not the next year, a quarter outside 1–4) with a message fit for a 422.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})-(\d{2})(?:-Q([1-4]))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    label: str

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(text or "")
        if not match:
            raise PeriodError(
                f"{text!r} is not a period: use a financial year like 2025-26 or a quarter like 2025-26-Q1"
            )
        first, second, quarter = int(match[1]), int(match[2]), match[3]
        if not 1900 <= first <= 2998:
            raise PeriodError(f"{text!r}: the year must be between 1900 and 2998")
        if (first + 1) % 100 != second:
            raise PeriodError(f"{text!r}: {second:02d} does not follow {first}")
        if quarter is None:
            return cls(date(first, 4, 1), date(first + 1, 3, 31), text)
        q = int(quarter)
        start_month = 4 + 3 * (q - 1)
        start_year = first if start_month <= 12 else first + 1
        start_month = start_month if start_month <= 12 else start_month - 12
        end_month = start_month + 2
        ends = {6: 30, 9: 30, 12: 31, 3: 31}
        return cls(date(start_year, start_month, 1), date(start_year, end_month, ends[end_month]), text)

    @classmethod
    def financial_year_of(cls, day: date) -> Period:
        first = day.year if day.month >= 4 else day.year - 1
        return cls.parse(f"{first}-{(first + 1) % 100:02d}")

    @property
    def is_quarter(self) -> bool:
        return "-Q" in self.label

    def previous(self) -> Period:
        first = int(self.label[:4])
        if not self.is_quarter:
            return Period.parse(f"{first - 1}-{first % 100:02d}")
        q = int(self.label[-1])
        if q > 1:
            return Period.parse(f"{self.label[:7]}-Q{q - 1}")
        return Period.parse(f"{first - 1}-{first % 100:02d}-Q4")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
