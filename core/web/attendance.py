"""An activity's attendance register: one page to record who came.

The register lists the people already recorded for the activity, the members of its body whose
term covers the day, and past attendees of the same body or opportunity, each with a box to
tick, hours given and expenses. A resident is added by name (a select that becomes a
type-to-find box; without JavaScript a search form narrows it) or quick-created by first and last
name. Every change goes through ``core.services.involvement`` (``record_participation``,
``change_participation``) with the API's participation schemas, so plugin hooks fire as they do
through the API (points for attending, say), and a refusal rolls the whole register back.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import func, or_, select
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Optional

from core.errors import InvolveError
from core.extensions import db
from core.lifecycle import permission
from core.models import Activity, BodyMembership, Participant, Participation
from core.plugin_kit import in_london
from core.records import get_or_404
from core.schemas.involvement import ParticipationSchema, ParticipationUpdateSchema
from core.schemas.people import ParticipantSchema
from core.services.governance import covers
from core.services.involvement import change_participation, record_participation
from core.services.people import save_participant
from core.web.labels import PoundsField, pounds
from core.web.toolkit import attach_errors, render_page, require, save_form
from core.web.views import org_web

MAX_CHOICES = 1000


def _name(person: Participant) -> str:
    return f"{person.first_name} {person.last_name}"


def register_people(activity: Activity) -> list[dict[str, Any]]:
    """Who the register lists, each with why: recorded, member of the body, attended before."""
    recorded = {
        p.participant_id: p
        for p in db.session.scalars(select(Participation).where(Participation.activity_id == activity.id))
    }
    why: dict[int, str] = {pid: "Recorded" for pid in recorded}
    if activity.body_id is not None:
        day = in_london(activity.starts_at).date()
        members = select(BodyMembership.participant_id).where(
            BodyMembership.body_id == activity.body_id,
            BodyMembership.participant_id.is_not(None),
            covers(day),
        )
        for pid in db.session.scalars(members):
            why.setdefault(pid, "Member")
    related = [Activity.body_id == activity.body_id] if activity.body_id else []
    if activity.opportunity_id:
        related.append(Activity.opportunity_id == activity.opportunity_id)
    if related:
        before = (
            select(Participation.participant_id)
            .join(Activity, Activity.id == Participation.activity_id)
            .where(or_(*related), Activity.id != activity.id, Participation.attended.is_(True))
            .distinct()
            .limit(MAX_CHOICES)
        )
        for pid in db.session.scalars(before):
            why.setdefault(pid, "Came before")
    people = db.session.scalars(
        select(Participant)
        .where(Participant.id.in_(list(why)), Participant.erased_at.is_(None))
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    ).all()
    return [{"person": p, "why": why[p.id], "participation": recorded.get(p.id)} for p in people]


def register_form(people: list[dict[str, Any]], formdata=None) -> FlaskForm:
    """A form with, per person, ``attended_<id>``, ``hours_<id>`` and ``expenses_<id>``."""

    class RegisterForm(FlaskForm):
        pass

    data: dict[str, Any] = {}
    for row in people:
        person, participation, pid = row["person"], row["participation"], row["person"].id
        setattr(RegisterForm, f"attended_{pid}", BooleanField(_name(person)))
        setattr(RegisterForm, f"hours_{pid}", StringField(f"Hours for {_name(person)}", [Optional()]))
        setattr(RegisterForm, f"expenses_{pid}", PoundsField(f"Expenses for {_name(person)}", [Optional()]))
        if participation is not None:
            data[f"attended_{pid}"] = participation.attended
            hours = participation.hours
            data[f"hours_{pid}"] = "" if hours is None else f"{hours.normalize():f}"
            data[f"expenses_{pid}"] = participation.expenses_pence or None
    return RegisterForm(formdata=formdata, data=data)  # formdata=None: the stored values only


def resident_choices(activity: Activity, text: str) -> list[tuple[str, str]]:
    """Residents not yet on this activity's register, by name (those matching ``text``)."""
    recorded = select(Participation.participant_id).where(Participation.activity_id == activity.id)
    statement = select(Participant).where(Participant.erased_at.is_(None), Participant.id.not_in(recorded))
    if text:
        full = func.lower(Participant.first_name + " " + Participant.last_name)
        statement = statement.where(full.contains(text.lower()[:100], autoescape=True))
    statement = statement.order_by(Participant.last_name, Participant.first_name, Participant.id)
    people = db.session.scalars(statement.limit(MAX_CHOICES)).all()
    label = [(str(p.id), _name(p) + (f" ({p.reference})" if p.reference else "")) for p in people]
    return [("", "Choose a resident")] + label


class AddResidentForm(FlaskForm):
    participant_id = SelectField("Resident", validators=[Optional()])


