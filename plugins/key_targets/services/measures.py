"""The plugin's KPIs and its section of the impact assessment.

KPIs are aggregate queries for (organisation in scope, period). Strand growth is one KPI per
organisation rather than one per strand (strands are data, KPIs are declared at start-up): the
share of strands that met the growth target, with the per-strand table in the report section and
at ``/strands/growth``.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select

from core import plugin_kit
from core.extensions import db
from core.periods import Period
from core.reports import bar_chart, content, figure, suppress, table
from plugins.key_targets.models import Deadline, Phase, Target
from plugins.key_targets.services import inspections, shopping
from plugins.key_targets.services.common import percent, same_period_last_year, settings
from plugins.key_targets.services.plan import FINISHED, overdue_condition
from plugins.key_targets.services.strands import growth, participants_in_any_strand


def strand_participants(period: Period) -> int:
    return participants_in_any_strand(period)


def strands_meeting_growth(period: Period) -> float | None:
    rows = [row for row in growth(period) if row["status"] != "no_baseline"]
    return percent(sum(1 for row in rows if row["status"] == "met"), len(rows))


def strands_below_target(period: Period) -> int:
    return sum(1 for row in growth(period) if row["status"] == "below_target")


def deadlines_met_on_time(period: Period) -> float | None:
    """Of target deadlines falling in P (and already passed), those met on or before the date."""
    last_day = min(period.end, plugin_kit.today())
    due, met = db.session.execute(
        select(
            func.count(Deadline.id),
            func.count(Deadline.id).filter(
                and_(Deadline.met_on.is_not(None), Deadline.met_on <= Deadline.due_on)
            ),
        )
        .join(
            Target, and_(Target.id == Deadline.target_id, Target.organisation_id == Deadline.organisation_id)
        )
        .where(Deadline.due_on.between(period.start, last_day), Target.status != "dropped")
    ).one()
    return percent(met, due)


def targets_overdue(period: Period) -> int:
    """Open targets with a deadline passed and not met, as at the end of P (or today)."""
    return db.session.scalar(
        select(func.count(Target.id)).where(overdue_condition(min(period.end, plugin_kit.today())))
    )


def homes_inspected(period: Period) -> int:
    return inspections.homes_inspected(period)


def passed_first_time(period: Period) -> float | None:
    return inspections.first_time_pass_rate(period)


def mystery_shopping_score(period: Period) -> float | None:
    return shopping.overall_score(period)


def section(period: Period) -> dict:
    rows = growth(period)
    before = same_period_last_year(period)
    target = settings()["strand_growth_target_percent"]
    measured = [r for r in rows if r["status"] != "no_baseline"]
    met = sum(1 for r in measured if r["status"] == "met")
    words = {"met": "Met", "below_target": "Below target", "no_baseline": "No baseline"}
    strand_table = table(
        "key_targets_strand_growth",
        f"Participants per level of involvement, {period.label} against {before.label}",
        ["Strand", f"People {before.label}", f"People {period.label}", "Growth %", "Against target"],
        [
            [
                r["name"],
                suppress(r["previous_participants"]),
                suppress(r["participants"]),
                r["growth_percent"],
                words[r["status"]],
            ]
            for r in rows
        ],
        units=["text", "count", "count", "percent", "text"],
        summary=f"{met} of {len(measured)} strands with a year-earlier figure grew by at least {target:g}%.",
        chart=bar_chart(label=0, value=2),
    )
    phase_rows = db.session.execute(
        select(
            Phase.title,
            func.count(Target.id),
            func.count(Target.id).filter(Target.status == "done"),
            func.count(Target.id).filter(Target.status.not_in(FINISHED)),
        )
        .join(Target, and_(Target.phase_id == Phase.id, Target.organisation_id == Phase.organisation_id))
        .group_by(Phase.id, Phase.title, Phase.starts_on)
        .order_by(Phase.starts_on)
    ).all()
    overdue = targets_overdue(period)
    plan_table = table(
        "key_targets_plan",
        "Key targets by phase",
        ["Phase", "Targets", "Done", "Open"],
        [list(row) for row in phase_rows],
        summary=f"{sum(r[2] for r in phase_rows)} of {sum(r[1] for r in phase_rows)} key targets are done; "
        f"{overdue} open targets are past a deadline.",
    )
    trend = shopping.trend(period)
    shop_table = table(
        "key_targets_mystery_shopping",
        "Mystery shopping score by channel and quarter",
        ["Channel", "Quarter", "Shops", "Score %"],
        [[r["channel"], r["quarter"], r["shops"], r["score_percent"]] for r in trend],
        units=["text", "text", "count", "percent"],
        summary="Points scored as a share of points possible, per channel and quarter."
        if trend
        else "No mystery shops were made in the period.",
    )
    failures = inspections.failures_by_item(period)
    inspection_table = table(
        "key_targets_relet_failures",
        "Relet standard items failed at inspection",
        ["Checklist item", "Failures"],
        [[label, count] for label, count in failures],
        summary="The items of the minimum relet standard tenant inspectors most often found not met."
        if failures
        else "Tenant inspectors found no relet standard item failing in the period.",
        chart=bar_chart(label=0, value=1) if failures else None,
    )
    first_time = inspections.first_time_pass_rate(period)
    return content(
        f"{met} of {len(measured)} involvement strands met the {target:g}% growth target; "
        f"tenant inspectors checked {inspections.homes_inspected(period)} empty homes"
        + (f", {first_time:g}% passing first time." if first_time is not None else "."),
        figures=[
            figure("People in the involvement strands", suppress(participants_in_any_strand(period))),
            figure("Strands meeting the growth target", strands_meeting_growth(period), "percent"),
            figure("Key targets overdue", overdue),
            figure("Empty homes inspected by tenants", inspections.homes_inspected(period)),
            figure("Homes passing inspection first time", first_time, "percent"),
            figure("Mystery shopping score", shopping.overall_score(period), "percent"),
        ],
        tables=[strand_table, plan_table, inspection_table, shop_table],
    )
