"""Surveys: their questions and scales, responses with one answer per question, and results.

A question's scale fixes the values its answers may take (``SATISFACTION_VALUES`` and friends in
``core.models.surveys``); an unanswered question has no answer row. Questions are fixed once a
survey has responses, and such a survey cannot be deleted. Pages of surveys and responses are
described in a fixed number of statements whatever their size, and results are counted in SQL
(GROUP BY). The percentage satisfied follows the TSM rule of KPIS.md: very + fairly satisfied over
every answer except ``dont_know``. A survey supplier's CSV file is imported all or nothing with
the parsers and error conventions of :mod:`core.services.csv_import`, matched on the supplier's
response id (so a re-import changes nothing) and written in bulk. Callers commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, delete, func, insert, null, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Participant, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from core.models.base import utcnow
from core.models.surveys import AGREEMENT_VALUES, BUILT_IN_QUESTIONS, SATISFACTION_VALUES, YES_NO_VALUES
from core.models.vocab import RESPONSE_CHANNELS
from core.periods import Period
from core.records import check_reference
from core.schemas.surveys import MAX_TEXT_ANSWER  # one limit for the API and the CSV import
from core.services import csv_import
from core.services.csv_import import Column, ImportSpec
from core.tenancy import current_org_id

SCALE_VALUES = {"satisfaction": SATISFACTION_VALUES, "agreement": AGREEMENT_VALUES, "yes_no": YES_NO_VALUES}
SATISFIED = ("very_satisfied", "fairly_satisfied")
DONT_KNOW = "dont_know"


# -- surveys ----------------------------------------------------------------------------------------
def _check_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unique codes, built-in codes on the satisfaction scale with their standard wording by default."""
    problems: dict[str, list[str]] = {}
    first_of: dict[str, int] = {}
    checked = []
    for index, question in enumerate(questions):
        code, scale = question["code"], question["scale"]
        if code in first_of:
            problems[f"questions.{index}.code"] = [
                f"{code} is already the code of questions.{first_of[code]}."
            ]
        first_of.setdefault(code, index)
        text = question.get("text")
        if code in BUILT_IN_QUESTIONS:
            standard_text, standard_scale = BUILT_IN_QUESTIONS[code]
            if scale != standard_scale:
                problems[f"questions.{index}.scale"] = [
                    f"{code} is a built-in question on the {standard_scale} scale."
                ]
            text = text or standard_text
        elif not text:
            problems[f"questions.{index}.text"] = ["Required (only TP06 and OPPS have a standard wording)."]
        checked.append({"code": code, "text": text, "scale": scale, "position": index})
    if problems:
        raise ValidationFailed(problems)
    return checked


def _check_dates(opens_on: date | None, closes_on: date | None) -> None:
    if opens_on is not None and closes_on is not None and closes_on < opens_on:
        raise ValidationFailed({"closes_on": [f"Must be on or after opens_on ({opens_on.isoformat()})."]})


def has_responses(survey: Survey) -> bool:
    answered = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id).limit(1)
    return db.session.scalar(answered) is not None


def create_survey(fields: dict[str, Any]) -> Survey:
    values = dict(fields)
    questions = _check_questions(values.pop("questions"))
    _check_dates(values.get("opens_on"), values.get("closes_on"))
    survey = Survey(**values)
    db.session.add(survey)
    db.session.flush()
    db.session.add_all(SurveyQuestion(survey_id=survey.id, **question) for question in questions)
    db.session.flush()
    describe([survey])
    return survey


def update_survey(survey: Survey, changes: dict[str, Any]) -> Survey:
    """Apply a PATCH; ``questions`` replaces them all, and only while nobody has answered."""
    values = dict(changes)
    questions = values.pop("questions", None)
    _check_dates(values.get("opens_on", survey.opens_on), values.get("closes_on", survey.closes_on))
    if questions is not None:
        checked = _check_questions(questions)
        if has_responses(survey):
            raise Conflict("This survey has responses; its questions can no longer change.")
        # Delete first, in its own statement: the new questions may reuse the old codes.
        db.session.execute(delete(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id))
        db.session.add_all(SurveyQuestion(survey_id=survey.id, **question) for question in checked)
    for key, value in values.items():
        setattr(survey, key, value)
    db.session.flush()
    describe([survey])
    return survey


def delete_survey(survey: Survey) -> None:
    if has_responses(survey):
        raise Conflict("This survey has responses; it can no longer be deleted.")
    db.session.execute(delete(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id))
    db.session.delete(survey)
    db.session.flush()


def questions_of(survey_ids: Sequence[int]) -> dict[int, list[SurveyQuestion]]:
    """Each survey's questions in order, in one statement."""
    found: dict[int, list[SurveyQuestion]] = {survey_id: [] for survey_id in survey_ids}
    if survey_ids:
        for question in db.session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.survey_id.in_(survey_ids))
            .order_by(SurveyQuestion.survey_id, SurveyQuestion.position, SurveyQuestion.id)
        ):
            found[question.survey_id].append(question)
    return found


