"""The residents' form limits on a real Redis (``INVOLVE_TEST_REDIS_URL``), not mocks: two app
instances sharing one Redis (as two web processes behind a load balancer do) share the counts, so
the limit per client address and per consultation holds whichever instance a form reaches, and no
count lands in the database's fallback table."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from redis import Redis
from sqlalchemy import select

from core import plugin_kit, throttle
from core.app import create_app
from core.extensions import db
from core.models import Consultation, LoginThrottle, Organisation
from core.public import guard
from core.tenancy import organisation_scope
from core.testing import fresh_database


@pytest.fixture
def two_instances(redis_url, monkeypatch):
    """Two instances of the app over one migrated database and one Redis, with a landlord whose
    consultation is open. Every Redis key of the test has a prefix of its own, deleted afterwards."""
    prefix = f"involve:test-public-{uuid.uuid4().hex[:10]}:"
    monkeypatch.setattr(throttle, "REDIS_PREFIX", prefix)
    with fresh_database("involve_public_throttle") as config:
        shared = {**config, "REDIS_URL": redis_url, "SECRET_KEY": uuid.uuid4().hex * 2}
        apps = [create_app(shared), create_app(shared)]
        for app in apps:
            app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
        with apps[0].app_context():
            landlord = Organisation(slug="shared-redis-homes", name="Shared Redis Homes")
            db.session.add(landlord)
            db.session.flush()
            today = plugin_kit.today()
            with organisation_scope(landlord.id):
                consultation = Consultation(
                    title="Bin stores",
                    topic="estates",
                    opens_on=today - timedelta(days=1),
                    closes_on=today + timedelta(days=20),
                    feedback_due_on=today + timedelta(days=100),
                )
                db.session.add(consultation)
                db.session.commit()
                consultation_id = consultation.id
        try:
            yield apps, f"/p/shared-redis-homes/consultations/{consultation_id}", prefix
        finally:
            for app in apps:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()
            connection = Redis.from_url(redis_url)
            try:
                for key in connection.scan_iter(match=f"{prefix}*"):
                    connection.delete(key)
            finally:
                connection.close()


def _answer(app, path: str, address: str) -> int:
    """One resident's visit to one instance: show the form, then send it from ``address``."""
    client = app.test_client()
    environ = {"REMOTE_ADDR": address}
    html = client.get(path, environ_base=environ).get_data(as_text=True)
    form = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("csrf_token", "submission_token", "form_started")
    }
    return client.post(path, data={**form, "answer": "Lids please"}, environ_base=environ).status_code


def _database_counts(app) -> list[str]:
    with app.app_context():
        keys = list(db.session.scalars(select(LoginThrottle.key).where(LoginThrottle.key.like("public-%"))))
        db.session.remove()
        return keys


def test_the_limit_per_address_holds_across_instances_sharing_redis(two_instances, monkeypatch, redis_url):
    apps, path, prefix = two_instances
    monkeypatch.setattr(guard, "ADDRESS_LIMITS", throttle.Limits(2, lockout_seconds=60, window_seconds=600))
    monkeypatch.setattr(guard, "TARGET_LIMITS", throttle.Limits(100, lockout_seconds=60, window_seconds=600))
    # One household's address, its forms reaching the two instances in turn.
    statuses = [_answer(apps[i % 2], path, "198.51.100.7") for i in range(4)]
    assert statuses == [303, 303, 429, 429]
    # Another address is not held back by that one, on either instance.
    assert _answer(apps[1], path, "198.51.100.8") == 303
    connection = Redis.from_url(redis_url)
    try:
        held = connection.hgetall(f"{prefix}public-address:198.51.100.7")
    finally:
        connection.close()
    assert float(held[b"locked_until"]) > 0  # the lock lives in Redis, where both instances read it
    assert _database_counts(apps[0]) == []


def test_the_limit_per_consultation_holds_across_instances_sharing_redis(two_instances, monkeypatch):
    apps, path, _prefix = two_instances
    monkeypatch.setattr(guard, "ADDRESS_LIMITS", throttle.Limits(100, lockout_seconds=60, window_seconds=600))
    monkeypatch.setattr(guard, "TARGET_LIMITS", throttle.Limits(3, lockout_seconds=60, window_seconds=600))
    # A flood from many addresses, spread over both instances: the consultation's count is shared.
    statuses = [_answer(apps[i % 2], path, f"203.0.113.{10 + i}") for i in range(5)]
    assert statuses == [303, 303, 303, 429, 429]
    assert _database_counts(apps[1]) == []
