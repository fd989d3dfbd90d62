"""Consultations and their feedback loop: dates and status, responses, "you said, we did" feedback,
the overdue and due-soon lists, and the reminders staff receive as feedback falls due.

Feedback is due ``feedback_period_months`` calendar months after a consultation closes (an
organisation setting, 3 unless configured; Circle Anglia guarantees feedback "within three months").
That period is a promise, so it is a maximum: the date it gives is kept as ``feedback_guaranteed_by``
and a due date beyond it is an *extension*, refused unless an org admin records why. Feedback is on
time when published by the earlier of the due date and the guarantee; feedback inside an extension
is counted apart ("within extension"), never as on time. A consultation runs at least the
organisation's ``consultation_min_days``, and its topic comes from the organisation's
``consultation_topics`` when it has set a list ("other" with a description otherwise).
A consultation is *overdue* once it has closed, its feedback due date has passed and nothing has
been published; cancelled consultations are never overdue. Everything that lists consultations is
done in SQL for a whole page at once; callers commit.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, false, func, select

from core.errors import Conflict, Forbidden, ValidationFailed
from core.extensions import db
from core.models import (
    Area,
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
from core.records import check_reference
from core.services import easy_read
from core.services.people import areas_within

FEEDBACK_PERIOD_SETTING = "feedback_period_months"
DEFAULT_FEEDBACK_PERIOD_MONTHS = 3
MIN_DAYS_SETTING = "consultation_min_days"
# Neither seed gives a number ("adequate time", "reasonable time"); two weeks is our default.
DEFAULT_MIN_DAYS = 14
TOPICS_SETTING = "consultation_topics"
OTHER_TOPIC = "other"
EXTEND_PERMISSION = "consultations.extend_feedback"
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
    """The guarantee: the latest date feedback may be due without an extension."""
    return add_months(closes_on, feedback_period_months(organisation))


def minimum_days(organisation: Organisation) -> int:
    value = organisation.setting(MIN_DAYS_SETTING, DEFAULT_MIN_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
        return DEFAULT_MIN_DAYS
    return value


def topics_of(organisation: Organisation) -> list[str] | None:
    """The organisation's consultation topics, or None when it has set no list (topics are free)."""
    topics = organisation.setting(TOPICS_SETTING)
    if not isinstance(topics, list) or not topics:
        return None
    return [t for t in topics if isinstance(t, str)]


def deadline_condition():
    """SQL: the date feedback must be published by to be on time (due date, capped by the guarantee)."""
    guarantee = Consultation.feedback_guaranteed_by
    return case(
        (and_(guarantee.is_not(None), guarantee < Consultation.feedback_due_on), guarantee),
        else_=Consultation.feedback_due_on,
    )


def deadline_of(consultation: Consultation) -> date:
    guarantee = consultation.feedback_guaranteed_by
    if guarantee is not None and guarantee < consultation.feedback_due_on:
        return guarantee
    return consultation.feedback_due_on


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
        consultation.overdue = is_overdue(consultation, today)


def is_overdue(consultation: Consultation, today: date) -> bool:
    """The row-by-row twin of :func:`overdue_condition` (after :func:`describe` hung the feedback)."""
    feedback = getattr(consultation, "feedback", None)
    return (
        not consultation.cancelled
        and consultation.closes_on < today
        and consultation.feedback_due_on < today
        and (feedback is None or feedback.published_on is None)
    )


def consultation_query(args: dict[str, Any], today: date):
    """The list of consultations for the API's list arguments (and the list page): newest first,
    filtered by status, topic, area (or an area inside it), owner, overdue or due soon; overdue and
    due-soon lists are ordered by feedback due date, the most pressing first."""
    query = select(Consultation).order_by(Consultation.opens_on.desc(), Consultation.id.desc())
    if "status" in args:
        query = query.where(status_condition(args["status"], today))
    if "topic" in args:
        query = query.where(Consultation.topic == args["topic"])
    if "owner_id" in args:
        query = query.where(Consultation.owner_id == args["owner_id"])
    if "area_id" in args:
        query = query.where(Consultation.area_id.in_(areas_within(args["area_id"])))
    pressing = False
    if args.get("overdue") is not None:
        condition = overdue_condition(today)
        query = query.where(condition if args["overdue"] else ~condition)
        pressing = args["overdue"]
    if "due_within_days" in args:
        query = query.where(due_within_condition(args["due_within_days"], today))
        pressing = True
    if pressing:
        query = query.order_by(None).order_by(Consultation.feedback_due_on, Consultation.id)
    return query


