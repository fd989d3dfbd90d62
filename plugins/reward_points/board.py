"""Boston Mayflower's Board size (seed 004, 5.1): "up to twelve board members (including co-opted
members)".

The rule is checked whenever a seat on a body of kind ``board`` is filled or changed
(``validate_membership``): on no day of the new term may the Board have more members than the
``board_max_members`` setting, whatever ``seats_total`` the body records. Co-opted and external
members count like everyone else.
"""

from __future__ import annotations

from core.errors import Conflict
from core.models import Body, BodyMembership


def check_board_size(body: Body, membership: BodyMembership, settings: dict) -> None:
    limit = settings.get("board_max_members")
    if body.kind != "board" or limit is None:
        return
    from core.services.governance import peak_members

    others = peak_members(body.id, membership.starts_on, membership.ends_on, excluding=membership.id)
    if others >= limit:
        raise Conflict(
            f"The Board has at most {limit} members, co-opted members included, and {others} seats are "
            "already held for part of that term."
        )
