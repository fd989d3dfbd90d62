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
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
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
from plugins.key_targets.web.plan_forms import iso_date, split_list, status_choices
from plugins.key_targets.web.renamed import Renamed


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
    # A new target the decision adds to the plan (``new_target`` in the API).
    new_phase_id = SelectField("Phase of the new target", validators=[Optional()], validate_choice=False)
    new_reference = StringField("Reference of the new target", validators=[Optional()])
    new_action = TextAreaField("Action of the new target", validators=[Optional()])
    new_deadlines = StringField("Deadlines of the new target", validators=[Optional()])
    new_continuous_review = BooleanField("The new target is under continuous review")
    new_responsibility = StringField("Responsibility for the new target", validators=[Optional()])

    NEW_TARGET_FIELDS = ("new_phase_id", "new_reference", "new_action", "new_deadlines", "new_responsibility")


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
    if (
        any((form[name].data or "").strip() for name in form.NEW_TARGET_FIELDS)
        or form.new_continuous_review.data
    ):
        phase = (form.new_phase_id.data or "").strip()
        new_target = {
            "phase_id": int(phase) if phase.isdigit() and len(phase) < 12 else phase or None,
            "reference": (form.new_reference.data or "").strip(),
            "action": (form.new_action.data or "").strip(),
            "deadlines": [iso_date(part) for part in split_list(form.new_deadlines.data)],
            "continuous_review": bool(form.new_continuous_review.data),
            "responsibility": split_list(form.new_responsibility.data),
        }
        body["new_target"] = {k: v for k, v in new_target.items() if v not in ("", None)}
    return body


def _to_new_target(name: str) -> str | None:
    """``new_target.reference`` → ``new_reference``; ``new_target.deadlines.0`` → ``new_deadlines``."""
    parts = name.split(".")
    return f"new_{parts[1]}" if parts[0] == "new_target" and len(parts) > 1 else None


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
    form.new_phase_id.choices = [("", "Choose a phase")] + [
        (str(p.id), p.title) for p in db.session.scalars(select(Phase).order_by(Phase.starts_on.desc()))
    ]
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
    renamed = Renamed(KtDecisionSchema(), _to_new_target)
    done = save_form(
        form,
        renamed,
        renamed.save(lambda values: record_decision(record, values)),
        payload=_decision_payload,
        success=lambda d: (
            "Decision recorded."
            + (" The new target was added to the plan." if "new_target" in d.change else "")
        ),
        next_url=url_for("plugin_key_targets_web.conference", kt_conference_id=record.id),
    )
    return done or _conference_page(record, form)
