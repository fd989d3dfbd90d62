"""Who counts as a tenancy holder, shared by the representative limit, coverage and Board seats.

Core records say whether a participant holds the tenancy of their home (``is_tenancy_holder``)
and each household's tenure. Halton's policy gives tenancy holders their own rights (the 30 a street
representative speaks for, a third of Board seats, Trust membership) and leaves leaseholders and
shared owners out, so a tenancy-holding household is an active one whose tenure is in the
``tenancy_tenures`` setting, and a tenancy-holding participant is one core flags as the tenancy
holder, not erased, whose household (when known) has such a tenure.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from core.extensions import db
from core.models import Household, Participant
from core.periods import Period


def tenancy_household(tenures) -> object:
    return and_(Household.active.is_(True), Household.tenure.in_(list(tenures)))


def tenancy_holder(tenures) -> object:
    """Participants who hold a tenancy (SQL condition on ``Participant``)."""
    households_with_tenancy = select(Household.id).where(Household.tenure.in_(list(tenures)))
    return and_(
        Participant.is_tenancy_holder.is_(True),
        Participant.erased_at.is_(None),
        or_(Participant.household_id.is_(None), Participant.household_id.in_(households_with_tenancy)),
    )


def is_tenancy_holder(participant_id: int | None, tenures) -> bool:
    if participant_id is None:
        return False
    found = db.session.scalar(
        select(Participant.id).where(Participant.id == participant_id, tenancy_holder(tenures))
    )
    return found is not None


def bounds(period: Period) -> tuple[datetime, datetime]:
    """First instant of the period and of the day after it, in UTC."""
    start = datetime.combine(period.start, time.min, tzinfo=UTC)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC)


def add_months(day: date, months: int) -> date:
    from core.services.consultations import add_months as core_add_months

    return core_add_months(day, months)


def pounds(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    return f"{sign}£{abs(pence) // 100:,}.{abs(pence) % 100:02d}"
