"""Subject access and erasure: everything held about one person, and anonymising them.

The export gathers the participant record, their household, their own equality monitoring
answers (the one place those are ever returned), what they took part in, the seats they held,
their consultation responses, the audit events about them and what each enabled plugin holds
(``gather_subject_access``). Erasure removes everything identifying while keeping the rows that
counts and KPIs are computed from (participations, memberships, responses), then lets enabled
plugins do the same (``on_participant_erased``). Both are written to the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from core import audit
from core.extensions import db
from core.models import (
    Activity,
    AuditEvent,
    Body,
    BodyMembership,
    Consultation,
    ConsultationResponse,
    EqualityMonitoring,
    Household,
    Participant,
    Participation,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from core.models.base import utcnow
from core.services.people import monitoring_of, objection_of

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "participant"


def subject_access_export(organisation, participant: Participant) -> dict[str, Any]:
    """Everything held about ``participant``; the export itself is audited."""
    monitoring = monitoring_of(participant)
    objection = objection_of(participant)
    export = {
        "exported_at": utcnow(),
        "participant": participant,
        "household": db.session.get(Household, participant.household_id)
        if participant.household_id
        else None,
        "equality_monitoring": monitoring,
        "monitoring_objection": objection,
        "participations": _participations(participant),
        "body_memberships": _memberships(participant),
        "consultation_responses": _responses(participant),
        "survey_responses": _survey_responses(participant),
        "audit_events": _audit_events(participant, monitoring),
        "plugins": _plugin_data(organisation, participant),
    }
    audit.record("export", participant)
    return export


def _participations(participant: Participant) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Participation, Activity.title, Activity.starts_at)
        .join(Activity, Activity.id == Participation.activity_id)
        .where(Participation.participant_id == participant.id)
        .order_by(Activity.starts_at, Participation.id)
    ).all()
    return [
        {
            "activity_id": part.activity_id,
            "activity_title": title,
            "starts_at": starts_at,
            "role": part.role,
            "attended": part.attended,
            "hours": part.hours,
            "expenses_pence": part.expenses_pence,
            "contribution": part.contribution,
        }
        for part, title, starts_at in rows
    ]


def _memberships(participant: Participant) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(BodyMembership, Body.name)
        .join(Body, Body.id == BodyMembership.body_id)
        .where(BodyMembership.participant_id == participant.id)
        .order_by(BodyMembership.starts_on, BodyMembership.id)
    ).all()
    return [
        {
            "body_id": seat.body_id,
            "body_name": name,
            "seat_type": seat.seat_type,
            "role": seat.role,
            "starts_on": seat.starts_on,
            "ends_on": seat.ends_on,
        }
        for seat, name in rows
    ]


def _responses(participant: Participant) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ConsultationResponse, Consultation.title)
        .join(Consultation, Consultation.id == ConsultationResponse.consultation_id)
        .where(ConsultationResponse.participant_id == participant.id)
        .order_by(ConsultationResponse.responded_on, ConsultationResponse.id)
    ).all()
    return [
        {
            "consultation_id": response.consultation_id,
            "consultation_title": title,
            "channel": response.channel,
            "answer": response.answer,
            "comment": response.comment,
            "responded_on": response.responded_on,
        }
        for response, title in rows
    ]


def _survey_responses(participant: Participant) -> list[dict[str, Any]]:
    """Their survey responses with every answer: two statements, however many responses."""
    rows = db.session.execute(
        select(SurveyResponse, Survey.title)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.participant_id == participant.id)
        .order_by(SurveyResponse.responded_on, SurveyResponse.id)
    ).all()
    answers: dict[int, dict[str, str | None]] = {}
    if rows:
        for answer in db.session.scalars(
            select(SurveyAnswer).where(SurveyAnswer.response_id.in_([r.id for r, _ in rows]))
        ):
            answers.setdefault(answer.response_id, {})[answer.question_code] = answer.value
    return [
        {
            "survey_id": response.survey_id,
            "survey_title": title,
            "responded_on": response.responded_on,
            "channel": response.channel,
            "answers": answers.get(response.id, {}),
        }
        for response, title in rows
    ]


def _audit_events(participant: Participant, monitoring: EqualityMonitoring | None) -> list[AuditEvent]:
    """Events about the person's record, their monitoring answers and the seats they held."""
    seats = select(BodyMembership.id).where(BodyMembership.participant_id == participant.id)
    about = [
        (AuditEvent.record_type == Participant.__tablename__) & (AuditEvent.record_id == participant.id),
        (AuditEvent.record_type == BodyMembership.__tablename__) & AuditEvent.record_id.in_(seats),
    ]
    if monitoring is not None:
        about.append(
            (AuditEvent.record_type == EqualityMonitoring.__tablename__)
            & (AuditEvent.record_id == monitoring.id)
        )
    return list(db.session.scalars(select(AuditEvent).where(or_(*about)).order_by(AuditEvent.id)))


def _plugin_data(organisation, participant: Participant) -> dict[str, Any]:
    """``{plugin name: what it holds}`` from each enabled plugin implementing the hook."""
    registry = current_app.extensions["involve"].plugins
    gathered = {}
    for name in registry.enabled_for(organisation.id):
        for result in registry.call_plugin(
            name, "gather_subject_access", organisation=organisation, participant=participant
        ):
            if result is not None:
                gathered[name] = result
    return gathered


def erase_participant(organisation, participant: Participant) -> Participant:
    """Anonymise the person (harmless to repeat): nothing identifying remains, counts stay."""
    if participant.erased_at is None:
        participant.reference = None
        participant.first_name = ERASED_FIRST_NAME
        participant.last_name = ERASED_LAST_NAME
        # The home and tenancy would identify them through the housing management system.
        participant.household_id = None
        participant.is_tenancy_holder = False
        for name in ("email", "phone", "language", "representative_name", "representative_contact"):
            setattr(participant, name, None)
        for name in ("channels", "formats", "access_needs", "interests"):
            setattr(participant, name, [])
        participant.contact_consent = False
        participant.consent_given_on = None
        participant.consent_method = None
        participant.erased_at = participant.updated_at = utcnow()
    monitoring = monitoring_of(participant)
    if monitoring is not None:
        db.session.delete(monitoring)
    # Free text they wrote may name them; the rows stay so the counts do.
    db.session.execute(
        update(ConsultationResponse)
        .where(ConsultationResponse.participant_id == participant.id)
        .values(comment=None)
    )
    db.session.execute(
        update(Participation).where(Participation.participant_id == participant.id).values(contribution=None)
    )
    # Answers to free-text questions may name them; scaled answers stay for the KPIs.
    their_text_answers = (
        select(SurveyAnswer.id)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(
            SurveyQuestion,
            (SurveyQuestion.survey_id == SurveyResponse.survey_id)
            & (SurveyQuestion.code == SurveyAnswer.question_code),
        )
        .where(SurveyResponse.participant_id == participant.id, SurveyQuestion.scale == "text")
    )
    db.session.execute(update(SurveyAnswer).where(SurveyAnswer.id.in_(their_text_answers)).values(value=None))
    db.session.flush()
    registry = current_app.extensions["involve"].plugins
    registry.hook_for(organisation.id, "on_participant_erased")(
        organisation=organisation, participant=participant
    )
    audit.record("erase", participant)
    return participant


# The person's page shows the history their export holds, read the same way.
participations_of, memberships_of, responses_of = _participations, _memberships, _responses
