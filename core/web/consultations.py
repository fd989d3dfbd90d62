"""Staff pages for consultations: the list (planned, open, closed, cancelled, feedback overdue or
due soon), create and change, and one consultation page carrying the whole flow — its details,
its responses (enter one by form, choosing the resident by name), the "you said, we did (or why
we didn't)" feedback written and published, the improvements it led to, and its history. The
feedback due date and the overdue state are shown at the top. Every write goes through the API's
schemas and ``core.services.consultations``, so a page refuses what the API refuses, in its words.
"""

from __future__ import annotations

from flask import g, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.errors import Forbidden, ValidationFailed
from core.lifecycle import permission
from core.models import Consultation, ConsultationResponse
from core.models.vocab import RESPONSE_CHANNELS
from core.permissions import can
from core.records import get_or_404
from core.schemas.consultations import (
    ConsultationArgs,
    ConsultationFeedbackSchema,
    ConsultationResponseSchema,
    ConsultationSchema,
    ConsultationUpdateSchema,
)
from core.services import consultations as service
from core.web.fields import GovDateField
from core.web.record_choices import (
    area_choices,
    area_name,
    code_choices,
    label,
    optional_id,
    resident_choices,
    resident_name,
    staff_choices,
    staff_name,
)
from core.web.toolkit import form_payload, listing, render_page, require, save_form
from core.web.views import org_web

# The list's "Show" filter: its value → the API's list arguments.
SHOW = {
    "planned": {"status": "planned"},
    "open": {"status": "open"},
    "closed": {"status": "closed"},
    "cancelled": {"status": "cancelled"},
    "overdue": {"overdue": "true"},
    "due_soon": {"due_within_days": str(service.REMINDER_WINDOW_DAYS)},
}
SHOW_LABELS = {
    "": "All consultations",
    "planned": "Planned",
    "open": "Open",
    "closed": "Closed",
    "cancelled": "Cancelled",
    "overdue": "Feedback overdue",
    "due_soon": f"Feedback due in the next {service.REMINDER_WINDOW_DAYS} days",
}
STATUS_COLOURS = {"planned": "grey", "open": "green", "closed": "blue", "cancelled": "orange"}


class ConsultationForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    topic = StringField("Topic", validators=[Optional()])
    topic_description = StringField("What it is about (when the topic is other)", validators=[Optional()])
    audience = StringField("Who it is for", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])
    opens_on = GovDateField("Opens on")
    closes_on = GovDateField("Closes on")
    feedback_due_on = GovDateField("Feedback due by")
    feedback_extension_reason = TextAreaField(
        "Why feedback is due later than promised", validators=[Optional()]
    )
    owner_id = SelectField("Who owns the feedback", validators=[Optional()])
    area_id = SelectField("Area", validators=[Optional()])
    easy_read_url = StringField("Link to the easy read version (optional)", validators=[Optional()])
    easy_read_description = StringField("What the easy read version is (optional)", validators=[Optional()])
    cancelled = BooleanField("This consultation is cancelled")


def consultation_form(**kwargs) -> ConsultationForm:
    """The form, with the organisation's own topics to choose from when it has set a list."""
    topics = service.topics_of(g.organisation)

    class Form(ConsultationForm):
        pass

    if topics:
        choices = [("", "Choose a topic")] + [(t, label(t)) for t in topics if t != service.OTHER_TOPIC]
        choices.append((service.OTHER_TOPIC, "Other"))
        Form.topic = SelectField("Topic", validators=[Optional()])
    form = Form(**kwargs)
    if topics:
        record = kwargs.get("obj")
        if record is not None and record.topic not in {value for value, _ in choices}:
            choices.append((record.topic, label(record.topic)))  # a topic since taken off the list
        form.topic.choices = choices
    form.owner_id.choices = staff_choices()
    form.area_id.choices = area_choices("The whole organisation (no one area)")
    return form


CONSULTATION_FIELDS = (
    "title",
    "topic",
    "topic_description",
    "audience",
    "description",
    "opens_on",
    "closes_on",
    "feedback_due_on",
    "feedback_extension_reason",
    "easy_read_url",
    "easy_read_description",
)


