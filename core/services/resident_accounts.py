"""Resident accounts: sign in by a one-time e-mailed link, then see and change one's own record.

A resident account is not a user: it is a participant of one organisation who asked for a sign-in
link on that landlord's residents' site. The link (``LINK_LIFETIME``, once) is sent only to a
participant with that e-mail address who consented to be contacted and was not erased, but the
request is answered the same way whatever the address; requests are throttled per address and per
client through ``core.throttle``. Only the SHA-256 of the link's secret is stored
(``ResidentSignInLink``). Changes go through the staff services (``people.save_participant`` with
the participant API's update schema), so a resident and a member of staff are refused the same
input with the same words.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import func, select, update

from core import mail, throttle
from core.errors import Throttled, ValidationFailed
from core.extensions import db
from core.models import Participant, ResidentSignInLink
from core.models.base import utcnow
from core.schemas.people import ParticipantUpdateSchema
from core.services import people
from core.services.subject_access import _memberships, _participations, _responses

LINK_LIFETIME = timedelta(minutes=20)
DETAIL_FIELDS = ("email", "phone", "channels", "formats", "language")
ACCESS_FIELDS = ("access_needs",)


class SignInSchema(Schema):
    email = fields.Email(
        required=True,
        validate=validate.Length(max=254),
        error_messages={"required": "Enter your email address."},
    )


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _fail(exc: ValidationError) -> ValidationFailed:
    messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    return ValidationFailed({k: list(v) if isinstance(v, list) else [str(v)] for k, v in messages.items()})


def request_link(
    organisation, data: dict[str, Any], client_address: str, link_for: Callable[[str], str]
) -> None:
    """E-mail a sign-in link to the participant with this address, if they consented to contact.

    The caller answers the same whether or not a link was sent."""
    try:
        email = SignInSchema().load({"email": (data.get("email") or "").strip()})["email"].lower()
    except ValidationError as exc:
        raise _fail(exc) from None
    client = (client_address or "unknown")[:64]
    for key in (
        f"resident:{organisation.id}:{email}",
        throttle.address_key(f"resident:{client}"),
    ):
        reservation = throttle.reserve(key)
        if not reservation.allowed:
            raise Throttled(reservation.retry_after)
    found = db.session.scalars(
        select(Participant)
        .where(
            func.lower(Participant.email) == email,
            Participant.contact_consent.is_(True),
            Participant.erased_at.is_(None),
        )
        .order_by(Participant.id)
    ).all()
    for participant in found:
        _retire_links(participant)
        secret = secrets.token_urlsafe(32)
        db.session.add(
            ResidentSignInLink(
                token_hash=_sha256(secret),
                participant_id=participant.id,
                expires_at=utcnow() + LINK_LIFETIME,
            )
        )
        link = link_for(secret)
        mail.send(
            email,
            "Sign in to your resident account",
            f"Hello {participant.first_name},\n\nSomeone (we hope you) asked to sign in to your resident "
            f"account. Open this link within 20 minutes. It works once:\n\n{link}\n\n"
            "If you did not ask, ignore this e-mail: nobody can sign in without the link.\n",
            log_hint=link,
        )
    db.session.flush()


def _retire_links(participant: Participant) -> None:
    db.session.execute(
        update(ResidentSignInLink)
        .where(ResidentSignInLink.participant_id == participant.id, ResidentSignInLink.used_at.is_(None))
        .values(used_at=utcnow()),
        execution_options={"synchronize_session": False},
    )


def find_link(secret: str) -> ResidentSignInLink | None:
    """The unused, unexpired link with this secret in the current organisation, or None."""
    if not secret or len(secret) > 100:
        return None
    link = db.session.scalar(
        select(ResidentSignInLink).where(ResidentSignInLink.token_hash == _sha256(secret))
    )
    if link is None or link.used_at is not None or _aware(link.expires_at) <= utcnow():
        return None
    return link


def use_link(secret: str) -> Participant | None:
    """Use up the link and return the participant it signs in, if they may still sign in."""
    link = find_link(secret)
    if link is None:
        return None
    link.used_at = utcnow()
    db.session.flush()
    participant = db.session.get(Participant, link.participant_id)
    return participant if may_sign_in(participant) else None


def may_sign_in(participant: Participant | None) -> bool:
    return participant is not None and participant.erased_at is None and participant.contact_consent


def _changes(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    try:
        return ParticipantUpdateSchema(only=allowed).load({k: data[k] for k in allowed if k in data})
    except ValidationError as exc:
        raise _fail(exc) from None


def change_details(participant: Participant, data: dict[str, Any]) -> Participant:
    """Contact details and preferences (the participant API's update rules)."""
    return people.save_participant(participant, _changes(data, DETAIL_FIELDS))


def change_access_needs(participant: Participant, data: dict[str, Any]) -> Participant:
    return people.save_participant(participant, _changes(data, ACCESS_FIELDS))


def withdraw_consent(participant: Participant) -> Participant:
    """The resident no longer agrees to be contacted; their unused links stop working."""
    participant = people.save_participant(participant, {"contact_consent": False})
    _retire_links(participant)
    return participant


def involvement(participant: Participant) -> dict[str, list[dict[str, Any]]]:
    """What the resident took part in, the seats they held and their consultation responses."""
    return {
        "participations": _participations(participant),
        "memberships": _memberships(participant),
        "responses": _responses(participant),
    }
