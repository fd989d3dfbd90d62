"""Levels of involvement: the organisation's catalogue of strands, each mapped to core
opportunities and bodies, and the year-on-year growth of the people taking part in each.

A participant counts towards a strand in a period when they attended an activity held in that
period whose opportunity or body is mapped to the strand (core Participations; the same "held"
rule as the core KPIs). Counting is GROUP BY in SQL; Python only compares the few totals. Growth
is this period against the same period a year before (seed section 11: every strand should grow
by the target, 10% at Gloucester); a strand with nobody the year before has no growth figure and
is reported as having no baseline rather than as failing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, delete, distinct, func, select, union

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.kpis.core_kpis import held_in
from core.models import Activity, Body, Opportunity, Participation
from core.periods import Period
from plugins.key_targets.models import Strand, StrandBody, StrandOpportunity
from plugins.key_targets.services.common import rounded, same_period_last_year, settings


def ensure_strands(strands: list[dict[str, Any]]) -> int:
    """Create the configured strands that do not exist yet (matched on key); officers' edits to
    existing ones are kept, so enabling again or re-syncing never duplicates or overwrites."""
    existing = set(db.session.scalars(select(Strand.key)))
    created = 0
    for position, strand in enumerate(strands):
        if strand["key"] in existing:
            continue
        db.session.add(
            Strand(key=strand["key"], name=strand["name"], outcome=strand.get("outcome"), position=position)
        )
        created += 1
    db.session.flush()
    return created


def save_strand(strand: Strand | None, values: dict[str, Any]) -> Strand:
    """Create or change a strand; its key is unique in the organisation (409)."""
    key = values.get("key", strand.key if strand else None)
    if strand is None or key != strand.key:
        clash = db.session.scalar(select(Strand.id).where(Strand.key == key))
        if clash is not None:
            raise Conflict(f"A strand with the key {key!r} already exists.")
    if strand is None:
        strand = Strand(**values)
        if "position" not in values:
            strand.position = (db.session.scalar(select(func.max(Strand.position))) or 0) + 1
        db.session.add(strand)
    else:
        for name, value in values.items():
            setattr(strand, name, value)
    db.session.flush()
    return strand


def delete_strand(strand: Strand) -> None:
    """Remove a strand and its mapping (the core records are untouched)."""
    db.session.delete(strand)


NO_LINKS_GIVEN = "Choose an opportunity or a body (opportunity_ids, body_ids or both)."


def set_links(strand: Strand, opportunity_ids: list[int] | None, body_ids: list[int] | None) -> None:
    """Replace the opportunities and/or bodies mapped to a strand (ids of this organisation, 422);
    at least one of the two lists is given (422)."""
    if opportunity_ids is None and body_ids is None:
        raise ValidationFailed({"opportunity_ids": [NO_LINKS_GIVEN]})
    for field, ids, model in (
        ("opportunity_ids", opportunity_ids, Opportunity),
        ("body_ids", body_ids, Body),
    ):
        if ids is None:
            continue
        known = set(db.session.scalars(select(model.id).where(model.id.in_(set(ids))))) if ids else set()
        unknown = sorted(set(ids) - known)
        if unknown:
            raise ValidationFailed(
                {field: [f"No record with id {', '.join(map(str, unknown))} in this organisation."]}
            )
    if opportunity_ids is not None:
        db.session.execute(delete(StrandOpportunity).where(StrandOpportunity.strand_id == strand.id))
        for opportunity_id in sorted(set(opportunity_ids)):
            db.session.add(StrandOpportunity(strand_id=strand.id, opportunity_id=opportunity_id))
    if body_ids is not None:
        db.session.execute(delete(StrandBody).where(StrandBody.strand_id == strand.id))
        for body_id in sorted(set(body_ids)):
            db.session.add(StrandBody(strand_id=strand.id, body_id=body_id))
    db.session.flush()


def add_links(strand: Strand, opportunity_ids: list[int] | None, body_ids: list[int] | None) -> None:
    """Map more opportunities and/or bodies to a strand, keeping its current links (the officer's
    page adds one at a time); the same rules as :func:`set_links`."""
    current = links_of([strand.id])[strand.id]
    set_links(
        strand,
        None if opportunity_ids is None else current["opportunity_ids"] + list(opportunity_ids),
        None if body_ids is None else current["body_ids"] + list(body_ids),
    )


def remove_link(strand: Strand, *, opportunity_id: int | None = None, body_id: int | None = None) -> None:
    """Stop counting one opportunity or body towards a strand (the core record is untouched); a
    link that is not there is nothing to remove."""
    current = links_of([strand.id])[strand.id]
    opportunities = [i for i in current["opportunity_ids"] if i != opportunity_id]
    bodies = [i for i in current["body_ids"] if i != body_id]
    set_links(
        strand,
        opportunities if opportunity_id is not None else None,
        bodies if body_id is not None else None,
    )


def links_of(strand_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    found: dict[int, dict[str, list[int]]] = {i: {"opportunity_ids": [], "body_ids": []} for i in strand_ids}
    if not strand_ids:
        return found
    for strand_id, opportunity_id in db.session.execute(
        select(StrandOpportunity.strand_id, StrandOpportunity.opportunity_id)
        .where(StrandOpportunity.strand_id.in_(strand_ids))
        .order_by(StrandOpportunity.opportunity_id)
    ):
        found[strand_id]["opportunity_ids"].append(opportunity_id)
    for strand_id, body_id in db.session.execute(
        select(StrandBody.strand_id, StrandBody.body_id)
        .where(StrandBody.strand_id.in_(strand_ids))
        .order_by(StrandBody.body_id)
    ):
        found[strand_id]["body_ids"].append(body_id)
    return found


def describe_strands(strands: list[Strand]) -> None:
    links = links_of([s.id for s in strands])
    for strand in strands:
        strand.opportunity_ids = links[strand.id]["opportunity_ids"]
        strand.body_ids = links[strand.id]["body_ids"]


# -- counting --------------------------------------------------------------------------------------


def _strand_activities(period: Period):
    """(strand_id, activity_id) of every activity held in P that counts towards a strand."""
    by_opportunity = (
        select(StrandOpportunity.strand_id.label("strand_id"), Activity.id.label("activity_id"))
        .join(
            Activity,
            and_(
                Activity.opportunity_id == StrandOpportunity.opportunity_id,
                Activity.organisation_id == StrandOpportunity.organisation_id,
            ),
        )
        .where(held_in(period))
    )
    by_body = (
        select(StrandBody.strand_id, Activity.id)
        .join(
            Activity,
            and_(
                Activity.body_id == StrandBody.body_id, Activity.organisation_id == StrandBody.organisation_id
            ),
        )
        .where(held_in(period))
    )
    return union(by_opportunity, by_body).subquery()


def participants_by_strand(period: Period) -> dict[int, int]:
    """strand id → distinct participants who attended its activities held in P."""
    links = _strand_activities(period)
    rows = db.session.execute(
        select(links.c.strand_id, func.count(distinct(Participation.participant_id)))
        .join(Participation, Participation.activity_id == links.c.activity_id)
        .where(Participation.attended.is_(True))
        .group_by(links.c.strand_id)
    )
    return {strand_id: count for strand_id, count in rows}


def activities_by_strand(period: Period) -> dict[int, int]:
    links = _strand_activities(period)
    rows = db.session.execute(
        select(links.c.strand_id, func.count(distinct(links.c.activity_id))).group_by(links.c.strand_id)
    )
    return {strand_id: count for strand_id, count in rows}


def participants_in_any_strand(period: Period) -> int:
    links = _strand_activities(period)
    return db.session.scalar(
        select(func.count(distinct(Participation.participant_id)))
        .join(links, Participation.activity_id == links.c.activity_id)
        .where(Participation.attended.is_(True))
    )


def growth(period: Period) -> list[dict[str, Any]]:
    """One row per active strand: participants in P and the same period last year, growth %, and
    whether it meets the organisation's growth target."""
    target = Decimal(str(settings()["strand_growth_target_percent"]))
    before = same_period_last_year(period)
    now_counts, then_counts = participants_by_strand(period), participants_by_strand(before)
    activity_counts = activities_by_strand(period)
    strands = db.session.scalars(
        select(Strand).where(Strand.active.is_(True)).order_by(Strand.position, Strand.id)
    ).all()
    rows = []
    for strand in strands:
        now, then = now_counts.get(strand.id, 0), then_counts.get(strand.id, 0)
        change = None if then == 0 else (Decimal(now - then) * 100 / Decimal(then))
        if change is None:
            status = "no_baseline"  # nobody a year earlier: growth cannot be measured
        elif change >= target:
            status = "met"
        else:
            status = "below_target"
        rows.append(
            {
                "strand_id": strand.id,
                "key": strand.key,
                "name": strand.name,
                "outcome": strand.outcome,
                "activities": activity_counts.get(strand.id, 0),
                "participants": now,
                "previous_participants": then,
                "growth_percent": rounded(change),
                "target_percent": float(target),
                "status": status,
                "below_target": status == "below_target",
            }
        )
    return rows
