"""The yearly conversion: each member's points for a scheme year become a voucher or a donation.

Members are converted in batches (``BATCH_SIZE`` per transaction, in id order), with a fixed
handful of set-based statements per batch whatever its size:

1. the batch's member rows are read and locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite a
   job's transaction holds the one write lock from ``BEGIN IMMEDIATE``), so an award, a correction
   or another conversion run touching one of these members waits for the batch to commit and then
   sees it — or the batch waits for them and sees theirs;
2. one grouped query computes, for every member of the batch not yet converted for the year, the
   convertible points (balance over entries of scheme years up to the year, but never more than
   the whole balance), with their choice of voucher or donation;
3. one multi-row insert records the cost as core spend (category ``rewards``, one row per member);
4. one ``INSERT … ON CONFLICT DO NOTHING`` on the unique (member, scheme year) key writes the
   conversions, each naming its spend row;
5. one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` on the idempotency key writes the matching
   negative ledger entries ``conversion:<year>:<member>`` from the conversions just written.

If either insert skipped a row (only possible if something bypassed the lock), the batch is
rolled back — spend included — and done again from step 1. A crash — an error, a killed worker —
therefore leaves every batch either fully converted or untouched, and running the job again
converts exactly the members still to do: the totals equal those of one clean run, and each
conversion's cost is in core spend once.

Points recorded late for a year already converted are not lost: they are paid with the next year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core import plugin_kit
from core.errors import Conflict
from core.extensions import db
from core.models import Spend
from core.tenancy import current_org_id
from plugins.reward_points import array_inserts
from plugins.reward_points.ledger import current_settings
from plugins.reward_points.models import RewardConversion, RewardEntry, RewardMember
from plugins.reward_points.settings import SchemeYears, rate, value_in_pence

LABELS = {"shopping_voucher": "shopping voucher", "charity_donation": "donation"}
# Members per transaction: a constant number of statements each (the inserts go out in pages of
# at most 1,000 rows). On PostgreSQL 5,000 a batch converted 50,000 members five times faster than
# 1,000 a batch (docs/performance.md).
BATCH_SIZE = 5000
RETRIES = 3


class AlreadyConverted(RuntimeError):
    """Another run converted a member of the batch first (only possible without the lock)."""


def check_year_ended(settings: dict, year: int, on: date) -> None:
    years = SchemeYears.of(settings)
    if on <= years.end(year):
        raise Conflict(
            f"The {SchemeYears.label(year)} scheme year ends on {years.end(year).isoformat()}; "
            "points can only be converted after it has ended."
        )


def _insert():
    return pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _one_of(column, ids: list[int]):
    """``column`` is one of ``ids``: one array parameter on PostgreSQL (thousands of IN
    parameters cost more to plan than to run), an IN list on SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(cast(bindparam("batch_ids", ids, type_=ARRAY(Integer)), ARRAY(Integer)))
    return column.in_(ids)


def next_batch(after: int, size: int) -> list[int]:
    """The ids of the next ``size`` members after ``after``, locked until the transaction ends."""
    return list(
        db.session.scalars(
            select(RewardMember.id)
            .where(RewardMember.organisation_id == current_org_id(), RewardMember.id > after)
            .order_by(RewardMember.id)
            .limit(size)
            .with_for_update()
        )
    )


