"""Tenant inspectors on the officer's pages (seed section 9: "tenants provide feedback through
inspecting a property prior to letting"): the inspections, record one item by item against the
organisation's minimum relet standard (each item passed or failed, with what is wrong), and one
inspection with each item and the action its failure raised. The form is loaded through the
API's schema and saved by the inspections service, so it refuses what the API refuses, in the
same words, each on the item it is about."""

from __future__ import annotations

from flask import request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.models import ActionPlanItem, Household
from core.records import get_or_404
from core.web.fields import GovDateField
from core.web.record_choices import optional_id, resident_choices, resident_name
from core.web.toolkit import listing, permission, render_page, save_form
from plugins.key_targets.models import Inspection
from plugins.key_targets.schemas import KtInspectionSchema
from plugins.key_targets.services.common import settings
from plugins.key_targets.services.inspections import describe_inspections, record_inspection
from plugins.key_targets.web import web_bp
from plugins.key_targets.web.renamed import Renamed

RESULT_CHOICES = [("pass", "Passed"), ("fail", "Failed")]


class InspectionForm(FlaskForm):
    household_id = SelectField("Home inspected", validators=[Optional()], validate_choice=False)
    inspected_on = GovDateField("Date of the inspection", validators=[Optional()])
    inspector_id = SelectField("Tenant inspector", validators=[Optional()], validate_choice=False)
    reinspection_of_id = SelectField("Re-inspection of", validators=[Optional()], validate_choice=False)
    notes = TextAreaField("Notes on the home", validators=[Optional()])


def _checklist() -> list[dict]:
    return settings()["relet_standard_checklist"]


def _inspection_form() -> InspectionForm:
    """The form with a pass-or-fail question and a "what is wrong" box per checklist item."""

    class ItemsForm(InspectionForm):
        pass

    for item in _checklist():
        setattr(
            ItemsForm,
            f"item_{item['key']}",
            RadioField(item["label"], validators=[Optional()], validate_choice=False),
        )
        setattr(
            ItemsForm,
            f"comment_{item['key']}",
            TextAreaField(f"What is wrong: {item['label']}", validators=[Optional()]),
        )
    form = ItemsForm()
    for item in _checklist():
        form[f"item_{item['key']}"].choices = RESULT_CHOICES
    homes = db.session.execute(
        select(Household.id, Household.reference, Household.postcode).order_by(Household.reference)
    ).all()
    form.household_id.choices = [("", "Choose the home")] + [
        (str(h.id), f"{h.reference} ({h.postcode})" if h.postcode else h.reference) for h in homes
    ]
    form.inspector_id.choices = resident_choices("Not recorded")
    failed = db.session.execute(
        select(Inspection.id, Inspection.inspected_on, Household.reference)
        .join(Household, Household.id == Inspection.household_id)
        .where(Inspection.passed.is_(False))
        .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
        .limit(500)
    ).all()
    form.reinspection_of_id.choices = [("", "No, a first inspection")] + [
        (str(i.id), f"{i.reference}, failed on {i.inspected_on.strftime('%d %B %Y')}") for i in failed
    ]
    if not form.is_submitted():
        for name in ("household_id", "reinspection_of_id"):
            if request.args.get(name, "").isdigit():
                form[name].data = request.args[name]
    return form


def _answered(form: InspectionForm) -> list[str]:
    return [item["key"] for item in _checklist() if form[f"item_{item['key']}"].data in ("pass", "fail")]


def _payload(form: InspectionForm) -> dict:
    body: dict = {
        "results": [
            {
                "item": key,
                "passed": form[f"item_{key}"].data == "pass",
                "comment": (form[f"comment_{key}"].data or "").strip() or None,
            }
            for key in _answered(form)
        ]
    }
    for name in ("household_id", "inspector_id", "reinspection_of_id"):
        chosen = optional_id(form[name].data)
        if chosen is not None:
            body[name] = chosen
    if form.inspected_on.data:
        body["inspected_on"] = form.inspected_on.data.isoformat()
    if (form.notes.data or "").strip():
        body["notes"] = form.notes.data.strip()
    return body


def _renamer(form: InspectionForm):
    """``results.2.comment`` → the "what is wrong" box of the third item answered; "results" (items
    missing) → the first item left unanswered."""
    answered = _answered(form)
    missing = [item["key"] for item in _checklist() if item["key"] not in answered]

    def rename(name: str) -> str | None:
        parts = name.split(".")
        if parts[0] == "results" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(answered):
            key = answered[int(parts[1])]
            return f"comment_{key}" if parts[2] == "comment" else f"item_{key}"
        if name == "results" and missing:
            return f"item_{missing[0]}"
        return None

    return rename


@web_bp.route("/inspections")
@permission("key_targets.read")
def inspections():
    page = listing(
        select(Inspection).order_by(Inspection.inspected_on.desc(), Inspection.id.desc()), per_page=25
    )
    describe_inspections(page.items)
    ids = {i.household_id for i in page.items}
    homes = dict(
        db.session.execute(select(Household.id, Household.reference).where(Household.id.in_(ids))).all()
    )
    return render_page("key_targets/inspections.html", listing=page, homes=homes)


@web_bp.route("/inspections/new", methods=["GET", "POST"])
@permission("key_targets.write")
def inspection_new():
    form = _inspection_form()
    renamed = Renamed(KtInspectionSchema(), _renamer(form))
    done = save_form(
        form,
        renamed,
        renamed.save(record_inspection),
        payload=_payload,
        success=lambda i: (
            "Inspection recorded: "
            + (
                "the home meets the relet standard."
                if i.passed
                else "failed items were added to the action plan."
            )
        ),
        next_url=lambda i: url_for("plugin_key_targets_web.inspection", kt_inspection_id=i.id),
    )
    return done or render_page("key_targets/inspection_form.html", form, checklist=_checklist())


@web_bp.route("/inspections/<int:kt_inspection_id>")
@permission("key_targets.read")
def inspection(kt_inspection_id: int):
    record = get_or_404(Inspection, kt_inspection_id, "inspection")
    describe_inspections([record])
    action_ids = [r.action_item_id for r in record.results if r.action_item_id]
    plans = (
        dict(
            db.session.execute(
                select(ActionPlanItem.id, ActionPlanItem.plan_id).where(ActionPlanItem.id.in_(action_ids))
            ).all()
        )
        if action_ids
        else {}
    )
    original = db.session.get(Inspection, record.reinspection_of_id) if record.reinspection_of_id else None
    return render_page(
        "key_targets/inspection.html",
        inspection=record,
        home=db.session.get(Household, record.household_id),
        inspector=resident_name(record.inspector_id),
        original=original,
        plans=plans,
    )
