"""What the public grants page publishes: the grant types on offer and the grants awarded to
residents' groups (awarded or paid), newest first, with the group's name, the purpose and the
amount. Applications still being assessed, refusals, assessments and monitoring notes are staff
records and never read here; a group is a body, so no person is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core.extensions import db
from core.models import Body
from plugins.street_reps.models import Grant
from plugins.street_reps.services.common import pounds

AWARDED = ("awarded", "paid")
SHOWN = 100


@dataclass
class AwardedGrant:
    group: str
    grant_type: str
    purpose: str
    amount: str
    awarded_on: date


def awarded_grants(limit: int = SHOWN) -> list[AwardedGrant]:
    """Grants awarded to residents' groups, most recent award first."""
    rows = db.session.execute(
        select(Grant, Body.name)
        .join(Body, Body.id == Grant.body_id)
        .where(Grant.status.in_(AWARDED), Grant.awarded_on.is_not(None))
        .order_by(Grant.awarded_on.desc(), Grant.id.desc())
        .limit(limit)
    ).all()
    return [
        AwardedGrant(
            group=name,
            grant_type=grant.grant_type,
            purpose=grant.purpose,
            amount=pounds(grant.awarded_pence or 0),
            awarded_on=grant.awarded_on,
        )
        for grant, name in rows
    ]
