"""Financial years and quarters."""

from datetime import date

import pytest

from core.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025-26", date(2025, 4, 1), date(2026, 3, 31)),
        ("2025-26-Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025-26-Q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-26-Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("1999-00", date(1999, 4, 1), date(2000, 3, 31)),
    ],
)
def test_parse(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end, str(period)) == (start, end, text)


@pytest.mark.parametrize(
    "text", ["2025", "2025-27", "2025-26-Q5", "25-26", "", "2025-26-q1", "9999-00", "1899-00"]
)
def test_bad_periods_are_refused(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_previous_and_containment():
    assert str(Period.parse("2025-26").previous()) == "2024-25"
    assert str(Period.parse("2025-26-Q1").previous()) == "2024-25-Q4"
    assert str(Period.parse("2025-26-Q3").previous()) == "2025-26-Q2"
    assert date(2026, 3, 31) in Period.parse("2025-26")
    assert str(Period.financial_year_of(date(2026, 3, 31))) == "2025-26"
    assert str(Period.financial_year_of(date(2026, 4, 1))) == "2026-27"
