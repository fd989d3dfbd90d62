"""Staff accounts: inviting colleagues by e-mail, roles, deactivation, and resetting a password.

An invitation is a one-time link (valid 7 days) whose secret is kept only as a SHA-256 hash in
``account_tokens``; the membership is made when the link is used. Inviting someone who already
has an account (in another organisation) makes the same invitation and tells the inviter nothing
more: the page answers alike, and the person joins by entering their existing password. A
deactivated membership gives no access and the person's signed-in sessions end at once. A
password-reset link lasts one hour, is asked for through a form that answers the same whether or
not the address has an account (throttled per address and per client), and using it ends every
other session. Callers pass ``link_for(secret)`` to turn a secret into the page's full URL.
Nothing here commits; mail leaves after the request's commit (core/mail.py).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select, update

from core import mail, throttle
from core.auth import authenticate, end_all_sessions, hash_password, normalise_email, password_problem
from core.errors import Conflict, NotFound, Throttled, ValidationFailed
from core.extensions import db
from core.models import AccountToken, AuditEvent, Membership, Organisation, User
from core.models.base import utcnow
from core.schemas.staff import (
    ROLE_TEXT,
    ForgottenPasswordSchema,
    InvitationSchema,
    NewPasswordSchema,
    RoleSchema,
)

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
LINK_GONE = "This link has expired or has already been used."


@dataclass(frozen=True)
class StaffRow:
    """One line of the staff list: a member (active or deactivated) or a pending invitation."""

    user_id: int | None
    name: str
    email: str
    role: str
    status: str  # "active", "deactivated" or "invited"
    expires_at: datetime | None = None

    @property
    def role_text(self) -> str:
        return ROLE_TEXT[self.role]


def _load(schema, data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {
        k: (v.strip() if isinstance(v, str) and k not in {"password", "confirm"} else v)
        for k, v in data.items()
    }
    try:
        return schema.load(cleaned)
    except ValidationError as exc:
        raise ValidationFailed(
            {k: list(v) if isinstance(v, list) else [str(v)] for k, v in exc.messages.items()}
        ) from None


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _audit(
    organisation: Organisation, action: str, user_id: int, actor: User, fields: str | None = None
) -> None:
    db.session.add(
        AuditEvent(
            organisation_id=organisation.id,
            actor_id=actor.id,
            action=action,
            record_type="memberships",
            record_id=user_id,
            fields=fields,
        )
    )


# -- the staff list and its changes -----------------------------------------------------------------


def staff(organisation: Organisation) -> list[StaffRow]:
    """Members of the organisation (active first, by name), then invitations not yet used."""
    members = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation.id)
    ).all()
    rows = [
        StaffRow(
            user.id,
            user.name or user.email,
            user.email,
            m.role,
            "active" if m.deactivated_at is None else "deactivated",
        )
        for m, user in members
    ]
    rows.sort(key=lambda r: (r.status != "active", r.name.lower(), r.email))
    member_ids = {m.user_id for m, _user in members}
    pending = db.session.execute(
        select(AccountToken, User.email)
        .join(User, User.id == AccountToken.user_id)
        .where(
            AccountToken.organisation_id == organisation.id,
            AccountToken.purpose == "invite",
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > utcnow(),
        )
        .order_by(AccountToken.created_at)
    ).all()
    rows.extend(
        StaffRow(None, token.name, email, token.role, "invited", token.expires_at)
        for token, email in pending
        if token.user_id not in member_ids
    )
    return rows


def member(organisation: Organisation, user_id: int) -> tuple[Membership, User]:
    """A member's membership and account, or 404 (a user of another organisation is not found)."""
    found = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation.id, Membership.user_id == user_id)
    ).first()
    if found is None:
        raise NotFound("No such member of staff.")
    return found[0], found[1]


def invite(
    organisation: Organisation, data: dict[str, Any], *, actor: User, link_for: Callable[[str], str]
) -> StaffRow:
    """Invite someone by e-mail to join with a role; a second invitation replaces the first."""
    values = _load(InvitationSchema(), data)
    email = normalise_email(values["email"])
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=values["name"], password_hash=None, active=True)
        db.session.add(user)
        db.session.flush()
    else:
        existing = db.session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organisation_id == organisation.id
            )
        )
        if existing is not None and existing.deactivated_at is None:
            raise ValidationFailed({"email": [f"{email} is already a member of staff here"]})
        if existing is not None:
            raise ValidationFailed(
                {"email": [f"{email} is deactivated here: reactivate them from the staff list"]}
            )
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.organisation_id == organisation.id,
            AccountToken.purpose == "invite",
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    secret = _issue(
        "invite",
        user,
        INVITATION_LIFETIME,
        organisation=organisation,
        role=values["role"],
        name=values["name"],
        actor=actor,
    )
    link = link_for(secret)
    inviter = actor.name or actor.email
    action = (
        "join with the password you already use for Involve" if user.password_hash else "choose your password"
    )
    mail.send(
        email,
        f"You are invited to join {organisation.name} on Involve",
        f"Hello {values['name']},\n\n{inviter} has invited you to join {organisation.name} on Involve as "
        f"{ROLE_TEXT[values['role']].lower()}.\n\nOpen this link to {action}. It works once, for 7 days:\n\n"
        f"{link}\n\nIf you were not expecting this invitation, you can ignore this e-mail.\n",
        log_hint=link,
    )
    _audit(organisation, "invite", user.id, actor, values["role"])
    return StaffRow(None, values["name"], email, values["role"], "invited")


