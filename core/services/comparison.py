"""A group's partners side by side on the same KPIs for a period (API.md ``/comparison``).

Everything here reads other organisations' records, so it goes through
:func:`core.tenancy.group_read_scope` — audited, read-only — one partner at a time, and returns
aggregates only. Counts of people and percentages resting on fewer than ``SMALL_NUMBER`` answers are
suppressed (``null`` with ``suppressed: true``) before they leave this module; suppressed values
take no rank and do not enter totals or medians. Ties share a rank and are marked ``tied``.

A group's staff may also read one partner's impact assessment (:func:`partner_assessment`): the
document the partner publishes to its residents, built from aggregates with small numbers
suppressed, read through the same audited scope.
"""

from __future__ import annotations

from collections import Counter
from statistics import median
from typing import Any

from flask import current_app
from sqlalchemy import select

from core.errors import NotFound
from core.extensions import db
from core.jobs import enqueue
from core.kpis import KPI
from core.kpis.service import NOT_STORED, compute_figures, stored_figures, target_met
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


def compare(
    group: Organisation, period: Period, *, actor_id: int | None, stored: bool = False
) -> dict[str, Any]:
    """The comparison of ``group``'s partners for ``period`` (404 for an organisation that is not a group).

    Live by default: every partner's KPIs computed now. With ``stored``, each partner's figures
    are the ones its ``kpis.snapshot`` job stored (read for all partners in one statement), with
    the partner's ``as_of``; a partner with nothing stored for the period is not computed live
    (that would put the slow path back in the request) but shown with no figures, each saying
    why, and ``as_of`` null, until :func:`refresh` has run.
    """
    if not group.is_group:
        raise NotFound("Only a group has partners to compare.")
    partners = partners_of(group)
    kpis = shared_kpis(partners)
    purpose = f"group comparison of {group.slug} for {period.label}"
    saved: dict[int, dict[str, Any]] = {}
    if stored and partners:
        with group_read_scope([p.id for p in partners], actor_id=actor_id, purpose=f"stored {purpose}"):
            saved = stored_figures(period, kpis)
    not_stored = {"reason": NOT_STORED.format(period=period.label)}
    rows: list[dict[str, Any]] = []
    for partner in partners:
        if stored:
            mine = saved.get(partner.id)
            figures = mine["figures"] if mine else {k.code: (None, dict(not_stored)) for k in kpis}
        else:
            with group_read_scope([partner.id], actor_id=actor_id, purpose=purpose):
                figures = compute_figures(period, kpis)
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
                "tied": False,
            }
        for kpi in kpis:
            value, details = figures[kpi.code]
            if value is None and (details or {}).get("reason"):
                cells[kpi.code]["reason"] = details["reason"]  # e.g. too few people recorded
        row = {
            "id": partner.id,
            "slug": partner.slug,
            "name": partner.name,
            "kpis": cells,
            "missed_targets": [code for code, cell in cells.items() if cell["met"] is False],
        }
        if stored:
            row["as_of"] = saved[partner.id]["as_of"] if partner.id in saved else None
        rows.append(row)
    _rank(rows, kpis)
    assessments = assessment_statuses(partners, period, actor_id=actor_id)
    for row in rows:
        row["assessment"] = assessments[row["id"]]
    extra: dict[str, Any] = {}
    if stored:
        times = [row["as_of"] for row in rows if row["as_of"] is not None]
        extra = {"as_of": min(times) if times else None, "stored": True}
    return {
        **extra,
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


def refresh(group: Organisation, period: Period) -> int:
    """Queue the ``kpis.snapshot`` job of ``period`` for every active partner (each job runs in
    its partner's own scope, as the daily one does); returns how many were queued. The jobs go
    out when the caller's transaction commits."""
    if not group.is_group:
        raise NotFound("Only a group has partners to compare.")
    partners = partners_of(group)
    for partner in partners:
        enqueue("kpis.snapshot", org_id=partner.id, period=period.label)
    return len(partners)


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
    """Competition ranking (1, 2, 2, 4) per KPI, best first in the KPI's direction; partners
    sharing a rank are each marked ``tied``."""
    for kpi in kpis:
        ranked = [r for r in rows if r["kpis"][kpi.code]["value"] is not None]
        ranked.sort(key=lambda r: r["kpis"][kpi.code]["value"], reverse=kpi.higher_is_better)
        previous_value, previous_rank = object(), 0
        for position, row in enumerate(ranked, start=1):
            value = row["kpis"][kpi.code]["value"]
            rank = previous_rank if value == previous_value else position
            row["kpis"][kpi.code]["rank"] = rank
            previous_value, previous_rank = value, rank
        shared = Counter(r["kpis"][kpi.code]["rank"] for r in ranked)
        for row in ranked:
            row["kpis"][kpi.code]["tied"] = shared[row["kpis"][kpi.code]["rank"]] > 1


def rank_text(cell: dict[str, Any]) -> str:
    """A rank in words for pages and CSV: "2", "2 (joint)" when shared, "not ranked" without one."""
    if cell["rank"] is None:
        return "not ranked"
    return f"{cell['rank']} (joint)" if cell.get("tied") else str(cell["rank"])


def partner_of(group: Organisation, slug: str) -> Organisation:
    """One active partner of ``group`` by slug; anything else (another group's partner, an unknown
    slug, a group that is not one) is not found."""
    if not group.is_group:
        raise NotFound("Only a group has partners.")
    partner = db.session.scalar(
        select(Organisation).where(
            Organisation.slug == slug, Organisation.parent_id == group.id, Organisation.status == "active"
        )
    )
    if partner is None:
        raise NotFound("No such partner.")
    return partner


def partner_assessment(group: Organisation, slug: str, period: Period, *, actor_id: int | None) -> dict:
    """A partner's impact assessment for a financial year, read by the group (audited, read-only).

    The document is what the partner's residents see: figures and tables of aggregates with small
    numbers suppressed, and the partner's narrative; the published copy once published, otherwise
    the draft as it stands."""
    from core.services import impact_assessments

    partner = partner_of(group, slug)
    purpose = f"impact assessment {period.label} of partner {partner.slug} for group {group.slug}"
    with group_read_scope([partner.id], actor_id=actor_id, purpose=purpose):
        return impact_assessments.document(partner, period)


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


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


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
            rank = rank_text(cell)
            target = cell["target"] if cell["target"] is not None else "no target"
            rows.append([partner["name"], value, target, met, rank])
            if cell["value"] is not None:
                shown.append((cell["rank"], partner["name"]))
        missed = [p["name"] for p in result["partners"] if p["kpis"][code]["met"] is False]
        median_value = result["medians"][code]
        if shown:
            first = [name for rank, name in sorted(shown) if rank == 1]
            leader = _and(first) + (" ranks first" if len(first) == 1 else " share first place")
            summary = f"{leader}; the median is {format_value(median_value, unit)}."
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