def describe(surveys: Sequence[Survey]) -> None:
    """Hang ``questions`` and ``response_count`` on a page of surveys: two statements."""
    ids = [survey.id for survey in surveys]
    if not ids:
        return
    questions = questions_of(ids)
    counts = dict(
        db.session.execute(
            select(SurveyResponse.survey_id, func.count(SurveyResponse.id))
            .where(SurveyResponse.survey_id.in_(ids))
            .group_by(SurveyResponse.survey_id)
        ).all()
    )
    for survey in surveys:
        survey.questions = questions[survey.id]
        survey.response_count = counts.get(survey.id, 0)


def asking(code: str):
    """The condition "the survey asks question ``code``"."""
    return Survey.id.in_(select(SurveyQuestion.survey_id).where(SurveyQuestion.code == code))


# -- responses --------------------------------------------------------------------------------------
def check_answer(scale: str, value: str) -> str:
    """The stored value of one non-blank answer; ValueError(message) when it does not fit the scale."""
    if scale == "text":
        if len(value) > MAX_TEXT_ANSWER:
            raise ValueError(f"At most {MAX_TEXT_ANSWER} characters.")
        return value
    if value not in SCALE_VALUES[scale]:
        raise ValueError(f"{value!r} is not one of: {', '.join(SCALE_VALUES[scale])}.")
    return value


def record_response(survey: Survey, fields: dict[str, Any], today: date) -> SurveyResponse:
    """One response; every answer must be to a question of the survey and fit its scale."""
    scales = {q.code: q.scale for q in questions_of([survey.id])[survey.id]}
    problems: dict[str, list[str]] = {}
    answers: dict[str, str] = {}
    for code, value in fields["answers"].items():
        field = f"answers.{code}"
        if code not in scales:
            problems[field] = [f"The survey has no question {code!r}."]
        elif value is not None and not isinstance(value, str):
            problems[field] = ["Must be text (a value of the question's scale)."]
        elif value is not None and value.strip():
            try:
                answers[code] = check_answer(scales[code], value.strip())
            except ValueError as exc:
                problems[field] = [str(exc)]
    responded_on = fields.get("responded_on") or today
    if responded_on > today:
        problems["responded_on"] = ["Cannot be in the future."]
    if problems:
        raise ValidationFailed(problems)
    check_reference(Participant, fields.get("participant_id"), "participant_id")
    response = SurveyResponse(
        survey_id=survey.id,
        participant_id=fields.get("participant_id"),
        channel=fields.get("channel"),
        responded_on=responded_on,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        SurveyAnswer(response_id=response.id, question_code=code, value=value)
        for code, value in answers.items()
    )
    db.session.flush()
    response.answers = answers
    return response


def attach_answers(responses: Sequence[SurveyResponse]) -> None:
    """Hang ``answers`` ({code: value}) on a page of responses: one statement."""
    by_response: dict[int, dict[str, str]] = {response.id: {} for response in responses}
    if by_response:
        for response_id, code, value in db.session.execute(
            select(SurveyAnswer.response_id, SurveyAnswer.question_code, SurveyAnswer.value)
            .where(SurveyAnswer.response_id.in_(list(by_response)))
            .order_by(SurveyAnswer.response_id, SurveyAnswer.id)
        ):
            by_response[response_id][code] = value
    for response in responses:
        response.answers = by_response[response.id]


def delete_response(response: SurveyResponse) -> None:
    db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == response.id))
    db.session.delete(response)
    db.session.flush()


