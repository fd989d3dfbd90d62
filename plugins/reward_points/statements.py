"""What the ledger says: member statements, the staff summary, KPIs and the impact-assessment section.

Everything here is read from the ledger and the conversions with aggregate queries; balances are
always the ledger's sum, never a stored figure.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select

from core import plugin_kit
from core.extensions import db
from core.kpis.core_kpis import involved_ids, percent
from core.periods import Period
from core.reports import bar_chart, content, figure, suppress, table
from plugins.reward_points.conversion import year_totals
from plugins.reward_points.ledger import balance, current_settings, earned_in_year
from plugins.reward_points.models import RewardConversion, RewardEntry, RewardMember
from plugins.reward_points.settings import SchemeYears, rate, value_in_pence

EARNING_KINDS = ("participation", "participation_reversal", "contribution", "correction")


def balances_by_member(member_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(RewardEntry.member_id, func.sum(RewardEntry.points))
        .where(RewardEntry.member_id.in_(member_ids))
        .group_by(RewardEntry.member_id)
    ).all()
    found = {member_id: int(points) for member_id, points in rows}
    return {member_id: found.get(member_id, 0) for member_id in member_ids}


def member_statement(member: RewardMember) -> dict[str, Any]:
    settings = current_settings()
    years = SchemeYears.of(settings)
    points = balance(member.id)
    entries = db.session.scalars(
        select(RewardEntry).where(RewardEntry.member_id == member.id).order_by(RewardEntry.id)
    ).all()
    conversions = db.session.scalars(
        select(RewardConversion)
        .where(RewardConversion.member_id == member.id)
        .order_by(RewardConversion.scheme_year)
    ).all()
    member.balance = points
    member.active = member.left_on is None
    return {
        "member": member,
        "scheme_name": settings["scheme_name"],
        "balance": points,
        "pence_per_point": settings["pence_per_point"],
        "projected_value_pence": value_in_pence(max(points, 0), rate(settings)),
        "earned_this_year": earned_in_year(member.id, years.year_of(plugin_kit.today())),
        "annual_cap_points": settings["annual_cap_points"],
        "entries": entries,
        "conversions": conversions,
    }


def _members_during(start, end):
    return and_(
        RewardMember.joined_on <= end,
        or_(RewardMember.left_on.is_(None), RewardMember.left_on >= start),
    )


def points_by_type(start, end) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(RewardEntry.involvement_type, func.count(RewardEntry.id), func.sum(RewardEntry.points))
        .where(RewardEntry.kind.in_(EARNING_KINDS), RewardEntry.occurred_on.between(start, end))
        .group_by(RewardEntry.involvement_type)
        .order_by(func.sum(RewardEntry.points).desc(), RewardEntry.involvement_type)
    ).all()
    return [{"involvement_type": t, "entries": int(n), "points": int(p)} for t, n, p in rows]


def staff_summary(year: int) -> dict[str, Any]:
    settings = current_settings()
    years = SchemeYears.of(settings)
    start, end = years.start(year), years.end(year)
    members = db.session.scalar(select(func.count(RewardMember.id)).where(_members_during(start, end)))
    active = db.session.scalar(select(func.count(RewardMember.id)).where(RewardMember.left_on.is_(None)))
    by_type = points_by_type(start, end)
    outstanding = int(db.session.scalar(select(func.coalesce(func.sum(RewardEntry.points), 0))))
    return {
        "scheme_name": settings["scheme_name"],
        "scheme_year": SchemeYears.label(year),
        "starts_on": start,
        "ends_on": end,
        "members": members,
        "active_members": active,
        "points_awarded": sum(line["points"] for line in by_type),
        "points_by_type": by_type,
        "points_outstanding": outstanding,
        "outstanding_value_pence": value_in_pence(outstanding, rate(settings)),
        "conversions": year_totals(year),
    }


# -- KPIs (computed in SQL for the organisation in scope) ----------------------------------------


def kpi_members(period: Period) -> int:
    return db.session.scalar(
        select(func.count(RewardMember.id)).where(_members_during(period.start, period.end))
    )


def kpi_points_awarded(period: Period) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(RewardEntry.points), 0)).where(
                RewardEntry.kind.in_(EARNING_KINDS), RewardEntry.occurred_on.between(period.start, period.end)
            )
        )
    )


def _converted(period: Period, choice: str | None = None) -> int:
    query = select(func.coalesce(func.sum(RewardConversion.value_pence), 0)).where(
        RewardConversion.converted_on.between(period.start, period.end)
    )
    if choice is not None:
        query = query.where(RewardConversion.reward_choice == choice)
    return int(db.session.scalar(query))


def kpi_value_converted(period: Period) -> int:
    return _converted(period)


def kpi_value_donated(period: Period) -> int:
    return _converted(period, "charity_donation")


def members_among_involved(period: Period) -> tuple[int, int]:
    """(involved residents who were members during P, involved residents), as core counts them."""
    involved = involved_ids(period)
    total = db.session.scalar(select(func.count()).select_from(involved))
    members = db.session.scalar(
        select(func.count(RewardMember.id)).where(
            RewardMember.participant_id.in_(select(involved.c.participant_id)),
            _members_during(period.start, period.end),
        )
    )
    return members, total


def kpi_member_share(period: Period) -> float | None:
    members, total = members_among_involved(period)
    return percent(members, total)


# -- impact assessment ---------------------------------------------------------------------------


def report_section(period: Period) -> dict[str, Any]:
    settings = current_settings()
    members = kpi_members(period)
    awarded = kpi_points_awarded(period)
    converted = kpi_value_converted(period)
    donated = kpi_value_donated(period)
    share = kpi_member_share(period)
    by_type = points_by_type(period.start, period.end)
    payouts = db.session.execute(
        select(
            RewardConversion.reward_choice,
            func.coalesce(RewardConversion.retailer, RewardConversion.charity),
            func.count(RewardConversion.id),
            func.sum(RewardConversion.value_pence),
        )
        .where(RewardConversion.converted_on.between(period.start, period.end))
        .group_by(
            RewardConversion.reward_choice, func.coalesce(RewardConversion.retailer, RewardConversion.charity)
        )
        .order_by(func.sum(RewardConversion.value_pence).desc())
    ).all()
    tables = [
        table(
            "reward_points_by_type",
            "Points awarded by type of involvement",
            ["Type of involvement", "Points"],
            [[(t["involvement_type"] or "other").replace("_", " "), t["points"]] for t in by_type],
            summary="Points members earned in the period, by the kind of involvement that earned them.",
            chart=bar_chart(label=0, value=1, unit="points"),
            units=["text", "points"],
        ),
        table(
            "reward_points_payouts",
            "Points paid out",
            ["Paid as", "Retailer or charity", "Members", "Value"],
            [
                [
                    "Shopping voucher" if choice == "shopping_voucher" else "Charity donation",
                    payee or "Member still to choose",
                    suppress(int(n)),
                    int(pence),
                ]
                for choice, payee, n, pence in payouts
            ],
            summary="Where the money from converted points went; fewer than 5 members is not shown.",
            units=["text", "text", "count", "pence"],
        ),
    ]
    return content(
        f"{suppress(members) if suppress(members) is not None else 'Fewer than 5'} residents were "
        f"{settings['scheme_name']} members; they earned {awarded} points, and {converted} pence of "
        f"points were paid out ({donated} pence to charity).",
        figures=[
            figure("Members", suppress(members)),
            figure("Points awarded", awarded, "points"),
            figure("Value converted", converted, "pence"),
            figure("Value donated to charity", donated, "pence"),
            figure("Involved residents who are members", share, "percent"),
        ],
        tables=tables,
    )
