"""Staff pages for governance bodies: the list with seats filled and vacant, the body page
(members with their terms, reserved seats, attendance over this financial year), create, change
and delete a body, and give or end a seat.

Seats are given and ended through ``core.services.governance`` (``add_membership``,
``change_membership``), which applies core's seat rules and every enabled plugin's
``validate_membership``: a refusal is shown on the form in the words of the rule that refused.
"""

from __future__ import annotations

from flask import g, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.errors import NotFound
from core.extensions import db
from core.lifecycle import permission
from core.models import Activity, Area, Body, BodyMembership, Participant, Participation
from core.models.vocab import BODY_KINDS, MEMBERSHIP_ROLES, SEAT_TYPES
from core.periods import Period
from core.plugin_kit import today
from core.records import get_or_404
from core.schemas.governance import BodySchema, BodyUpdateSchema, MembershipSchema, MembershipUpdateSchema
from core.services import governance
from core.services.involvement import utc_date
from core.web.activities import person_href, record_choices
from core.web.fields import GovDateField
from core.web.forms import EmptyForm
from core.web.labels import choices, label
from core.web.toolkit import delete_form, listing, render_page, require, save_form
from core.web.venues import recent_activities
from core.web.views import org_web


class BodyForm(FlaskForm):
    name = StringField("Name", validators=[Optional()])
    kind = SelectField("Type", validators=[Optional()])
    decision_making = BooleanField("It makes decisions (not only advises)")
    seats_total = IntegerField("Seats", validators=[Optional()])
    reserved_resident_seats = IntegerField("Seats reserved for residents", validators=[Optional()])
    area_id = SelectField("Area", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(BODY_KINDS, "Choose a type")
        self.area_id.choices = record_choices(Area, "The whole organisation")


def body_payload(form: BodyForm, *, editing: bool = False) -> dict:
    body = {
        "name": (form.name.data or "").strip(),
        "kind": form.kind.data or None,
        "decision_making": bool(form.decision_making.data),
        "seats_total": form.seats_total.data,
        "reserved_resident_seats": form.reserved_resident_seats.data or 0,
        "area_id": int(form.area_id.data) if (form.area_id.data or "").isdigit() else None,
        "description": (form.description.data or "").strip() or None,
    }
    return body if editing else {k: v for k, v in body.items() if v is not None}


def _name_of(membership: BodyMembership, people: dict[int, Participant]) -> str:
    if membership.participant_id is None:
        return membership.external_name or ""
    person = people.get(membership.participant_id)
    return f"{person.first_name} {person.last_name}" if person else "A resident"


@org_web.route("/bodies")
@permission("records.read")
def bodies():
    require("records.read")
    page = listing(
        select(Body).order_by(Body.name, Body.id),
        search=lambda s, text: s.where(func.lower(Body.name).contains(text.lower(), autoescape=True)),
        filters={"kind": lambda s, v: s.where(Body.kind == BODY_KINDS[BODY_KINDS.index(v)])},
        sorts={"name": Body.name},
        default_sort="name",
    )
    governance.with_seat_counts(page.items)
    return render_page("bodies/list.html", listing=page, label=label, kinds=BODY_KINDS)


@org_web.route("/bodies/new", methods=["GET", "POST"])
@permission("records.write")
def body_new():
    require("records.write")
    form = BodyForm()
    done = save_form(
        form,
        BodySchema(),
        lambda values: governance.save_body(Body(), values),
        payload=body_payload,
        success=lambda b: f"Body {b.name} added.",
        next_url=lambda b: url_for("org_web.body", body_id=b.id),
    )
    return done or render_page("bodies/form.html", form, body=None)


@org_web.route("/bodies/<int:body_id>")
@permission("records.read")
def body(body_id: int):
    require("records.read")
    record = governance.with_seat_counts([get_or_404(Body, body_id)])[0]
    memberships = db.session.scalars(
        select(BodyMembership)
        .where(BodyMembership.body_id == record.id)
        .order_by(BodyMembership.starts_on.desc(), BodyMembership.id)
    ).all()
    ids = [m.participant_id for m in memberships if m.participant_id]
    people = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(ids)))}
    day = today()
    year = Period.financial_year_of(day)
    current = [m for m in memberships if m.starts_on <= day and (m.ends_on is None or m.ends_on >= day)]
    return render_page(
        "bodies/detail.html",
        body=record,
        area=db.session.get(Area, record.area_id) if record.area_id else None,
        memberships=memberships,
        name_of=lambda m: _name_of(m, people),
        residents_now=sum(1 for m in current if m.seat_type == "resident"),
        today=day,
        year=year,
        grid=attendance_grid(record, year, memberships),
        activities=recent_activities(body_id=record.id),
        label=label,
        person_href=person_href,
    )


