"""Officers' pages for customer inspectors (seed 001: "the Trust will look to provide training to
create a pool of customer inspectors who can reality check service provision and feedback suggested
improvements for consideration in any service improvement plan reviews"): the pool with each
inspector's training, adding an inspector, a course completed and the day they left; inspections
(reality checks) with their findings and suggested improvements, and putting a suggestion on the
register of service improvements. An untrained inspector and a suggestion taken twice are the
inspectors service's refusals, shown in its words."""

from __future__ import annotations

from flask import abort, url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.records import get_or_404
from core.web.toolkit import listing, permission, render_page, save_form
from plugins.street_reps.models import Inspection, Inspector, InspectorTraining
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import inspectors as service
from plugins.street_reps.web import forms, web_bp


def _names(inspectors: list[Inspector]) -> dict[int, str]:
    people = forms.people_names(i.participant_id for i in inspectors)
    return {i.id: people.get(i.participant_id, f"Inspector {i.id}") for i in inspectors}


@web_bp.route("/inspectors")
@permission("street_reps.read")
def inspector_list():
    page = listing(select(Inspector), sorts={"joined": Inspector.joined_on}, default_sort="joined")
    service.describe_inspectors(page.items)
    return render_page("street_reps/inspectors/list.html", listing=page, names=_names(page.items))


@web_bp.route("/inspectors/new", methods=["GET", "POST"])
@permission("street_reps.write")
def inspector_new():
    form = forms.PersonJoinForm()
    if not form.is_submitted():
        form.joined_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrInspectorSchema(),
        service.add_inspector,
        payload=forms.join_body,
        success="Added to the customer inspectors' pool. Record their training before they inspect.",
        next_url=lambda inspector: url_for(".inspector_detail", sr_inspector_id=inspector.id),
    )
    return done or render_page("street_reps/inspectors/form.html", form)


def _inspector_page(inspector: Inspector, form=None):
    service.describe_inspectors([inspector])
    training = db.session.scalars(
        select(InspectorTraining)
        .where(InspectorTraining.inspector_id == inspector.id)
        .order_by(InspectorTraining.completed_on, InspectorTraining.id)
    ).all()
    inspections = [
        i
        for i in db.session.scalars(select(Inspection).order_by(Inspection.inspected_on.desc())).all()
        if inspector.id in (i.inspector_ids or [])
    ]
    if form is None:
        form = forms.TrainingForm()
        form.completed_on.process(None, plugin_kit.today())
    return render_page(
        "street_reps/inspectors/detail.html",
        form,
        inspector=inspector,
        name=_names([inspector])[inspector.id],
        training=training,
        inspections=inspections,
    )


@web_bp.route("/inspectors/<int:sr_inspector_id>")
@permission("street_reps.read")
def inspector_detail(sr_inspector_id: int):
    return _inspector_page(get_or_404(Inspector, sr_inspector_id, "customer inspector"))


@web_bp.route("/inspectors/<int:sr_inspector_id>/leave", methods=["GET", "POST"])
@permission("street_reps.write")
def inspector_leave(sr_inspector_id: int):
    inspector = get_or_404(Inspector, sr_inspector_id, "customer inspector")
    form, done = forms.leaving(
        inspector,
        s.SrInspectorLeavingSchema(),
        lambda values: service.record_leaving(inspector, values["left_on"]),
        success="Recorded that the inspector left the pool; later inspections cannot name them.",
        next_url=url_for(".inspector_detail", sr_inspector_id=inspector.id),
    )
    return done or render_page(
        "street_reps/inspectors/leave.html",
        form,
        inspector=inspector,
        name=_names([inspector])[inspector.id],
    )


@web_bp.route("/inspectors/<int:sr_inspector_id>/training", methods=["POST"])
@permission("street_reps.write")
def inspector_training(sr_inspector_id: int):
    inspector = get_or_404(Inspector, sr_inspector_id, "customer inspector")
    form = forms.TrainingForm()
    done = save_form(
        form,
        s.SrTrainingSchema(),
        lambda values: service.record_training(inspector.id, values),
        success=lambda training: f"Training recorded: {training.course}.",
        next_url=url_for(".inspector_detail", sr_inspector_id=inspector.id),
    )
    return done or _inspector_page(inspector, form)


# -- inspections ---------------------------------------------------------------------------------


@web_bp.route("/inspections")
@permission("street_reps.read")
def inspection_list():
    page = listing(
        select(Inspection).order_by(Inspection.inspected_on.desc(), Inspection.id.desc()),
        search=lambda q, text: q.where(Inspection.service.ilike(f"%{text}%")),
    )
    return render_page("street_reps/inspectors/inspections.html", listing=page)


def _inspector_choices(form: forms.InspectionForm) -> None:
    pool = db.session.scalars(
        select(Inspector).where(Inspector.left_on.is_(None)).order_by(Inspector.joined_on, Inspector.id)
    ).all()
    service.describe_inspectors(pool)
    names = _names(pool)
    form.inspector_ids.choices = [
        (i.id, f"{names[i.id]} ({'trained' if i.courses else 'not trained yet'})") for i in pool
    ]


@web_bp.route("/inspections/new", methods=["GET", "POST"])
@permission("street_reps.write")
def inspection_new():
    form = forms.InspectionForm()
    _inspector_choices(form)
    if not form.is_submitted():
        form.inspected_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrInspectionSchema(),
        lambda values: service.record_inspection(values, current_settings()),
        success=lambda inspection: f"Inspection of {inspection.service} recorded.",
        next_url=lambda inspection: url_for(".inspection_detail", sr_inspection_id=inspection.id),
    )
    return done or render_page("street_reps/inspectors/inspection_form.html", form)


@web_bp.route("/inspections/<int:sr_inspection_id>")
@permission("street_reps.read")
def inspection_detail(sr_inspection_id: int):
    inspection = get_or_404(Inspection, sr_inspection_id, "inspection")
    team = db.session.scalars(select(Inspector).where(Inspector.id.in_(inspection.inspector_ids or []))).all()
    improvement = None
    if inspection.improvement_id is not None:
        from core.models import Improvement

        improvement = db.session.get(Improvement, inspection.improvement_id)
    return render_page(
        "street_reps/inspectors/inspection.html",
        inspection=inspection,
        team=_names(team),
        improvement=improvement,
    )


@web_bp.route("/inspections/<int:sr_inspection_id>/improvement", methods=["GET", "POST"])
@permission("street_reps.write")
def inspection_improvement(sr_inspection_id: int):
    inspection = get_or_404(Inspection, sr_inspection_id, "inspection")
    if inspection.improvement_id is not None or not inspection.suggested_improvements:
        abort(404)
    form = forms.SuggestionForm()
    if not form.is_submitted():
        form.implemented_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrAcceptSuggestionSchema(),
        lambda values: service.accept_suggestion(inspection, values),
        success="The suggestion is on the register of service improvements.",
        next_url=url_for(".inspection_detail", sr_inspection_id=inspection.id),
    )
    return done or render_page("street_reps/inspectors/improvement_form.html", form, inspection=inspection)
