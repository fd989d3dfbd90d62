"""What the group and each partner record about oversight: the group's review of a partner's
published impact assessment, and a partner's involvement budget beside what it spent.

One review per partner and year, only of a published assessment (409 otherwise); a budget is
recorded or replaced per financial year. Callers commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Organisation, Spend
from core.periods import Period
from plugins.partner_statements.models import AssessmentReview, InvolvementBudget
from plugins.partner_statements.services import oversight
from plugins.partner_statements.services.common import partners_of


def record_review(group: Organisation, values: dict[str, Any], reviewer_id: int | None) -> AssessmentReview:
    """Review a partner's published impact assessment."""
    partners = {p.id: p for p in partners_of(group)}
    if values["partner_id"] not in partners:
        raise ValidationFailed({"partner_id": ["Not a partner of this group."]})
    status = oversight._assessment_statuses(
        [partners[values["partner_id"]]], Period.parse(values["period"]), reviewer_id
    )
    if (status.get(values["partner_id"]) or {}).get("status") != "published":
        raise Conflict("The partner has not published its impact assessment for that year yet.")
    exists = db.session.scalar(
        select(AssessmentReview.id).where(
            AssessmentReview.partner_id == values["partner_id"], AssessmentReview.period == values["period"]
        )
    )
    if exists is not None:
        raise Conflict("This assessment has already been reviewed; change that review instead.")
    review = AssessmentReview(**values, reviewed_on=plugin_kit.today(), reviewer_id=reviewer_id)
    db.session.add(review)
    db.session.flush()
    return review


def spent_in(period_label: str) -> int:
    """Pence of core spend records in the financial year ``period_label``."""
    period = Period.parse(period_label)
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(Spend.amount_pence), 0)).where(
                Spend.spent_on.between(period.start, period.end)
            )
        )
    )


def save_budget(values: dict[str, Any]) -> InvolvementBudget:
    """Record (or replace) the involvement budget of a year."""
    budget = db.session.scalar(select(InvolvementBudget).where(InvolvementBudget.period == values["period"]))
    if budget is None:
        budget = InvolvementBudget(period=values["period"], amount_pence=0)
        db.session.add(budget)
    budget.amount_pence, budget.notes = values["amount_pence"], values.get("notes")
    db.session.flush()
    return budget
