"""Sign-in throttling (core/throttle.py): per account with backoff, per address only for unknown
accounts, X-Forwarded-For believed only from a configured proxy, and counters that stay exact
under concurrent attempts — on the database and on Redis."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from core import throttle
from core.app import create_app
from core.auth import hash_password
from core.extensions import db
from core.models import LoginThrottle, Membership, Organisation, User
from core.testing import TEST_PASSWORD, fresh_database, serving


def _token(client, email, password, **headers):
    return client.post("/api/v1/tokens", json={"email": email, "password": password}, headers=headers)


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(throttle, "time", fake)
    return fake


def test_colleagues_behind_one_proxy_are_not_locked_out_by_each_others_typos(
    app, make_org, make_user, client, monkeypatch
):
    monkeypatch.setitem(app.config["INVOLVE"], "LOGIN_MAX_FAILURES_PER_IP", 10)
    org = make_org()
    colleagues = [make_user(org) for _ in range(6)]
    # 24 wrong passwords from the office's one address: more than twice the address limit.
    for person in colleagues[:4]:
        for _ in range(6):
            _token(client, person.email, "typo")
    assert _token(client, colleagues[5].email, TEST_PASSWORD).status_code == 201
    # The ones who went over their own account's limit are locked, and only they are.
    assert _token(client, colleagues[0].email, TEST_PASSWORD).status_code == 429


def test_address_limit_still_stops_spraying_unknown_accounts(app, client, make_org, make_user, monkeypatch):
    monkeypatch.setitem(app.config["INVOLVE"], "LOGIN_MAX_FAILURES_PER_IP", 10)
    for number in range(10):
        assert _token(client, f"guess{number}@example.org", "x").status_code == 401
    refused = _token(client, "guess-eleven@example.org", "x")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    # A real account at the same address is not caught by the spraying limit.
    user = make_user(make_org())
    assert _token(client, user.email, TEST_PASSWORD).status_code == 201


def test_unknown_and_known_accounts_lock_after_the_same_number_of_attempts(client, make_org, make_user):
    user = make_user(make_org())
    known = [_token(client, user.email, "wrong").status_code for _ in range(6)]
    unknown = [_token(client, "nobody-here@example.org", "wrong").status_code for _ in range(6)]
    assert known == unknown == [401] * 5 + [429]


def test_lockout_backs_off_doubling_up_to_the_window(app, client, make_org, make_user, clock):
    settings = app.config["INVOLVE"]
    first, window = settings["LOGIN_LOCKOUT_SECONDS"], settings["LOGIN_FAILURE_WINDOW_SECONDS"]
    user = make_user(make_org())
    waits = []
    for _ in range(6):
        for _ in range(settings["LOGIN_MAX_FAILURES"]):
            assert _token(client, user.email, "wrong").status_code == 401
        locked = _token(client, user.email, TEST_PASSWORD)
        assert locked.status_code == 429
        waits.append(int(locked.headers["Retry-After"]))
        clock.now += waits[-1]
    expected = [min(first * 2**n, window) for n in range(6)]
    assert [wait - 1 for wait in waits] == expected
    assert _token(client, user.email, TEST_PASSWORD).status_code == 201
    # A success clears the account's counter and its backoff.
    assert db.session.get(LoginThrottle, f"account:{user.email}") is None


def test_failures_older_than_the_window_are_forgotten(app, client, make_org, make_user, clock):
    user = make_user(make_org())
    for _ in range(4):
        assert _token(client, user.email, "wrong").status_code == 401
    clock.now += app.config["INVOLVE"]["LOGIN_FAILURE_WINDOW_SECONDS"] + 1
    for _ in range(5):
        assert _token(client, user.email, "wrong").status_code == 401
    assert _token(client, user.email, "wrong").status_code == 429


@pytest.mark.parametrize("proxies", [0, 1])
def test_forwarded_for_is_believed_only_from_a_configured_proxy(database_config, proxies):
    app = create_app({**database_config, "PROXY_FIX_X_FOR": proxies})
    with app.app_context():
        client = app.test_client()
        _token(client, "stranger@example.org", "x", **{"X-Forwarded-For": "203.0.113.9"})
        address = "203.0.113.9" if proxies else "127.0.0.1"
        try:
            assert db.session.get(LoginThrottle, f"address:{address}") is not None
        finally:
            db.session.execute(db.delete(LoginThrottle))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


# -- concurrency, on a real server with its own database -------------------------------------


@pytest.fixture(params=["database", "redis"])
def counting_server(request):
    extra = {"REDIS_URL": request.getfixturevalue("redis_url")} if request.param == "redis" else {}
    with fresh_database("involve_throttle") as config:
        app = create_app({**config, **extra})
        with app.app_context():
            org = Organisation(slug="throttle-homes", name="Throttle Homes")
            db.session.add(org)
            db.session.flush()
            user = User(
                email="busy.officer@example.org",
                name="Busy Officer",
                password_hash=hash_password(TEST_PASSWORD),
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="staff"))
            db.session.commit()
            email = user.email
            if extra:
                from core.jobs import redis_connection

                redis_connection().delete(throttle.REDIS_PREFIX + throttle.account_key(email))
        with serving(app) as base:
            yield base, email


def _post_token(base: str, email: str, password: str) -> int:
    request = urllib.request.Request(  # noqa: S310  (a local test server)
        f"{base}/api/v1/tokens",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  (a local test server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_forty_concurrent_wrong_passwords_check_only_the_limit(counting_server):
    base, email = counting_server
    barrier = threading.Barrier(40)

    def attempt(_):
        barrier.wait(timeout=30)
        return _post_token(base, email, "not it")

    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(attempt, range(40)))
    assert sorted(set(codes)) == [401, 429], codes
    assert codes.count(401) == 5  # exactly LOGIN_MAX_FAILURES passwords were checked
    assert _post_token(base, email, TEST_PASSWORD) == 429  # locked, even with the right password


def test_redis_down_falls_back_to_the_database(database_config, make_org, make_user, db_session):
    app = create_app({**database_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    with app.app_context():
        assert throttle.reserve("account:redis-down@example.org").allowed
        assert db.session.get(LoginThrottle, "account:redis-down@example.org") is not None
        db.session.execute(db.delete(LoginThrottle))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
