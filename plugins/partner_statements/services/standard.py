"""A partner's yearly self-assessment against the group's Customer First Standard (seed 7, 11).

Each commitment is rated met / partly / not met with evidence; the indicators the group attached to
a commitment (e.g. ``feedback_on_time`` for the three-month feedback promise, 11.4) are computed
from the partner's own records, in its own scope, and stored with the rating. A rating is refused
(422) for a commitment the standard does not contain; a "not met" or "partly" rating needs evidence
saying why, so the action plan has something to answer.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from core.errors import ValidationFailed
from core.extensions import db
from core.periods import Period
from plugins.partner_statements.models import StandardAssessment


def compute_indicators(period: Period, codes: list[str]) -> dict:
    """KPI code → value for ``codes``, computed in the organisation scope already open."""
    registry = current_app.extensions["involve"].kpis.kpis
    values = {}
    for code in codes:
        kpi = registry.get(code)
        values[code] = kpi.compute(period) if kpi is not None else None
    return values


def assessments_for(period: str) -> dict[str, StandardAssessment]:
    rows = db.session.scalars(select(StandardAssessment).where(StandardAssessment.period == period))
    return {row.commitment_key: row for row in rows}


def _check_evidence(rating: str, evidence: str) -> None:
    if rating != "met" and not (evidence or "").strip():
        raise ValidationFailed({"evidence": ["Say what falls short when a commitment is not fully met."]})


def record(commitments: list[dict], values: dict, user_id: int | None, today: date):
    """Create or replace the rating of one commitment for a year; returns (assessment, created)."""
    by_key = {c["key"]: c for c in commitments}
    commitment = by_key.get(values["commitment_key"])
    if commitment is None:
        raise ValidationFailed(
            {"commitment_key": [f"Not a commitment of the standard: use one of {', '.join(by_key)}."]}
        )
    _check_evidence(values["rating"], values.get("evidence", ""))
    existing = assessments_for(values["period"]).get(commitment["key"])
    row = existing or StandardAssessment(period=values["period"], commitment_key=commitment["key"])
    row.commitment_ref = commitment["ref"]
    row.commitment_title = commitment["title"]
    row.rating = values["rating"]
    row.evidence = values.get("evidence", "")
    row.indicators = compute_indicators(Period.parse(values["period"]), commitment.get("indicators", []))
    row.assessed_on = today
    row.assessed_by_id = user_id
    if existing is None:
        db.session.add(row)
    db.session.flush()
    return row, existing is None


def update(row: StandardAssessment, changes: dict, user_id: int | None, today: date):
    rating = changes.get("rating", row.rating)
    evidence = changes.get("evidence", row.evidence)
    _check_evidence(rating, evidence)
    row.rating, row.evidence = rating, evidence
    codes = list(row.indicators or {})
    row.indicators = compute_indicators(Period.parse(row.period), codes)
    row.assessed_on, row.assessed_by_id = today, user_id
    db.session.flush()
    return row


def self_assessment(commitments: list[dict], period: str) -> dict:
    """Every commitment with this year's rating (or none yet) and its live indicators."""
    done = assessments_for(period)
    year = Period.parse(period)
    rows = [
        {
            "commitment": c,
            "assessment": done.get(c["key"]),
            "live_indicators": compute_indicators(year, c.get("indicators", [])),
        }
        for c in commitments
    ]
    assessed = sum(1 for c in commitments if c["key"] in done)
    return {
        "period": period,
        "assessed": assessed,
        "commitments": len(commitments),
        "complete": assessed == len(commitments),
        "rows": rows,
    }
