"""Expressions of interest from the residents' site, and staff deciding on them.

A resident who asks to get involved becomes a pending ``InvolvementRequest``, never a participant:
nothing is added to the register (so no KPI, participant list or export counts them) until a member
of staff *confirms* the request (a new participant is created through ``people.save_participant``)
or *merges* it with someone already on the register (their preferences are added to that record);
a decided request is emptied of personal data (only the decision trail stays).
Equality monitoring answers given on the optional page after the request wait on it, unread, and
are recorded through ``people.record_equality`` — the service staff entry uses — on that decision,
then wiped; a declined request's answers are wiped unrecorded. Every rule here answers the page
and any API with the same words (the residents' site shows a resident's messages in their
language through ``gettext``; outside the residents' site the words are English); callers commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import InvolvementRequest, Participant
from core.models.base import utcnow
from core.models.vocab import (
    ACCESS_NEEDS,
    CONTACT_CHANNELS,
    EQUALITY_CATEGORIES,
    FORMATS,
    LEVELS,
    PREFER_NOT_TO_SAY,
)
from core.services import people

LIMITS = {"first_name": 100, "last_name": 100, "email": 254, "phone": 40, "address": 500, "other_needs": 2000}
MAX_INTERESTS = 10
MAX_INTEREST_LENGTH = 100
CHOICES = {"channels": CONTACT_CHANNELS, "formats": FORMATS, "access_needs": ACCESS_NEEDS}


def _text(values: dict[str, Any], name: str, problems: dict[str, list[str]]) -> str | None:
    text = (
        " ".join(str(values.get(name) or "").split())
        if name != "address"
        else str(values.get(name) or "").strip()
    )
    if len(text) > LIMITS[name]:
        problems.setdefault(name, []).append(_("Must be %(limit)s characters or fewer.", limit=LIMITS[name]))
    return text or None


def check_request(values: dict[str, Any]) -> dict[str, Any]:
    """The tidied fields of an expression of interest, or ValidationFailed naming each field."""
    problems: dict[str, list[str]] = {}
    tidy: dict[str, Any] = {name: _text(values, name, problems) for name in LIMITS}
    if not tidy["first_name"]:
        problems.setdefault("first_name", []).append(_("Enter your first name."))
    if not tidy["last_name"]:
        problems.setdefault("last_name", []).append(_("Enter your last name."))
    if tidy["email"] and ("@" not in tidy["email"] or " " in tidy["email"] or tidy["email"].startswith("@")):
        problems.setdefault("email", []).append(_("Enter an email address like name@example.com."))
    if not (tidy["email"] or tidy["phone"] or tidy["address"]):
        problems.setdefault("email", []).append(
            _("Give at least one way to contact you: email, phone or address.")
        )
    level = values.get("preferred_level") or None
    if level is not None and level not in LEVELS:
        problems.setdefault("preferred_level", []).append(_("Choose one of the listed options."))
    tidy["preferred_level"] = level
    for name, allowed in CHOICES.items():
        chosen = list(dict.fromkeys(values.get(name) or []))
        if any(choice not in allowed for choice in chosen):
            problems.setdefault(name, []).append(_("Choose from the listed options."))
        tidy[name] = [choice for choice in chosen if choice in allowed]
    interests = [" ".join(str(i).split()) for i in values.get("interests") or []]
    interests = list(dict.fromkeys(i for i in interests if i))
    if len(interests) > MAX_INTERESTS or any(len(i) > MAX_INTEREST_LENGTH for i in interests):
        problems.setdefault("interests", []).append(
            _(
                "Give up to %(count)s interests of %(limit)s characters or fewer.",
                count=MAX_INTERESTS,
                limit=MAX_INTEREST_LENGTH,
            )
        )
    tidy["interests"] = interests
    if values.get("contact_consent") is not True:
        problems.setdefault("contact_consent", []).append(
            _("Tick the box to agree that we keep your details to contact you about getting involved.")
        )
    if problems:
        raise ValidationFailed(problems)
    tidy["contact_consent"] = True
    return tidy


def find_by_token(token: str) -> InvolvementRequest | None:
    return db.session.scalar(select(InvolvementRequest).where(InvolvementRequest.submission_token == token))


def submit(values: dict[str, Any], token: str, today: date) -> tuple[InvolvementRequest, bool]:
    """Record an expression of interest once per form token: (request, whether it is new)."""
    tidy = check_request(values)
    existing = find_by_token(token)
    if existing is not None:
        return existing, False
    request = InvolvementRequest(**tidy, consent_given_on=today, status="pending", submission_token=token)
    try:
        with db.session.begin_nested():
            db.session.add(request)
            db.session.flush()
    except IntegrityError:  # the same form sent twice at once: the other one won
        existing = find_by_token(token)
        if existing is None:
            raise
        return existing, False
    return request, True


def check_answers(answers: dict[str, Any]) -> dict[str, str | None]:
    """Equality answers: each question optional, each from its list or "prefer not to say"."""
    problems: dict[str, list[str]] = {}
    tidy: dict[str, str | None] = {}
    for name, categories in EQUALITY_CATEGORIES.items():
        value = answers.get(name) or None
        if value is not None and value not in (*categories, PREFER_NOT_TO_SAY):
            problems[name] = [_("Choose one of the listed options.")]
        tidy[name] = value
    if problems:
        raise ValidationFailed(problems)
    return tidy


def record_answers(request: InvolvementRequest, answers: dict[str, Any]) -> None:
    """Keep a pending request's equality answers until staff decide (never shown to anyone)."""
    if request.status != "pending":
        raise Conflict("This request has already been dealt with.")
    tidy = check_answers(answers)
    request.equality_answers = tidy if any(tidy.values()) else None
    db.session.flush()


