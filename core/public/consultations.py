"""Consultations online: residents see what is open and answer without a staff account.

A response goes through the same service staff use (``consultations.record_response``) as an
``online`` response, with an optional name and contact and the consent wording shown. The form is
guarded by ``core.public.guard`` (CSRF, honeypot, minimum time, rate limits) and carries a one-time
token stored unique with the response, so a double submit records it exactly once.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import plugin_kit
from core.errors import ValidationFailed
from core.extensions import db
from core.models import ConsultationResponse
from core.public import guard, public
from core.services import consultations as consulting
from core.services import public_site

ANSWER_LIMIT = 5000
NAME_LIMIT = 200
CONTACT_LIMIT = 254


@public.route("/consultations")
def consultations():
    return render_template(
        "public/consultations.html", consultations=public_site.open_consultations(plugin_kit.today())
    )


def _response_by_token(token: str) -> ConsultationResponse | None:
    return db.session.scalar(
        select(ConsultationResponse).where(ConsultationResponse.submission_token == token)
    )


def check_answer(form) -> dict:
    """The fields of an online response, or ValidationFailed naming each wrong field."""
    answer = (form.get("answer") or "").strip()
    name = " ".join((form.get("respondent_name") or "").split()) or None
    contact = (form.get("respondent_contact") or "").strip() or None
    problems: dict[str, list[str]] = {}
    if not answer:
        problems["answer"] = [_("Enter your answer.")]
    elif len(answer) > ANSWER_LIMIT:
        problems["answer"] = [_("Your answer must be %(limit)s characters or fewer.", limit=ANSWER_LIMIT)]
    if name and len(name) > NAME_LIMIT:
        problems["respondent_name"] = [
            _("Your name must be %(limit)s characters or fewer.", limit=NAME_LIMIT)
        ]
    if contact and len(contact) > CONTACT_LIMIT:
        problems["respondent_contact"] = [
            _("Your contact details must be %(limit)s characters or fewer.", limit=CONTACT_LIMIT)
        ]
    if (name or contact) and form.get("consent") != "yes":
        problems["consent"] = [_("Tick the box to agree to how we use your name and contact details.")]
    if problems:
        raise ValidationFailed(problems)
    return {"answer": answer, "respondent_name": name, "respondent_contact": contact}


@public.route("/consultations/<int:consultation_id>", methods=["GET", "POST"])
def consultation(consultation_id):
    today = plugin_kit.today()
    found = public_site.open_consultation(consultation_id, today)
    if request.method == "GET":
        return render_template(
            "public/consultation.html", consultation=found, form=guard.form_fields(), errors={}
        )
    form = request.form
    token = form.get("submission_token", "")
    shown = {key: form.get(key, "") for key in ("answer", "respondent_name", "respondent_contact", "consent")}
    shown["submission_token"] = token if guard.valid_token(token) else guard.form_fields()["submission_token"]
    shown["form_started"] = form.get("form_started", "")
    try:
        guard.check_person(form)
        if not guard.valid_token(token):
            raise guard.NotAPerson("token")
        fields = check_answer(form)
    except guard.NotAPerson:
        # Sent back with a fresh stamp: a person who was merely quick can send it again.
        shown["form_started"] = guard.form_fields()["form_started"]
        errors = {"answer": [_("We could not accept the form. Check your answer and send it again.")]}
        return _form_page(found, shown, errors), 400
    except ValidationFailed as exc:
        return _form_page(found, shown, exc.fields), 422
    done = url_for("public.responded", consultation_id=found.id)
    if _response_by_token(token) is not None:  # a double submit: the first one counted
        return redirect(done, 303)
    guard.count_submission(f"consultation:{found.organisation_id}:{found.id}")
    try:
        with db.session.begin_nested():
            consulting.record_response(
                found, {"channel": "online", "submission_token": token, **fields}, today
            )
    except IntegrityError:  # the same form sent twice at once: the other request recorded it
        if _response_by_token(token) is None:
            raise
    return redirect(done, 303)


def _form_page(found, shown: dict, errors: dict) -> str:
    return render_template("public/consultation.html", consultation=found, form=shown, errors=errors)


@public.route("/consultations/<int:consultation_id>/thank-you")
def responded(consultation_id):
    found = public_site.open_consultation(consultation_id, plugin_kit.today())
    return render_template("public/responded.html", consultation=found)