def attendance_grid(body: Body, year: Period, memberships: list[BodyMembership]) -> dict:
    """The body's meetings held this financial year × its members then: attended, absent or not a
    member on the day; with each member's totals from ``governance.attendance``."""
    day = utc_date(Activity.starts_at)
    meetings = db.session.scalars(
        select(Activity)
        .where(Activity.body_id == body.id, Activity.status == "held", day >= year.start, day <= year.end)
        .order_by(Activity.starts_at, Activity.id)
    ).all()
    came = set(
        db.session.execute(
            select(Participation.activity_id, Participation.participant_id).where(
                Participation.activity_id.in_([m.id for m in meetings]), Participation.attended.is_(True)
            )
        ).all()
    )
    totals = {
        row["membership_id"]: row
        for row in governance.attendance(body, year.start, year.end, 1, 500)["items"]
    }
    rows = []
    for membership in memberships:
        if membership.id not in totals:
            continue
        cells = []
        for meeting in meetings:
            held_on = meeting.starts_at.date()
            if held_on < membership.starts_on or (membership.ends_on and held_on > membership.ends_on):
                cells.append("not_member")
            elif membership.participant_id is None:
                cells.append("not_recorded")
            else:
                cells.append("attended" if (meeting.id, membership.participant_id) in came else "absent")
        rows.append({"membership": membership, "cells": cells, "total": totals[membership.id]})
    return {"meetings": meetings, "rows": rows}


@org_web.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def body_edit(body_id: int):
    require("records.write")
    record = get_or_404(Body, body_id)
    form = BodyForm(obj=record)
    if not form.is_submitted():
        form.area_id.data = str(record.area_id or "")
    done = save_form(
        form,
        BodyUpdateSchema(),
        lambda values: governance.save_body(record, values),
        payload=lambda f: body_payload(f, editing=True),
        success=lambda b: f"Body {b.name} updated.",
        next_url=lambda b: url_for("org_web.body", body_id=b.id),
    )
    return done or render_page("bodies/form.html", form, body=record)


@org_web.route("/bodies/<int:body_id>/delete", methods=["GET", "POST"])
@permission("records.write")
def body_delete(body_id: int):
    require("records.write")
    record = get_or_404(Body, body_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: governance.delete_body(record),
        success=f"Body {record.name} deleted.",
        next_url=url_for("org_web.bodies"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=f"body {record.name}",
        noun="body",
        back=url_for("org_web.body", body_id=record.id),
    )


class MembershipForm(FlaskForm):
    participant_id = SelectField("Resident", validators=[Optional()])
    external_name = StringField("Or the name of someone who is not a resident", validators=[Optional()])
    seat_type = SelectField("Seat", validators=[Optional()])
    role = SelectField("Role", validators=[Optional()])
    starts_on = GovDateField("Term starts")
    ends_on = GovDateField("Term ends")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = db.session.execute(
            select(Participant.id, Participant.first_name, Participant.last_name)
            .where(Participant.erased_at.is_(None))
            .order_by(Participant.last_name, Participant.first_name)
            .limit(2000)
        ).all()
        residents = [(str(i), f"{first} {last}") for i, first, last in people]
        self.participant_id.choices = [("", "Choose a resident"), *residents]
        self.seat_type.choices = choices(SEAT_TYPES, "Choose a seat")
        self.role.choices = choices(MEMBERSHIP_ROLES)


@org_web.route("/bodies/<int:body_id>/memberships/new", methods=["GET", "POST"])
@permission("records.write")
def body_membership_new(body_id: int):
    require("records.write")
    require("people.read")
    record = get_or_404(Body, body_id)
    form = MembershipForm()
    if not form.is_submitted():
        form.starts_on.process(None, today())
        form.role.data = "member"
    done = save_form(
        form,
        MembershipSchema(),
        lambda values: governance.add_membership(g.organisation, record, values),
        success=f"Seat on {record.name} given.",
        next_url=url_for("org_web.body", body_id=record.id, _anchor="members"),
    )
    return done or render_page("bodies/membership.html", form, body=record)


class EndTermForm(FlaskForm):
    ends_on = GovDateField("Last day of the term")


@org_web.route("/bodies/<int:body_id>/memberships/<int:membership_id>/end", methods=["GET", "POST"])
@permission("records.write")
def body_membership_end(body_id: int, membership_id: int):
    require("records.write")
    record = get_or_404(Body, body_id)
    membership = get_or_404(BodyMembership, membership_id)
    if membership.body_id != record.id:
        raise NotFound("No such membership.")
    form = EndTermForm()
    if not form.is_submitted():
        form.ends_on.process(None, membership.ends_on or today())
    done = save_form(
        form,
        MembershipUpdateSchema(),
        lambda values: governance.change_membership(g.organisation, record, membership, values),
        payload=lambda f: {"ends_on": f.ends_on.data.isoformat() if f.ends_on.data else None},
        success="Term end recorded.",
        next_url=url_for("org_web.body", body_id=record.id, _anchor="members"),
    )
    person = db.session.get(Participant, membership.participant_id) if membership.participant_id else None
    return done or render_page(
        "bodies/end_term.html",
        form,
        body=record,
        membership=membership,
        name=_name_of(membership, {person.id: person} if person else {}),
    )