class NewResidentForm(FlaskForm):
    first_name = StringField("First name", validators=[Optional()])
    last_name = StringField("Last name", validators=[Optional()])


def _page(activity: Activity, *, register=None, add=None, new=None, failed=None, people=None):
    people = people if people is not None else register_people(activity)
    text = (request.args.get("q") or "").strip()[:100]
    add = add or AddResidentForm(formdata=None, prefix="add")
    add.participant_id.choices = resident_choices(activity, text)
    return render_page(
        "activities/attendance.html",
        failed,
        activity=activity,
        rows=people,
        register=register or register_form(people),
        add=add,
        new=new or NewResidentForm(formdata=None, prefix="new"),
        search=text,
        pounds=pounds,
    )


@org_web.route("/activities/<int:activity_id>/attendance", methods=["GET", "POST"])
@permission("records.write")
def activity_attendance(activity_id: int):
    require("records.write")
    require("people.read")
    activity = get_or_404(Activity, activity_id)
    people = register_people(activity)
    if request.method != "POST":
        return _page(activity, people=people)
    form = register_form(people, formdata=request.form)
    if not form.validate():
        return _page(activity, register=form, failed=form, people=people)
    changes, problems = _read_register(form, people)
    if problems:
        attach_errors(form, problems)
        return _page(activity, register=form, failed=form, people=people)
    try:
        for participation, values in changes:
            if participation is None:
                record_participation(g.organisation, activity, values)
            else:
                change_participation(g.organisation, activity, participation, values)
        db.session.flush()
    except InvolveError as exc:
        if exc.status in (403, 404) or exc.status >= 500:
            raise
        db.session.rollback()
        form.form_errors.append(exc.message)
        return _page(activity, register=form, failed=form)
    db.session.commit()
    came = sum(1 for row in people if form[f"attended_{row['person'].id}"].data)
    flash(f"Attendance saved: {came} {'person' if came == 1 else 'people'} attended.", "success")
    return redirect(url_for("org_web.activity", activity_id=activity.id, _anchor="attendance"), code=303)


def _read_register(form, people) -> tuple[list[tuple[Participation | None, dict]], dict[str, list[str]]]:
    """What to record or change, loaded through the API's schemas; problems keyed by form field."""
    changes: list[tuple[Participation | None, dict]] = []
    problems: dict[str, list[str]] = {}
    for row in people:
        pid, participation = row["person"].id, row["participation"]
        ticked = bool(form[f"attended_{pid}"].data)
        if participation is None and not ticked:
            continue
        body: dict[str, Any] = {"attended": ticked}
        if ticked:
            body["hours"] = (form[f"hours_{pid}"].data or "").strip() or None
            body["expenses_pence"] = form[f"expenses_{pid}"].data or 0
        try:
            if participation is None:
                values = ParticipationSchema().load({"participant_id": pid, **body})
            else:
                values = ParticipationUpdateSchema().load(body)
        except ValidationError as exc:
            for field, messages in exc.messages.items():
                name = {"hours": "hours", "expenses_pence": "expenses"}.get(field, "attended")
                problems.setdefault(f"{name}_{pid}", []).extend(messages)
            continue
        if participation is None or any(getattr(participation, k) != v for k, v in values.items()):
            changes.append((participation, values))
    return changes, problems


@org_web.route("/activities/<int:activity_id>/attendance/add", methods=["POST"])
@permission("records.write")
def activity_attendance_add(activity_id: int):
    require("records.write")
    require("people.read")
    activity = get_or_404(Activity, activity_id)
    form = AddResidentForm(prefix="add")
    form.participant_id.choices = resident_choices(activity, "")
    done = save_form(
        form,
        ParticipationSchema(),
        lambda values: record_participation(g.organisation, activity, values),
        payload=lambda f: {"participant_id": int(f.participant_id.data)} if f.participant_id.data else {},
        success=lambda p: f"{_name(db.session.get(Participant, p.participant_id))} added to the register.",
        next_url=url_for("org_web.activity_attendance", activity_id=activity.id),
    )
    return done or _page(activity, add=form, failed=form)


@org_web.route("/activities/<int:activity_id>/attendance/new", methods=["POST"])
@permission("records.write")
def activity_attendance_new(activity_id: int):
    require("records.write")
    require("people.write")
    activity = get_or_404(Activity, activity_id)
    form = NewResidentForm(prefix="new")

    def create_and_register(values: dict[str, Any]) -> Participant:
        person = save_participant(None, values)
        values = ParticipationSchema().load({"participant_id": person.id})
        record_participation(g.organisation, activity, values)
        return person

    done = save_form(
        form,
        ParticipantSchema(),
        create_and_register,
        success=lambda p: f"{_name(p)} added as a new resident and to the register.",
        next_url=url_for("org_web.activity_attendance", activity_id=activity.id),
    )
    return done or _page(activity, new=form, failed=form)
