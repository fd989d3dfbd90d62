"""The key-targets plan's forms: add or change a phase (a year of the plan), add a target, change
it, record progress (a new status with it, "Done" completing the target), record a deadline as
met, delete a target or an empty phase (after confirming), and import a whole plan from CSV with
every bad cell listed. Each form is loaded through the API's
schema and saved by the plan's services, so a page refuses what the API refuses, in the same
words."""

from __future__ import annotations

import re

from flask import flash, redirect, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.exceptions import UnsupportedMediaType
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.api.households import uploaded_csv
from core.errors import NotFound, ValidationFailed
from core.extensions import db
from core.records import get_or_404
from core.web.fields import GovDateField, MultiCheckboxField
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, permission, render_page, save_form
from plugins.key_targets.models import Deadline, Phase, Target
from plugins.key_targets.schemas import (
    KtDeadlineSchema,
    KtPhaseSchema,
    KtPhaseUpdateSchema,
    KtProgressSchema,
    KtTargetSchema,
    KtTargetUpdateSchema,
)
from plugins.key_targets.services import plan
from plugins.key_targets.services.common import settings
from plugins.key_targets.services.plan_import import import_plan
from plugins.key_targets.web import web_bp

SLASH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def status_choices(blank: str | None = None) -> list[tuple[str, str]]:
    first = [("", blank)] if blank else []
    return first + [(key, plan.STATUS_WORDS[key].capitalize()) for key in plan.TARGET_STATUSES]


class TargetForm(FlaskForm):
    phase_id = SelectField("Phase", validators=[Optional()])
    reference = StringField("Reference", validators=[Optional()])
    action = TextAreaField("Action", validators=[Optional()])
    deadlines = StringField("Deadlines", validators=[Optional()])
    continuous_review = BooleanField("Continuous review")
    responsibility = StringField("Responsibility", validators=[Optional()])
    strategic_aims = MultiCheckboxField("Strategic aims", validators=[Optional()])
    status = SelectField("Status", validators=[Optional()])
    outcome = TextAreaField("Outcome for tenants", validators=[Optional()])
    progress = TextAreaField("Progress note", validators=[Optional()])


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def iso_date(text: str) -> str:
    """31/12/2026 as 2026-12-31; anything else as typed, for the schema to judge."""
    match = SLASH_DATE.match(text)
    if match is None:
        return text
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def target_body(form: TargetForm) -> dict:
    body = {
        "phase_id": int(form.phase_id.data) if (form.phase_id.data or "").isdigit() else form.phase_id.data,
        "reference": (form.reference.data or "").strip(),
        "action": (form.action.data or "").strip(),
        "deadlines": [iso_date(part) for part in split_list(form.deadlines.data)],
        "continuous_review": bool(form.continuous_review.data),
        "responsibility": split_list(form.responsibility.data),
        "strategic_aims": list(form.strategic_aims.data or []),
        "status": form.status.data or "not_started",
        "outcome": (form.outcome.data or "").strip() or None,
    }
    body = {k: v for k, v in body.items() if v not in ("", None) or k == "outcome"}
    if (form.progress.data or "").strip():
        body["progress"] = form.progress.data.strip()
    return body


def _target_form(target: Target | None) -> TargetForm:
    form = TargetForm(obj=target)
    phases = db.session.scalars(select(Phase).order_by(Phase.starts_on.desc())).all()
    form.phase_id.choices = [("", "Choose a phase")] + [(str(p.id), p.title) for p in phases]
    form.status.choices = status_choices()
    form.strategic_aims.choices = [(aim["key"], aim["label"]) for aim in settings()["strategic_aims"]]
    if target is not None and not form.is_submitted():
        plan.describe_targets([target])
        form.phase_id.data = str(target.phase_id)
        form.deadlines.data = "; ".join(d.due_on.strftime("%d/%m/%Y") for d in target.deadlines)
        form.responsibility.data = "; ".join(target.responsibility or [])
        form.progress.data = ""
    return form


def _to_target(record) -> str:
    return url_for("plugin_key_targets_web.target_page", kt_target_id=record.id)


@web_bp.route("/targets/new", methods=["GET", "POST"])
@permission("key_targets.write")
def target_new():
    form = _target_form(None)
    if not form.is_submitted() and request.args.get("phase_id", "").isdigit():
        form.phase_id.data = request.args["phase_id"]
    done = save_form(
        form,
        KtTargetSchema(),
        lambda values: plan.save_target(None, values),
        payload=target_body,
        success=lambda t: f"Target {t.reference} added to the plan.",
        next_url=_to_target,
    )
    return done or render_page("key_targets/target_form.html", form, target=None)


@web_bp.route("/targets/<int:kt_target_id>/edit", methods=["GET", "POST"])
@permission("key_targets.write")
def target_edit(kt_target_id: int):
    target = get_or_404(Target, kt_target_id, "target")
    form = _target_form(target)
    done = save_form(
        form,
        KtTargetUpdateSchema(),
        lambda values: plan.save_target(target, values),
        payload=target_body,
        success=lambda t: f"Target {t.reference} updated.",
        next_url=_to_target,
    )
    return done or render_page("key_targets/target_form.html", form, target=target)


class ProgressForm(FlaskForm):
    note = TextAreaField("What has happened", validators=[Optional()])
    recorded_on = GovDateField("Date of the progress", validators=[Optional()])
    status = SelectField("Status", validators=[Optional()])


