"""Staff pages for surveys: the list (with how many questions and responses each has), one survey
with its questions and the answers counted per question (the API's ``results``), and create and
change forms whose questions are rows of code, wording and scale ("Add another question" adds a
row without JavaScript). Saved by ``core.services.surveys``; a problem with a question lands on
that question's row, in the API's words. Questions are fixed once a survey has responses.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError
from sqlalchemy import select
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.errors import ValidationFailed
from core.lifecycle import permission
from core.models import Survey
from core.models.surveys import SCALES
from core.records import get_or_404
from core.schemas.surveys import SurveyArgs, SurveySchema, SurveyUpdateSchema
from core.services import surveys as service
from core.web.fields import GovDateField
from core.web.record_choices import label
from core.web.toolkit import form_payload, listing, query_args, render_page, require, save_form
from core.web.views import org_web

NEW_ROWS = 3
MAX_ROWS = 200
SCALE_LABELS = {
    "satisfaction": "Satisfaction (very satisfied … very dissatisfied)",
    "agreement": "Agreement (strongly agree … strongly disagree)",
    "yes_no": "Yes or no",
    "text": "Free text",
}


class QuestionRow(Form):
    code = StringField("Code", validators=[Optional()])
    text = StringField("Question", validators=[Optional()])
    scale = SelectField("Answered on", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale.choices = [(s, SCALE_LABELS.get(s, label(s))) for s in SCALES]


class SurveyForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])
    conducted_by = StringField("Conducted by", validators=[Optional()])
    opens_on = GovDateField("Opens on")
    closes_on = GovDateField("Closes on")
    questions = FieldList(FormField(QuestionRow), min_entries=1, max_entries=MAX_ROWS)


def _filled(row) -> bool:
    return bool((row.code.data or "").strip() or (row.text.data or "").strip())


def survey_body(form: SurveyForm, *, partial: bool, with_questions: bool) -> dict[str, Any]:
    """The form as the API's body; blank question rows are left out. Remembers which row each
    question came from, so a problem with ``questions.N`` is shown on its row."""
    body = form_payload(
        form, ("title", "description", "conducted_by", "opens_on", "closes_on"), partial=partial
    )
    if partial and body.get("conducted_by") is None:
        body.pop("conducted_by", None)
    form.row_of = []
    if with_questions:
        questions = []
        for index, entry in enumerate(form.questions.entries):
            row = entry.form
            if not _filled(row):
                continue
            question = {"code": (row.code.data or "").strip(), "scale": row.scale.data}
            if (row.text.data or "").strip():
                question["text"] = row.text.data.strip()
            questions.append(question)
            form.row_of.append(index)
        body["questions"] = questions
    return body


def _on_rows(form: SurveyForm, problems: dict[str, Any]) -> dict[str, Any]:
    """Put problems of ``questions.N.field`` (service) or ``{"questions": {N: {...}}}`` (schema) on
    the rows' fields; return the rest. The question list's own problems stay on ``questions``."""
    rest: dict[str, Any] = {}
    rows = getattr(form, "row_of", [])
    found: list[tuple[int, str, list[str]]] = []
    for key, value in problems.items():
        if key == "questions" and isinstance(value, dict):
            for index, fields in value.items():
                for name, messages in fields.items() if isinstance(fields, dict) else [("code", fields)]:
                    found.append((int(index), name, list(messages)))
        elif key.startswith("questions."):
            _, index, name = (key.split(".") + ["code"])[:3]
            found.append((int(index), name, list(value)))
        else:
            rest[key] = value
    for index, name, messages in found:
        entry = form.questions.entries[rows[index]] if index < len(rows) else None
        if entry is not None and name in entry.form._fields:
            entry.form[name].errors = [*entry.form[name].errors, *messages]
        else:
            rest.setdefault("questions", []).extend(messages)
    if found:
        # A marker the page title reads ("Error: …"); the template lists the rows' own messages.
        form.questions.errors = [*list(form.questions.errors or []), {"rows": len(found)}]
        rest.setdefault("questions", [])
    return rest


class _RowsSchema:
    """The API's schema, with problems of single questions moved onto their rows."""

    def __init__(self, schema: Schema, form: SurveyForm):
        self.schema, self.form = schema, form

    def load(self, data, **kwargs):
        try:
            return self.schema.load(data, **kwargs)
        except ValidationError as exc:
            raise ValidationError(_on_rows(self.form, exc.messages)) from None


def _rows_of_service(save, form: SurveyForm):
    def run(values):
        try:
            return save(values)
        except ValidationFailed as exc:
            raise ValidationFailed(_on_rows(form, exc.fields), exc.message) from None

    return run


def _add_row(form: SurveyForm) -> bool:
    """ "Add another question": one more empty row, nothing saved."""
    if request.method == "POST" and "add_question" in request.form:
        if len(form.questions.entries) < MAX_ROWS:
            form.questions.append_entry()
        return True
    return False


@org_web.route("/surveys")
@permission("records.read")
def surveys():
    require("records.read")
    args = query_args(SurveyArgs())
    statement = select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc())
    if "question_code" in args:
        statement = statement.where(service.asking(args["question_code"]))
    page = listing(statement, keep=args, search=lambda s, text: s.where(Survey.title.ilike(f"%{text}%")))
    service.describe(page.items)
    return render_page("surveys/list.html", listing=page)


@org_web.route("/surveys/new", methods=["GET", "POST"])
@permission("records.write")
def survey_new():
    require("records.write")
    form = SurveyForm()
    if not form.is_submitted():
        form.conducted_by.data = "landlord"
        while len(form.questions.entries) < NEW_ROWS:
            form.questions.append_entry()
    if _add_row(form):
        return render_template("surveys/form.html", form=form, survey=None, locked=False)
    done = save_form(
        form,
        _RowsSchema(SurveySchema(), form),
        _rows_of_service(service.create_survey, form),
        payload=lambda f: survey_body(f, partial=False, with_questions=True),
        success=lambda s: f"Survey “{s.title}” added.",
        next_url=lambda s: url_for("org_web.survey", survey_id=s.id),
    )
    return done or render_page("surveys/form.html", form, survey=None, locked=False)


@org_web.route("/surveys/<int:survey_id>")
@permission("records.read")
def survey(survey_id: int):
    require("records.read")
    record = get_or_404(Survey, survey_id)
    service.describe([record])
    return render_page(
        "surveys/detail.html",
        survey=record,
        results=service.results(record, None),
        scale_labels=SCALE_LABELS,
        label=label,
    )


@org_web.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def survey_edit(survey_id: int):
    require("records.write")
    record = get_or_404(Survey, survey_id)
    service.describe([record])
    locked = record.response_count > 0
    form = SurveyForm(obj=None if request.method == "POST" else record)
    if not form.is_submitted():
        form.questions.entries = []
        for question in record.questions:
            form.questions.append_entry(question)
        form.questions.append_entry()
    if _add_row(form):
        return render_template("surveys/form.html", form=form, survey=record, locked=locked)
    done = save_form(
        form,
        _RowsSchema(SurveyUpdateSchema(), form),
        _rows_of_service(lambda values: service.update_survey(record, values), form),
        partial=True,
        payload=lambda f: survey_body(f, partial=True, with_questions=not locked),
        success=lambda s: f"Survey “{s.title}” updated.",
        next_url=lambda s: url_for("org_web.survey", survey_id=s.id),
    )
    return done or render_page("surveys/form.html", form, survey=record, locked=locked)
