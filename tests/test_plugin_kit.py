"""core.plugin_kit: the London day, percentages, and the rule that product code asks the kit for
today's date (ruff's DTZ rules catch ``date.today()``; this test catches the UTC day)."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core import plugin_kit


def _frozen_at(monkeypatch, instant: datetime) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(plugin_kit, "datetime", Frozen)


def test_a_london_day_starts_at_23_00_utc_in_summer(monkeypatch):
    _frozen_at(monkeypatch, datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    assert plugin_kit.today() == date(2026, 7, 2)
    assert plugin_kit.now().utcoffset().total_seconds() == 3600


def test_a_london_day_starts_at_midnight_utc_in_winter(monkeypatch):
    _frozen_at(monkeypatch, datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    assert plugin_kit.today() == date(2026, 12, 1)
    _frozen_at(monkeypatch, datetime(2026, 12, 2, 0, 0, tzinfo=UTC))
    assert plugin_kit.today() == date(2026, 12, 2)


def test_in_london_reads_naive_values_as_utc():
    assert plugin_kit.in_london(datetime(2026, 7, 1, 17, 0)).hour == 18
    assert plugin_kit.in_london(datetime(2026, 1, 1, 17, 0, tzinfo=UTC)).hour == 17


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (0, 5, 0.0), (3, 0, None), (None, 4, 0.0), (1, None, None)],
)
def test_percent_rounds_half_up_and_refuses_to_divide_by_nothing(numerator, denominator, expected):
    assert plugin_kit.percent(numerator, denominator) == expected


UTC_DAY = re.compile(r"now\((?:tz=)?(?:UTC|timezone\.utc)\)\.date\(\)|utcnow\(\)\.date\(\)")


def test_product_code_takes_today_from_the_plugin_kit():
    """``datetime.now(UTC).date()`` is the UTC day, wrong for an hour every summer night."""
    root = Path(__file__).resolve().parent.parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("core", "plugins")
        for path in (root / folder).rglob("*.py")
        if "tests" not in path.parts and path.name != "plugin_kit.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if UTC_DAY.search(line)
    ]
    assert offenders == []


def test_plugin_settings_come_with_the_plugins_defaults(make_org):
    from core.tenancy import organisation_scope

    org = make_org("kit-homes", plugins={"street_reps": {"walkabout_timetable_public": False}})
    with organisation_scope(org.id):
        settings = plugin_kit.plugin_settings("street_reps")
        assert settings["walkabout_timetable_public"] is False
        assert len(settings) > 1  # the keys not stored come with their defaults
        assert plugin_kit.stored_plugin_settings("street_reps")["walkabout_timetable_public"] is False


def test_plugins_read_their_settings_through_the_plugin_kit():
    """One way to read settings: a plugin calling the stored-settings service directly skips the
    defaults its schema fills in."""
    root = Path(__file__).resolve().parent.parent / "plugins"
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and ("plugin_state import" in path.read_text() or "OrganisationPlugin" in path.read_text())
    ]
    assert offenders == []


def _plugin_modules():
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "plugins").rglob("*.py")):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path.relative_to(root), ast.parse(path.read_text())


def test_no_plugin_keeps_a_clock_of_its_own():
    """Today, now and the London zone come from the kit: no plugin defines a ``today``/``now``
    helper, builds a ``ZoneInfo`` or imports ``today`` from anywhere else."""
    offenders = []
    for path, tree in _plugin_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.strip("_") in CLOCKS:
                offenders.append(f"{path}:{node.lineno} defines {node.name}()")
            elif isinstance(node, ast.ImportFrom) and node.module != "core.plugin_kit":
                names = {alias.name for alias in node.names}
                if names & (CLOCKS | {"ZoneInfo"}):
                    offenders.append(
                        f"{path}:{node.lineno} imports {sorted(names & CLOCKS)} from {node.module}"
                    )
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ZoneInfo":
                offenders.append(f"{path}:{node.lineno} builds a ZoneInfo")
    assert offenders == []


CLOCKS = {"today", "now", "utcnow", "london_today", "local_today"}


def test_settings_of_every_organisation_in_scope_and_a_saved_change(make_org):
    from core.errors import ValidationFailed
    from core.tenancy import group_read_scope, organisation_scope

    group = make_org("kit-group", kind="group", plugins={"street_reps": {}})
    first = make_org("kit-one", parent=group, plugins={"street_reps": {"walkabout_timetable_public": False}})
    second = make_org("kit-two", parent=group, plugins=["street_reps"])
    with group_read_scope([first.id, second.id], actor_id=None, purpose="kit test"):
        found = plugin_kit.plugin_settings_by_organisation("street_reps")
    assert set(found) == {first.id, second.id}
    assert found[first.id]["walkabout_timetable_public"] is False
    assert found[second.id]["walkabout_timetable_public"] is True
    with organisation_scope(second.id):
        saved = plugin_kit.save_plugin_settings("street_reps", {"walkabout_timetable_public": False})
        assert saved["walkabout_timetable_public"] is False
        assert plugin_kit.plugin_settings("street_reps")["walkabout_timetable_public"] is False
        with pytest.raises(ValidationFailed) as refused:
            plugin_kit.save_plugin_settings("street_reps", {"no_such_setting": 1})
        assert "settings.no_such_setting" in refused.value.fields
        assert plugin_kit.plugin_settings("street_reps")["walkabout_timetable_public"] is False
