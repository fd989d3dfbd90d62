"""The Customer Forum: its meetings through the year and its budget for local environmental issues.

A budget is set per financial year. Each allocation is also written as core spend (category from
the ``forum_spend_category`` setting), so it counts in involvement spend per household. An
allocation that would take the year past its budget is refused. To keep that true when two
officers allocate at the same moment, the budget row is locked (``SELECT … FOR UPDATE`` on
PostgreSQL) before the allocations are summed; the second request waits, then sees the first.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import delete, func, select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Activity, Area, Body, Spend
from core.periods import Period
from core.records import check_reference
from plugins.street_reps.models import ForumAllocation, ForumAttendance, ForumBudget
from plugins.street_reps.services.common import bounds, pounds


def allocated(budget_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(ForumAllocation.amount_pence), 0)).where(
            ForumAllocation.budget_id == budget_id
        )
    )


def describe(budget: ForumBudget) -> ForumBudget:
    budget.allocated_pence = allocated(budget.id)
    budget.remaining_pence = budget.amount_pence - budget.allocated_pence
    return budget


def create_budget(values: dict[str, Any]) -> ForumBudget:
    check_reference(Body, values.get("body_id"), "body_id")
    if db.session.scalar(select(ForumBudget.id).where(ForumBudget.period == values["period"])) is not None:
        raise Conflict(f"The Forum already has a budget for {values['period']}; change that one.")
    budget = ForumBudget(**values)
    db.session.add(budget)
    db.session.flush()
    return describe(budget)


def lock(budget_id: int) -> ForumBudget:
    """The budget row, locked until the transaction ends (a no-op on SQLite, which locks the file)."""
    return db.session.scalars(
        select(ForumBudget)
        .where(ForumBudget.id == budget_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def change_budget(budget: ForumBudget, changes: dict[str, Any]) -> ForumBudget:
    check_reference(Body, changes.get("body_id"), "body_id")
    budget = lock(budget.id)
    if "amount_pence" in changes:
        committed = allocated(budget.id)
        if changes["amount_pence"] < committed:
            raise Conflict(
                f"{pounds(committed)} is already allocated from this budget; it cannot be cut below that."
            )
    for key, value in changes.items():
        setattr(budget, key, value)
    db.session.flush()
    return describe(budget)


def allocate(budget_id: int, values: dict[str, Any], settings: dict) -> ForumAllocation:
    """Allocate from the budget and record the spend; 409 if it would overspend."""
    check_reference(Area, values.get("area_id"), "area_id")
    budget = lock(budget_id)
    period = Period.parse(budget.period)
    if values["allocated_on"] not in period:
        raise ValidationFailed({"allocated_on": [f"Must fall in the budget's year {budget.period}."]})
    committed = allocated(budget.id)
    remaining = budget.amount_pence - committed
    if values["amount_pence"] > remaining:
        raise Conflict(
            f"This allocation of {pounds(values['amount_pence'])} would overspend the Forum's "
            f"{budget.period} budget: {pounds(committed)} of {pounds(budget.amount_pence)} is allocated "
            f"and {pounds(remaining)} remains."
        )
    spend = Spend(
        spent_on=values["allocated_on"],
        category=settings["forum_spend_category"],
        amount_pence=values["amount_pence"],
        description=f"Customer Forum environmental budget: {values['title']}"[:500],
    )
    db.session.add(spend)
    db.session.flush()
    allocation = ForumAllocation(budget_id=budget.id, spend_id=spend.id, **values)
    db.session.add(allocation)
    db.session.flush()
    return allocation


def cancel_allocation(allocation: ForumAllocation) -> None:
    """Withdraw an allocation and its spend record; the money returns to the budget."""
    spend = db.session.get(Spend, allocation.spend_id) if allocation.spend_id else None
    db.session.delete(allocation)
    db.session.flush()
    if spend is not None:
        db.session.delete(spend)


def forum_year(period: Period, settings: dict, forum_id: int | None) -> dict[str, Any]:
    """Meetings the Forum held and planned in the year against the policy's six, and its budget."""
    meetings = {"held": 0, "planned": 0}
    if forum_id is not None:
        start, after = bounds(period)
        rows = db.session.execute(
            select(Activity.status, func.count(Activity.id))
            .where(Activity.body_id == forum_id, Activity.starts_at >= start, Activity.starts_at < after)
            .group_by(Activity.status)
        ).all()
        meetings.update({status: count for status, count in rows if status in meetings})
    budget = db.session.scalar(select(ForumBudget).where(ForumBudget.period == period.label))
    full = sum(1 for meeting in forum_meetings(period, settings) if meeting["full_membership"])
    return {
        "full_membership_meetings_held": full,
        "period": period.label,
        "forum_id": forum_id,
        "meetings_expected": settings["customer_forum_meetings_per_year"],
        "full_membership_meetings_expected": settings["customer_forum_full_membership_meetings_per_year"],
        "meetings_held": meetings["held"],
        "meetings_planned": meetings["planned"],
        "budget": describe(budget) if budget is not None else None,
    }


def find_forum() -> int | None:
    """The Customer Forum: the organisation's first body of kind ``forum``."""
    return db.session.scalar(select(Body.id).where(Body.kind == "forum").order_by(Body.id).limit(1))


