"""Staff pages for households: the list (search by reference, address or postcode), one
household, create, change and delete. The reference implementation of the page toolkit: the
forms are loaded through the API's schemas and saved by the API's services.
"""

from __future__ import annotations

from flask import url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.lifecycle import permission
from core.models import Area, Household, Participant
from core.models.vocab import TENURES
from core.records import get_or_404
from core.schemas.places import HouseholdArgs, HouseholdSchema, HouseholdUpdateSchema
from core.services.people import delete_household, household_query, save_household
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, listing, query_args, render_page, require, save_form
from core.web.views import org_web


def tenure_label(code: str | None) -> str:
    return (code or "").replace("_", " ").capitalize()


def area_choices() -> list[tuple[str, str]]:
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
    return [("", "No area")] + [(str(a.id), a.name) for a in areas]


class HouseholdForm(FlaskForm):
    reference = StringField("Reference", validators=[Optional()])
    address = TextAreaField("Address", validators=[Optional()])
    postcode = StringField("Postcode", validators=[Optional()])
    area_id = SelectField("Area", validators=[Optional()])
    tenure = SelectField("Tenure", validators=[Optional()])
    active = BooleanField("The tenancy is active", default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = area_choices()
        self.tenure.choices = [("", "Not recorded")] + [(t, tenure_label(t)) for t in TENURES]


def household_body(form: HouseholdForm) -> dict:
    """The form as the API's request body (the address is one line per line)."""
    body = {
        "reference": form.reference.data or "",
        "address_lines": [line for line in (form.address.data or "").splitlines() if line.strip()],
        "postcode": (form.postcode.data or "").strip() or None,
        "area_id": int(form.area_id.data) if (form.area_id.data or "").isdigit() else None,
        "tenure": form.tenure.data or None,
        "active": bool(form.active.data),
    }
    return body


@org_web.route("/households")
@permission("records.read")
def households():
    require("records.read")
    args = query_args(HouseholdArgs())
    page = listing(
        household_query(args),
        keep=args,
        sorts={"reference": Household.reference, "postcode": Household.postcode},
        default_sort="reference",
    )
    return render_page("households/list.html", listing=page, tenure_label=tenure_label)


@org_web.route("/households/new", methods=["GET", "POST"])
@permission("records.write")
def household_new():
    require("records.write")
    form = HouseholdForm()
    done = save_form(
        form,
        HouseholdSchema(),
        lambda values: save_household(None, values),
        payload=household_body,
        success=lambda h: f"Household {h.reference} added.",
        next_url=lambda h: url_for("org_web.household", household_id=h.id),
    )
    return done or render_page("households/form.html", form, household=None)


@org_web.route("/households/<int:household_id>")
@permission("records.read")
def household(household_id: int):
    require("records.read")
    record = get_or_404(Household, household_id)
    area = db.session.get(Area, record.area_id) if record.area_id else None
    people = db.session.scalars(
        select(Participant)
        .where(Participant.household_id == record.id, Participant.erased_at.is_(None))
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    return render_page(
        "households/detail.html", household=record, area=area, people=people, tenure_label=tenure_label
    )


@org_web.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def household_edit(household_id: int):
    require("records.write")
    record = get_or_404(Household, household_id)
    form = HouseholdForm(obj=record)
    if not form.is_submitted():
        form.address.data = "\n".join(record.address_lines or [])
        form.area_id.data = str(record.area_id or "")
    done = save_form(
        form,
        HouseholdUpdateSchema(),
        lambda values: save_household(record, values),
        payload=household_body,
        success=lambda h: f"Household {h.reference} updated.",
        next_url=lambda h: url_for("org_web.household", household_id=h.id),
    )
    return done or render_page("households/form.html", form, household=record)


@org_web.route("/households/<int:household_id>/delete", methods=["GET", "POST"])
@permission("records.write")
def household_delete(household_id: int):
    require("records.write")
    record = get_or_404(Household, household_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: delete_household(record),
        success=f"Household {record.reference} deleted.",
        next_url=url_for("org_web.households"),
    )
    return done or render_page("households/delete.html", form, household=record)
