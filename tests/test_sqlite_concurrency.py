"""The embedded default holds a small team: on SQLite, clients creating, listing and deleting
areas at once against a real threaded server get no server error, and a request that meets the
write lock waits for it, is run once more, and at worst answers 503 — never a 500.

These tests need committed transactions seen by several connections, so they use a SQLite file
of their own (not the rolled-back ``db_session``).
"""

import sqlite3
import threading
import time

import pytest

from bench.load_drill import SLUG, run_clients, seed
from core.testing import backend

pytestmark = pytest.mark.skipif(backend() != "sqlite", reason="SQLite's own locking")


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    from core.testing import base_config, migrate

    path = tmp_path_factory.mktemp("locking") / "team.db"
    config = base_config(f"sqlite:///{path}")
    migrate(config)
    return path, config


def make_app(config, **changes):
    from core.app import create_app

    return create_app({**config, **changes})


@pytest.fixture(scope="module")
def team(sqlite_file):
    """The app over the file, with an organisation and eight members holding API tokens."""
    path, config = sqlite_file
    app = make_app(config)
    members = seed(app, 8)
    yield app, members, path
    dispose(app)


def dispose(app):
    from core.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_eight_clients_creating_listing_and_deleting_areas_get_no_server_error(team):
    from core.testing import serving

    app, members, _path = team
    with serving(app) as base_url:
        tally = run_clients(base_url, members, seconds=8, scenario="crud")
    assert tally.requests > 100
    assert (tally.server_errors, tally.errors, tally.examples) == (0, 0, [])


def test_a_writing_request_takes_the_write_lock_when_it_begins(team, monkeypatch):
    import core.sqlite_locking as locking

    app, members, _path = team
    begins = []
    real_begin = locking.begin
    client = app.test_client()
    headers = {"Authorization": f"Bearer {members[0]['token']}"}

    def spy(connection):
        begins.append(locking.may_write())
        real_begin(connection)

    monkeypatch.setattr(locking, "begin", spy)
    assert client.get(f"/api/v1/orgs/{SLUG}/areas", headers=headers).status_code == 200
    reading = list(begins)
    begins.clear()
    created = client.post(
        f"/api/v1/orgs/{SLUG}/areas", json={"name": "Lock", "kind": "street"}, headers=headers
    )
    assert created.status_code == 201
    writing = list(begins)
    assert reading and not any(reading)
    assert writing and all(writing)


@pytest.fixture
def impatient(sqlite_file, team):
    """The same file through an app that waits only 300 ms for a lock."""
    _path, config = sqlite_file
    app = make_app(config, SQLITE_BUSY_TIMEOUT_MS=300)
    yield app
    dispose(app)


def hold_write_lock(path, seconds):
    """Another process's writer: holds SQLite's write lock for ``seconds`` in a thread."""
    ready = threading.Event()

    def hold():
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(5)
    return thread


def test_a_lock_held_past_the_retry_is_503_with_retry_after_not_500(impatient, team):
    _app, members, path = team
    headers = {"Authorization": f"Bearer {members[1]['token']}"}
    holder = hold_write_lock(path, 2.5)
    try:
        started = time.monotonic()
        response = impatient.test_client().post(
            f"/api/v1/orgs/{SLUG}/areas", json={"name": "Busy", "kind": "street"}, headers=headers
        )
        waited = time.monotonic() - started
    finally:
        holder.join()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["error"]["code"] == "database_busy"
    assert waited >= 0.55  # it waited for the lock twice: the first attempt and the retry


def test_a_lock_released_before_the_retry_ends_is_a_success(impatient, team):
    _app, members, path = team
    headers = {"Authorization": f"Bearer {members[2]['token']}"}
    holder = hold_write_lock(path, 0.45)
    try:
        response = impatient.test_client().post(
            f"/api/v1/orgs/{SLUG}/areas", json={"name": "Patient", "kind": "street"}, headers=headers
        )
    finally:
        holder.join()
    assert response.status_code == 201, response.get_json()


def test_writers_of_one_process_take_turns_in_the_order_they_came():
    from core.sqlite_locking import _WritersQueue

    queue, order, started = _WritersQueue(), [], []
    assert queue.take(1)

    def writer(n):
        started.append(n)
        assert queue.take(5)
        order.append(n)
        queue.give_back()

    threads = []
    for n in range(5):
        threads.append(threading.Thread(target=writer, args=(n,)))
        threads[-1].start()
        while len(started) <= n:
            time.sleep(0.001)
        time.sleep(0.02)  # queued behind the earlier ones
    queue.give_back()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4]
    assert queue.take(0) and not queue.take(0.01)  # a turn not had in time is given up


def test_a_job_queued_by_a_write_request_runs_in_process_and_writes(team):
    """Without Redis, the job runs right after the request commits, in its own session: the
    outbox's delivery must not be holding SQLite's write lock then (it did: 'database is locked',
    and the job stayed in the outbox)."""
    from sqlalchemy import select

    from core.extensions import db
    from core.models.outbox import JobOutbox

    app, members, _path = team
    client = app.test_client()
    headers = {"Authorization": f"Bearer {members[0]['token']}"}
    base = f"/api/v1/orgs/{SLUG}/kpis"
    response = client.post(f"{base}/refresh", json={"period": "2024-25"}, headers=headers)
    assert response.status_code == 202
    stored = client.get(f"{base}?period=2024-25&stored=true", headers=headers).get_json()
    assert stored["kpis"] and stored["as_of"]
    with app.app_context():
        waiting = db.session.scalars(select(JobOutbox).where(JobOutbox.delivered_at.is_(None))).all()
        assert waiting == []
