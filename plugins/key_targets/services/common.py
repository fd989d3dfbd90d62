"""What every part of the plugin shares: the organisation's loaded settings, dates, rounding, and
the core action plans that inspection failures and mystery-shopping findings are filed under."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import ActionPlan, ActionPlanItem
from core.periods import Period

PLUGIN = "key_targets"
ONE_DECIMAL = Decimal("0.1")


def settings() -> dict[str, Any]:
    """The organisation's settings with every default filled in."""
    return plugin_kit.plugin_settings(PLUGIN)


def rounded(value: Decimal | float | int | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def percent(numerator: int | None, denominator: int | None) -> float | None:
    """numerator ÷ denominator × 100 to one decimal; None with nothing to divide by."""
    return plugin_kit.percent(numerator, denominator)


def same_period_last_year(period: Period) -> Period:
    """2025-26 → 2024-25, 2025-26-Q2 → 2024-25-Q2: strands are compared year on year."""
    first = int(period.label[:4]) - 1
    suffix = period.label[7:]
    return Period.parse(f"{first}-{(first + 1) % 100:02d}{suffix}")


def action_item(
    plan_title: str, on: date, *, title: str, due_on: date, owner: str | None, progress: str | None
):
    """File an action in the core action plan ``"<plan_title> <financial year>"`` (made on first use),
    so the landlord's usual action tracking (overdue lists, status) covers it."""
    year = Period.financial_year_of(on).label
    full_title = f"{plan_title} {year}"
    plan = db.session.scalar(
        select(ActionPlan).where(ActionPlan.title == full_title, ActionPlan.period == year)
    )
    if plan is None:
        plan = ActionPlan(
            title=full_title, period=year, description="Actions raised by the key_targets plugin."
        )
        db.session.add(plan)
        db.session.flush()
    item = ActionPlanItem(
        plan_id=plan.id,
        title=title[:300],
        due_on=due_on,
        owner=owner,
        progress=progress,
        status="not_started",
    )
    db.session.add(item)
    db.session.flush()
    return item
