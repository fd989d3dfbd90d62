"""Authentication: argon2id passwords, throttled sign-in, revocable web sessions, API tokens.

* Passwords are hashed with argon2id (argon2-cffi defaults) and re-hashed when parameters change.
* Sign-in attempts are counted atomically per account (and per client address for unknown
  accounts) before the password is checked; past the limit the account locks, with backoff, and
  sign-in answers "too many attempts" even with the right password (core/throttle.py).
* A web session is a random token in the signed cookie whose SHA-256 is a row in
  ``user_sessions``: signing out revokes the row, so a copied cookie stops working too.
* API tokens are shown once, stored hashed, revocable, and record when they were last used.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from core import throttle
from core.errors import Throttled
from core.extensions import db, login_manager
from core.models import ApiToken, User, UserSession
from core.models.base import utcnow

_hasher = PasswordHasher()
# Verifying against this keeps the timing of "no such user" close to "wrong password".
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
TOKEN_PREFIX = "inv_"  # noqa: S105  (a public marker, not a secret)
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(set(password)) < 5:
        return "Use a less repetitive password."
    return None


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(email: str, password: str, client_address: str) -> User | None:
    """The active user with these credentials, or None. Raises :class:`Throttled`.

    The attempt is counted (core/throttle.py) before the password is checked, so concurrent
    attempts cannot slip past the limit; a successful sign-in clears the account's counter.
    """
    email = normalise_email(email)
    client_address = (client_address or "unknown")[:64]
    user = db.session.scalar(select(User).where(User.email == email))
    keys = [throttle.account_key(email)]
    if user is None:
        keys.append(throttle.address_key(client_address))
    for key in keys:
        reservation = throttle.reserve(key)
        if not reservation.allowed:
            raise Throttled(reservation.retry_after)
    valid = False
    try:
        if user is not None and user.password_hash:
            valid = _hasher.verify(user.password_hash, password or "")
        else:
            _hasher.verify(_DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        valid = False
    if not valid or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.clear(throttle.account_key(email))
    return user


def prune_login_failures() -> int:
    """Delete expired sign-in counters (run by a periodic job or the CLI)."""
    return throttle.prune()


# -- web sessions ------------------------------------------------------------------------


def start_session(user: User) -> str:
    """Create a server-side session for ``user`` and return its token (for the cookie)."""
    token = secrets.token_urlsafe(32)
    hours = current_app.config["INVOLVE"]["SESSION_LIFETIME_HOURS"]
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_sha256(token),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    user.session_token = token
    return token


def end_session(token: str | None) -> None:
    if not token:
        return
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _sha256(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def end_all_sessions(user: User) -> int:
    """Revoke every signed-in session of ``user`` (deactivation, a password reset)."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


@login_manager.user_loader
def _load_user_from_session(token: str) -> User | None:
    row = (
        db.session.scalars(
            select(UserSession)
            .where(UserSession.token_hash == _sha256(token))
            .options(joinedload(UserSession.user).joinedload(User.memberships))
        )
        .unique()
        .first()
    )
    if row is None or row.revoked_at is not None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=utcnow().tzinfo)
    if expires <= utcnow() or not row.user.active:
        return None
    row.user.session_token = token
    return row.user


# -- API tokens --------------------------------------------------------------------------


def create_api_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and never stored in clear."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], prefix=secret[:12], token_hash=_sha256(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def user_for_api_token(secret: str) -> User | None:
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    # The token, its user and the user's memberships (read by the organisation check next) in
    # one round trip.
    token = (
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.token_hash == _sha256(secret))
            .options(joinedload(ApiToken.user).joinedload(User.memberships))
        )
        .unique()
        .first()
    )
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if not hmac.compare_digest(token.token_hash, _sha256(secret)):
        return None
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=now.tzinfo)
    # Record use, at most once a minute, to keep reads from writing on every request.
    if last is None or now - last > timedelta(minutes=1):
        token.last_used_at = now
    return token.user


def revoke_api_token(user: User, token_id: int) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return False
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return True
