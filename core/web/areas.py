"""Staff pages for areas: the organisation's tree (nested lists: management areas, neighbourhoods,
estates, streets, blocks), create, change and delete, through the API's schemas and
:mod:`core.services.areas` (an area cannot be inside itself; one still in use is not deleted).
Areas are involvement records: ``records.read`` / ``records.write``, as in the API.
"""

from __future__ import annotations

from flask import request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from core.extensions import db
from core.lifecycle import permission
from core.models import Area, Body, Household
from core.models.vocab import AREA_KINDS
from core.records import get_or_404
from core.schemas.places import AreaSchema, AreaUpdateSchema
from core.services.areas import area_tree, delete_area, save_area
from core.web import labels
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, render_page, require, save_form
from core.web.views import org_web


class AreaForm(FlaskForm):
    name = StringField("Name", validators=[Optional()])
    kind = SelectField("Kind of area", validators=[Optional()], validate_choice=False)
    parent_id = SelectField("Inside", validators=[Optional()], validate_choice=False)

    def __init__(self, *args, exclude: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = labels.choices(AREA_KINDS, "Choose a kind")
        self.parent_id.choices = [("", "Nowhere (a top-level area)")] + [
            (str(area.id), "\u2002" * depth + area.name)
            for area, depth in _flattened(area_tree())
            if area.id != exclude
        ]


def _flattened(tree, depth: int = 0):
    for area, children in tree:
        yield area, depth
        yield from _flattened(children, depth + 1)


def area_body(form: AreaForm, *, editing: bool) -> dict:
    body: dict = {"name": (form.name.data or "").strip(), "kind": form.kind.data or None}
    if not editing:
        body = {k: v for k, v in body.items() if v}
    parent = form.parent_id.data or ""
    body["parent_id"] = int(parent) if parent.isdigit() else (parent or None)
    return body


def request_parent() -> str | None:
    """``?parent_id=`` from an "add an area inside this one" link."""
    value = request.args.get("parent_id", "")
    return value if value.isdigit() else None


@org_web.route("/areas")
@permission("records.read")
def areas():
    require("records.read")
    homes = dict(
        db.session.execute(select(Household.area_id, func.count()).group_by(Household.area_id)).all()
    )
    return render_page("areas/tree.html", tree=area_tree(), homes=homes, labels=labels)


@org_web.route("/areas/new", methods=["GET", "POST"])
@permission("records.write")
def area_new():
    require("records.write")
    form = AreaForm()
    if not form.is_submitted() and (parent := request_parent()):
        form.parent_id.data = parent
    done = save_form(
        form,
        AreaSchema(),
        lambda values: save_area(None, values),
        payload=lambda f: area_body(f, editing=False),
        success=lambda a: f"Area {a.name} added.",
        next_url=url_for("org_web.areas"),
    )
    return done or render_page("areas/form.html", form, area=None)


@org_web.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def area_edit(area_id: int):
    require("records.write")
    record = get_or_404(Area, area_id)
    form = AreaForm(obj=record, exclude=record.id)
    if not form.is_submitted():
        form.parent_id.data = str(record.parent_id or "")
    done = save_form(
        form,
        AreaUpdateSchema(),
        lambda values: save_area(record, values),
        payload=lambda f: area_body(f, editing=True),
        success=lambda a: f"Area {a.name} updated.",
        next_url=url_for("org_web.areas"),
    )
    return done or render_page("areas/form.html", form, area=record)


@org_web.route("/areas/<int:area_id>/delete", methods=["GET", "POST"])
@permission("records.write")
def area_delete(area_id: int):
    require("records.write")
    record = get_or_404(Area, area_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: delete_area(record),
        success=f"Area {record.name} deleted.",
        next_url=url_for("org_web.areas"),
    )
    used = {
        "areas": db.session.scalar(select(func.count()).where(Area.parent_id == record.id)),
        "households": db.session.scalar(select(func.count()).where(Household.area_id == record.id)),
        "bodies": db.session.scalar(select(func.count()).where(Body.area_id == record.id)),
    }
    return done or render_page("areas/delete.html", form, area=record, used=used)