def find_budget(period_label: str) -> ForumBudget | None:
    return db.session.scalar(select(ForumBudget).where(ForumBudget.period == period_label))


# -- the Forum's full-membership meetings ------------------------------------------------------
# Seed 001: "Two of the meetings are attended by the full membership which includes three local
# ward Councillors and three independent members." A meeting counts as a full-membership meeting
# when it was held and at least the settings' numbers of councillors and independent members of
# the Forum (seats of type councillor / independent, in office that day) were recorded present.

FULL_SEATS = ("councillor", "independent")


def _forum_meeting(activity: Activity) -> Body:
    body = db.session.get(Body, activity.body_id) if activity.body_id else None
    if body is None or body.kind != "forum" or activity.kind != "meeting":
        raise ValidationFailed(
            {"activity_id": ["Not a meeting of the Customer Forum (a body of kind forum)."]}
        )
    return body


def meeting_day(activity: Activity):
    starts = activity.starts_at
    return (starts if starts.tzinfo is None else starts.astimezone(UTC)).date()


def full_seats(activity: Activity) -> list[dict[str, Any]]:
    """The Forum's councillors' and independent members' seats in office on the meeting's day, each
    with its holder's name and whether it was recorded present (for the attendance page)."""
    from core.models import BodyMembership, Participant
    from core.services.governance import covers

    body = _forum_meeting(activity)
    rows = db.session.execute(
        select(BodyMembership, Participant.first_name, Participant.last_name)
        .outerjoin(Participant, Participant.id == BodyMembership.participant_id)
        .where(
            BodyMembership.body_id == body.id,
            BodyMembership.seat_type.in_(FULL_SEATS),
            covers(meeting_day(activity)),
        )
        .order_by(BodyMembership.seat_type, BodyMembership.id)
    ).all()
    present = set(
        db.session.scalars(
            select(ForumAttendance.membership_id).where(ForumAttendance.activity_id == activity.id)
        )
    )
    return [
        {
            "id": seat.id,
            "seat_type": seat.seat_type,
            "name": seat.external_name or " ".join(p for p in (first, last) if p) or f"Seat {seat.id}",
            "present": seat.id in present,
        }
        for seat, first, last in rows
    ]


def record_full_attendance(activity: Activity, membership_ids: list[int], settings: dict) -> dict[str, Any]:
    """Set which of the Forum's councillors and independent members were at a meeting."""
    from core.models import BodyMembership
    from core.services.governance import covers

    body = _forum_meeting(activity)
    wanted = sorted(set(membership_ids))
    day = meeting_day(activity)
    seats = db.session.scalars(
        select(BodyMembership).where(
            BodyMembership.id.in_(wanted),
            BodyMembership.body_id == body.id,
            BodyMembership.seat_type.in_(FULL_SEATS),
            covers(day),
        )
    ).all()
    unknown = sorted(set(wanted) - {seat.id for seat in seats})
    if unknown:
        raise ValidationFailed(
            {
                "membership_ids": [
                    f"Not a councillor's or independent member's seat on {body.name} in office on "
                    f"{day.isoformat()}: {', '.join(map(str, unknown))}."
                ]
            }
        )
    db.session.execute(delete(ForumAttendance).where(ForumAttendance.activity_id == activity.id))
    db.session.add_all(ForumAttendance(activity_id=activity.id, membership_id=i) for i in wanted)
    db.session.flush()
    return forum_meetings(None, settings, activity_id=activity.id)[0]


def forum_meetings(
    period: Period | None, settings: dict, activity_id: int | None = None
) -> list[dict[str, Any]]:
    """The Forum's meetings (in ``period``, or one of them) with councillors and independent members
    present, and whether each was a full-membership meeting."""
    from core.models import BodyMembership

    query = (
        select(Activity)
        .join(Body, Body.id == Activity.body_id)
        .where(Body.kind == "forum", Activity.kind == "meeting")
        .order_by(Activity.starts_at, Activity.id)
    )
    if activity_id is not None:
        query = query.where(Activity.id == activity_id)
    if period is not None:
        start, after = bounds(period)
        query = query.where(Activity.starts_at >= start, Activity.starts_at < after)
    meetings = db.session.scalars(query).all()
    counts = db.session.execute(
        select(ForumAttendance.activity_id, BodyMembership.seat_type, func.count(ForumAttendance.id))
        .join(BodyMembership, BodyMembership.id == ForumAttendance.membership_id)
        .where(ForumAttendance.activity_id.in_([m.id for m in meetings]))
        .group_by(ForumAttendance.activity_id, BodyMembership.seat_type)
    ).all()
    present = {(activity, seat): n for activity, seat, n in counts}
    needed_councillors = settings["customer_forum_full_membership_councillors"]
    needed_independents = settings["customer_forum_full_membership_independent_members"]
    rows = []
    for meeting in meetings:
        councillors = present.get((meeting.id, "councillor"), 0)
        independents = present.get((meeting.id, "independent"), 0)
        rows.append(
            {
                "activity_id": meeting.id,
                "title": meeting.title,
                "starts_at": meeting.starts_at,
                "status": meeting.status,
                "councillors_present": councillors,
                "independents_present": independents,
                "full_membership": meeting.status == "held"
                and councillors >= needed_councillors
                and independents >= needed_independents,
            }
        )
    return rows
