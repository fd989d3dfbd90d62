"""Staff pages for the register of service improvements made because of involvement: the list
(filtered by source), one improvement with the consultation or recommendation it came from, and
create and change forms. Saved by ``core.services.outcomes.save_improvement``, as the API saves.
"""

from __future__ import annotations

from flask import request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.lifecycle import permission
from core.models import Consultation, Improvement, Recommendation
from core.models.vocab import IMPROVEMENT_SOURCES
from core.records import get_or_404
from core.schemas.outcomes import ImprovementArgs, ImprovementSchema, ImprovementUpdateSchema
from core.services.outcomes import save_improvement
from core.web.fields import GovDateField
from core.web.record_choices import code_choices, label, optional_id
from core.web.toolkit import form_payload, listing, query_args, render_page, require, save_form
from core.web.views import org_web


class ImprovementForm(FlaskForm):
    title = StringField("What improved", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])
    implemented_on = GovDateField("Made on")
    source = SelectField("Where it came from", validators=[Optional()])
    consultation_id = SelectField("The consultation", validators=[Optional()])
    recommendation_id = SelectField("The recommendation", validators=[Optional()])
    reference = StringField("Your reference number (optional)", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = code_choices(IMPROVEMENT_SOURCES)
        consultations = db.session.execute(
            select(Consultation.id, Consultation.title).order_by(Consultation.opens_on.desc())
        ).all()
        recommendations = db.session.execute(
            select(Recommendation.id, Recommendation.title).order_by(Recommendation.id.desc())
        ).all()
        self.consultation_id.choices = [("", "Not from a consultation")] + [
            (str(c.id), c.title) for c in consultations
        ]
        self.recommendation_id.choices = [("", "Not from a recommendation")] + [
            (str(r.id), r.title) for r in recommendations
        ]


def improvement_body(form: ImprovementForm, partial: bool = False) -> dict:
    """The form as the API's body: ``source_id`` is the consultation, the recommendation or your
    own reference, as the source says."""
    body = form_payload(form, ("title", "description", "implemented_on", "source"), partial=partial)
    source = form.source.data
    chosen = {"consultation": form.consultation_id.data, "scrutiny": form.recommendation_id.data}
    body["source_id"] = optional_id(chosen.get(source, form.reference.data))
    if body["source_id"] is None and not partial:
        body.pop("source_id")
    return body


def _fill_source(form: ImprovementForm, source: str | None, source_id: int | None) -> None:
    form.source.data = source or "other"
    value = str(source_id or "")
    if source == "consultation":
        form.consultation_id.data = value
    elif source == "scrutiny":
        form.recommendation_id.data = value
    else:
        form.reference.data = value


@org_web.route("/improvements")
@permission("records.read")
def improvements():
    require("records.read")
    args = query_args(ImprovementArgs())
    statement = select(Improvement).order_by(Improvement.implemented_on.desc(), Improvement.id.desc())
    if "source" in args:
        statement = statement.where(Improvement.source == args["source"])
    page = listing(
        statement,
        keep=args,
        search=lambda s, text: s.where(Improvement.title.ilike(f"%{text}%")),
        sorts={"implemented_on": Improvement.implemented_on, "title": Improvement.title},
    )
    return render_page(
        "improvements/list.html",
        listing=page,
        sources=code_choices(IMPROVEMENT_SOURCES, "Any source"),
        source=args.get("source", ""),
        label=label,
    )


@org_web.route("/improvements/new", methods=["GET", "POST"])
@permission("records.write")
def improvement_new():
    require("records.write")
    form = ImprovementForm()
    if not form.is_submitted():
        source = request.args.get("source")
        source_id = optional_id(request.args.get("source_id"))
        if source in IMPROVEMENT_SOURCES:
            _fill_source(form, source, source_id if isinstance(source_id, int) else None)
    done = save_form(
        form,
        ImprovementSchema(),
        lambda values: save_improvement(None, values),
        payload=improvement_body,
        success=lambda i: f"Improvement “{i.title}” recorded.",
        next_url=lambda i: url_for("org_web.improvement", improvement_id=i.id),
    )
    return done or render_page("improvements/form.html", form, improvement=None)


def source_record(improvement: Improvement):
    """The consultation or recommendation an improvement came from, with its page's address."""
    if improvement.source_id is None:
        return None
    if improvement.source == "consultation":
        record = db.session.get(Consultation, improvement.source_id)
        endpoint, name = "org_web.consultation", "consultation_id"
    elif improvement.source == "scrutiny":
        record = db.session.get(Recommendation, improvement.source_id)
        endpoint, name = "org_web.recommendation", "recommendation_id"
    else:
        return None
    if record is None:
        return None
    return {"title": record.title, "href": url_for(endpoint, **{name: record.id})}


@org_web.route("/improvements/<int:improvement_id>")
@permission("records.read")
def improvement(improvement_id: int):
    require("records.read")
    record = get_or_404(Improvement, improvement_id)
    return render_page(
        "improvements/detail.html", improvement=record, source=source_record(record), label=label
    )


@org_web.route("/improvements/<int:improvement_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def improvement_edit(improvement_id: int):
    require("records.write")
    record = get_or_404(Improvement, improvement_id)
    form = ImprovementForm(obj=record)
    if not form.is_submitted():
        _fill_source(form, record.source, record.source_id)
    done = save_form(
        form,
        ImprovementUpdateSchema(),
        lambda values: save_improvement(record, values),
        partial=True,
        payload=lambda f: improvement_body(f, partial=True),
        success=lambda i: f"Improvement “{i.title}” updated.",
        next_url=lambda i: url_for("org_web.improvement", improvement_id=i.id),
    )
    return done or render_page("improvements/form.html", form, improvement=record)