def change_role(organisation: Organisation, user_id: int, data: dict[str, Any], *, actor: User) -> Membership:
    membership, _user = member(organisation, user_id)
    values = _load(RoleSchema(), data)
    if user_id == actor.id:
        raise Conflict("You cannot change your own role. Ask another organisation administrator.")
    if membership.role != values["role"]:
        membership.role = values["role"]
        _audit(organisation, "role", user_id, actor, values["role"])
    return membership


def deactivate(organisation: Organisation, user_id: int, *, actor: User) -> Membership:
    """Take away the member's access here and end every session they have signed in with."""
    membership, user = member(organisation, user_id)
    if user_id == actor.id:
        raise Conflict("You cannot deactivate your own account. Ask another organisation administrator.")
    if membership.deactivated_at is None:
        membership.deactivated_at = utcnow()
        end_all_sessions(user)
        _audit(organisation, "deactivate", user_id, actor)
    return membership


def reactivate(organisation: Organisation, user_id: int, *, actor: User) -> Membership:
    membership, _user = member(organisation, user_id)
    if membership.deactivated_at is not None:
        membership.deactivated_at = None
        _audit(organisation, "reactivate", user_id, actor)
    return membership


# -- one-time links ---------------------------------------------------------------------------------


def _issue(
    purpose: str, user: User, lifetime: timedelta, *, organisation=None, role=None, name="", actor=None
) -> str:
    secret = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            token_hash=_sha256(secret),
            purpose=purpose,
            user_id=user.id,
            organisation_id=organisation.id if organisation is not None else None,
            role=role,
            name=name,
            invited_by_id=actor.id if actor is not None else None,
            expires_at=utcnow() + lifetime,
        )
    )
    return secret


def find_link(secret: str, purpose: str) -> AccountToken | None:
    """The unused, unexpired link of this purpose for an active account, or None."""
    if not secret or len(secret) > 100:
        return None
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == _sha256(secret), AccountToken.purpose == purpose
        )
    )
    if token is None or token.used_at is not None or _aware(token.expires_at) <= utcnow():
        return None
    if not token.user.active:
        return None
    if purpose == "invite":
        organisation = db.session.get(Organisation, token.organisation_id)
        if organisation is None or not organisation.is_active:
            return None
    return token


def invitation(secret: str) -> dict[str, Any]:
    """What the invitation page shows; 404 when the link cannot be used."""
    token = find_link(secret, "invite")
    if token is None:
        raise NotFound(LINK_GONE)
    organisation = db.session.get(Organisation, token.organisation_id)
    return {
        "organisation": organisation.name,
        "name": token.name,
        "email": token.user.email,
        "role_text": ROLE_TEXT[token.role],
        "has_password": token.user.password_hash is not None,
    }


def _new_password(data: dict[str, Any]) -> str:
    values = _load(NewPasswordSchema(), data)
    problem = password_problem(values["password"])
    if problem:
        raise ValidationFailed({"password": [problem]})
    if values["confirm"] != values["password"]:
        raise ValidationFailed({"confirm": ["The passwords do not match"]})
    return values["password"]


def accept_invitation(secret: str, data: dict[str, Any], client_address: str) -> tuple[User, Organisation]:
    """Join the organisation: a new account chooses its password, an existing one enters it."""
    token = find_link(secret, "invite")
    if token is None:
        raise NotFound(LINK_GONE)
    user = token.user
    if user.password_hash is None:
        user.password_hash = hash_password(_new_password(data))
    else:
        password = data.get("password") or ""
        if not password:
            raise ValidationFailed({"password": ["Enter your password"]})
        if authenticate(user.email, password[:1024], client_address) is None:
            raise ValidationFailed({"password": ["The password is not right"]})
    organisation = db.session.get(Organisation, token.organisation_id)
    existing = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    )
    if existing is None:
        db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=token.role))
        db.session.flush()
        db.session.expire(user, ["memberships"])
    token.used_at = utcnow()
    return user, organisation


def request_password_reset(data: dict[str, Any], client_address: str, link_for: Callable[[str], str]) -> None:
    """E-mail a reset link if the address belongs to an account; the answer never says whether."""
    values = _load(ForgottenPasswordSchema(), data)
    email = normalise_email(values["email"])
    for key in (f"reset:{email}", throttle.address_key(f"reset:{(client_address or 'unknown')[:64]}")):
        reservation = throttle.reserve(key)
        if not reservation.allowed:
            raise Throttled(reservation.retry_after)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.active or user.password_hash is None:
        return
    _retire_resets(user)
    secret = _issue("password_reset", user, RESET_LIFETIME)
    link = link_for(secret)
    mail.send(
        email,
        "Reset your Involve password",
        f"Hello {user.name or email},\n\nSomeone (we hope you) asked to reset the password of your Involve "
        f"account. Open this link within 1 hour to choose a new password. It works once:\n\n{link}\n\n"
        "If you did not ask, ignore this e-mail: your password has not changed.\n",
        log_hint=link,
    )


def _retire_resets(user: User) -> None:
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == "password_reset",
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utcnow()),
        execution_options={"synchronize_session": False},
    )


def reset_password(secret: str, data: dict[str, Any]) -> User:
    """Set the new password, use up the link and end every session the account had."""
    token = find_link(secret, "password_reset")
    if token is None:
        raise NotFound(LINK_GONE)
    user = token.user
    user.password_hash = hash_password(_new_password(data))
    token.used_at = utcnow()
    _retire_resets(user)
    end_all_sessions(user)
    throttle.clear(throttle.account_key(user.email))
    return user
