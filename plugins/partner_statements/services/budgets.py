"""The involvement budget per financial year (seed 3.10: involvement is allocated a budget that
reflects its importance), set beside what core's spend records show was spent that year."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.models import Spend
from core.periods import Period
from plugins.partner_statements.models import InvolvementBudget


def spent(period_label: str) -> int:
    """Pence spent on involvement in the financial year (core spend records)."""
    period = Period.parse(period_label)
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(Spend.amount_pence), 0)).where(
                Spend.spent_on.between(period.start, period.end)
            )
        )
    )


def record(values: dict) -> InvolvementBudget:
    """Record (or replace) the budget of a year; the row carries ``spent_pence`` for display."""
    budget = db.session.scalar(select(InvolvementBudget).where(InvolvementBudget.period == values["period"]))
    if budget is None:
        budget = InvolvementBudget(period=values["period"], amount_pence=0)
        db.session.add(budget)
    budget.amount_pence, budget.notes = values["amount_pence"], values.get("notes")
    db.session.flush()
    budget.spent_pence = spent(budget.period)
    return budget
