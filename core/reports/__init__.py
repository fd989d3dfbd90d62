"""Impact-assessment sections: core ones and those plugins add through ``register_report_sections``.

A section's ``build(period)`` runs inside the organisation's scope and returns the section's
*content*, a JSON-serialisable dict made with the helpers below::

    content(
        summary="42 residents took part in 18 activities.",
        figures=[figure("Residents involved", 42, "count")],
        tables=[table("by_level", "People involved by level", ["Level", "People"],
                      [["Board", 9], ["Forum", 33]], summary="Most took part through the forum.",
                      chart=bar_chart(label=0, value=1))],
    )

Everything in a table is shown in the HTML page, the PDF, and the CSV/XLSX download, so a chart is
always backed by its data table and a one-sentence text summary. Counts of people smaller than
``SMALL_NUMBER`` are suppressed with :func:`suppress` before they leave the section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app

from core.periods import Period

# Counts of people below this are shown as "fewer than 5" (KPIS.md, profile_gap; DESIGN.md rule 5).
SMALL_NUMBER = 5
SUPPRESSED = None  # a suppressed cell is null in JSON and "<5" in documents
UNITS = ("count", "percent", "pence", "hours", "points", "score", "text", "date")


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    order: int
    build: Callable[[Period], dict[str, Any]]
    plugin: str | None = None


def figure(label: str, value: Any, unit: str = "count", note: str | None = None) -> dict[str, Any]:
    """A headline figure: ``unit`` is one of ``UNITS`` (pence are formatted as pounds)."""
    if unit not in UNITS:
        raise ValueError(f"figure {label!r}: unit must be one of {UNITS}")
    return {"label": label, "value": value, "unit": unit, "note": note}


def bar_chart(label: int = 0, value: int = 1, unit: str = "count") -> dict[str, Any]:
    """Draw the table as horizontal bars: ``label`` and ``value`` are column indexes."""
    return {"kind": "bar", "label": label, "value": value, "unit": unit}


def table(
    key: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    summary: str,
    chart: dict[str, Any] | None = None,
    units: Sequence[str] | None = None,
    note: str | None = None,
    row_units: Sequence[str] | None = None,
    missing: Sequence[str | None] | None = None,
) -> dict[str, Any]:
    """A data table; ``units`` (one per column, from ``UNITS``) controls formatting.

    ``row_units`` (one per row) is for tables whose rows measure different things (a KPI table):
    it formats every numeric cell of that row. ``missing`` (one per column) is what an empty cell of
    that column says, e.g. "no target"; ``None`` keeps the unit's default ("fewer than 5" for a
    suppressed count, "not available" otherwise), so only columns of people counts should keep it.
    A "date" cell holds an ISO date (``2025-09-01``) and is shown as "1 September 2025".
    """
    columns = list(columns)
    rows = [list(row) for row in rows]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"table {key}: a row has {len(row)} cells for {len(columns)} columns")
    if units is not None and len(units) != len(columns):
        raise ValueError(f"table {key}: give one unit per column")
    if missing is not None and len(missing) != len(columns):
        raise ValueError(f"table {key}: give one missing-value text per column")
    return {
        "key": key,
        "title": title,
        "columns": columns,
        "units": list(units) if units is not None else None,
        "row_units": list(row_units) if row_units is not None else None,
        "rows": rows,
        "summary": summary,
        "chart": chart,
        "note": note,
        **({"missing": list(missing)} if missing is not None else {}),
    }


def content(
    summary: str, figures: Sequence[dict] = (), tables: Sequence[dict] = (), **extra: Any
) -> dict[str, Any]:
    """A section's content; ``extra`` keys are kept in the JSON for API clients."""
    return {"summary": summary, "figures": list(figures), "tables": list(tables), **extra}


def suppress(count: int | None, threshold: int = SMALL_NUMBER) -> int | None:
    """A count of people, or ``None`` when it is between 1 and ``threshold`` - 1.

    This is the one small-number rule: sections, the KPI table, the group comparison and every
    document made from them (CSV, XLSX, PDF) hide a count through it, directly or through
    :func:`suppress_kpi`.
    """
    if count is None or count == 0 or count >= threshold:
        return count
    return SUPPRESSED


def leader_summary(
    counts: Sequence[tuple[str, Any]], *, one: str, tie: str, unit: str = "count"
) -> str | None:
    """A sentence naming what came top of ``counts`` (label, value pairs), or ``None`` if nothing did.

    ``one`` names a single leader (``"Most improvements came from {label}."``); when several share the
    top value no winner is claimed and ``tie`` names them all (``"{labels} contributed equally
    ({value} each)."``), so a 1–1 tie never reads as "most". Suppressed (``None``) and zero values
    never lead.
    """
    from core.reports.documents import format_value

    shown = [(label, value) for label, value in counts if isinstance(value, int | float) and value > 0]
    if not shown:
        return None
    top = max(value for _, value in shown)
    leaders = [label for label, value in shown if value == top]
    if len(leaders) == 1:
        return one.format(label=leaders[0], value=format_value(top, unit))
    names = ", ".join(leaders[:-1]) + " and " + leaders[-1]
    sentence = tie.format(labels=names, value=format_value(top, unit))
    return sentence[:1].upper() + sentence[1:]


def suppress_kpi(kpi, value: Any, details: dict | None = None) -> tuple[Any, bool]:
    """A KPI figure as it may be shown outside the organisation's own dashboard: ``(value, hidden)``.

    A KPI that counts people is hidden when :func:`suppress` hides the count; a rate resting on a
    sample (``details["sample_size"]``) is hidden when :func:`suppress` hides the sample size.
    """
    if value is None:
        return None, False
    if kpi.counts_people and suppress(value) is SUPPRESSED:
        return SUPPRESSED, True
    sample = (details or {}).get("sample_size")
    if sample is not None and suppress(sample) is SUPPRESSED:
        return SUPPRESSED, True
    return value, False


class ReportRegistry:
    def __init__(self) -> None:
        self.sections: dict[str, ReportSection] = {}

    def add(self, section: ReportSection, plugin: str | None = None) -> None:
        if plugin is not None:
            if not section.key.startswith(plugin):
                raise ValueError(
                    f"plugin {plugin} report section {section.key}: prefix the key with '{plugin}'"
                )
            section = ReportSection(**{**section.__dict__, "plugin": plugin})
        if section.key in self.sections:
            raise ValueError(f"report section {section.key} registered twice")
        self.sections[section.key] = section

    def for_organisation(self, org_id: int) -> list[ReportSection]:
        enabled = set(current_app.extensions["involve"].plugins.enabled_for(org_id))
        chosen = [s for s in self.sections.values() if s.plugin is None or s.plugin in enabled]
        return sorted(chosen, key=lambda s: (s.order, s.key))
