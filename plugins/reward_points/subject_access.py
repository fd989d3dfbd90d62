"""What Your Voice holds about a person, for their subject-access export."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from plugins.reward_points.ledger import balance
from plugins.reward_points.models import RewardConversion, RewardEntry, RewardMember


def export_for(participant_id: int) -> dict | None:
    member = db.session.scalar(select(RewardMember).where(RewardMember.participant_id == participant_id))
    if member is None:
        return None
    entries = db.session.scalars(
        select(RewardEntry).where(RewardEntry.member_id == member.id).order_by(RewardEntry.id)
    ).all()
    conversions = db.session.scalars(
        select(RewardConversion).where(RewardConversion.member_id == member.id).order_by(RewardConversion.id)
    ).all()
    return {
        "member_id": member.id,
        "joined_on": member.joined_on.isoformat(),
        "left_on": member.left_on.isoformat() if member.left_on else None,
        "reward_choice": member.reward_choice,
        "retailer": member.retailer,
        "charity": member.charity,
        "balance": balance(member.id),
        "entries": [
            {
                "kind": e.kind,
                "points": e.points,
                "occurred_on": e.occurred_on.isoformat(),
                "involvement_type": e.involvement_type,
                "reason": e.reason,
            }
            for e in entries
        ],
        "conversions": [
            {
                "scheme_year": c.scheme_year,
                "points": c.points,
                "value_pence": c.value_pence,
                "reward_choice": c.reward_choice,
                "retailer": c.retailer,
                "charity": c.charity,
            }
            for c in conversions
        ],
    }
