"""Writing the points ledger: awards for participations, manual awards and corrections.

How nothing is lost or counted twice:

* every write first locks the member's row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite lets
  one writer at a time anyway), so two requests, a replayed hook and the yearly conversion touching
  the same member run one after the other, and each sees what the one before committed — the
  annual cap, the balance check and "already awarded?" are all decided under that lock;
* every entry has an idempotency key unique per organisation, inserted with
  ``INSERT … ON CONFLICT DO NOTHING``: if the lock was somehow bypassed, the database still keeps
  one entry per key, and the loser learns it wrote nothing;
* nothing is updated: a participation that stops earning (not attended, activity not held,
  removed) gets a compensating entry with a key of its own (``participation:<id>:<n>``).

A contribution award (points for input at a meeting or open event) names that activity: only
someone who attended it receives one, the entry is dated the activity's day, and the occasion's
maximum counts all the member's contribution points for that activity, decided under the lock.

A participation's award never changes price once written (the rule versions in force that day are
frozen by ``settings.refuse_retroactive_change``); re-recording it is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Activity, Body, Opportunity, Participation
from core.tenancy import current_org_id
from plugins.reward_points.models import RewardConversion, RewardEntry, RewardMember
from plugins.reward_points.settings import (
    Occasion,
    SchemeYears,
    contribution_maximum,
    rule_for,
)

PLUGIN = "reward_points"


def current_settings() -> dict[str, Any]:
    """The organisation's validated settings (defaults filled in)."""
    return plugin_kit.plugin_settings(PLUGIN)


# -- low-level writes -------------------------------------------------------------------------


def insert_once(model, values: dict[str, Any], unique: list[str]) -> int | None:
    """Insert one row unless its unique key exists; the new id, or None if it was already there.

    ``ON CONFLICT DO NOTHING`` on both backends: under concurrency PostgreSQL makes the second
    writer wait for the first and then skip, with no error that would abort the transaction.
    """
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(model)
        .values(organisation_id=current_org_id(), **values)
        .on_conflict_do_nothing(index_elements=["organisation_id", *unique])
        .returning(model.id)
    )
    return db.session.execute(statement).scalar()