# -- results ----------------------------------------------------------------------------------------
def percent_satisfied(counts: dict[str, int]) -> float | None:
    """(very + fairly satisfied) ÷ answers other than dont_know × 100, one decimal, half up."""
    measured = sum(n for value, n in counts.items() if value != DONT_KNOW)
    if not measured:
        return None
    satisfied = sum(counts.get(value, 0) for value in SATISFIED)
    return float((Decimal(satisfied * 100) / Decimal(measured)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def results(survey: Survey, period: Period | None) -> dict[str, Any]:
    """Per question, answers counted per value in SQL; three statements whatever the survey's size."""
    in_scope = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)
    if period is not None:
        in_scope = in_scope.where(SurveyResponse.responded_on.between(period.start, period.end))
    responses = db.session.scalar(select(func.count()).select_from(in_scope.subquery()))
    questions = questions_of([survey.id])[survey.id]
    text_codes = [q.code for q in questions if q.scale == "text"]
    # Free text is counted per question, not per (unique) wording.
    value = case((SurveyAnswer.question_code.in_(text_codes), null()), else_=SurveyAnswer.value)
    counted = db.session.execute(
        select(SurveyAnswer.question_code, value, func.count(SurveyAnswer.id))
        .where(SurveyAnswer.response_id.in_(in_scope), SurveyAnswer.value.is_not(None))
        .group_by(SurveyAnswer.question_code, value)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    answered: dict[str, int] = {}
    for code, scale_value, number in counted:
        answered[code] = answered.get(code, 0) + number
        if scale_value is not None:
            counts.setdefault(code, {})[scale_value] = number
    summary = []
    for question in questions:
        asked = {
            value: counts.get(question.code, {}).get(value, 0)
            for value in SCALE_VALUES.get(question.scale, ())
        }
        satisfied = percent_satisfied(asked) if question.scale == "satisfaction" else None
        number = answered.get(question.code, 0)
        summary.append(
            {
                "code": question.code,
                "text": question.text,
                "scale": question.scale,
                "answered": number,
                "blank": responses - number,
                "counts": asked,
                "satisfied_percent": satisfied,
            }
        )
    label = period.label if period is not None else None
    return {"survey_id": survey.id, "period": label, "responses": responses, "questions": summary}


# -- CSV import from a survey supplier ---------------------------------------------------------------

# The supplier's wording, reduced by _wording(), → the scale's value.
SUPPLIER_WORDING = {
    "neither_satisfied_nor_dissatisfied": "neither",
    "neither_agree_nor_disagree": "neither",
    "do_not_know": "dont_know",
}


def _wording(cell: str) -> str:
    """``"Don't know"`` / ``"Very  satisfied"`` → ``dont_know`` / ``very_satisfied``."""
    reduced = csv_import._code(cell.replace("\u2019", "").replace("'", ""))
    return SUPPLIER_WORDING.get(reduced, reduced)


def _answer_parser(scale: str):
    def parse(cell: str) -> str | None:
        if not cell:
            return None
        return check_answer(scale, cell if scale == "text" else _wording(cell))

    return parse


def import_spec(questions: list[SurveyQuestion]) -> ImportSpec:
    """The columns of a supplier's file for this survey: one per question code (header lower-cased)."""

    def to_values(rows, problems):
        references = {cells["participant"] for _, cells in rows if cells.get("participant")}
        participants = csv_import._ids_by_reference(Participant, references)
        first_row_of: dict[str, int] = {}
        values = []
        for number, cells in rows:
            external_ref = cells.get("response_id")
            if external_ref in first_row_of:
                problems[f"row {number}.response_id"] = [
                    f"Same response_id as row {first_row_of[external_ref]}."
                ]
            first_row_of.setdefault(external_ref, number)
            participant = cells.get("participant")
            if participant and participant not in participants:
                problems[f"row {number}.participant"] = [f"No participant with reference {participant!r}."]
            if cells.get("responded_on") and cells["responded_on"] > plugin_kit.today():
                problems[f"row {number}.responded_on"] = ["Cannot be in the future."]
            answers = {q.code: cells[q.code.lower()] for q in questions if cells.get(q.code.lower())}
            response = {k: cells.get(k) for k in ("responded_on", "channel")} | {"external_ref": external_ref}
            response["participant_id"] = participants.get(participant) if participant else None
            values.append((response, answers))
        return values

    return ImportSpec(
        model=SurveyResponse,
        columns=(
            Column("response_id", csv_import.text(100), required=True),
            Column("responded_on", csv_import.a_date, required=True),
            Column("participant", csv_import.text(64)),
            Column("channel", csv_import.one_of(RESPONSE_CHANNELS)),
            *(Column(q.code.lower(), _answer_parser(q.scale)) for q in questions),
        ),
        to_values=to_values,
    )


def _named_by_code(problems: dict[str, list[str]], codes: set[str]) -> dict[str, list[str]]:
    """``row 3.tp06`` → ``row 3.TP06``: a question's column is named by its code as the survey has it."""
    renamed = {}
    for field, messages in problems.items():
        row, dot, column = field.partition(".")
        renamed[f"{row}.{column.upper()}" if dot and column.upper() in codes else field] = messages
    return renamed


def import_responses(survey: Survey, content: str, *, dry_run: bool = False) -> dict[str, int]:
    """Validate the whole file, then insert the new responses and their answers in bulk.

    A row whose ``response_id`` the survey already holds is left alone, so a re-import changes
    nothing. Statements: a handful of reads, then batched multi-row inserts (not one per row).
    ``dry_run`` checks everything and counts, writing nothing."""
    questions = questions_of([survey.id])[survey.id]
    try:
        rows = csv_import.read_rows(import_spec(questions), content)
    except ValidationFailed as exc:
        raise ValidationFailed(_named_by_code(exc.fields, {q.code for q in questions}), exc.message) from None
    known = set(
        db.session.scalars(
            select(SurveyResponse.external_ref).where(
                SurveyResponse.survey_id == survey.id, SurveyResponse.external_ref.is_not(None)
            )
        )
    )
    new = [values for _, values in rows if values[0]["external_ref"] not in known]
    if new and not dry_run:
        organisation_id, now = current_org_id(), utcnow()
        in_survey = {"organisation_id": organisation_id, "survey_id": survey.id, "created_at": now}
        inserted = db.session.execute(
            insert(SurveyResponse).returning(SurveyResponse.id, SurveyResponse.external_ref),
            [in_survey | response for response, _ in new],
        ).all()
        ids = {external_ref: response_id for response_id, external_ref in inserted}
        answers = [
            {"organisation_id": organisation_id, "response_id": ids[response["external_ref"]]}
            | {"question_code": code, "value": value}
            for response, answered in new
            for code, value in answered.items()
        ]
        if answers:
            db.session.execute(insert(SurveyAnswer), answers)
    return {"created": len(new), "unchanged": len(rows) - len(new)}
