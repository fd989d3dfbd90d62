"""The group's review of a partner's published impact assessment (seed 5.4, 7.2): one review per
partner and year, only once the partner has published that year's assessment; a review asking for
changes says what to change (the schema's rule)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Organisation
from core.periods import Period
from plugins.partner_statements.models import AssessmentReview
from plugins.partner_statements.services import oversight
from plugins.partner_statements.services.common import partners_of


def record(group: Organisation, values: dict, actor_id: int | None, today: date) -> AssessmentReview:
    partners = {p.id: p for p in partners_of(group)}
    if values["partner_id"] not in partners:
        raise ValidationFailed({"partner_id": ["Not a partner of this group."]})
    status = oversight._assessment_statuses(
        [partners[values["partner_id"]]], Period.parse(values["period"]), actor_id
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
    review = AssessmentReview(**values, reviewed_on=today, reviewer_id=actor_id)
    db.session.add(review)
    db.session.flush()
    return review
