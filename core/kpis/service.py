"""KPI reports: each KPI's value, target, previous-period value and source, live or stored.

``kpi_report`` computes every KPI available to the organisation (core and its enabled plugins')
for a period and the one before it, with targets from the organisation's ``kpi_targets`` setting.
``take_snapshots`` stores the figures in ``kpi_snapshots`` — one row per organisation, period and
code, replaced on a re-run, never duplicated — and ``stored_report`` reads them back for
dashboards. Callers run these inside the organisation's scope.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from core.extensions import db
from core.kpis.core_kpis import shared_aggregates
from core.models.base import utcnow
from core.models.surveys import KpiSnapshot
from core.periods import Period


def _registry():
    return current_app.extensions["involve"].kpis


def _targets(organisation) -> dict[str, Any]:
    return organisation.setting("kpi_targets") or {}


def compute_figures(period: Period, kpis) -> dict[str, tuple[Any, dict | None]]:
    """code → (value, details) for ``kpis``, computed in the scope already open."""
    with shared_aggregates():
        return {kpi.code: (kpi.compute(period), kpi.details(period) if kpi.details else None) for kpi in kpis}


def _row(kpi, value, details, target, previous) -> dict[str, Any]:
    row = {
        "code": kpi.code,
        "title": kpi.title,
        "value": value,
        "unit": kpi.unit,
        "target": target,
        "previous": previous,
        "source": kpi.plugin or "core",
    }
    row["met"] = target_met(kpi, value, target)
    if details is not None:
        row["details"] = details
        if value is None and details.get("reason"):
            row["reason"] = details["reason"]
    return row


def target_met(kpi, value, target) -> bool | None:
    """Whether ``value`` reaches ``target`` in the KPI's direction; None without both."""
    if value is None or target is None:
        return None
    return value >= target if kpi.higher_is_better else value <= target


def kpi_report(organisation, period: Period) -> dict[str, Any]:
    """Every KPI of the organisation for ``period``, computed now, beside the previous period."""
    kpis = _registry().for_organisation(organisation.id)
    with shared_aggregates():  # one block for both periods (and the report around it, if any)
        current = compute_figures(period, kpis)
        previous = compute_figures(period.previous(), kpis)
    targets = _targets(organisation)
    rows = []
    for kpi in kpis:
        row = _row(kpi, *current[kpi.code], targets.get(kpi.code), previous[kpi.code][0])
        # Not part of the API shape: lets a report hide a previous rate resting on a small sample.
        row["previous_details"] = previous[kpi.code][1]
        rows.append(row)
    return {"period": period.label, "kpis": rows}


def take_snapshots(organisation, periods: list[Period]) -> int:
    """Store every KPI of the organisation for each period (upsert); returns the rows written."""
    kpis = _registry().for_organisation(organisation.id)
    labels = [p.label for p in periods]
    existing = {
        (s.period, s.code): s
        for s in db.session.scalars(select(KpiSnapshot).where(KpiSnapshot.period.in_(labels)))
    }
    written = 0
    for period in periods:
        for code, (value, details) in compute_figures(period, kpis).items():
            snapshot = existing.get((period.label, code))
            if snapshot is None:
                snapshot = KpiSnapshot(period=period.label, code=code)
                db.session.add(snapshot)
            snapshot.value = None if value is None else json.dumps(value)
            snapshot.details = None if details is None else json.dumps(details)
            snapshot.computed_at = utcnow()
            written += 1
    db.session.flush()
    return written


def snapshot_periods(today: date) -> list[Period]:
    """The quarter just ended and the financial year so far (the year just ended on 1 April)."""
    yesterday = today - timedelta(days=1)
    year = Period.financial_year_of(today)
    quarter = next(q for q in _quarters(year) if today in q)
    return [quarter.previous(), Period.financial_year_of(yesterday)]


def _quarters(year: Period) -> list[Period]:
    return [Period.parse(f"{year.label}-Q{n}") for n in range(1, 5)]


def stored_report(organisation, period: Period) -> dict[str, Any]:
    """The stored figures for ``period`` (and the previous period's, when stored)."""
    labels = [period.label, period.previous().label]
    stored: dict[str, dict[str, KpiSnapshot]] = {label: {} for label in labels}
    for snapshot in db.session.scalars(
        select(KpiSnapshot).where(KpiSnapshot.period.in_(labels)).order_by(KpiSnapshot.id)
    ):
        stored[snapshot.period][snapshot.code] = snapshot
    registry = _registry().kpis
    targets = _targets(organisation)
    rows = []
    for code, snapshot in stored[period.label].items():
        kpi = registry.get(code)
        if kpi is None:  # a KPI whose plugin is no longer installed
            continue
        before = stored[labels[1]].get(code)
        value, details = _load(snapshot.value), _load(snapshot.details)
        previous = _load(before.value) if before else None
        if kpi.special_category:
            value, details, previous = _special_category(period, value, details, previous)
        row = _row(kpi, value, details, targets.get(code), previous)
        row["computed_at"] = snapshot.computed_at
        rows.append(row)
    report: dict[str, Any] = {"period": period.label, "kpis": rows}
    if rows:
        report["as_of"] = min(row["computed_at"] for row in rows)
    else:
        report["note"] = f"No stored figures for {period.label} yet; they are taken each quarter."
    return report


NOT_STORED = "No stored figure for {period} yet: refresh the stored figures, or read them live."


def stored_figures(period: Period, kpis) -> dict[int, dict[str, Any]]:
    """The stored figures of ``kpis`` for ``period`` of every organisation the open scope reads,
    in one statement: organisation id → {"figures": code → (value, details), "as_of": the oldest
    ``computed_at`` among them}. A KPI with no stored figure reads as ``(None, {"reason": …})``;
    an organisation with none at all is absent. Figures made from equality monitoring go through
    the same check as :func:`stored_report`."""
    codes = [kpi.code for kpi in kpis]
    rows = db.session.execute(
        select(
            KpiSnapshot.organisation_id,
            KpiSnapshot.code,
            KpiSnapshot.value,
            KpiSnapshot.details,
            KpiSnapshot.computed_at,
        ).where(KpiSnapshot.period == period.label, KpiSnapshot.code.in_(codes))
    ).all()
    found: dict[int, dict[str, tuple]] = {}
    for org_id, code, value, details, computed_at in rows:
        found.setdefault(org_id, {})[code] = (_load(value), _load(details), computed_at)
    missing = {"reason": NOT_STORED.format(period=period.label)}
    result: dict[int, dict[str, Any]] = {}
    for org_id, stored in found.items():
        figures = {}
        for kpi in kpis:
            if kpi.code not in stored:
                figures[kpi.code] = (None, dict(missing))
                continue
            value, details, _ = stored[kpi.code]
            if kpi.special_category:
                value, details, _ = _special_category(period, value, details, None)
            figures[kpi.code] = (value, details)
        result[org_id] = {"figures": figures, "as_of": min(row[2] for row in stored.values())}
    return result


def _special_category(period: Period, value, details, previous):
    """A stored figure made from equality monitoring: withheld from anyone but an analyst (the
    job stored it with no one watching), and every analyst's read audited."""
    from core.services.monitoring import WITHHELD, audit_read, monitoring_released

    if not monitoring_released():
        return None, {"reason": WITHHELD}, None
    audit_read("involved", period.label, "stored kpis")
    return value, details, previous


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)
