"""The plugin contract, enforced by code rather than habit.

- A plugin's templates live under ``templates/<plugin name>/`` and no template path is offered twice
  (by core and a plugin, or by two plugins), so ``render_template`` can never pick another's page.
- Every plugin table that references a participant is covered by the plugin's
  ``gather_subject_access`` (the person's export names it) and ``on_participant_erased``.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from core.app import PROJECT_ROOT
from core.extensions import db


def _templates(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def test_rule_plugin_templates_live_in_their_own_namespace(app):
    core = _templates(PROJECT_ROOT / "core" / "templates")
    seen: dict[str, str] = {path: "core" for path in core}
    for name, info in app.extensions["involve"].plugins.plugins.items():
        assert not any(path.split("/")[0] == name for path in core), f"core uses the {name}/ namespace"
        folders = {Path(bp.root_path) / bp.template_folder for bp in info.blueprints if bp.template_folder}
        folders.add(Path(info.module.__file__).parent / "templates")
        for folder in folders:
            for path in _templates(folder) if folder.is_dir() else ():
                assert path.startswith(f"{name}/"), f"plugin {name}: template {path} is outside {name}/"
                assert seen.setdefault(path, name) == name, f"{path} is offered by {seen[path]} and {name}"


def _participant_tables_of(package: str) -> dict[str, str]:
    """Table → model class name, for the package's tables with a foreign key to participants."""
    found = {}
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if not (cls.__module__ == package or cls.__module__.startswith(package + ".")):
            continue
        for constraint in mapper.local_table.foreign_key_constraints:
            if constraint.referred_table.name == "participants":
                found[mapper.local_table.name] = cls.__name__
    return found


def _reached_source(function) -> str:
    """The hook's own source plus the source of the functions it imports (one level down)."""
    text = inspect.getsource(function)
    for module, names in re.findall(r"from ([\w.]+) import ([\w, ]+)", text):
        imported = __import__(module, fromlist=["_"])
        for attribute in (n.strip() for n in names.split(",")):
            target = getattr(imported, attribute, None)
            if callable(target):
                text += inspect.getsource(target)
    return text


def test_rule_every_plugin_table_holding_a_participant_is_exported_and_erased(app):
    checked = 0
    for name, info in app.extensions["involve"].plugins.plugins.items():
        tables = _participant_tables_of(info.module.__name__)
        if not tables:
            continue
        for hook in ("gather_subject_access", "on_participant_erased"):
            assert callable(getattr(info.module, hook, None)), (
                f"plugin {name} holds {sorted(tables)}: add {hook}"
            )
        exported = _reached_source(info.module.gather_subject_access)
        for table, model in tables.items():
            assert model in exported, (
                f"plugin {name}: {table} ({model}) is missing from gather_subject_access"
            )
            checked += 1
    assert checked >= 8  # street_reps, key_targets, customer_voice, reward_points, partner_statements
