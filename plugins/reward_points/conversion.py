"""The yearly conversion: each member's points for a scheme year become a voucher or a donation.

One member at a time, each in its own transaction: lock the member, skip them if this year is
already converted, otherwise write together the conversion row (unique per member and year), the
negative ledger entry ``conversion:<year>:<member>`` that takes the points off the balance, and
the cost as core spend (category ``rewards``), then commit. A crash — an error, a killed worker —
therefore leaves every member either fully converted or untouched, and running the job again
converts exactly the rest: the totals equal those of one clean run.

What is converted for year Y is the member's balance over entries of scheme years up to Y (but
never more than their whole balance), so points recorded late for a year already converted are not
lost: they are paid with the next year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from core.errors import Conflict
from core.extensions import db
from core.models import Spend
from plugins.reward_points.ledger import (
    balance,
    current_settings,
    insert_once,
    lock_member,
    today,
    write_entry,
)
from plugins.reward_points.models import RewardConversion, RewardMember
from plugins.reward_points.settings import SchemeYears, rate, value_in_pence

LABELS = {"shopping_voucher": "shopping voucher", "charity_donation": "donation"}


class AlreadyConverted(RuntimeError):
    """Another run converted this member for this year first (only possible without the lock)."""


def check_year_ended(settings: dict, year: int, on: date) -> None:
    years = SchemeYears.of(settings)
    if on <= years.end(year):
        raise Conflict(
            f"The {SchemeYears.label(year)} scheme year ends on {years.end(year).isoformat()}; "
            "points can only be converted after it has ended."
        )


def convert_member(member_id: int, year: int, settings: dict, on: date) -> RewardConversion | None:
    """Convert one member's points for ``year`` (call inside a transaction of its own)."""
    member = lock_member(member_id)
    done = db.session.scalar(
        select(RewardConversion.id).where(
            RewardConversion.member_id == member_id, RewardConversion.scheme_year == year
        )
    )
    if done is not None:
        return None
    # Never more than the whole balance: a later year's correction may already have taken some of
    # this year's points away, and paying them out again would leave the member overdrawn.
    points = min(balance(member_id, up_to_year=year), balance(member_id))
    if points <= 0:
        return None
    pence_per_point = rate(settings)
    pence = value_in_pence(points, pence_per_point)
    choice = member.reward_choice
    payee = member.retailer if choice == "shopping_voucher" else member.charity
    label = SchemeYears.label(year)
    spend = Spend(
        spent_on=on,
        category="rewards",
        amount_pence=pence,
        description=f"{settings['scheme_name']} {label}: {LABELS[choice]}"
        + (f" ({payee})" if payee else "")
        + f" for member {member.id}",
    )
    db.session.add(spend)
    db.session.flush()
    conversion_id = insert_once(
        RewardConversion,
        {
            "member_id": member.id,
            "scheme_year": year,
            "points": points,
            "pence_per_point": str(pence_per_point),
            "value_pence": pence,
            "reward_choice": choice,
            "retailer": member.retailer if choice == "shopping_voucher" else None,
            "charity": member.charity if choice == "charity_donation" else None,
            "spend_id": spend.id,
            "converted_on": on,
        },
        ["member_id", "scheme_year"],
    )
    if conversion_id is None:
        raise AlreadyConverted(f"member {member.id} was converted for {label} by another run")
    entry = write_entry(
        member,
        kind="conversion",
        points=-points,
        scheme_year=year,
        occurred_on=on,
        idempotency_key=f"conversion:{year}:{member.id}",
        reason=f"{label} points converted to {pence} pence ({LABELS[choice]})",
    )
    if entry is None:
        raise AlreadyConverted(f"member {member.id} already has a conversion entry for {label}")
    return db.session.get(RewardConversion, conversion_id)


def convert_scheme_year(
    year: int, *, on: date | None = None, commit: bool = True, after_each=None
) -> dict[str, Any]:
    """Convert every member for ``year``, committing after each; returns the year's totals.

    ``after_each(member_id)`` is called after each member's commit (tests use it to stop a run
    part-way, as a crash would).
    """
    settings = current_settings()
    on = on or today()
    check_year_ended(settings, year, on)
    member_ids = db.session.scalars(select(RewardMember.id).order_by(RewardMember.id)).all()
    for member_id in member_ids:
        try:
            convert_member(member_id, year, settings, on)
        except AlreadyConverted:
            if not commit:
                raise
            db.session.rollback()
            continue
        if commit:
            db.session.commit()
        if after_each is not None:
            after_each(member_id)
    return year_totals(year)


def convert_year_job(organisation, scheme_year: str, on: str | None = None) -> dict[str, Any]:
    """Job body (``reward_points.convert_year``): safe to retry or re-run after a crash."""
    return convert_scheme_year(
        SchemeYears.parse(scheme_year), on=date.fromisoformat(on) if on else None, commit=True
    )


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
