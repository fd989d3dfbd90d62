from datetime import date

from core.models import Participant, Spend
from core.testing import MATRIX_MARKER as SECRET
from plugins.reward_points.models import RewardConversion, RewardEntry, RewardMember


def samples(db_session, org):
    person = Participant(first_name=SECRET, last_name=f"{SECRET} member")
    db_session.add(person)
    db_session.flush()
    member = RewardMember(
        participant_id=person.id, joined_on=date(2024, 4, 1), reward_choice="charity_donation", charity=SECRET
    )
    db_session.add(member)
    db_session.flush()
    entry = RewardEntry(
        member_id=member.id,
        kind="correction",
        points=40,
        requested_points=40,
        scheme_year=2024,
        occurred_on=date(2024, 6, 1),
        idempotency_key=f"manual:{SECRET}",
        reason=f"{SECRET} contribution",
    )
    spend = Spend(spent_on=date(2025, 4, 7), category="rewards", amount_pence=400, description=SECRET)
    db_session.add_all([entry, spend])
    db_session.flush()
    conversion = RewardConversion(
        member_id=member.id,
        scheme_year=2024,
        points=40,
        pence_per_point="10",
        value_pence=400,
        reward_choice="charity_donation",
        charity=SECRET,
        spend_id=spend.id,
        converted_on=date(2025, 4, 7),
    )
    db_session.add(conversion)
    db_session.flush()
    return {"rp_member_id": member.id, "rp_entry_id": entry.id, "rp_conversion_id": conversion.id}
