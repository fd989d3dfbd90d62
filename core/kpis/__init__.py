"""The KPI registry: core KPIs and those plugins add through ``register_kpis``.

A KPI computes one figure for (organisation, period) in SQL; ``value`` is ``None`` when there is
nothing to measure. Plugin KPIs are offered only to organisations that enable the plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from core.periods import Period

UNITS = ("count", "percent", "pence", "hours", "points", "score")


@dataclass(frozen=True)
class KPI:
    code: str
    title: str
    unit: str
    # ``(period) -> value``, called inside the organisation's scope (the registry enters it; a KPI
    # that needs the organisation itself reads ``core.tenancy.current_org_id()``).
    compute: Callable[[Period], Any]
    higher_is_better: bool = True
    plugin: str | None = None
    # Optional ``(period) -> dict`` of supporting figures (e.g. sample size, margin of error).
    details: Callable[[Period], dict[str, Any] | None] | None = None
    # True when the value counts people: values below the small-number threshold are suppressed
    # wherever figures leave the organisation (group comparison, published documents).
    counts_people: bool = False
    # True when the figure is made from equality monitoring (special-category data): shown only
    # to equality analysts, whether computed now or stored (``core.services.monitoring``).
    special_category: bool = False

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.code}: unit must be one of {UNITS}")


class KPIRegistry:
    def __init__(self) -> None:
        self.kpis: dict[str, KPI] = {}

    def add(self, kpi: KPI, plugin: str | None = None) -> None:
        if plugin is not None:
            if not kpi.code.startswith(f"{plugin}_"):
                raise ValueError(f"plugin {plugin} KPI {kpi.code}: prefix the code with '{plugin}_'")
            kpi = KPI(**{**kpi.__dict__, "plugin": plugin})
        if kpi.code in self.kpis:
            raise ValueError(f"KPI {kpi.code} registered twice")
        self.kpis[kpi.code] = kpi

    def for_organisation(self, org_id: int) -> list[KPI]:
        enabled = set(current_app.extensions["involve"].plugins.enabled_for(org_id))
        return [k for k in self.kpis.values() if k.plugin is None or k.plugin in enabled]

    def compute(self, org_id: int, period: Period) -> dict[str, Any]:
        """Every KPI available to the organisation, computed inside its scope."""
        from core.tenancy import organisation_scope

        with organisation_scope(org_id):
            return {k.code: k.compute(period) for k in self.for_organisation(org_id)}