def pending_requests() -> list[InvolvementRequest]:
    return list(
        db.session.scalars(
            select(InvolvementRequest)
            .where(InvolvementRequest.status == "pending")
            .order_by(InvolvementRequest.created_at, InvolvementRequest.id)
        )
    )


def _decided(request: InvolvementRequest, status: str, actor_id: int | None) -> None:
    if request.status != "pending":
        raise Conflict("This request has already been dealt with.")
    request.status = status
    request.decided_at = utcnow()
    request.decided_by_id = actor_id


def _forget_person(request: InvolvementRequest) -> None:
    """After the decision the register (or nobody) holds the person: the request keeps no
    personal data, only its status, dates and the participant it became."""
    request.first_name = request.last_name = ""
    for name in ("email", "phone", "address", "other_needs", "preferred_level", "equality_answers"):
        setattr(request, name, None)
    for name in ("channels", "formats", "access_needs", "interests"):
        setattr(request, name, [])


def _record_equality(request: InvolvementRequest, participant: Participant) -> None:
    answers = request.equality_answers
    request.equality_answers = None
    if answers and people.objection_of(participant) is None:
        people.record_equality(participant, answers)


def confirm(request: InvolvementRequest, actor_id: int | None) -> Participant:
    """Put the person on the register as a new participant, with their preferences and consent."""
    _decided(request, "confirmed", actor_id)
    participant = people.save_participant(
        None,
        {
            "first_name": request.first_name,
            "last_name": request.last_name,
            "email": request.email,
            "phone": request.phone,
            "preferred_level": request.preferred_level,
            "channels": list(request.channels or []),
            "formats": list(request.formats or []),
            "access_needs": list(request.access_needs or []),
            "interests": list(request.interests or []),
            "contact_consent": True,
            "consent_given_on": request.consent_given_on,
            "consent_method": "online",
        },
    )
    request.participant_id = participant.id
    _record_equality(request, participant)
    _forget_person(request)
    db.session.flush()
    return participant


def merge(request: InvolvementRequest, participant: Participant, actor_id: int | None) -> Participant:
    """Add the request to someone already on the register: contact details they lack, their
    preferences added to the lists, and their consent to be contacted."""
    if participant.erased_at is not None:
        raise ValidationFailed({"participant_id": ["This person was erased; choose someone else."]})
    _decided(request, "merged", actor_id)
    changes: dict[str, Any] = {
        "contact_consent": True,
        "consent_given_on": request.consent_given_on,
        "consent_method": "online",
    }
    for name in ("email", "phone", "preferred_level"):
        if getattr(participant, name) is None and getattr(request, name):
            changes[name] = getattr(request, name)
    for name in ("channels", "formats", "access_needs", "interests"):
        merged = list(dict.fromkeys([*(getattr(participant, name) or []), *(getattr(request, name) or [])]))
        if merged != list(getattr(participant, name) or []):
            changes[name] = merged
    people.save_participant(participant, changes)
    request.participant_id = participant.id
    _record_equality(request, participant)
    _forget_person(request)
    db.session.flush()
    return participant


def decline(request: InvolvementRequest, actor_id: int | None) -> None:
    """Nothing goes on the register; any equality answers are wiped unrecorded."""
    _decided(request, "declined", actor_id)
    _forget_person(request)
    db.session.flush()