@web_bp.route("/targets/<int:kt_target_id>/progress", methods=["GET", "POST"])
@permission("key_targets.write")
def target_progress(kt_target_id: int):
    target = get_or_404(Target, kt_target_id, "target")
    form = ProgressForm()
    form.status.choices = status_choices(blank="Keep the status")
    if not form.is_submitted() and request.args.get("status") in plan.TARGET_STATUSES:
        form.status.data = request.args["status"]
    done = save_form(
        form,
        KtProgressSchema(),
        lambda values: plan.record_progress(target, values),
        success=f"Progress recorded on target {target.reference}.",
        next_url=_to_target(target),
    )
    return done or render_page("key_targets/progress_form.html", form, target=target)


class DeadlineForm(FlaskForm):
    met_on = GovDateField("Date the deadline was met", validators=[Optional()])


@web_bp.route("/targets/<int:kt_target_id>/deadlines/<int:kt_deadline_id>", methods=["GET", "POST"])
@permission("key_targets.write")
def deadline_met(kt_target_id: int, kt_deadline_id: int):
    target = get_or_404(Target, kt_target_id, "target")
    deadline = get_or_404(Deadline, kt_deadline_id, "deadline")
    if deadline.target_id != target.id:
        raise NotFound("No such deadline.")
    form = DeadlineForm(obj=deadline)
    if not form.is_submitted() and deadline.met_on is None:
        form.met_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        KtDeadlineSchema(),
        lambda values: plan.mark_deadline(deadline, values["met_on"]),
        payload=lambda f: {"met_on": f.met_on.data.isoformat() if f.met_on.data else None},
        success=f"Deadline of target {target.reference} recorded.",
        next_url=_to_target(target),
    )
    return done or render_page("key_targets/deadline_form.html", form, target=target, deadline=deadline)


class PhaseForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    starts_on = GovDateField("Starts on", validators=[Optional()])
    ends_on = GovDateField("Ends on", validators=[Optional()])


@web_bp.route("/phases/new", methods=["GET", "POST"])
@permission("key_targets.write")
def phase_new():
    form = PhaseForm()
    done = save_form(
        form,
        KtPhaseSchema(),
        lambda values: plan.save_phase(None, values),
        success=lambda p: f"Phase {p.title} added to the plan.",
        next_url=url_for("plugin_key_targets_web.plan_page"),
    )
    return done or render_page("key_targets/phase_form.html", form, phase=None)


@web_bp.route("/phases/<int:kt_phase_id>/edit", methods=["GET", "POST"])
@permission("key_targets.write")
def phase_edit(kt_phase_id: int):
    phase = get_or_404(Phase, kt_phase_id, "phase")
    form = PhaseForm(obj=phase)
    done = save_form(
        form,
        KtPhaseUpdateSchema(),
        lambda values: plan.save_phase(phase, values),
        partial=True,
        success=lambda p: f"Phase {p.title} updated.",
        next_url=url_for("plugin_key_targets_web.plan_page"),
    )
    return done or render_page("key_targets/phase_form.html", form, phase=phase)


@web_bp.route("/phases/<int:kt_phase_id>/delete", methods=["GET", "POST"])
@permission("key_targets.write")
def phase_delete(kt_phase_id: int):
    phase = get_or_404(Phase, kt_phase_id, "phase")
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: plan.delete_phase(phase),
        success=f"Phase {phase.title} deleted.",
        next_url=url_for("plugin_key_targets_web.plan_page"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=f"the phase {phase.title}",
        noun="phase",
        warning="Only a phase without targets can be deleted. You cannot undo this.",
        back=url_for("plugin_key_targets_web.plan_page"),
    )


@web_bp.route("/targets/<int:kt_target_id>/delete", methods=["GET", "POST"])
@permission("key_targets.write")
def target_delete(kt_target_id: int):
    target = get_or_404(Target, kt_target_id, "target")
    phase = db.session.get(Phase, target.phase_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: plan.delete_target(target),
        success=f"Target {target.reference} deleted from the plan.",
        next_url=url_for("plugin_key_targets_web.plan_page"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=f"target {target.reference} of {phase.title}",
        noun="target",
        warning="Its deadlines and progress log are deleted with it. You cannot undo this. "
        "To keep its history, record it as dropped instead.",
        quote=target.action,
        back=_to_target(target),
    )


class ImportForm(FlaskForm):
    file = FileField("Upload a CSV file", validators=[Optional()])


@web_bp.route("/plan/import", methods=["GET", "POST"])
@permission("key_targets.write")
def plan_import():
    form = ImportForm()
    problems: list[tuple[str, str]] = []
    if form.validate_on_submit():
        try:
            counts = import_plan(uploaded_csv())
            db.session.flush()
        except UnsupportedMediaType:
            form.file.errors = ["Choose a CSV file to upload."]
        except ValidationFailed as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
            problems = [(cell, " ".join(words)) for cell, words in exc.fields.items() if cell != "file"]
            if "file" in exc.fields:
                form.file.errors = list(exc.fields["file"])
        else:
            db.session.commit()
            flash(f"Plan imported: {counts['created']} added, {counts['updated']} changed.", "success")
            return redirect(url_for("plugin_key_targets_web.plan_page"), code=303)
    return render_page("key_targets/plan_import.html", form, problems=problems)