def feedback_on_time(consultation: Consultation, feedback: ConsultationFeedback | None) -> bool | None:
    """Published by the deadline (the due date, never later than the guarantee). Feedback published
    after the guarantee but by an extended due date is not on time: ``within_extension`` says so."""
    consultation.feedback_extended = is_extended(consultation)
    consultation.feedback_within_extension = None
    if feedback is None:
        return None
    published_on = feedback.published_on
    on_time = None if published_on is None else published_on <= deadline_of(consultation)
    feedback.on_time = on_time
    feedback.within_extension = None
    if published_on is not None and consultation.feedback_extended:
        feedback.within_extension = not on_time and published_on <= consultation.feedback_due_on
        consultation.feedback_within_extension = feedback.within_extension
    return on_time


def is_extended(consultation: Consultation) -> bool:
    guarantee = consultation.feedback_guaranteed_by
    return guarantee is not None and consultation.feedback_due_on > guarantee


# -- consultations -----------------------------------------------------------------------------


def _check_owner(organisation: Organisation, owner_id: int | None) -> None:
    if owner_id is None:
        return
    member = db.session.scalar(
        select(Membership.id).where(
            Membership.organisation_id == organisation.id,
            Membership.user_id == owner_id,
            Membership.in_force(),
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


def check_minimum_length(organisation: Organisation, opens_on: date, closes_on: date) -> None:
    """A consultation stays open at least the organisation's minimum, both end days counted."""
    needed = minimum_days(organisation)
    runs = (closes_on - opens_on).days + 1
    if runs < needed:
        earliest = opens_on + timedelta(days=needed - 1)
        raise ValidationFailed(
            {
                "closes_on": [
                    f"A consultation here runs at least {needed} days (this one runs {runs}); "
                    f"close it on or after {earliest.isoformat()}."
                ]
            }
        )


def check_topic(organisation: Organisation, topic: str, description: str | None) -> str | None:
    """The topic is on the organisation's list, or "other" with a description; returns the
    description to keep (none unless the topic is "other")."""
    if topic == OTHER_TOPIC:
        if not (description or "").strip():
            raise ValidationFailed(
                {"topic_description": ['Say what the consultation is about when its topic is "other".']}
            )
        return description.strip()
    topics = topics_of(organisation)
    if topics is not None and topic not in topics:
        raise ValidationFailed(
            {
                "topic": [
                    f"Not one of this organisation's consultation topics ({', '.join(topics)}); "
                    'use "other" with a topic_description.'
                ]
            }
        )
    return None


def _check_extension(organisation: Organisation, actor, reason: str | None) -> None:
    """A due date beyond the guarantee needs an org admin (403, checked first) and a reason (422)."""
    from core.permissions import can

    period = feedback_period_months(organisation)
    if actor is None or not can(actor, EXTEND_PERMISSION, organisation):
        raise Forbidden(
            f"Feedback is guaranteed within {period} months of the close; only an organisation admin "
            "can set a later due date (an extension, with a reason)."
        )
    if not (reason or "").strip():
        raise ValidationFailed(
            {
                "feedback_extension_reason": [
                    f"The due date is beyond the {period}-month guarantee; record why it is extended."
                ]
            }
        )


def create_consultation(organisation: Organisation, fields: dict[str, Any], actor=None) -> Consultation:
    """Create a consultation. ``actor`` is the user asking (an extension needs an org admin)."""
    values = dict(fields)
    reason = values.pop("feedback_extension_reason", None)
    guarantee = default_feedback_due_on(organisation, values["closes_on"])
    values["feedback_guaranteed_by"] = guarantee
    if values.get("feedback_due_on") is None:
        values["feedback_due_on"] = guarantee
    _check_dates(values["opens_on"], values["closes_on"], values["feedback_due_on"])
    if values["feedback_due_on"] > guarantee:
        _check_extension(organisation, actor, reason)
        values["feedback_extension_reason"] = reason.strip()
        values["feedback_extended_by_id"] = actor.id
    check_minimum_length(organisation, values["opens_on"], values["closes_on"])
    values["topic_description"] = check_topic(organisation, values["topic"], values.get("topic_description"))
    _check_owner(organisation, values.get("owner_id"))
    check_reference(Area, values.get("area_id"), "area_id")
    values.update(easy_read.check(values))
    consultation = Consultation(**values)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def _guarantee_changes(
    organisation: Organisation, consultation: Consultation, values: dict[str, Any], reason, actor
) -> None:
    """Keep the guarantee and any extension true after a PATCH that moves dates or gives a reason.

    The guarantee follows the closing date. A due date left beyond it keeps the extension an admin
    already approved; a due date newly moved beyond it needs an admin and a reason now."""
    closes_on = values.get("closes_on", consultation.closes_on)
    due_on = values.get("feedback_due_on", consultation.feedback_due_on)
    dates_moved = closes_on != consultation.closes_on or due_on != consultation.feedback_due_on
    if not dates_moved and reason is None:
        return
    guarantee = (
        default_feedback_due_on(organisation, closes_on)
        if dates_moved or consultation.feedback_guaranteed_by is None
        else consultation.feedback_guaranteed_by
    )
    values["feedback_guaranteed_by"] = guarantee
    if due_on <= guarantee:
        values["feedback_extension_reason"] = values["feedback_extended_by_id"] = None
        return
    approved = due_on == consultation.feedback_due_on and consultation.feedback_extension_reason
    if reason is None and approved:
        return
    _check_extension(organisation, actor, reason)
    values["feedback_extension_reason"] = reason.strip()
    values["feedback_extended_by_id"] = actor.id


def update_consultation(
    organisation: Organisation, consultation: Consultation, changes: dict[str, Any], actor=None
):
    """Apply a PATCH. A due date that was the default follows a moved closing date; ``status``
    only cancels ("cancelled") or un-cancels ("open")."""
    values = dict(changes)
    status = values.pop("status", None)
    reason = values.pop("feedback_extension_reason", None)
    closes_on = values.get("closes_on", consultation.closes_on)
    if "feedback_due_on" in values:
        if values["feedback_due_on"] is None:  # null puts the default back
            values["feedback_due_on"] = default_feedback_due_on(organisation, closes_on)
    elif closes_on != consultation.closes_on and consultation.feedback_due_on == default_feedback_due_on(
        organisation, consultation.closes_on
    ):
        values["feedback_due_on"] = default_feedback_due_on(organisation, closes_on)
    opens_on = values.get("opens_on", consultation.opens_on)
    _check_dates(opens_on, closes_on, values.get("feedback_due_on", consultation.feedback_due_on))
    _guarantee_changes(organisation, consultation, values, reason, actor)
    if opens_on != consultation.opens_on or closes_on != consultation.closes_on:
        check_minimum_length(organisation, opens_on, closes_on)
    if "topic" in values or "topic_description" in values:
        values["topic_description"] = check_topic(
            organisation,
            values.get("topic", consultation.topic),
            values.get("topic_description", consultation.topic_description),
        )
    if "owner_id" in values:
        _check_owner(organisation, values["owner_id"])
    if "area_id" in values:
        check_reference(Area, values["area_id"], "area_id")
    values.update(easy_read.check(values, consultation.easy_read_url))
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


def delete_response(response: ConsultationResponse) -> None:
    """A response recorded in error."""
    db.session.delete(response)


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


# What someone answering online may give about themselves: personal details, shown only to those
# who may read participants' personal details (``people.read``), never on the residents' site.
PERSONAL_FIELDS = ("respondent_name", "respondent_contact")
PERSONAL_PERMISSION = "people.read"


def shown_responses(responses: Sequence[ConsultationResponse], *, personal: bool) -> list:
    """The responses as this reader may see them: as they are with ``personal``, otherwise as
    plain copies with the respondent's name and contact withheld (None). Copies, so nothing is
    written back to the records."""
    if personal:
        return list(responses)
    shown = []
    for response in responses:
        values = {
            column.key: getattr(response, column.key) for column in ConsultationResponse.__table__.columns
        }
        values.update(dict.fromkeys(PERSONAL_FIELDS), late=getattr(response, "late", None))
        shown.append(values)
    return shown


def save_feedback(consultation: Consultation, fields: dict[str, Any], today: date) -> ConsultationFeedback:
    """Create or replace the feedback. Without ``published_on`` it is a draft; publishing needs the
    consultation to have closed, and is what takes it off the overdue list. It says what was done
    (``we_did``), why not (``why_we_did_not``), or both."""
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
    we_did, why_not = _said(fields.get("we_did")), _said(fields.get("why_we_did_not"))
    if we_did is None and why_not is None:
        raise ValidationFailed(
            {"we_did": ["Say what was done, or why it was not (why_we_did_not); at least one is needed."]}
        )
    feedback = find_feedback(consultation)
    if feedback is None:
        feedback = ConsultationFeedback(consultation_id=consultation.id)
        db.session.add(feedback)
    feedback.you_said = fields["you_said"]
    feedback.we_did, feedback.why_we_did_not = we_did, why_not
    feedback.published_on = published_on
    db.session.flush()
    feedback_on_time(consultation, feedback)
    return feedback


def _said(text: str | None) -> str | None:
    return text if text and text.strip() else None


def find_feedback(consultation: Consultation) -> ConsultationFeedback | None:
    return db.session.scalar(
        select(ConsultationFeedback).where(ConsultationFeedback.consultation_id == consultation.id)
    )


# -- reminders ---------------------------------------------------------------------------------


def _active_members(organisation: Organisation, *, user_ids=None, role: str | None = None) -> list[int]:
    query = (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation.id, User.active.is_(True), Membership.in_force())
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
