"""What converting a scheme year would pay, before it is run: the members still to convert, their
points and value at today's rate, split per retailer and per charity. Read-only: it uses the same
selection as the conversion itself (``conversion.convertible``), so the preview and the run agree."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.models import Participant
from plugins.reward_points.conversion import convertible
from plugins.reward_points.ledger import current_settings
from plugins.reward_points.models import RewardMember
from plugins.reward_points.settings import rate, value_in_pence


def preview(year: int) -> dict[str, Any]:
    """Totals a conversion of ``year`` would write now (members already converted are left out)."""
    pence_per_point = rate(current_settings())
    member_ids = list(db.session.scalars(select(RewardMember.id).order_by(RewardMember.id)))
    vouchers: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    donations: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    members = points = pence = 0
    for _member_id, member_points, choice, retailer, charity in (
        convertible(member_ids, year) if member_ids else []
    ):
        value = value_in_pence(int(member_points), pence_per_point)
        line = donations[charity] if choice == "charity_donation" else vouchers[retailer]
        line[0] += 1
        line[1] += value
        members, points, pence = members + 1, points + int(member_points), pence + value
    return {
        "members": members,
        "points": points,
        "value_pence": pence,
        "vouchers": [
            {"retailer": r, "vouchers": n, "value_pence": v}
            for r, (n, v) in sorted(vouchers.items(), key=lambda i: i[0] or "")
        ],
        "donations": [
            {"charity": c, "donors": n, "value_pence": v}
            for c, (n, v) in sorted(donations.items(), key=lambda i: i[0] or "")
        ],
    }


def member_names(member_ids: list[int]) -> dict[int, str]:
    """Each member's name, for the voucher issue list an officer prints."""
    if not member_ids:
        return {}
    rows = db.session.execute(
        select(RewardMember.id, Participant.first_name, Participant.last_name)
        .join(Participant, Participant.id == RewardMember.participant_id)
        .where(RewardMember.id.in_(member_ids))
    ).all()
    return {member_id: f"{first} {last}" for member_id, first, last in rows}
