"""The plugin's KPIs, the quarterly PIs to Board and its section of the impact assessment.

Every figure is one aggregate query inside the organisation's scope. Definitions:
* ``street_reps_coverage`` — % of active tenancy-holding households in a representative's patch
  (patches have no history, so this is coverage now; a period's snapshot keeps the figure of the day);
* ``street_reps_walkabouts_held`` — walkabouts held with their start in the period;
* ``street_reps_actions_on_time`` — of walkabout actions due in the period (dropped ones left out),
  % done on or before their due date;
* ``street_reps_grants_paid`` — pence of grants to residents' groups paid in the period;
* ``street_reps_panel_response_rate`` — % of Customer Panel contacts in waves sent in the period
  that were answered;
* ``street_reps_customer_profiling`` — % of residents involved in the period (core's
  ``involved_total`` set) with an equality monitoring record;
* community events (for the Board PIs) — core activities of kind ``event`` held in the period.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select

from core.extensions import db
from core.kpis import KPI
from core.kpis.core_kpis import held_in, involved_ids, percent
from core.models import ActionPlanItem, Activity, EqualityMonitoring, Household
from core.periods import Period
from core.reports import bar_chart, content, figure, suppress, table
from plugins.street_reps.models import (
    Grant,
    PanelContact,
    PanelWave,
    PatchHousehold,
    Walkabout,
    WalkaboutIssue,
)
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import compliance
from plugins.street_reps.services.common import bounds, pounds, tenancy_household


def coverage(period: Period) -> float | None:
    tenures = current_settings()["tenancy_tenures"]
    covered = select(PatchHousehold.id).where(PatchHousehold.household_id == Household.id).exists()
    total, with_rep = db.session.execute(
        select(func.count(Household.id), func.count(case((covered, Household.id)))).where(
            tenancy_household(tenures)
        )
    ).one()
    return percent(with_rep, total)


def walkabouts_held(period: Period) -> int:
    start, after = bounds(period)
    return db.session.scalar(
        select(func.count(Walkabout.id)).where(
            Walkabout.status == "held", Walkabout.starts_at >= start, Walkabout.starts_at < after
        )
    )


def _actions_due(period: Period):
    return and_(
        ActionPlanItem.due_on.between(period.start, period.end),
        ActionPlanItem.status != "dropped",
    )


def action_counts(period: Period) -> tuple[int, int]:
    on_time = func.count(
        case(
            (
                and_(ActionPlanItem.status == "done", ActionPlanItem.completed_on <= ActionPlanItem.due_on),
                ActionPlanItem.id,
            )
        )
    )
    due, done = db.session.execute(
        select(func.count(ActionPlanItem.id), on_time)
        .join(WalkaboutIssue, WalkaboutIssue.action_item_id == ActionPlanItem.id)
        .where(_actions_due(period))
    ).one()
    return due, done


def actions_on_time(period: Period) -> float | None:
    due, done = action_counts(period)
    return percent(done, due)


def grants_paid(period: Period) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Grant.awarded_pence), 0)).where(
            Grant.status == "paid", Grant.paid_on.between(period.start, period.end)
        )
    )


def panel_response_rate(period: Period) -> float | None:
    sent, answered = db.session.execute(
        select(
            func.count(PanelContact.id),
            func.count(case((PanelContact.responded_on.is_not(None), PanelContact.id))),
        )
        .join(PanelWave, PanelWave.id == PanelContact.wave_id)
        .where(PanelWave.sent_on.between(period.start, period.end))
    ).one()
    return percent(answered, sent)


def profiling_counts(period: Period) -> tuple[int, int]:
    involved = involved_ids(period)
    profiled = select(EqualityMonitoring.id).where(
        EqualityMonitoring.participant_id == involved.c.participant_id
    )
    return db.session.execute(
        select(func.count(), func.count(case((profiled.exists(), 1)))).select_from(involved)
    ).one()


def customer_profiling(period: Period) -> float | None:
    involved, profiled = profiling_counts(period)
    return percent(profiled, involved)


def community_events(period: Period) -> int:
    return db.session.scalar(select(func.count(Activity.id)).where(Activity.kind == "event", held_in(period)))


def kpis() -> list[KPI]:
    return [
        KPI(
            "street_reps_coverage",
            "Tenancy-holding households with a street representative",
            "percent",
            coverage,
        ),
        KPI("street_reps_walkabouts_held", "Estate walkabouts held", "count", walkabouts_held),
        KPI("street_reps_actions_on_time", "Walkabout actions completed on time", "percent", actions_on_time),
        KPI("street_reps_grants_paid", "Grants paid to residents' groups", "pence", grants_paid),
        KPI(
            "street_reps_panel_response_rate", "Customer Panel response rate", "percent", panel_response_rate
        ),
        KPI(
            "street_reps_customer_profiling",
            "Involved residents with an equality profile recorded",
            "percent",
            customer_profiling,
        ),
    ]


# -- quarterly PIs to Board -------------------------------------------------------------------


def board_pis(period: Period, settings: dict) -> dict[str, Any]:
    """The PIs Halton reports to Board each quarter, with the quarter before for comparison."""

    def figures(p: Period) -> dict[str, Any]:
        involved, profiled = profiling_counts(p)
        due, done = action_counts(p)
        values = {
            "community_events": community_events(p),
            "estate_walkabouts": walkabouts_held(p),
            "walkabout_actions_due": due,
            "walkabout_actions_on_time": done,
            "walkabout_actions_on_time_percent": percent(done, due),
            "involved_residents": suppress(involved),
            "customer_profiling_percent": percent(profiled, involved),
            "street_rep_coverage_percent": coverage(p),
        }
        return values

    chosen = settings["quarterly_board_pis"]
    current, previous = figures(period), figures(period.previous())
    rows = []
    labels = {
        "community_events": ("Community events held", "count", "community_events"),
        "estate_walkabouts": ("Estate walkabouts held", "count", "estate_walkabouts"),
        "customer_profiling": (
            "Involved residents with an equality profile",
            "percent",
            "customer_profiling_percent",
        ),
    }
    for code in chosen:
        title, unit, key = labels[code]
        rows.append(
            {"code": code, "title": title, "unit": unit, "value": current[key], "previous": previous[key]}
        )
    rows.append(
        {
            "code": "walkabout_actions_on_time",
            "title": "Walkabout actions completed on time",
            "unit": "percent",
            "value": current["walkabout_actions_on_time_percent"],
            "previous": previous["walkabout_actions_on_time_percent"],
        }
    )
    rows.append(
        {
            "code": "street_rep_coverage",
            "title": "Tenancy-holding households with a street representative (now)",
            "unit": "percent",
            "value": current["street_rep_coverage_percent"],
            "previous": None,
        }
    )
    standing = compliance.check(settings)
    for board in standing["boards"]:
        rows.append(
            {
                "code": "board_tenancy_holders",
                "title": (
                    f"{board['name']}: members who hold a tenancy (now; {board['reserved']} seats reserved)"
                ),
                "unit": "count",
                "value": board["tenancy_holders"],
                "previous": None,
                "target": board["reserved"],
                "complies": board["complies"],
            }
        )
    rows.append(
        {
            "code": "street_reps_over_limit",
            "title": (
                f"Street representatives speaking for more than {settings['max_tenancy_holders_per_rep']} "
                "tenancy holders (now)"
            ),
            "unit": "count",
            "value": len(standing["reps_over_limit"]),
            "previous": None,
            "target": 0,
            "complies": not standing["reps_over_limit"],
        }
    )
    return {
        "period": period.label,
        "previous_period": period.previous().label,
        "starts_on": period.start,
        "ends_on": period.end,
        "pis": rows,
        "details": current,
        "compliance": standing,
    }


# -- impact assessment section ------------------------------------------------------------


def report_section(period: Period) -> dict[str, Any]:
    settings = current_settings()
    from plugins.street_reps.services.reps import coverage as area_coverage

    by_area = area_coverage(settings)
    held = walkabouts_held(period)
    due, done = action_counts(period)
    paid = grants_paid(period)
    grant_rows = db.session.execute(
        select(Grant.grant_type, func.count(Grant.id), func.coalesce(func.sum(Grant.awarded_pence), 0))
        .where(Grant.status == "paid", Grant.paid_on.between(period.start, period.end))
        .group_by(Grant.grant_type)
        .order_by(Grant.grant_type)
    ).all()
    areas = [a for a in by_area["areas"] if a["kind"] in ("management_area", "neighbourhood", "estate")]
    summary = (
        f"Street representatives spoke for {by_area['percent'] if by_area['percent'] is not None else 0}% of "
        f"tenancy-holding households; {held} estate walkabouts were held and {done} of {due} walkabout "
        f"actions due were completed on time; {pounds(paid)} was paid in grants to residents' groups."
    )
    return content(
        summary,
        figures=[
            figure("Households with a street representative", by_area["percent"], "percent"),
            figure("Estate walkabouts held", held),
            figure("Walkabout actions completed on time", percent(done, due), "percent"),
            figure("Grants paid to residents' groups", paid, "pence"),
        ],
        tables=[
            table(
                "street_reps_coverage_by_area",
                "Street representative coverage by area",
                ["Area", "Tenancy-holding households", "With a representative", "Coverage"],
                [[a["name"], a["tenancy_households"], a["covered"], a["percent"]] for a in areas],
                units=["text", "count", "count", "percent"],
                summary="Share of tenancy-holding households in each area that a street rep speaks for.",
                chart=bar_chart(label=0, value=3, unit="percent"),
            ),
            table(
                "street_reps_grants_by_type",
                "Grants paid to residents' groups",
                ["Grant", "Grants paid", "Amount"],
                [[kind.replace("_", "-"), count, amount] for kind, count, amount in grant_rows],
                units=["text", "count", "pence"],
                summary="Start-up, annual and development grants paid in the period.",
            ),
        ],
    )
