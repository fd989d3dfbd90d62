"""Impact assessments as files: CSV and XLSX of the tables, and a PDF of the whole document.

All three read the same assembled (or published) document as the HTML page, so the figures agree
everywhere. Numbers are formatted by :func:`format_cell`; a suppressed count reads "fewer than 5",
an empty cell of a column that says what its blanks mean (``missing``) reads that, e.g. "no target".
Dates read the British way, "5 December 2026", through :func:`uk_date`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_kit import csv_text, spreadsheet_safe
from core.reports import SMALL_NUMBER

MISSING = "not available"
SUPPRESSED_TEXT = f"fewer than {SMALL_NUMBER}"
LONDON = ZoneInfo("Europe/London")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Published copies frozen before tables said what their blanks mean: the KPI table's target and
# previous-year columns are never counts of people, so a blank there is not a suppressed number.
FROZEN_MISSING = {"kpis": [None, None, "no target", "not available", None]}


def uk_date(value: Any) -> str:
    """``2026-12-05`` (a date, a datetime or their ISO text) as "5 December 2026".

    A datetime (UTC when it has no zone) is first moved to Europe/London, so a copy published just after
    midnight in summer carries the day it was published in the UK. Anything else is returned as text.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        # The records keep UTC; a datetime read back without a zone is UTC too.
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON).date()
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return "" if value is None else str(value)


def uk_datetime(value: Any) -> str:
    """A UTC datetime (or its ISO text) as the UK reads it: "5 December 2026 at 8:15pm" (London)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def cell_unit(table: dict[str, Any], row_index: int, column_index: int) -> str:
    if column_index == 0:
        return "text"
    row_units = table.get("row_units")
    value = table["rows"][row_index][column_index]
    # A row's unit formats its numbers and says what its blanks are (a percent with no answers
    # is "not available", not a suppressed count); its text cells ("Yes") stay as they are.
    if row_units and (value is None or isinstance(value, int | float)):
        return row_units[row_index]
    units = table.get("units")
    if units:
        return units[column_index]
    return "count"


def format_value(value: Any, unit: str) -> str:
    """A value as people read it: £ for pence, % for percentages, "fewer than 5" for a hidden count."""
    if value is None:
        return SUPPRESSED_TEXT if unit == "count" else MISSING
    if unit == "date" or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return uk_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if not isinstance(value, int | float):
        return str(value)
    if unit == "pence":
        return f"£{value / 100:,.2f}"
    if unit == "percent":
        return f"{value:g}%"
    if unit == "hours":
        return f"{value:g} hours"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def format_cell(table: dict[str, Any], row_index: int, column_index: int) -> str:
    value = table["rows"][row_index][column_index]
    if value is None:
        missing = table.get("missing") or FROZEN_MISSING.get(table.get("key"))
        if missing and missing[column_index] is not None:
            return missing[column_index]
    return format_value(value, cell_unit(table, row_index, column_index))


def numeric_column(table: dict[str, Any], column_index: int) -> bool:
    """Whether a column holds figures (right-aligned, so digits line up) rather than words or dates."""
    if column_index == 0:
        return False
    units = table.get("units")
    if units:
        return units[column_index] not in ("text", "date")
    values = [row[column_index] for row in table["rows"] if row[column_index] is not None]
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def all_tables(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for section in document["sections"]:
        for table in section["content"].get("tables", []):
            yield section, table


def chart_bars(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The bars of a table's chart: label, value, formatted value and width (0–100, of the largest)."""
    chart = table.get("chart")
    if not chart:
        return []
    label_at, value_at = chart["label"], chart["value"]
    values = [row[value_at] for row in table["rows"] if isinstance(row[value_at], int | float)]
    largest = max((abs(v) for v in values), default=0)
    bars = []
    for index, row in enumerate(table["rows"]):
        value = row[value_at]
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        bars.append(
            {
                "label": str(row[label_at]),
                "value": number,
                "text": format_cell(table, index, value_at),
                "width": round(100 * abs(number) / largest, 1) if number is not None and largest else 0,
            }
        )
    return bars


# -- CSV ---------------------------------------------------------------------------------------------


def to_csv(document: dict[str, Any], table_key: str | None = None) -> str:
    """Every table in long form (section, table, then the table's own columns), or one table.
    Every cell goes through the plugin kit's formula neutralisation."""
    chosen = [(s, t) for s, t in all_tables(document) if table_key is None or t["key"] == table_key]
    lines: list[list[Any]] = []
    for position, (section, table) in enumerate(chosen):
        if table_key is None:
            if position:
                lines.append([])
            lines.append([f"{section['title']}: {table['title']}"])
        lines.append(table["columns"])
        lines.extend(table["rows"])
    return csv_text(None, lines)


def table_keys(document: dict[str, Any]) -> list[str]:
    return [t["key"] for _, t in all_tables(document)]


# -- XLSX --------------------------------------------------------------------------------------------


def to_xlsx(document: dict[str, Any]) -> bytes:
    """A workbook: a contents sheet, then one sheet per table with numbers kept as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    contents.append([document["title"]])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([f"Period {document['period']}", f"Status: {document['status']}"])
    contents.append([])
    contents.append(["Sheet", "Section", "Table", "Summary"])
    used: set[str] = {"Contents"}
    for index, (section, table) in enumerate(all_tables(document), start=1):
        name = _sheet_name(f"{index} {table['title']}", used)
        sheet = workbook.create_sheet(name)
        sheet.append([table["title"]])
        sheet["A1"].font = Font(bold=True)
        sheet.append([spreadsheet_safe(table["summary"])])
        sheet.append(table["columns"])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row_index, row in enumerate(table["rows"]):
            values = []
            for column_index, value in enumerate(row):
                unit = cell_unit(table, row_index, column_index)
                if value is None:
                    values.append(format_cell(table, row_index, column_index))
                elif unit == "pence" and isinstance(value, int | float):
                    values.append(value / 100)  # pounds, formatted below
                else:
                    values.append(spreadsheet_safe(value))
            sheet.append(values)
            for column_index, cell in enumerate(sheet[sheet.max_row]):
                if cell_unit(table, row_index, column_index) == "pence" and isinstance(cell.value, float):
                    cell.number_format = "£#,##0.00"
        if table.get("note"):
            sheet.append([])
            sheet.append([spreadsheet_safe(table["note"])])
        contents.append([name, section["title"], table["title"], table["summary"]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_name(wanted: str, used: set[str]) -> str:
    clean = "".join(" " if c in "[]:*?/\\" else c for c in wanted)[:31].strip()
    name, n = clean, 2
    while name in used:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


# -- PDF -----------------------------------------------------------------------------------------------


def to_pdf(document: dict[str, Any]) -> bytes:
    """The board paper: the page's HTML printed by WeasyPrint (see :mod:`core.reports.pdf`)."""
    from core.reports.pdf import assessment_pdf

    return assessment_pdf(document)
