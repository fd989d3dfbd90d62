"""Staff pages acting on one participant beyond their record: equality monitoring (a blank form
each time: stored answers are never shown, every question has "prefer not to say"), a written
objection to monitoring, the subject-access export (the API's JSON, as a download) and erasure.

Monitoring needs ``monitoring.write``; the export and erasure are for organisation admins
(``people.export``, ``people.erase``), as in the API. Each goes through the API's service.
"""

from __future__ import annotations

import json

from flask import Response, g, url_for
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import Optional

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission
from core.models import Participant
from core.models.vocab import EQUALITY_CATEGORIES, PREFER_NOT_TO_SAY
from core.records import get_or_404
from core.schemas.people import EqualityAnswersSchema, ObjectionSchema, SubjectAccessSchema
from core.services.people import objection_of, record_equality, record_objection
from core.services.subject_access import erase_participant, subject_access_export
from core.web import labels
from core.web.fields import GovDateField
from core.web.forms import EmptyForm
from core.web.participants import full_name
from core.web.toolkit import delete_form, render_page, require, save_form
from core.web.views import org_web


def _question(name: str) -> RadioField:
    return RadioField(labels.label(name), validators=[Optional()], validate_choice=False)


class _Questions(FlaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in EQUALITY_CATEGORIES:
            self[name].choices = labels.choices((*EQUALITY_CATEGORIES[name], PREFER_NOT_TO_SAY))


EqualityForm = type("EqualityForm", (_Questions,), {name: _question(name) for name in EQUALITY_CATEGORIES})


class ObjectionForm(FlaskForm):
    objected_on = GovDateField("Date the written objection was received")


def _answers(form: FlaskForm) -> dict:
    """Only the questions answered; a question left blank is recorded as not answered."""
    return {name: form[name].data for name in EQUALITY_CATEGORIES if form[name].data}


@org_web.route("/participants/<int:participant_id>/equality", methods=["GET", "POST"])
@permission("monitoring.write")
def participant_equality(participant_id: int):
    require("monitoring.write")
    person = get_or_404(Participant, participant_id)
    form = EqualityForm()  # never filled from what is stored
    done = save_form(
        form,
        EqualityAnswersSchema(),
        lambda values: record_equality(person, values),
        payload=_answers,
        success="Equality monitoring answers saved. They are not shown again, to anyone.",
        next_url=url_for("org_web.participant", participant_id=person.id),
    )
    return done or render_page(
        "participants/equality.html",
        form,
        person=person,
        name=full_name(person),
        objection=objection_of(person),
    )


@org_web.route("/participants/<int:participant_id>/equality/objection", methods=["GET", "POST"])
@permission("monitoring.write")
def participant_objection(participant_id: int):
    require("monitoring.write")
    person = get_or_404(Participant, participant_id)
    form = ObjectionForm()

    def body(f: ObjectionForm) -> dict:
        return {"objected_on": f.objected_on.data.isoformat()} if f.objected_on.data else {}

    done = save_form(
        form,
        ObjectionSchema(),
        lambda values: record_objection(person, values.get("objected_on") or plugin_kit.today()),
        payload=body,
        success=f"{full_name(person)}'s written objection is recorded. Any answers were deleted.",
        next_url=url_for("org_web.participant", participant_id=person.id),
    )
    return done or render_page("participants/objection.html", form, person=person, name=full_name(person))


@org_web.route("/participants/<int:participant_id>/export", methods=["GET", "POST"])
@permission("people.export")
def participant_export(participant_id: int):
    require("people.export")
    person = get_or_404(Participant, participant_id)
    form = EmptyForm()
    if form.validate_on_submit():
        export = SubjectAccessSchema().dump(subject_access_export(g.organisation, person))
        db.session.commit()  # the export is audited
        return Response(
            json.dumps(export, indent=2, ensure_ascii=False),
            mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="participant-{person.id}.json"'},
        )
    return render_page("participants/export.html", form, person=person, name=full_name(person))


@org_web.route("/participants/<int:participant_id>/erase", methods=["GET", "POST"])
@permission("people.erase")
def participant_erase(participant_id: int):
    require("people.erase")
    person = get_or_404(Participant, participant_id)
    name = full_name(person)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: erase_participant(g.organisation, person),
        success=f"{name} was erased. Nothing identifying is kept.",
        next_url=url_for("org_web.participant", participant_id=person.id),
    )
    return done or render_page("participants/erase.html", form, person=person, name=name)
