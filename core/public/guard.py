"""Protection for residents' forms without a third-party service.

Each public form carries, besides the CSRF token:

* a one-time ``submission_token`` (random, stored unique with what the form creates), so a double
  submit — two clicks, a reload, a retry — finds the first record instead of adding a second;
* a signed ``form_started`` timestamp: a form sent back sooner than ``PUBLIC_FORM_MIN_SECONDS``
  (3 s unless configured) after it was shown, or with a forged or stale stamp, was not filled in by a
  person;
* a honeypot field (``website``) hidden from people and assistive technology but filled in by bots.

Submissions are also counted per client address and per target (a consultation, the get-involved
form) through ``core.throttle`` (Redis when configured, the database otherwise).
"""

from __future__ import annotations

import secrets
import time

from flask import current_app, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from core import throttle
from core.errors import Throttled

HONEYPOT_FIELD = "website"
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)
MAX_FORM_AGE_SECONDS = 24 * 3600
DEFAULT_MIN_SECONDS = 3
# Per client address: a household sharing a connection can still answer several consultations.
ADDRESS_LIMITS = throttle.Limits(max_attempts=20, lockout_seconds=900, window_seconds=3600)
# Per consultation (or form): a flood from many addresses slows down instead of filling the table.
TARGET_LIMITS = throttle.Limits(max_attempts=300, lockout_seconds=300, window_seconds=3600)


class NotAPerson(Exception):
    """The honeypot was filled in, or the form came back too fast or with a bad stamp."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="involve-public-form")


def form_fields() -> dict[str, str]:
    """Values for a freshly shown form: its one-time token and its signed start time."""
    return {
        "submission_token": secrets.token_urlsafe(32),
        "form_started": _serializer().dumps(time.time()),
    }


def valid_token(value: str | None) -> bool:
    return bool(value) and len(value) == TOKEN_LENGTH and value.replace("-", "").replace("_", "").isalnum()


def check_person(form) -> None:
    """Raise ``NotAPerson`` for a filled honeypot or a form sent back too fast, forged or stale."""
    if (form.get(HONEYPOT_FIELD) or "").strip():
        raise NotAPerson("honeypot")
    try:
        started = _serializer().loads(form.get("form_started") or "", max_age=MAX_FORM_AGE_SECONDS)
    except (BadSignature, SignatureExpired):
        raise NotAPerson("stamp") from None
    minimum = current_app.config.get("PUBLIC_FORM_MIN_SECONDS", DEFAULT_MIN_SECONDS)
    if not isinstance(started, int | float) or time.time() - started < minimum:
        raise NotAPerson("too fast")


def count_submission(target: str) -> None:
    """Count one submission from this client address and on ``target``; 429 when either is over."""
    address = request.remote_addr or "unknown"
    for key, limits in (
        (f"public-address:{address}", ADDRESS_LIMITS),
        (f"public-target:{target}", TARGET_LIMITS),
    ):
        reservation = throttle.reserve(key, limits)
        if not reservation.allowed:
            refusal = Throttled(reservation.retry_after)
            minutes = max(1, reservation.retry_after // 60)
            refusal.message = (
                f"Too many forms have been sent from here or to this page. Try again in {minutes} minutes."
            )
            raise refusal
