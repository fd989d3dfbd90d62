"""Staff pages for recommendations of bodies (scrutiny above all) and the landlord's response: the
list (past due, by status, by body), one recommendation, create and change, and a quick status
change on its page. Saved by ``core.services.governance.save_recommendation``, as the API saves, so
a response other than "accepted" needs its reasons here too.
"""

from __future__ import annotations

from flask import request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission
from core.models import Body, Improvement, Recommendation
from core.models.vocab import RECOMMENDATION_RESPONSES, RECOMMENDATION_STATUSES
from core.records import get_or_404
from core.schemas.governance import RecommendationArgs, RecommendationSchema, RecommendationUpdateSchema
from core.services import governance
from core.web.fields import GovDateField
from core.web.record_choices import code_choices, label, optional_id
from core.web.toolkit import form_payload, listing, query_args, render_page, require, save_form
from core.web.views import org_web

STATUS_COLOURS = {"awaiting_response": "grey", "in_progress": "blue", "implemented": "green", "closed": ""}


def body_choices() -> list[tuple[str, str]]:
    bodies = db.session.execute(select(Body.id, Body.name).order_by(Body.name)).all()
    return [("", "Choose the body")] + [(str(b.id), b.name) for b in bodies]


class RecommendationForm(FlaskForm):
    title = StringField("Recommendation", validators=[Optional()])
    body_id = SelectField("Made by", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])
    made_on = GovDateField("Made on")
    due_on = GovDateField("Due by")
    response = RadioField("Our response", validators=[Optional()])
    response_reason = TextAreaField("Reasons for the response", validators=[Optional()])
    responded_on = GovDateField("Responded on")
    status = SelectField("Progress", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body_id.choices = body_choices()
        self.response.choices = code_choices(RECOMMENDATION_RESPONSES)
        self.status.choices = code_choices(RECOMMENDATION_STATUSES)


FIELDS = (
    "title",
    "description",
    "made_on",
    "due_on",
    "response",
    "response_reason",
    "responded_on",
    "status",
)


def recommendation_body(form: RecommendationForm, partial: bool = False) -> dict:
    body = form_payload(form, FIELDS, partial=partial)
    body["body_id"] = optional_id(form.body_id.data)
    if body["body_id"] is None and not partial:
        body.pop("body_id")
    return body


class StatusForm(FlaskForm):
    status = RadioField("Progress", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = code_choices(RECOMMENDATION_STATUSES)


@org_web.route("/recommendations")
@permission("records.read")
def recommendations():
    require("records.read")
    args = query_args(RecommendationArgs())
    statement = select(Recommendation).order_by(
        Recommendation.due_on.is_(None), Recommendation.due_on, Recommendation.id
    )
    for name in ("body_id", "response", "status"):
        if name in args:
            statement = statement.where(getattr(Recommendation, name) == args[name])
    if args.get("overdue") is not None:
        condition = governance.overdue_condition(plugin_kit.today())
        statement = statement.where(condition if args["overdue"] else ~condition)
    page = listing(
        statement,
        keep=args,
        search=lambda s, text: s.where(Recommendation.title.ilike(f"%{text}%")),
        sorts={"due_on": Recommendation.due_on, "title": Recommendation.title},
    )
    bodies = dict(db.session.execute(select(Body.id, Body.name)).all())
    return render_page(
        "recommendations/list.html",
        listing=page,
        args=args,
        bodies=bodies,
        statuses=code_choices(RECOMMENDATION_STATUSES, "Any progress"),
        today=plugin_kit.today(),
        colours=STATUS_COLOURS,
        label=label,
    )


@org_web.route("/recommendations/new", methods=["GET", "POST"])
@permission("records.write")
def recommendation_new():
    require("records.write")
    form = RecommendationForm()
    done = save_form(
        form,
        RecommendationSchema(),
        lambda values: governance.save_recommendation(Recommendation(), values),
        payload=recommendation_body,
        success=lambda r: f"Recommendation “{r.title}” recorded.",
        next_url=lambda r: url_for("org_web.recommendation", recommendation_id=r.id),
    )
    return done or render_page("recommendations/form.html", form, recommendation=None)


@org_web.route("/recommendations/<int:recommendation_id>", methods=["GET", "POST"])
@permission("records.read")
def recommendation(recommendation_id: int):
    """The recommendation; its POST is the quick status change."""
    require("records.write" if request.method == "POST" else "records.read")
    record = get_or_404(Recommendation, recommendation_id)
    form = StatusForm(obj=record)
    done = None
    if form.is_submitted():
        done = save_form(
            form,
            RecommendationUpdateSchema(),
            lambda values: governance.save_recommendation(record, values),
            partial=True,
            payload=lambda f: {"status": f.status.data or None},
            success=lambda r: f"Progress changed to “{label(r.status).lower()}”.",
            next_url=url_for("org_web.recommendation", recommendation_id=record.id),
        )
    improvements = db.session.scalars(
        select(Improvement)
        .where(Improvement.source == "scrutiny", Improvement.source_id == record.id)
        .order_by(Improvement.implemented_on)
    ).all()
    overdue = db.session.scalar(
        select(Recommendation.id).where(
            Recommendation.id == record.id, governance.overdue_condition(plugin_kit.today())
        )
    )
    return done or render_page(
        "recommendations/detail.html",
        form,
        recommendation=record,
        body=db.session.get(Body, record.body_id),
        improvements=improvements,
        overdue=overdue is not None,
        colours=STATUS_COLOURS,
        label=label,
    )


@org_web.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def recommendation_edit(recommendation_id: int):
    require("records.write")
    record = get_or_404(Recommendation, recommendation_id)
    form = RecommendationForm(obj=record)
    if not form.is_submitted():
        form.body_id.data = str(record.body_id)
    done = save_form(
        form,
        RecommendationUpdateSchema(),
        lambda values: governance.save_recommendation(record, values),
        partial=True,
        payload=lambda f: recommendation_body(f, partial=True),
        success=lambda r: f"Recommendation “{r.title}” updated.",
        next_url=lambda r: url_for("org_web.recommendation", recommendation_id=r.id),
    )
    return done or render_page("recommendations/form.html", form, recommendation=record)
