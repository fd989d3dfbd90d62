"""Consultations and their feedback loop: dates and status, responses, "you said, we did" feedback,
the overdue and due-soon lists, and the reminders staff receive as feedback falls due.

Feedback is due ``feedback_period_months`` calendar months after a consultation closes (an
organisation setting, 3 unless configured; Circle Anglia guarantees feedback "within three months").
A consultation is *overdue* once it has closed, its feedback due date has passed and nothing has
been published; cancelled consultations are never overdue. Everything that lists consultations is
done in SQL for a whole page at once; callers commit.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, false, func, select

from core.api.resources import check_reference
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import (
    Consultation,
    ConsultationFeedback,
    ConsultationResponse,
    Improvement,
    Membership,
    Notification,
    Organisation,
    Participant,
    User,
)

FEEDBACK_PERIOD_SETTING = "feedback_period_months"
DEFAULT_FEEDBACK_PERIOD_MONTHS = 3
REMINDER_WINDOW_DAYS = 14


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's end (31 January + 1 → 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def feedback_period_months(organisation: Organisation) -> int:
    """The organisation's setting (validated 1–24 by ``orgs sync``), or 3 if it holds nonsense."""
    value = organisation.setting(FEEDBACK_PERIOD_SETTING, DEFAULT_FEEDBACK_PERIOD_MONTHS)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
        return DEFAULT_FEEDBACK_PERIOD_MONTHS
    return value


def default_feedback_due_on(organisation: Organisation, closes_on: date) -> date:
    return add_months(closes_on, feedback_period_months(organisation))


# -- status and filters ------------------------------------------------------------------------


def status_of(consultation: Consultation, today: date) -> str:
    if consultation.cancelled:
        return "cancelled"
    if today < consultation.opens_on:
        return "planned"
    return "open" if today <= consultation.closes_on else "closed"


def status_condition(status: str, today: date):
    """The SQL condition of one computed status (the counterpart of :func:`status_of`)."""
    if status == "cancelled":
        return Consultation.cancelled.is_(True)
    live = Consultation.cancelled.is_(False)
    if status == "planned":
        return and_(live, Consultation.opens_on > today)
    if status == "open":
        return and_(live, Consultation.opens_on <= today, Consultation.closes_on >= today)
    return and_(live, Consultation.closes_on < today)


def _published():
    return (
        select(ConsultationFeedback.id)
        .where(
            ConsultationFeedback.consultation_id == Consultation.id,
            ConsultationFeedback.published_on.is_not(None),
        )
        .exists()
    )


def overdue_condition(today: date):
    """Closed, feedback due date passed, nothing published, not cancelled."""
    return and_(
        Consultation.cancelled.is_(False),
        Consultation.closes_on < today,
        Consultation.feedback_due_on < today,
        ~_published(),
    )


def due_within_condition(days: int, today: date):
    """Feedback not yet published and due between today and ``days`` days from now."""
    return and_(
        Consultation.cancelled.is_(False),
        Consultation.feedback_due_on >= today,
        Consultation.feedback_due_on <= today + timedelta(days=days),
        ~_published(),
    )


def describe(consultations: Sequence[Consultation], today: date) -> None:
    """Hang the computed fields on a page of consultations: three statements, whatever its size."""
    ids = [c.id for c in consultations]
    if not ids:
        return
    counts = dict(
        db.session.execute(
            select(ConsultationResponse.consultation_id, func.count(ConsultationResponse.id))
            .where(ConsultationResponse.consultation_id.in_(ids))
            .group_by(ConsultationResponse.consultation_id)
        ).all()
    )
    feedback = {
        f.consultation_id: f
        for f in db.session.scalars(
            select(ConsultationFeedback).where(ConsultationFeedback.consultation_id.in_(ids))
        )
    }
    links: dict[int, list[dict[str, Any]]] = {}
    for row in db.session.execute(
        select(Improvement.id, Improvement.title, Improvement.source_id)
        .where(Improvement.source == "consultation", Improvement.source_id.in_(ids))
        .order_by(Improvement.implemented_on, Improvement.id)
    ):
        links.setdefault(row.source_id, []).append({"id": row.id, "title": row.title})
    for consultation in consultations:
        consultation.status = status_of(consultation, today)
        consultation.response_count = counts.get(consultation.id, 0)
        consultation.feedback = feedback.get(consultation.id)
        consultation.feedback_on_time = feedback_on_time(consultation, consultation.feedback)
        consultation.improvements = links.get(consultation.id, [])


