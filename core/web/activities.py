"""Staff pages for activities: the list (filters by date range, type and body), one activity with
who took part, create, change and delete.

An activity's start is entered as a GOV.UK date and a time of day in the UK (Europe/London) and
sent to the API's schema as an ISO datetime with its offset, as an API client would; the schema
and ``core.services.involvement`` judge it. The attendance register is in ``core.web.attendance``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from flask import g, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.lifecycle import permission
from core.models import Activity, Area, Body, Opportunity, Participant, Participation, Venue
from core.models.vocab import ACTIVITY_KINDS, ACTIVITY_STATUSES
from core.plugin_kit import LONDON, in_london
from core.records import get_or_404
from core.schemas.involvement import ActivityArgs, ActivitySchema, ActivityUpdateSchema
from core.services import involvement
from core.web.fields import GovDateField
from core.web.forms import EmptyForm
from core.web.labels import PoundsField, choices, label, pounds
from core.web.today import link
from core.web.toolkit import delete_form, listing, query_args, render_page, require, save_form
from core.web.views import org_web

TIME = re.compile(r"^(\d{1,2})[:.](\d{2})\s*(am|pm)?$", re.IGNORECASE)


class TimeField(StringField):
    """A time of day typed as "18:30" (or "6.30pm"); ``data`` is a ``datetime.time``."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()[:10]
        self.data = None
        if not self.raw:
            return
        match = TIME.match(self.raw)
        hour, minute = (int(match.group(1)), int(match.group(2))) if match else (99, 99)
        if match and match.group(3):
            hour = hour % 12 + (12 if match.group(3).lower() == "pm" else 0)
        if hour > 23 or minute > 59:
            self.process_errors.append("Enter a time on the 24-hour clock, like 18:30")
            return
        self.data = time(hour, minute)

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""


def record_choices(model, empty: str, order=None) -> list[tuple[str, str]]:
    column = model.title if hasattr(model, "title") else model.name
    rows = db.session.execute(select(model.id, column).order_by(order or column, model.id)).all()
    return [("", empty)] + [(str(i), text) for i, text in rows]


class ActivityForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    kind = SelectField("Type", validators=[Optional()])
    starts_at = GovDateField("Date")
    start_time = TimeField("Start time", validators=[Optional()])
    ends_at = TimeField("End time", validators=[Optional()])
    status = SelectField("Status", validators=[Optional()])
    body_id = SelectField("Meeting of", validators=[Optional()])
    opportunity_id = SelectField("Opportunity", validators=[Optional()])
    venue_id = SelectField("Venue", validators=[Optional()])
    area_id = SelectField("Area", validators=[Optional()])
    cost_pence = PoundsField("Cost", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(ACTIVITY_KINDS, "Choose a type")
        self.status.choices = choices(ACTIVITY_STATUSES)
        self.body_id.choices = record_choices(Body, "Not a meeting of a body")
        self.opportunity_id.choices = record_choices(Opportunity, "No opportunity")
        self.venue_id.choices = record_choices(Venue, "No venue")
        self.area_id.choices = record_choices(Area, "No area")


def _moment(day: date | None, at: time | None) -> str | None:
    if day is None:
        return None
    return datetime.combine(day, at or time(0), tzinfo=LONDON).isoformat()


def _id(value: str | None) -> int | None:
    return int(value) if (value or "").isdigit() else None


def activity_body(form: ActivityForm, *, editing: bool = False) -> dict:
    """The form as the API's request body: the date and times become ISO datetimes (UK time)."""
    body = {
        "title": (form.title.data or "").strip(),
        "kind": form.kind.data or None,
        "starts_at": _moment(form.starts_at.data, form.start_time.data),
        "ends_at": _moment(form.starts_at.data, form.ends_at.data) if form.ends_at.data else None,
        "status": form.status.data or None,
        "body_id": _id(form.body_id.data),
        "opportunity_id": _id(form.opportunity_id.data),
        "venue_id": _id(form.venue_id.data),
        "area_id": _id(form.area_id.data),
        "cost_pence": form.cost_pence.data if form.cost_pence.data is not None else 0,
        "description": (form.description.data or "").strip() or None,
    }
    # A new activity leaves out what is empty (the schema's default or "required" applies); a
    # change sends it as null, clearing it (or refused where it cannot be empty).
    return body if editing else {k: v for k, v in body.items() if v is not None}


def _fill(form: ActivityForm, record: Activity) -> None:
    """An activity's stored values in the form's fields (its times in the UK)."""
    starts = in_london(record.starts_at)
    form.starts_at.process(None, starts.date())
    form.start_time.data = starts.time()
    form.ends_at.data = in_london(record.ends_at).time() if record.ends_at else None
    form.cost_pence.data = record.cost_pence
    for name in ("body_id", "opportunity_id", "venue_id", "area_id"):
        form[name].data = str(getattr(record, name) or "")


@org_web.route("/activities")
@permission("records.read")
def activities():
    require("records.read")
    args = query_args(ActivityArgs())
    statement = select(Activity).order_by(Activity.starts_at.desc(), Activity.id.desc())
    for name in ("kind", "status", "body_id"):
        if name in args:
            statement = statement.where(getattr(Activity, name) == args[name])
    statement = statement.where(*involvement.starting_between(args.get("date_from"), args.get("date_to")))
    page = listing(
        statement,
        keep={k: 1 for k in ("kind", "status", "body_id", "from", "to") if k in request.args},
        sorts={"date": Activity.starts_at, "title": Activity.title},
    )
    bodies = db.session.execute(select(Body.id, Body.name).order_by(Body.name)).all()
    filters = {k: request.args.get(k, "") for k in ("kind", "status", "body_id", "from", "to")}
    return render_page(
        "activities/list.html",
        listing=page,
        label=label,
        kinds=ACTIVITY_KINDS,
        statuses=ACTIVITY_STATUSES,
        bodies=bodies,
        filters=filters,
        filtered=any(filters.values()),
        in_london=in_london,
    )


@org_web.route("/activities/new", methods=["GET", "POST"])
@permission("records.write")
def activity_new():
    require("records.write")
    form = ActivityForm()
    if not form.is_submitted() and request.args.get("body_id"):
        form.body_id.data = request.args["body_id"]  # "Add a meeting" from a body's page
        form.kind.data = "meeting"
    done = save_form(
        form,
        ActivitySchema(),
        involvement.create_activity,
        payload=activity_body,
        success=lambda a: f"Activity {a.title} added.",
        next_url=lambda a: url_for("org_web.activity", activity_id=a.id),
    )
    return done or render_page("activities/form.html", form, activity=None)


def participations_of(activity: Activity) -> list[tuple[Participation, Participant]]:
    statement = (
        select(Participation, Participant)
        .join(Participant, Participant.id == Participation.participant_id)
        .where(Participation.activity_id == activity.id)
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    )
    return [tuple(row) for row in db.session.execute(statement).all()]


@org_web.route("/activities/<int:activity_id>")
@permission("records.read")
def activity(activity_id: int):
    require("records.read")
    record = get_or_404(Activity, activity_id)
    linked = {
        name: db.session.get(model, getattr(record, f"{name}_id")) if getattr(record, f"{name}_id") else None
        for name, model in (("body", Body), ("opportunity", Opportunity), ("venue", Venue), ("area", Area))
    }
    people = participations_of(record)
    return render_page(
        "activities/detail.html",
        activity=record,
        people=people,
        attended=sum(1 for p, _ in people if p.attended),
        label=label,
        pounds=pounds,
        in_london=in_london,
        person_href=person_href,
        **linked,
    )


@org_web.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def activity_edit(activity_id: int):
    require("records.write")
    record = get_or_404(Activity, activity_id)
    form = ActivityForm(obj=record)
    if not form.is_submitted():
        _fill(form, record)
    done = save_form(
        form,
        ActivityUpdateSchema(),
        lambda values: involvement.update_activity(record, values),
        payload=lambda f: activity_body(f, editing=True),
        success=lambda a: f"Activity {a.title} updated.",
        next_url=lambda a: url_for("org_web.activity", activity_id=a.id),
    )
    return done or render_page("activities/form.html", form, activity=record)


@org_web.route("/activities/<int:activity_id>/delete", methods=["GET", "POST"])
@permission("records.write")
def activity_delete(activity_id: int):
    require("records.write")
    record = get_or_404(Activity, activity_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: involvement.delete_activity(g.organisation, record),
        success=f"Activity {record.title} deleted.",
        next_url=url_for("org_web.activities"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=f"activity {record.title}",
        noun="activity",
        back=url_for("org_web.activity", activity_id=record.id),
        warning="The record of who took part goes with it. You cannot undo this. "
        "To keep the record of an activity that did not happen, change its status to cancelled.",
    )


def person_href(participant_id: int) -> str | None:
    """A resident's page, once the participant pages exist."""
    return link("org_web.participant", participant_id=participant_id)
