"""A group's partners side by side on the same KPIs for a period (API.md ``/comparison``).

Everything here reads other organisations' records, so it goes through
:func:`core.tenancy.group_read_scope` — audited, read-only — one partner at a time, and returns
aggregates only. Counts of people and percentages resting on fewer than ``SMALL_NUMBER`` answers are
suppressed (``null`` with ``suppressed: true``) before they leave this module; suppressed values
take no rank and do not enter totals or medians.
"""

from __future__ import annotations

from statistics import median
from typing import Any

from flask import current_app
from sqlalchemy import select

from core.errors import NotFound
from core.extensions import db
from core.kpis import KPI
from core.kpis.service import compute_figures, target_met
from core.models import ImpactAssessment, Organisation
from core.periods import Period
from core.reports import SMALL_NUMBER, suppress_kpi
from core.tenancy import group_read_scope


def partners_of(group: Organisation) -> list[Organisation]:
    """The group's active partners, by name."""
    return db.session.scalars(
        select(Organisation)
        .where(Organisation.parent_id == group.id, Organisation.status == "active")
        .order_by(Organisation.name)
    ).all()


def shared_kpis(partners: list[Organisation]) -> list[KPI]:
    """Core KPIs, plus plugin KPIs only when every partner enables the plugin (same codes for all)."""
    state = current_app.extensions["involve"]
    enabled = [set(state.plugins.enabled_for(p.id)) for p in partners]
    common = set.intersection(*enabled) if enabled else set()
    return [k for k in state.kpis.kpis.values() if k.plugin is None or k.plugin in common]


def suppressed(kpi: KPI, value: Any, details: dict | None) -> bool:
    """Whether a partner's figure is too small to show outside the partner (the one rule,
    :func:`core.reports.suppress_kpi`)."""
    return suppress_kpi(kpi, value, details)[1]


def compare(group: Organisation, period: Period, *, actor_id: int | None) -> dict[str, Any]:
    """The comparison of ``group``'s partners for ``period`` (404 for an organisation that is not a group)."""
    if not group.is_group:
        raise NotFound("Only a group has partners to compare.")
    partners = partners_of(group)
    kpis = shared_kpis(partners)
    purpose = f"group comparison of {group.slug} for {period.label}"
    rows: list[dict[str, Any]] = []
    for partner in partners:
        with group_read_scope([partner.id], actor_id=actor_id, purpose=purpose):
            figures = compute_figures(partner.id, period, kpis)
        targets = partner.setting("kpi_targets") or {}
        cells = {}
        for kpi in kpis:
            value, details = figures[kpi.code]
            hidden = suppressed(kpi, value, details)
            target = targets.get(kpi.code)
            cells[kpi.code] = {
                "value": None if hidden else value,
                "suppressed": hidden,
                "target": target,
                "met": None if hidden else target_met(kpi, value, target),
                "rank": None,
            }
        for kpi in kpis:
            value, details = figures[kpi.code]
            if value is None and (details or {}).get("reason"):
                cells[kpi.code]["reason"] = details["reason"]  # e.g. too few people recorded
        rows.append(
            {
                "id": partner.id,
                "slug": partner.slug,
                "name": partner.name,
                "kpis": cells,
                "missed_targets": [code for code, cell in cells.items() if cell["met"] is False],
            }
        )
    _rank(rows, kpis)
    assessments = assessment_statuses(partners, period, actor_id=actor_id)
    for row in rows:
        row["assessment"] = assessments[row["id"]]
    return {
        "group": {"slug": group.slug, "name": group.name},
        "period": period.label,
        "kpis": [
            {"code": k.code, "title": k.title, "unit": k.unit, "higher_is_better": k.higher_is_better}
            for k in kpis
        ],
        "partners": rows,
        "totals": {k.code: _total(k, rows) for k in kpis},
        "medians": {k.code: _median(k, rows) for k in kpis},
        "small_number_threshold": SMALL_NUMBER,
    }


def _values(kpi: KPI, rows: list[dict]) -> list[Any]:
    return [r["kpis"][kpi.code]["value"] for r in rows if r["kpis"][kpi.code]["value"] is not None]


