"""The organisation's tree of areas: management areas, neighbourhoods, estates, streets and blocks.

An area's parent must be an area of the same organisation and never the area itself or one inside
it; an area still holding areas, households or bodies cannot be deleted (409). Callers commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Area, Body, Household
from core.records import apply, check_reference


def _check_parent(area_id: int | None, parent_id: int | None) -> None:
    check_reference(Area, parent_id, "parent_id")
    seen = {area_id}
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationFailed({"parent_id": ["An area cannot be inside itself."]})
        seen.add(parent_id)
        parent_id = db.session.scalar(select(Area.parent_id).where(Area.id == parent_id))


def create_area(values: dict[str, Any]) -> Area:
    _check_parent(None, values.get("parent_id"))
    area = Area(**values)
    db.session.add(area)
    db.session.flush()
    return area


def change_area(area: Area, changes: dict[str, Any]) -> Area:
    if "parent_id" in changes:
        _check_parent(area.id, changes["parent_id"])
    apply(area, changes)
    return area


def delete_area(area: Area) -> None:
    for model, column in ((Area, Area.parent_id), (Household, Household.area_id), (Body, Body.area_id)):
        if db.session.scalar(select(model.id).where(column == area.id).limit(1)) is not None:
            raise Conflict("This area is still used; move what is in it first.")
    db.session.delete(area)