def feedback_on_time(consultation: Consultation, feedback: ConsultationFeedback | None) -> bool | None:
    if feedback is None:
        return None
    on_time = None if feedback.published_on is None else feedback.published_on <= consultation.feedback_due_on
    feedback.on_time = on_time
    return on_time


# -- consultations -----------------------------------------------------------------------------


def _check_owner(organisation: Organisation, owner_id: int | None) -> None:
    if owner_id is None:
        return
    member = db.session.scalar(
        select(Membership.id).where(
            Membership.organisation_id == organisation.id, Membership.user_id == owner_id
        )
    )
    if member is None:
        raise ValidationFailed({"owner_id": [f"User {owner_id} is not a member of this organisation."]})


def _check_dates(opens_on: date, closes_on: date, feedback_due_on: date) -> None:
    if closes_on < opens_on:
        raise ValidationFailed({"closes_on": [f"Must be on or after opens_on ({opens_on.isoformat()})."]})
    if feedback_due_on < closes_on:
        raise ValidationFailed(
            {"feedback_due_on": [f"Must be on or after closes_on ({closes_on.isoformat()})."]}
        )


def create_consultation(organisation: Organisation, fields: dict[str, Any]) -> Consultation:
    values = dict(fields)
    if values.get("feedback_due_on") is None:
        values["feedback_due_on"] = default_feedback_due_on(organisation, values["closes_on"])
    _check_dates(values["opens_on"], values["closes_on"], values["feedback_due_on"])
    _check_owner(organisation, values.get("owner_id"))
    consultation = Consultation(**values)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def update_consultation(organisation: Organisation, consultation: Consultation, changes: dict[str, Any]):
    """Apply a PATCH. A due date that was the default follows a moved closing date; ``status``
    only cancels ("cancelled") or un-cancels ("open")."""
    values = dict(changes)
    status = values.pop("status", None)
    closes_on = values.get("closes_on", consultation.closes_on)
    if "feedback_due_on" in values:
        if values["feedback_due_on"] is None:  # null puts the default back
            values["feedback_due_on"] = default_feedback_due_on(organisation, closes_on)
    elif closes_on != consultation.closes_on and consultation.feedback_due_on == default_feedback_due_on(
        organisation, consultation.closes_on
    ):
        values["feedback_due_on"] = default_feedback_due_on(organisation, closes_on)
    _check_dates(
        values.get("opens_on", consultation.opens_on),
        closes_on,
        values.get("feedback_due_on", consultation.feedback_due_on),
    )
    if "owner_id" in values:
        _check_owner(organisation, values["owner_id"])
    feedback = find_feedback(consultation)
    published_on = feedback.published_on if feedback is not None else None
    if published_on is not None and closes_on >= published_on:
        raise ValidationFailed(
            {"closes_on": [f"Feedback was published on {published_on.isoformat()}; it must close before."]}
        )
    for key, value in values.items():
        setattr(consultation, key, value)
    if status is not None:
        consultation.cancelled = status == "cancelled"
    db.session.flush()
    return consultation


def delete_consultation(consultation: Consultation) -> None:
    """Only a consultation nobody answered and no improvement cites can go."""
    answered = select(ConsultationResponse.id).where(ConsultationResponse.consultation_id == consultation.id)
    if db.session.scalar(answered.limit(1)) is not None:
        raise Conflict("This consultation has responses; cancel it instead of deleting it.")
    cited = select(Improvement.id).where(
        Improvement.source == "consultation", Improvement.source_id == consultation.id
    )
    if db.session.scalar(cited.limit(1)) is not None:
        raise Conflict("Service improvements cite this consultation; relink them first.")
    db.session.delete(consultation)
    db.session.flush()


# -- responses and feedback --------------------------------------------------------------------


def record_response(consultation: Consultation, fields: dict[str, Any], today: date) -> ConsultationResponse:
    """Late responses (after ``closes_on``) are accepted and flagged ``late``; early or future-dated
    ones are refused, and a cancelled consultation takes none."""
    if consultation.cancelled:
        raise Conflict("This consultation was cancelled; it takes no responses.")
    values = dict(fields)
    values["responded_on"] = values.get("responded_on") or today
    if values["responded_on"] < consultation.opens_on:
        raise ValidationFailed(
            {"responded_on": [f"The consultation opens on {consultation.opens_on.isoformat()}."]}
        )
    if values["responded_on"] > today:
        raise ValidationFailed({"responded_on": ["Cannot be in the future."]})
    check_reference(Participant, values.get("participant_id"), "participant_id")
    response = ConsultationResponse(consultation_id=consultation.id, **values)
    db.session.add(response)
    db.session.flush()
    mark_late(consultation, [response])
    return response


