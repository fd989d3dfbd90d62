"""The annual tenants' and leaseholders' conference on the officer's pages: the list of
conferences (due date, on time or late), record the year's conference or change it, and one
conference with its decisions — a decision may change a target's status, add a deadline to it,
add a new target to the plan, or only note a target, and is written in that target's progress
log dated the day of the conference. Forms go through the API's schemas and the conference
services."""

from __future__ import annotations

from flask import url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.records import get_or_404
from core.web.fields import GovDateField
from core.web.toolkit import listing, permission, render_page, save_form
from plugins.key_targets.models import Conference, Phase, Target
from plugins.key_targets.schemas import KtConferenceSchema, KtConferenceUpdateSchema, KtDecisionSchema
from plugins.key_targets.services import plan
from plugins.key_targets.services.conference import describe_conferences, record_decision, save_conference
from plugins.key_targets.web import web_bp
from plugins.key_targets.web.plan_forms import status_choices


class ConferenceForm(FlaskForm):
    year = IntegerField("Year", validators=[Optional()])
    title = StringField("Title", validators=[Optional()])
    held_on = GovDateField("Date held", validators=[Optional()])
    attendance = IntegerField("Attendance", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional()])


class DecisionForm(FlaskForm):
    text = TextAreaField("Decision", validators=[Optional()])
    target_id = SelectField("Target it changes", validators=[Optional()])
    set_status = SelectField("New status of the target", validators=[Optional()])
    add_deadline = GovDateField("New deadline for the target", validators=[Optional()])


def _payload(form: FlaskForm) -> dict:
    body = {}
    for name in ("year", "title", "held_on", "attendance", "notes"):
        value = form[name].data
        if value in (None, ""):
            continue
        body[name] = value.isoformat() if name == "held_on" else value
    if form.year.raw_data and form.year.data is None:
        body["year"] = form.year.raw_data[0]
    return body


def _edit_payload(form: FlaskForm) -> dict:
    """As an API client changing the conference: every field sent, an emptied one as null."""
    body = _payload(form)
    for name in ("year", "title", "held_on", "attendance", "notes"):
        body.setdefault(name, None)
    return body


def _decision_payload(form: DecisionForm) -> dict:
    body: dict = {"text": (form.text.data or "").strip()}
    if not body["text"]:
        del body["text"]
    if (form.target_id.data or "").isdigit():
        body["target_id"] = int(form.target_id.data)
    if form.set_status.data:
        body["set_status"] = form.set_status.data
    if form.add_deadline.data:
        body["add_deadline"] = form.add_deadline.data.isoformat()
    return body


@web_bp.route("/conferences")
@permission("key_targets.read")
def conferences():
    page = listing(select(Conference).order_by(Conference.year.desc()), per_page=25)
    describe_conferences(page.items)
    return render_page("key_targets/conferences.html", listing=page)


@web_bp.route("/conferences/new", methods=["GET", "POST"])
@permission("key_targets.write")
def conference_new():
    form = ConferenceForm()
    done = save_form(
        form,
        KtConferenceSchema(),
        lambda values: save_conference(None, values),
        payload=_payload,
        success=lambda c: f"{c.title} recorded.",
        next_url=lambda c: url_for("plugin_key_targets_web.conference", kt_conference_id=c.id),
    )
    return done or render_page("key_targets/conference_form.html", form, conference=None)


@web_bp.route("/conferences/<int:kt_conference_id>/edit", methods=["GET", "POST"])
@permission("key_targets.write")
def conference_edit(kt_conference_id: int):
    record = get_or_404(Conference, kt_conference_id, "conference")
    form = ConferenceForm(obj=record)
    done = save_form(
        form,
        KtConferenceUpdateSchema(),
        lambda values: save_conference(record, values),
        payload=_edit_payload,
        success=lambda c: f"{c.title} updated.",
        next_url=lambda c: url_for("plugin_key_targets_web.conference", kt_conference_id=c.id),
    )
    return done or render_page("key_targets/conference_form.html", form, conference=record)


def _decision_form() -> DecisionForm:
    form = DecisionForm()
    targets = plan.in_reference_order(db.session.scalars(select(Target)).all())
    phases = dict(db.session.execute(select(Phase.id, Phase.title)).all())
    form.target_id.choices = [("", "No target (a decision to note)")] + [
        (str(t.id), f"{phases.get(t.phase_id, '')} {t.reference}: {t.action[:80]}") for t in targets
    ]
    form.set_status.choices = status_choices(blank="Keep the status")
    return form


def _conference_page(record: Conference, form: DecisionForm):
    describe_conferences([record])
    targets = {t.id: t for t in db.session.scalars(select(Target))}
    return render_page("key_targets/conference.html", form, conference=record, targets=targets)


@web_bp.route("/conferences/<int:kt_conference_id>")
@permission("key_targets.read")
def conference(kt_conference_id: int):
    return _conference_page(get_or_404(Conference, kt_conference_id, "conference"), _decision_form())


@web_bp.route("/conferences/<int:kt_conference_id>/decisions", methods=["POST"])
@permission("key_targets.write")
def conference_decision(kt_conference_id: int):
    record = get_or_404(Conference, kt_conference_id, "conference")
    form = _decision_form()
    done = save_form(
        form,
        KtDecisionSchema(),
        lambda values: record_decision(record, values),
        payload=_decision_payload,
        success="Decision recorded.",
        next_url=url_for("plugin_key_targets_web.conference", kt_conference_id=record.id),
    )
    return done or _conference_page(record, form)