def consultation_body(form: ConsultationForm, record: Consultation | None = None) -> dict:
    """The form as the API's request body: a new consultation leaves empty fields out, a change
    sends them as null (clearing them; an empty due date puts the guarantee back)."""
    partial = record is not None
    body = form_payload(form, CONSULTATION_FIELDS, partial=partial)
    for name in ("owner_id", "area_id"):
        chosen = optional_id(form[name].data)
        if chosen is not None or partial:
            body[name] = chosen
    if partial:
        # An extension already approved is kept without asking for its reason again.
        if (body.get("feedback_extension_reason") or None) == (record.feedback_extension_reason or None):
            body.pop("feedback_extension_reason", None)
        body["status"] = "cancelled" if form.cancelled.data else "open"
    return body


def _refusal_on_the_due_date(save):
    """A later due date needs an org admin: the API answers 403; the page says it by the field."""

    def run(values):
        try:
            return save(values)
        except Forbidden as exc:
            raise ValidationFailed({"feedback_due_on": [exc.message]}) from None

    return run


@org_web.route("/consultations")
@permission("records.read")
def consultations():
    require("records.read")
    today = plugin_kit.today()
    show = request.args.get("show", "")
    show = show if show in SHOW else ""
    args = ConsultationArgs().load(SHOW.get(show, {}))
    page = listing(
        service.consultation_query(args, today),
        keep={"show": show} if show else None,
        search=lambda statement, text: statement.where(Consultation.title.ilike(f"%{text}%")),
        per_page=25,
    )
    service.describe(page.items, today)
    return render_page(
        "consultations/list.html",
        listing=page,
        show=show,
        show_labels=SHOW_LABELS,
        colours=STATUS_COLOURS,
        label=label,
    )


@org_web.route("/consultations/new", methods=["GET", "POST"])
@permission("records.write")
def consultation_new():
    require("records.write")
    form = consultation_form()
    done = save_form(
        form,
        ConsultationSchema(),
        _refusal_on_the_due_date(
            lambda values: service.create_consultation(g.organisation, values, actor=current_user)
        ),
        payload=consultation_body,
        success=lambda c: f"Consultation “{c.title}” added.",
        next_url=lambda c: url_for("org_web.consultation", consultation_id=c.id),
    )
    return done or render_page("consultations/form.html", form, consultation=None, **_form_context())


def _form_context() -> dict:
    organisation = g.organisation
    return {
        "period": service.feedback_period_months(organisation),
        "min_days": service.minimum_days(organisation),
        "topics": service.topics_of(organisation),
    }