def convertible(member_ids: list[int], year: int) -> list[tuple]:
    """(member id, points, choice, retailer, charity) for each member of the batch still to convert."""
    org_id = current_org_id()
    up_to_year = func.sum(case((RewardEntry.scheme_year <= year, RewardEntry.points), else_=0))
    whole = func.sum(RewardEntry.points)
    already = exists().where(
        RewardConversion.organisation_id == org_id,
        RewardConversion.member_id == RewardMember.id,
        RewardConversion.scheme_year == year,
    )
    query = (
        select(
            RewardMember.id,
            case((up_to_year < whole, up_to_year), else_=whole),
            RewardMember.reward_choice,
            RewardMember.retailer,
            RewardMember.charity,
        )
        .join(
            RewardEntry,
            and_(
                RewardEntry.organisation_id == RewardMember.organisation_id,
                RewardEntry.member_id == RewardMember.id,
            ),
        )
        .where(RewardMember.organisation_id == org_id, _one_of(RewardMember.id, member_ids), ~already)
        .group_by(RewardMember.id, RewardMember.reward_choice, RewardMember.retailer, RewardMember.charity)
        # Never more than the whole balance: a later year's correction may already have taken
        # some of this year's points away, and paying them again would leave the member overdrawn.
        .having(and_(up_to_year > 0, whole > 0))
        .order_by(RewardMember.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def convert_batch(member_ids: list[int], year: int, settings: dict, on: date) -> int:
    """Convert the (locked) batch for ``year`` inside the current transaction; members converted."""
    rows = convertible(member_ids, year)
    if not rows:
        return 0
    org_id = current_org_id()
    now = datetime.now(UTC)
    pence_per_point = rate(settings)
    label = SchemeYears.label(year)
    payees = [
        (
            retailer if choice == "shopping_voucher" else None,
            charity if choice == "charity_donation" else None,
        )
        for _, _, choice, retailer, charity in rows
    ]
    pence = [value_in_pence(int(points), pence_per_point) for _, points, *_ in rows]
    spend_rows = [
        {
            "organisation_id": org_id,
            "spent_on": on,
            "category": "rewards",
            "amount_pence": value,
            "description": f"{settings['scheme_name']} {label}: {LABELS[choice]}"
            + (f" ({retailer or charity})" if (retailer or charity) else "")
            + f" for member {member_id}",
            "created_at": now,
        }
        for (member_id, _, choice, *_), (retailer, charity), value in zip(rows, payees, pence, strict=True)
    ]
    # One INSERT (multi-row VALUES, compiled once and cached); each description names its member,
    # so it is unique in the batch and tells which new spend id is whose (RETURNING order is not
    # promised).
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:  # every column as one array (plugins/reward_points/array_inserts.py)
        returned = array_inserts.insert_spend(spend_rows)
    else:
        returned = db.session.execute(
            insert(Spend.__table__).returning(Spend.__table__.c.id, Spend.__table__.c.description), spend_rows
        ).all()
    spend_by_description = {description: spend_id for spend_id, description in returned}
    spend_ids = [spend_by_description[row["description"]] for row in spend_rows]
    conversion_rows = [
        {
            "organisation_id": org_id,
            "member_id": member_id,
            "scheme_year": year,
            "points": int(points),
            "pence_per_point": str(pence_per_point),
            "value_pence": value,
            "reward_choice": choice,
            "retailer": retailer,
            "charity": charity,
            "spend_id": spend_id,
            "converted_on": on,
            "created_at": now,
        }
        for (member_id, points, choice, *_), (retailer, charity), value, spend_id in zip(
            rows, payees, pence, spend_ids, strict=True
        )
    ]
    if postgresql:
        converted = array_inserts.insert_conversions(conversion_rows)
    else:
        conversions = RewardConversion.__table__
        converted = db.session.scalars(
            _insert()(conversions)
            .on_conflict_do_nothing(index_elements=["organisation_id", "member_id", "scheme_year"])
            .returning(conversions.c.member_id),
            conversion_rows,
        ).all()
    if len(converted) != len(rows):
        raise AlreadyConverted(f"part of this batch was converted for {label} by another run")
    written = _write_conversion_entries(sorted(converted), year, label, on, now)
    if written != len(rows):
        raise AlreadyConverted(f"part of this batch already has conversion entries for {label}")
    return len(rows)


def _write_conversion_entries(member_ids: list[int], year: int, label: str, on: date, now: datetime) -> int:
    """The negative ledger entry of each conversion just written, in one INSERT … SELECT."""
    org_id = current_org_id()
    choice_label = case(
        *((RewardConversion.reward_choice == choice, literal(text)) for choice, text in LABELS.items()),
        else_=RewardConversion.reward_choice,
    )
    source = select(
        RewardConversion.organisation_id,
        RewardConversion.member_id,
        literal("conversion"),
        -RewardConversion.points,
        -RewardConversion.points,
        RewardConversion.scheme_year,
        literal(on),
        literal(f"conversion:{year}:") + cast(RewardConversion.member_id, String),
        literal(f"{label} points converted to ")
        + cast(RewardConversion.value_pence, String)
        + literal(" pence (")
        + choice_label
        + literal(")"),
        literal(now),
    ).where(
        RewardConversion.organisation_id == org_id,
        RewardConversion.scheme_year == year,
        _one_of(RewardConversion.member_id, member_ids),
    )
    statement = (
        _insert()(RewardEntry)
        .from_select(
            [
                "organisation_id",
                "member_id",
                "kind",
                "points",
                "requested_points",
                "scheme_year",
                "occurred_on",
                "idempotency_key",
                "reason",
                "created_at",
            ],
            source,
        )
        .on_conflict_do_nothing(index_elements=["organisation_id", "idempotency_key"])
        .returning(RewardEntry.id)
    )
    return len(db.session.scalars(statement).all())


def convert_scheme_year(
    year: int,
    *,
    on: date | None = None,
    commit: bool = True,
    batch_size: int = BATCH_SIZE,
    after_batch=None,
) -> dict[str, Any]:
    """Convert every member for ``year``, committing after each batch; returns the year's totals.

    ``after_batch(member_ids)`` is called after each batch's commit (tests use it to stop a run
    part-way, as a crash would). With ``commit=False`` everything stays in the caller's
    transaction and a skipped row raises :class:`AlreadyConverted`.
    """
    settings = current_settings()
    on = on or plugin_kit.today()
    check_year_ended(settings, year, on)
    after, attempts = 0, 0
    while True:
        member_ids = next_batch(after, batch_size)
        if not member_ids:
            break
        try:
            convert_batch(member_ids, year, settings, on)
        except AlreadyConverted:
            attempts += 1
            if not commit or attempts >= RETRIES:
                raise
            db.session.rollback()
            continue  # the same batch again, now that the other run's rows are visible
        if commit:
            db.session.commit()
        attempts, after = 0, member_ids[-1]
        if after_batch is not None:
            after_batch(member_ids)
    return year_totals(year)


def convert_year_job(organisation, scheme_year: str, on: str | None = None) -> dict[str, Any]:
    """Job body (``reward_points.convert_year``): safe to retry or re-run after a crash."""
    return convert_scheme_year(
        SchemeYears.parse(scheme_year), on=date.fromisoformat(on) if on else None, commit=True
    )


def request_catch_up(org_id: int) -> dict[str, str]:
    """Queue the catch-up (``reward_points.settle_participations``) for the organisation: the API's
    ``POST …/settle`` and the scheme page's button both start it here."""
    from core.jobs import enqueue

    enqueue("reward_points.settle_participations", org_id=org_id)
    return {"status": "queued"}


def settle_job(organisation) -> int:
    """Job body (``reward_points.settle_participations``): award anything the hooks missed."""
    from plugins.reward_points.ledger import settle_all_participations

    return settle_all_participations()


# -- what a year's conversion produced --------------------------------------------------------------


def year_totals(year: int) -> dict[str, Any]:
    """Members converted, points, pence, and the split between vouchers and donations."""
    rows = db.session.execute(
        select(
            RewardConversion.reward_choice,
            func.count(RewardConversion.id),
            func.coalesce(func.sum(RewardConversion.points), 0),
            func.coalesce(func.sum(RewardConversion.value_pence), 0),
        )
        .where(RewardConversion.scheme_year == year)
        .group_by(RewardConversion.reward_choice)
    ).all()
    by_choice = {choice: (int(n), int(points), int(pence)) for choice, n, points, pence in rows}
    voucher = by_choice.get("shopping_voucher", (0, 0, 0))
    donation = by_choice.get("charity_donation", (0, 0, 0))
    return {
        "scheme_year": SchemeYears.label(year),
        "members_converted": voucher[0] + donation[0],
        "points_converted": voucher[1] + donation[1],
        "value_pence": voucher[2] + donation[2],
        "vouchers_pence": voucher[2],
        "donations_pence": donation[2],
        "vouchers": voucher_issue_list(year),
        "donations": donation_totals(year),
    }


def voucher_issue_list(year: int) -> list[dict[str, Any]]:
    """Per retailer: how many vouchers and their total value (retailer None: member still to choose)."""
    rows = db.session.execute(
        select(
            RewardConversion.retailer,
            func.count(RewardConversion.id),
            func.sum(RewardConversion.value_pence),
        )
        .where(RewardConversion.scheme_year == year, RewardConversion.reward_choice == "shopping_voucher")
        .group_by(RewardConversion.retailer)
        .order_by(RewardConversion.retailer)
    ).all()
    return [{"retailer": r, "vouchers": int(n), "value_pence": int(p)} for r, n, p in rows]


def donation_totals(year: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(
            RewardConversion.charity,
            func.count(RewardConversion.id),
            func.sum(RewardConversion.value_pence),
        )
        .where(RewardConversion.scheme_year == year, RewardConversion.reward_choice == "charity_donation")
        .group_by(RewardConversion.charity)
        .order_by(RewardConversion.charity)
    ).all()
    return [{"charity": c, "donors": int(n), "value_pence": int(p)} for c, n, p in rows]


def voucher_rows(year: int) -> list[RewardConversion]:
    """Each voucher to issue (one per member), by retailer then member."""
    return db.session.scalars(
        select(RewardConversion)
        .where(RewardConversion.scheme_year == year, RewardConversion.reward_choice == "shopping_voucher")
        .order_by(RewardConversion.retailer, RewardConversion.member_id)
    ).all()
