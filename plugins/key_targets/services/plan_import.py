"""All-or-nothing CSV import of a key-targets plan, on core's CSV engine (``core.services.csv_import``).

One row per target. Columns: ``phase`` (the title or id of an existing phase) and ``ref`` and
``action`` are required; ``strategic_aims``, ``responsibility``, ``core_values``, ``kloe_tags``
(each separated by ``;``), ``deadlines`` (dates separated by ``;``, YYYY-MM-DD, DD/MM/YYYY or
DD-MM-YYYY, and/or the words "continuous review"), ``status``, ``outcome``, ``progress`` (a note for
the log, dated ``progress_date`` or today). Every cell is checked before anything is written; a
problem answers 422 naming ``"row N.column"``. Rows are matched to targets on (phase, ref): new
ones are created, existing ones updated with the columns the file has.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from core import plugin_kit
from core.errors import ValidationFailed
from core.extensions import db
from core.services.csv_import import Column, ImportSpec, list_of, one_of, read_rows, text
from plugins.key_targets.models import Phase, Target
from plugins.key_targets.services.plan import TARGET_STATUSES, check_tags, save_target

CONTINUOUS = "continuous review"


def a_date(cell: str) -> date | None:
    if not cell:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(cell, pattern).date()  # noqa: DTZ007 - a calendar date, no instant
        except ValueError:
            continue
    raise ValueError("Write the date as YYYY-MM-DD (or DD/MM/YYYY).")


def deadlines(cell: str) -> dict[str, Any]:
    found: dict[str, Any] = {"dates": [], "continuous": False}
    for part in (p.strip() for p in cell.split(";")):
        if not part:
            continue
        if part.lower() in (CONTINUOUS, "continuous", "ongoing", "on-going"):
            found["continuous"] = True
            continue
        try:
            found["dates"].append(a_date(part))
        except ValueError:
            raise ValueError(
                f"{part!r} is neither a date (YYYY-MM-DD or DD-MM-YYYY) nor 'continuous review'."
            ) from None
    return found


def _phases(cells: set[str]) -> dict[str, int | str]:
    """Phase cell (lower case) → phase id, or a message."""
    resolved: dict[str, int | str] = {}
    rows = db.session.execute(select(Phase.id, Phase.title)).all()
    by_title: dict[str, list[int]] = {}
    for phase_id, title in rows:
        by_title.setdefault(title.strip().lower(), []).append(phase_id)
    ids = {phase_id for phase_id, _ in rows}
    for cell in cells:
        name = cell.strip().lower()
        if name.isdigit() and int(name) in ids:
            resolved[name] = int(name)
        elif len(by_title.get(name, [])) == 1:
            resolved[name] = by_title[name][0]
        elif by_title.get(name):
            resolved[name] = f"More than one phase is called {cell!r}; give its id."
        else:
            resolved[name] = f"No phase with the title or id {cell!r}; create the phase first."
    return resolved


def _values(rows, problems):
    phases = _phases({cells["phase"] for _, cells in rows if cells.get("phase")})
    seen: dict[tuple[int, str], int] = {}
    values = []
    for number, cells in rows:
        record: dict[str, Any] = {
            k: v
            for k, v in cells.items()
            if k not in ("phase", "ref", "deadlines", "progress", "progress_date")
        }
        found = phases.get((cells.get("phase") or "").lower())
        if isinstance(found, str):
            problems[f"row {number}.phase"] = [found]
        record["phase_id"] = found if isinstance(found, int) else None
        record["reference"] = cells.get("ref")
        key = (record["phase_id"], record["reference"])
        if record["phase_id"] is not None and record["reference"]:
            if key in seen:
                problems[f"row {number}.ref"] = [f"Same phase and ref as row {seen[key]}."]
            seen.setdefault(key, number)
        if "deadlines" in cells:
            record["deadlines"] = cells["deadlines"]["dates"]
            record["continuous_review"] = cells["deadlines"]["continuous"]
            if not record["deadlines"] and not record["continuous_review"]:
                problems[f"row {number}.deadlines"] = ["Give at least one date, or 'continuous review'."]
        for field, messages in check_tags(record).items():
            problems[f"row {number}.{field}"] = messages
        if record.get("status") == "ongoing" and not record.get("continuous_review"):
            problems[f"row {number}.status"] = ["Only a target under continuous review can be ongoing."]
        when = cells.get("progress_date")
        if when is not None and when > plugin_kit.today():
            problems[f"row {number}.progress_date"] = ["Progress cannot be recorded in the future."]
        record["progress"] = cells.get("progress")
        record["progress_date"] = when
        values.append(record)
    return values


PLAN = ImportSpec(
    model=Target,
    columns=(
        Column("phase", text(200), required=True),
        Column("ref", text(20), required=True),
        Column("action", text(4000), required=True),
        Column("strategic_aims", list_of()),
        Column("responsibility", list_of()),
        Column("core_values", list_of()),
        Column("kloe_tags", list_of()),
        Column("deadlines", deadlines),
        Column("status", one_of(TARGET_STATUSES)),
        Column("outcome", text(4000)),
        Column("progress", text(4000)),
        Column("progress_date", a_date),
    ),
    to_values=_values,
)


def import_plan(content: str) -> dict[str, int]:
    rows = read_rows(PLAN, content)
    existing = {(t.phase_id, t.reference): t for t in db.session.scalars(select(Target))}
    counts = {"created": 0, "updated": 0}
    problems: dict[str, list[str]] = {}
    for number, values in rows:
        target = existing.get((values["phase_id"], values["reference"]))
        if target is None and "deadlines" not in values:
            problems[f"row {number}.deadlines"] = ["A new target needs its deadlines or 'continuous review'."]
    if problems:
        raise ValidationFailed(problems, f"{len(problems)} problem(s) in the file; nothing was imported.")
    for _number, values in rows:
        values = {k: v for k, v in values.items() if v is not None or k in ("outcome",)}
        when = values.pop("progress_date", None) or plugin_kit.today()
        target = existing.get((values["phase_id"], values["reference"]))
        save_target(target, values, on=when, source="import")
        counts["updated" if target is not None else "created"] += 1
    db.session.flush()
    return counts
