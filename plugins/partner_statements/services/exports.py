"""The oversight dashboard as CSV for the Group Policy Forum: one row per partner, plain values."""

from __future__ import annotations

from core.plugin_kit import csv_text


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def oversight_csv(board: dict) -> str:
    return csv_text(*oversight_table(board))


def oversight_table(board: dict) -> tuple[list, list]:
    """The CSV's header and rows (the API's download and the staff page's download share them)."""
    codes = [lpi["code"] for lpi in board["lpis"]]
    header = [
        "rank",
        "partner",
        "involvement contact",
        "statement version",
        "statement published",
        "commitments met",
        "partly met",
        "not met",
        "assessed",
        "compliance score %",
        "impact assessment",
        "action plan",
        "action plan % done",
        "feedback on time %",
        *codes,
        "homes",
        "resident board member rule met",
        "budget (pence)",
        "spent (pence)",
        "RASP nominees",
    ]
    rows = []
    for row in board["partners"]:
        plan = row["action_plan"] or {}
        rows.append(
            [
                _cell(row["rank"]),
                row["name"],
                _cell(row["contact_role"]),
                _cell(row["statement"]["current_version"]),
                _cell((row["statement"]["published_at"] or "")[:10]),
                row["standard"]["met"],
                row["standard"]["partly"],
                row["standard"]["not_met"],
                f"{row['standard']['assessed']} of {row['standard']['commitments']}",
                _cell(row["standard"]["score_percent"]),
                (row["impact_assessment"] or {}).get("status", "not_started"),
                plan.get("status", "none"),
                _cell(plan.get("percent_done")),
                _cell(row["feedback_on_time"]),
                *[_cell((row["lpis"].get(c) or {}).get("value")) for c in codes],
                row["board"]["homes"],
                _cell(row["board"]["met"]) if row["board"]["applies"] else "not required",
                _cell(row["budget"]["budget_pence"]),
                row["budget"]["spent_pence"],
                row["rasp_members"],
            ]
        )
    return header, rows
