"""Areas: the organisation's tree of management areas, neighbourhoods, estates, streets and blocks.

Creating, changing and deleting an area, for the API and the staff pages alike: a parent must be
an area of the organisation and an area can never end up inside itself; an area that anything
still refers to (an area inside it, a household, a body, an activity, a consultation) cannot be
deleted. Callers commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Activity, Area, Body, Consultation, Household
from core.records import apply, check_reference

STILL_USED = "This area is still used; move what is in it first."


def check_parent(area_id: int | None, parent_id: int | None) -> None:
    """422 on ``parent_id`` unless it is empty or an area of the organisation not inside ``area_id``."""
    check_reference(Area, parent_id, "parent_id")
    seen = {area_id}
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationFailed({"parent_id": ["An area cannot be inside itself."]})
        seen.add(parent_id)
        parent_id = db.session.scalar(select(Area.parent_id).where(Area.id == parent_id))


def save_area(area: Area | None, values: dict[str, Any]) -> Area:
    """Create an area (``area`` None) or change one."""
    if "parent_id" in values:
        check_parent(area.id if area else None, values["parent_id"])
    if area is None:
        area = Area(**values)
        db.session.add(area)
    else:
        apply(area, values)
    db.session.flush()
    return area


def delete_area(area: Area) -> None:
    """Delete an area nothing refers to."""
    users = (
        (Area, Area.parent_id),
        (Household, Household.area_id),
        (Body, Body.area_id),
        (Activity, Activity.area_id),
        (Consultation, Consultation.area_id),
    )
    for model, column in users:
        if db.session.scalar(select(model.id).where(column == area.id).limit(1)) is not None:
            raise Conflict(STILL_USED)
    db.session.delete(area)


def area_tree() -> list[tuple[Area, list]]:
    """Every area as nested ``(area, children)`` pairs, by name at each level (one query)."""
    areas = db.session.scalars(select(Area).order_by(Area.name, Area.id)).all()
    children: dict[int | None, list[Area]] = {}
    known = {a.id for a in areas}
    for area in areas:
        parent = area.parent_id if area.parent_id in known else None
        children.setdefault(parent, []).append(area)

    def branch(parent_id: int | None, seen: frozenset[int]) -> list[tuple[Area, list]]:
        return [
            (child, branch(child.id, seen | {child.id}))
            for child in children.get(parent_id, [])
            if child.id not in seen
        ]

    return branch(None, frozenset())
