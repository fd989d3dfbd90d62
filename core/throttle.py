"""Sign-in throttling: atomic attempt counters per account (and per address for unknown accounts).

Each sign-in attempt *reserves* a slot on a counter before the password is checked, in one
atomic step (a single ``UPDATE … RETURNING`` on the database, a Lua script on Redis), so forty
concurrent wrong passwords check exactly ``LOGIN_MAX_FAILURES`` of them, never more. When a
reservation goes past the limit the counter locks for ``LOGIN_LOCKOUT_SECONDS``, doubling with
each lockout up to ``LOGIN_FAILURE_WINDOW_SECONDS`` (backoff); a successful sign-in clears it.

Keys:

* ``account:<email>`` for every attempt — known and unknown addresses alike, so the throttle does
  not reveal which e-mail addresses have accounts;
* ``address:<client address>`` only for attempts on unknown accounts (credential spraying). Many
  staff signing in through one proxy share its address, so known accounts are never throttled by
  address: one colleague's typos cannot lock the whole office out.

The client address is ``request.remote_addr``; ``X-Forwarded-For`` is believed only when
``PROXY_FIX_X_FOR`` says how many proxies stand in front (werkzeug's ``ProxyFix``).

Counters live in Redis when ``REDIS_URL`` is set (shared by every web process, expiring by
themselves) and in the ``login_throttles`` table otherwise. If Redis cannot be reached the
database is used, so an outage never opens or closes the door on everyone.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, delete, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.extensions import db
from core.models import LoginThrottle

log = logging.getLogger(__name__)
REDIS_PREFIX = "involve:throttle:"
MAX_KEY_LENGTH = 300


@dataclass(frozen=True)
class Limits:
    max_attempts: int
    lockout_seconds: int
    window_seconds: int


@dataclass(frozen=True)
class Reservation:
    allowed: bool
    retry_after: int = 0


def account_key(email: str) -> str:
    return f"account:{email}"[:MAX_KEY_LENGTH]


def address_key(client_address: str) -> str:
    return f"address:{client_address}"[:MAX_KEY_LENGTH]


def limits_for(key: str) -> Limits:
    settings = current_app.config["INVOLVE"]
    maximum = (
        settings["LOGIN_MAX_FAILURES_PER_IP"]
        if key.startswith("address:")
        else settings["LOGIN_MAX_FAILURES"]
    )
    return Limits(maximum, settings["LOGIN_LOCKOUT_SECONDS"], settings["LOGIN_FAILURE_WINDOW_SECONDS"])


def reserve(key: str, limits: Limits | None = None) -> Reservation:
    """Count one attempt on ``key``; ``allowed`` is false while the key is locked. ``limits``
    default to the sign-in limits (public forms pass their own: ``core.public.guard``)."""
    limits = limits or limits_for(key)
    redis = _redis()
    if redis is not None:
        try:
            return _reserve_redis(redis, key, limits)
        except Exception as exc:  # any Redis failure: fall back to the database
            log.warning("sign-in throttle: Redis unavailable (%s); using the database", exc)
    return _reserve_database(key, limits)


def clear(key: str) -> None:
    """Forget ``key``'s attempts (after a successful sign-in)."""
    redis = _redis()
    if redis is not None:
        try:
            redis.delete(REDIS_PREFIX + key)
        except Exception as exc:
            log.warning("sign-in throttle: Redis unavailable (%s)", exc)
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def prune() -> int:
    """Delete database counters that are neither counting nor locked any more."""
    settings = current_app.config["INVOLVE"]
    now = time.time()
    cutoff = now - settings["LOGIN_FAILURE_WINDOW_SECONDS"]
    result = db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started < cutoff, LoginThrottle.locked_until < cutoff
        )
    )
    return result.rowcount or 0


# -- database ----------------------------------------------------------------------------