def mark_late(consultation: Consultation, responses: Sequence[ConsultationResponse]) -> None:
    for response in responses:
        response.late = response.responded_on > consultation.closes_on


def save_feedback(consultation: Consultation, fields: dict[str, Any], today: date) -> ConsultationFeedback:
    """Create or replace the feedback. Without ``published_on`` it is a draft; publishing needs the
    consultation to have closed, and is what takes it off the overdue list."""
    if consultation.cancelled:
        raise Conflict("This consultation was cancelled; un-cancel it before publishing feedback.")
    published_on = fields.get("published_on")
    if published_on is not None and published_on <= consultation.closes_on:
        raise ValidationFailed(
            {
                "published_on": [
                    f"Feedback cannot be published before the consultation closes "
                    f"(it closes on {consultation.closes_on.isoformat()})."
                ]
            }
        )
    if published_on is not None and published_on > today:
        raise ValidationFailed({"published_on": ["Cannot be in the future."]})
    feedback = find_feedback(consultation)
    if feedback is None:
        feedback = ConsultationFeedback(consultation_id=consultation.id)
        db.session.add(feedback)
    feedback.you_said, feedback.we_did = fields["you_said"], fields["we_did"]
    feedback.published_on = published_on
    db.session.flush()
    feedback_on_time(consultation, feedback)
    return feedback


def find_feedback(consultation: Consultation) -> ConsultationFeedback | None:
    return db.session.scalar(
        select(ConsultationFeedback).where(ConsultationFeedback.consultation_id == consultation.id)
    )


# -- reminders ---------------------------------------------------------------------------------


def _active_members(organisation: Organisation, *, user_ids=None, role: str | None = None) -> list[int]:
    query = (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation.id, User.active.is_(True))
        .order_by(Membership.user_id)
    )
    if user_ids is not None:
        query = query.where(Membership.user_id.in_(user_ids)) if user_ids else query.where(false())
    if role is not None:
        query = query.where(Membership.role == role)
    return list(db.session.scalars(query))


def remind_feedback(organisation: Organisation, today: date) -> int:
    """Notify the owner (or, with none still a member, every org admin) of each consultation whose
    feedback is due within 14 days or overdue. Keyed by consultation, due date and recipient, so a
    re-run or a retried job adds nothing; published and cancelled consultations get nothing."""
    due = db.session.execute(
        select(Consultation.id, Consultation.title, Consultation.feedback_due_on, Consultation.owner_id)
        .where(overdue_condition(today) | due_within_condition(REMINDER_WINDOW_DAYS, today))
        .order_by(Consultation.feedback_due_on, Consultation.id)
    ).all()
    if not due:
        return 0
    owners = set(_active_members(organisation, user_ids={c.owner_id for c in due if c.owner_id}))
    admins = _active_members(organisation, role="org_admin")
    wanted: dict[str, Notification] = {}
    for consultation in due:
        recipients = [consultation.owner_id] if consultation.owner_id in owners else admins
        for user_id in recipients:
            notification = _reminder(organisation, consultation, user_id, today)
            wanted[notification.key] = notification
    existing = set(db.session.scalars(select(Notification.key).where(Notification.key.in_(list(wanted)))))
    new = [n for key, n in wanted.items() if key not in existing]
    db.session.add_all(new)
    db.session.flush()
    return len(new)


def _reminder(organisation: Organisation, consultation, user_id: int, today: date) -> Notification:
    due_on = consultation.feedback_due_on
    shown = f"{due_on.day} {due_on:%B %Y}"
    if due_on < today:
        kind, subject = "overdue", f"Feedback overdue (due {shown}): {consultation.title}"
    else:
        kind, subject = "due", f"Feedback due by {shown}: {consultation.title}"
    return Notification(
        user_id=user_id,
        key=f"feedback-{kind}:{consultation.id}:{due_on.isoformat()}:{user_id}",
        subject=subject[:300],
        body='Publish the "you said, we did" feedback for this consultation: what residents said and '
        "what was done, or why not.",
        link=f"/api/v1/orgs/{organisation.slug}/consultations/{consultation.id}",
    )
