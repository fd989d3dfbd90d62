"""Impact-assessment sections: core ones and those plugins add through ``register_report_sections``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from core.periods import Period


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    order: int
    build: Callable[[int, Period], dict[str, Any]]
    plugin: str | None = None


class ReportRegistry:
    def __init__(self) -> None:
        self.sections: dict[str, ReportSection] = {}

    def add(self, section: ReportSection, plugin: str | None = None) -> None:
        if plugin is not None:
            section = ReportSection(**{**section.__dict__, "plugin": plugin})
        if section.key in self.sections:
            raise ValueError(f"report section {section.key} registered twice")
        self.sections[section.key] = section

    def for_organisation(self, org_id: int) -> list[ReportSection]:
        enabled = set(current_app.extensions["involve"].plugins.enabled_for(org_id))
        chosen = [s for s in self.sections.values() if s.plugin is None or s.plugin in enabled]
        return sorted(chosen, key=lambda s: (s.order, s.key))