def _reserve_database(key: str, limits: Limits) -> Reservation:
    """One atomic UPDATE decides: still locked, over the limit (lock now), or counted."""
    now = time.time()
    _ensure_row(key, now, limits)
    t = LoginThrottle.__table__.c
    locked = t.locked_until > now
    window_over = t.window_started < now - limits.window_seconds
    counted = case((window_over, 0), else_=t.attempts) + 1
    over = counted > limits.max_attempts
    next_lock = case(
        (t.lock_seconds * 2 > limits.window_seconds, limits.window_seconds), else_=t.lock_seconds * 2
    )
    # After a quiet window with no lockout the backoff starts again from the shortest lock.
    lock_for = case(
        (window_over & (t.locked_until < now - limits.window_seconds), limits.lockout_seconds),
        else_=t.lock_seconds,
    )
    statement = (
        update(LoginThrottle)
        .where(t.key == key)
        .values(
            attempts=case((locked, t.attempts), (over, 0), else_=counted),
            window_started=case(
                (locked, t.window_started), (window_over | over, now), else_=t.window_started
            ),
            locked_until=case((locked, t.locked_until), (over, now + lock_for), else_=t.locked_until),
            lock_seconds=case((locked, t.lock_seconds), (over, next_lock), else_=lock_for),
        )
        .returning(t.locked_until)
    )
    locked_until = db.session.execute(statement).scalar_one()
    # Committed now, before the slow password check, so concurrent attempts see this one.
    db.session.commit()
    if locked_until > now:
        return Reservation(False, max(int(locked_until - now) + 1, 1))
    return Reservation(True)


def _ensure_row(key: str, now: float, limits: Limits) -> None:
    """Create the counter if missing. The request's reads so far are committed first, so on SQLite
    this write opens its own transaction and waits for the lock (a read transaction upgraded to a
    write would fail at once with "database is locked" under contention)."""
    db.session.commit()
    dialect = db.session.get_bind().dialect.name
    make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        make_insert(LoginThrottle)
        .values(
            key=key,
            attempts=0,
            window_started=now,
            locked_until=0.0,
            lock_seconds=limits.lockout_seconds,
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )


# -- Redis -------------------------------------------------------------------------------

# KEYS[1] the counter hash; ARGV: now, max attempts, first lockout, window (seconds).
# Returns the remaining lock in milliseconds (0 when the attempt may go ahead).
_RESERVE_LUA = """
local now = tonumber(ARGV[1])
local max_attempts = tonumber(ARGV[2])
local first_lock = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 'attempts', 'locked_until', 'lock_seconds')
local attempts = tonumber(h[1]) or 0
local locked_until = tonumber(h[2]) or 0
local lock_seconds = tonumber(h[3]) or first_lock
if locked_until > now then
  return math.ceil((locked_until - now) * 1000)
end
attempts = attempts + 1
if attempts > max_attempts then
  locked_until = now + lock_seconds
  lock_seconds = math.min(lock_seconds * 2, window)
  attempts = 0
end
redis.call('HSET', KEYS[1], 'attempts', attempts, 'locked_until', locked_until, 'lock_seconds', lock_seconds)
if attempts == 1 then
  redis.call('EXPIRE', KEYS[1], window)
end
if locked_until > now then
  redis.call('EXPIRE', KEYS[1], math.ceil(locked_until - now) + window)
  return math.ceil((locked_until - now) * 1000)
end
return 0
"""


def _reserve_redis(redis, key: str, limits: Limits) -> Reservation:
    remaining_ms = int(
        redis.eval(
            _RESERVE_LUA,
            1,
            REDIS_PREFIX + key,
            repr(time.time()),
            limits.max_attempts,
            limits.lockout_seconds,
            limits.window_seconds,
        )
    )
    if remaining_ms > 0:
        return Reservation(False, max(remaining_ms // 1000 + 1, 1))
    return Reservation(True)


def _redis():
    """The instance's real Redis, or None on the embedded default (its stand-in has no Lua)."""
    if not current_app.config["INVOLVE"]["REDIS_URL"]:
        return None
    from core.jobs import redis_connection

    return redis_connection()