def _total(kpi: KPI, rows: list[dict]) -> int | None:
    """Counts add up across partners; rates and amounts per household do not, so they have none."""
    if kpi.unit != "count":
        return None
    values = _values(kpi, rows)
    return sum(values) if values else None


def _median(kpi: KPI, rows: list[dict]) -> float | None:
    values = _values(kpi, rows)
    if not values:
        return None
    middle = median(values)
    return round(float(middle), 1) if kpi.unit in ("percent", "score") else middle


def _rank(rows: list[dict], kpis: list[KPI]) -> None:
    """Competition ranking (1, 2, 2, 4) per KPI, best first in the KPI's direction."""
    for kpi in kpis:
        ranked = [r for r in rows if r["kpis"][kpi.code]["value"] is not None]
        ranked.sort(key=lambda r: r["kpis"][kpi.code]["value"], reverse=kpi.higher_is_better)
        previous_value, previous_rank = object(), 0
        for position, row in enumerate(ranked, start=1):
            value = row["kpis"][kpi.code]["value"]
            rank = previous_rank if value == previous_value else position
            row["kpis"][kpi.code]["rank"] = rank
            previous_value, previous_rank = value, rank


def assessment_statuses(
    partners: list[Organisation], period: Period, *, actor_id: int | None
) -> dict[int, dict[str, Any]]:
    """Each partner's impact assessment for the financial year of ``period``: status only."""
    year = Period.financial_year_of(period.start).label
    statuses = {p.id: {"period": year, "status": "not_started", "published_at": None} for p in partners}
    if not partners:
        return statuses
    with group_read_scope([p.id for p in partners], actor_id=actor_id, purpose=f"assessment status {year}"):
        found = db.session.execute(
            select(
                ImpactAssessment.organisation_id, ImpactAssessment.status, ImpactAssessment.published_at
            ).where(ImpactAssessment.period == year)
        ).all()
    for org_id, status, published_at in found:
        statuses[org_id] = {"period": year, "status": status, "published_at": published_at}
    return statuses


def comparison_tables(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One table per KPI (partner, value, target, met, rank), for the page, its charts and CSV."""
    from core.reports import bar_chart, table
    from core.reports.documents import format_value

    tables = []
    for kpi in result["kpis"]:
        code, unit = kpi["code"], kpi["unit"]
        rows, shown = [], []
        for partner in result["partners"]:
            cell = partner["kpis"][code]
            met = {True: "Met", False: "Missed", None: "No target"}[cell["met"]]
            value = "not shown (small number)" if cell["suppressed"] else cell["value"]
            rank = cell["rank"] if cell["rank"] is not None else "not ranked"
            target = cell["target"] if cell["target"] is not None else "no target"
            rows.append([partner["name"], value, target, met, rank])
            if cell["value"] is not None:
                shown.append((cell["rank"], partner["name"]))
        missed = [p["name"] for p in result["partners"] if p["kpis"][code]["met"] is False]
        median_value = result["medians"][code]
        if shown:
            first = min(rank for rank, _ in shown)
            leaders = [name for rank, name in shown if rank == first]
            if len(leaders) == 1:
                summary = f"{leaders[0]} ranks first; the median is {format_value(median_value, unit)}."
            else:  # a shared first place is not a win for whoever sorts first
                names = ", ".join(leaders[:-1]) + " and " + leaders[-1]
                summary = f"{names} share first place; the median is {format_value(median_value, unit)}."
        else:
            summary = "No partner has a figure that can be shown for this period."
        if missed:
            summary += f" Missed the target: {', '.join(missed)}."
        direction = "higher is better" if kpi["higher_is_better"] else "lower is better"
        tables.append(
            table(
                code,
                f"{kpi['title']} ({direction})",
                ["Partner", "Value", "Target", "Target met", "Rank"],
                rows,
                units=["text", unit, unit, "text", "text"],
                summary=summary,
                chart=bar_chart(label=0, value=1, unit=unit),
                note=(
                    f"Counts under {result['small_number_threshold']} people, and survey results with fewer "
                    f"than {result['small_number_threshold']} answers, are not shown."
                ),
            )
        )
    return tables