@org_web.route("/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def consultation_edit(consultation_id: int):
    require("records.write")
    record = get_or_404(Consultation, consultation_id)
    form = consultation_form(obj=record)
    if not form.is_submitted():
        form.owner_id.data = str(record.owner_id or "")
        form.area_id.data = str(record.area_id or "")
    done = save_form(
        form,
        ConsultationUpdateSchema(),
        _refusal_on_the_due_date(
            lambda values: service.update_consultation(g.organisation, record, values, actor=current_user)
        ),
        partial=True,
        payload=lambda f: consultation_body(f, record),
        success=lambda c: f"Consultation “{c.title}” updated.",
        next_url=lambda c: url_for("org_web.consultation", consultation_id=c.id),
    )
    return done or render_page("consultations/form.html", form, consultation=record, **_form_context())


def history(consultation: Consultation, today) -> list[dict]:
    """The consultation's life so far, newest first, for the MOJ timeline."""
    events = [{"title": "Added", "on": consultation.created_at.date(), "text": None}]
    if consultation.opens_on <= today:
        events.append({"title": "Opened", "on": consultation.opens_on, "text": None})
    if consultation.closes_on < today:
        count = consultation.response_count
        text = f"{count} response{'' if count == 1 else 's'} recorded."
        events.append({"title": "Closed", "on": consultation.closes_on, "text": text})
    feedback = consultation.feedback
    if feedback is not None and feedback.published_on is not None:
        timing = "on time" if feedback.on_time else "late"
        events.append(
            {"title": "Feedback published", "on": feedback.published_on, "text": f"Published {timing}."}
        )
    elif consultation.overdue:
        events.append({"title": "Feedback overdue", "on": consultation.feedback_due_on, "text": None})
    for improvement in consultation.improvements:
        events.append({"title": "Improvement recorded", "on": None, "text": improvement["title"]})
    return sorted(events, key=lambda e: (e["on"] is not None, e["on"] or today), reverse=True)


@org_web.route("/consultations/<int:consultation_id>")
@permission("records.read")
def consultation(consultation_id: int):
    require("records.read")
    today = plugin_kit.today()
    record = get_or_404(Consultation, consultation_id)
    service.describe([record], today)
    responses = listing(
        select(ConsultationResponse)
        .where(ConsultationResponse.consultation_id == record.id)
        .order_by(ConsultationResponse.responded_on, ConsultationResponse.id),
        per_page=25,
    )
    service.mark_late(record, responses.items)
    personal = can(current_user, service.PERSONAL_PERMISSION, g.organisation)
    return render_page(
        "consultations/detail.html",
        personal=personal,
        consultation=record,
        responses=responses,
        today=today,
        events=history(record, today),
        deadline=service.deadline_of(record),
        owner=staff_name(record.owner_id),
        area=area_name(record.area_id),
        resident_name=resident_name,
        colours=STATUS_COLOURS,
        label=label,
    )


class ResponseForm(FlaskForm):
    channel = RadioField("How did they respond?", validators=[Optional()])
    answer = TextAreaField("What they said", validators=[Optional()])
    comment = TextAreaField("Your notes (optional)", validators=[Optional()])
    participant_id = SelectField("Resident (optional)", validators=[Optional()])
    responded_on = GovDateField("Date of the response (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = code_choices(RESPONSE_CHANNELS)
        self.participant_id.choices = resident_choices("Anonymous, or not a resident we know")


def response_body(form: ResponseForm) -> dict:
    body = form_payload(form, ("channel", "answer", "comment", "responded_on"))
    body["participant_id"] = optional_id(form.participant_id.data)
    return body


@org_web.route("/consultations/<int:consultation_id>/responses/new", methods=["GET", "POST"])
@permission("records.write")
def consultation_response_new(consultation_id: int):
    require("records.write")
    record = get_or_404(Consultation, consultation_id)
    form = ResponseForm()
    done = save_form(
        form,
        ConsultationResponseSchema(),
        lambda values: service.record_response(record, values, plugin_kit.today()),
        payload=response_body,
        success=lambda r: "Response recorded" + (" (it arrived after the close)." if r.late else "."),
        next_url=url_for("org_web.consultation", consultation_id=record.id, _anchor="responses"),
    )
    return done or render_page("consultations/response.html", form, consultation=record)


class FeedbackForm(FlaskForm):
    you_said = TextAreaField("You said", validators=[Optional()])
    we_did = TextAreaField("We did", validators=[Optional()])
    why_we_did_not = TextAreaField("Why we did not", validators=[Optional()])
    save_draft = SubmitField("Save as a draft")
    publish = SubmitField("Publish the feedback")


@org_web.route("/consultations/<int:consultation_id>/feedback", methods=["GET", "POST"])
@permission("records.write")
def consultation_feedback(consultation_id: int):
    require("records.write")
    today = plugin_kit.today()
    record = get_or_404(Consultation, consultation_id)
    service.describe([record], today)
    existing = record.feedback
    form = FeedbackForm(obj=existing)
    published_on = existing.published_on if existing is not None else None

    def body(f: FeedbackForm) -> dict:
        values = form_payload(f, ("you_said", "we_did", "why_we_did_not"))
        # Publishing dates it today; a draft stays a draft; published feedback keeps its date.
        if f.publish.data and published_on is None:
            values["published_on"] = today.isoformat()
        elif published_on is not None:
            values["published_on"] = published_on.isoformat()
        return values

    publishing = form.publish.data and published_on is None
    done = save_form(
        form,
        ConsultationFeedbackSchema(),
        lambda values: service.save_feedback(record, values, today),
        payload=body,
        success="Feedback published." if publishing else "Feedback saved.",
        next_url=url_for("org_web.consultation", consultation_id=record.id, _anchor="feedback"),
    )
    return done or render_page(
        "consultations/feedback.html",
        form,
        consultation=record,
        feedback=existing,
        deadline=service.deadline_of(record),
        today=today,
    )