def lock_member(member_id: int) -> RewardMember:
    """The member's row, locked until the transaction ends, freshly read."""
    member = db.session.scalar(
        select(RewardMember)
        .where(RewardMember.id == member_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if member is None:
        from core.errors import NotFound

        raise NotFound("No such member.")
    return member


def write_entry(member: RewardMember, **values: Any) -> RewardEntry | None:
    values.setdefault("requested_points", values["points"])
    values.setdefault("created_at", datetime.now(UTC))
    entry_id = insert_once(RewardEntry, {"member_id": member.id, **values}, ["idempotency_key"])
    return None if entry_id is None else db.session.get(RewardEntry, entry_id)


def entry_by_key(key: str) -> RewardEntry | None:
    return db.session.scalar(select(RewardEntry).where(RewardEntry.idempotency_key == key))


# -- reading ----------------------------------------------------------------------------------


def balance(member_id: int, up_to_year: int | None = None) -> int:
    """The ledger sum for a member (optionally only entries of scheme years up to ``up_to_year``)."""
    query = select(func.coalesce(func.sum(RewardEntry.points), 0)).where(RewardEntry.member_id == member_id)
    if up_to_year is not None:
        query = query.where(RewardEntry.scheme_year <= up_to_year)
    return int(db.session.scalar(query))


def earned_in_year(member_id: int, year: int) -> int:
    """Points earned (net of reversals and corrections, before any conversion) in a scheme year."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(RewardEntry.points), 0)).where(
                RewardEntry.member_id == member_id,
                RewardEntry.scheme_year == year,
                RewardEntry.kind != "conversion",
            )
        )
    )


def within_cap(member_id: int, year: int, requested: int, settings: dict) -> int:
    """``requested`` trimmed to what is left of the member's annual cap (call under the lock)."""
    cap = settings.get("annual_cap_points")
    if cap is None or requested <= 0:
        return requested
    return max(0, min(requested, cap - earned_in_year(member_id, year)))


def converted_through(member_id: int) -> int | None:
    """The latest scheme year already converted for the member (points up to it are paid out)."""
    return db.session.scalar(
        select(func.max(RewardConversion.scheme_year)).where(RewardConversion.member_id == member_id)
    )


def member_of(participant_id: int) -> RewardMember | None:
    return db.session.scalar(select(RewardMember).where(RewardMember.participant_id == participant_id))


# -- participations ----------------------------------------------------------------------------


def activity_day(activity: Activity) -> date:
    starts = activity.starts_at
    return (starts if starts.tzinfo is None else starts.astimezone(UTC)).date()


def occasion_of(participation: Participation, activity: Activity) -> Occasion:
    body_kind = (
        db.session.scalar(select(Body.kind).where(Body.id == activity.body_id)) if activity.body_id else None
    )
    level = (
        db.session.scalar(select(Opportunity.level).where(Opportunity.id == activity.opportunity_id))
        if activity.opportunity_id
        else None
    )
    return Occasion(activity_day(activity), activity.kind, body_kind, participation.role, level)


def _enrol_automatically(participant_id: int, day: date, settings: dict) -> RewardMember | None:
    insert_once(
        RewardMember,
        {
            "participant_id": participant_id,
            "joined_on": day,
            "reward_choice": settings["default_reward_choice"],
            "created_at": datetime.now(UTC),
            "updated_at": datetime.now(UTC),
        },
        ["participant_id"],
    )
    return member_of(participant_id)


def settle_participation(participation: Participation, activity: Activity, *, removing: bool = False) -> None:
    """Make the ledger agree with a participation: award it once, or reverse what it earned.

    Called on every record, change and removal (and by the catch-up job), so it is idempotent:
    it compares what the participation has earned so far with what it should earn now.
    """
    settings = current_settings()
    day = activity_day(activity)
    member = member_of(participation.participant_id)
    earns = not removing and participation.attended and activity.status == "held"
    if member is None:
        if not earns or settings["members_only"]:
            return
        member = _enrol_automatically(participation.participant_id, day, settings)
    member = lock_member(member.id)
    entries = db.session.scalars(
        select(RewardEntry).where(RewardEntry.participation_id == participation.id).order_by(RewardEntry.id)
    ).all()
    net = sum(e.points for e in entries)
    key = f"participation:{participation.id}" + (f":{len(entries)}" if entries else "")
    rule = rule_for(settings, occasion_of(participation, activity)) if earns else None
    if earns and member.is_member_on(day) and rule is not None and rule["points"] > 0:
        if net > 0:
            return  # already awarded; an award is never re-priced
        year = SchemeYears.of(settings).year_of(day)
        points = within_cap(member.id, year, rule["points"], settings)
        if points == 0 and entries:
            return  # the cap still leaves nothing; one capped line is enough
        write_entry(
            member,
            kind="participation",
            points=points,
            requested_points=rule["points"],
            scheme_year=year,
            occurred_on=day,
            idempotency_key=key,
            involvement_type=rule["involvement_type"],
            participation_id=participation.id,
            activity_id=activity.id,
        )
        return
    if net == 0:
        return
    award = next(e for e in reversed(entries) if e.kind == "participation")
    converted = converted_through(member.id)
    if converted is not None and converted >= award.scheme_year:
        raise Conflict(
            f"The points this participation earned were converted to money for "
            f"{SchemeYears.label(converted)}; it can no longer be changed or removed. "
            "Record a correction instead."
        )
    if balance(member.id) - net < 0:
        raise Conflict(
            "Reversing this participation's points would leave the member with a negative balance; "
            "put right the later correction first."
        )
    write_entry(
        member,
        kind="participation_reversal",
        points=-net,
        scheme_year=award.scheme_year,
        occurred_on=plugin_kit.today(),
        idempotency_key=key,
        involvement_type=award.involvement_type,
        participation_id=participation.id,
        activity_id=activity.id,
        reason="participation removed" if removing else "participation no longer earns points",
    )


def settle_all_participations() -> int:
    """Catch-up: settle every participation of a member (an activity marked held later, a rule
    added before it took effect…). Idempotent; returns how many participations were looked at."""
    rows = db.session.execute(
        select(Participation, Activity)
        .join(
            Activity,
            (Activity.id == Participation.activity_id)
            & (Activity.organisation_id == Participation.organisation_id),
        )
        .where(Participation.participant_id.in_(select(RewardMember.participant_id)))
        .order_by(Participation.id)
    ).all()
    for participation, activity in rows:
        settle_participation(participation, activity)
    return len(rows)


# -- manual awards and corrections ---------------------------------------------------------------


# What kind of activity each contribution occasion is (settings.CONTRIBUTION_OCCASIONS).
OCCASION_KINDS = {"meeting": "meeting", "open_event": "event"}


def contribution_day(member: RewardMember, request: ManualEntry) -> date:
    """The day of the meeting or event a contribution award is for, after checking the member
    attended it: points for input at a meeting go only to those who were there, dated that day."""
    if request.activity_id is None:
        raise ValidationFailed(
            {"activity_id": ["A contribution award is for one meeting or open event: give its activity_id."]}
        )
    activity = db.session.get(Activity, request.activity_id)
    if activity is None:
        raise ValidationFailed(
            {"activity_id": [f"No record with id {request.activity_id} in this organisation."]}
        )
    wanted_kind = OCCASION_KINDS[request.applies_to]
    if activity.kind != wanted_kind:
        raise ValidationFailed(
            {"applies_to": [f"Activity {activity.id} is a {activity.kind}, not a {wanted_kind}."]}
        )
    if activity.status != "held":
        raise Conflict("Contribution points are awarded for a meeting or event that was held.")
    day = activity_day(activity)
    if request.occurred_on is not None and request.occurred_on != day:
        raise ValidationFailed(
            {"occurred_on": [f"A contribution is dated the day of its {wanted_kind}, {day.isoformat()}."]}
        )
    attended = db.session.scalar(
        select(Participation.id).where(
            Participation.activity_id == activity.id,
            Participation.participant_id == member.participant_id,
            Participation.attended.is_(True),
        )
    )
    if attended is None:
        raise Conflict(
            f"Only those who attended {activity.title!r} can receive contribution points for it; "
            "record their attendance first."
        )
    return day


def contributed_at(member_id: int, activity_id: int) -> int:
    """Contribution points the member already holds for one meeting or event (call under the lock)."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(RewardEntry.points), 0)).where(
                RewardEntry.member_id == member_id,
                RewardEntry.activity_id == activity_id,
                RewardEntry.kind == "contribution",
            )
        )
    )


@dataclass
class ManualEntry:
    member_id: int
    kind: str  # contribution or correction
    points: int
    reason: str
    idempotency_key: str
    occurred_on: date | None = None
    applies_to: str | None = None
    activity_id: int | None = None


def _same_request(entry: RewardEntry, request: ManualEntry) -> bool:
    return (
        entry.member_id == request.member_id
        and entry.kind == request.kind
        and entry.requested_points == request.points
        and entry.reason == request.reason
    )


def _replay(request: ManualEntry) -> RewardEntry | None:
    existing = entry_by_key(f"manual:{request.idempotency_key}")
    if existing is not None and not _same_request(existing, request):
        raise Conflict("This idempotency key was already used for a different entry.")
    return existing


def record_manual_entry(request: ManualEntry, user_id: int | None) -> tuple[RewardEntry, bool]:
    """Write a contribution award or a correction once per idempotency key.

    Returns ``(entry, created)``; a retry with the same key and the same content gets the first
    entry back (``created`` False), the same key with different content is a conflict.
    """
    existing = _replay(request)
    if existing is not None:
        return existing, False
    member = lock_member(request.member_id)
    existing = _replay(request)  # a concurrent retry may have committed while we waited
    if existing is not None:
        return existing, False
    settings = current_settings()
    day = request.occurred_on or plugin_kit.today()
    if request.kind == "contribution":
        day = contribution_day(member, request)
    year = SchemeYears.of(settings).year_of(day)
    points = request.points
    if request.kind == "contribution":
        if not member.is_member_on(day):
            raise Conflict(
                "Only Your Voice members earn points, and this person was not a member on that day."
            )
        maximum = contribution_maximum(settings, request.applies_to, day)
        if maximum is None:
            raise Conflict(
                f"No contribution award for {request.applies_to} is in force on {day.isoformat()}."
            )
        already = contributed_at(member.id, request.activity_id)
        if already + points > maximum:
            occasion = request.applies_to.replace("_", " ")
            raise Conflict(
                f"A contribution at a {occasion} earns at most {maximum} points per member, across "
                f"all awards for that {occasion}; this member already has {already} for it."
            )
        points = within_cap(member.id, year, points, settings)
    elif points > 0:
        points = within_cap(member.id, year, points, settings)
    elif balance(member.id) + points < 0:
        raise Conflict(
            f"This correction would leave a negative balance (the member has {balance(member.id)} points)."
        )
    entry = write_entry(
        member,
        kind=request.kind,
        points=points,
        requested_points=request.points,
        scheme_year=year,
        occurred_on=day,
        idempotency_key=f"manual:{request.idempotency_key}",
        involvement_type=request.applies_to,
        activity_id=request.activity_id,
        reason=request.reason,
        recorded_by_id=user_id,
    )
    if entry is None:  # written by a concurrent retry that bypassed the lock
        return _replay(request), False
    return entry, True
