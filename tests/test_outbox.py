"""The job outbox: a job is recorded with the write that asks for it, so none is lost while Redis
is away, and reaches rq exactly once when Redis is back.

Redis faults are real: a closed local port (Redis stopped) and a local server that accepts
connections and never answers (Redis hung). The shared Redis is never stopped; tests that need
a working Redis use it (``INVOLVE_TEST_REDIS_URL``, db 15) under queue names of their own.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest
from rq import Queue
from sqlalchemy import select

from core.jobs import enqueue, get_queue
from core.models import JobOutbox, Organisation
from core.outbox import RedisUnavailable, push, relay_outbox, waiting_count
from core.tenancy import organisation_scope
from tests.example_plugin.models import ExampleNote


def closed_port_url() -> str:
    """A Redis URL on a local port nobody listens on: connections are refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/15"


@contextlib.contextmanager
def silent_server():
    """A local TCP server that accepts connections and never replies: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/15"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


@contextlib.contextmanager
def unreachable(kind: str):
    if kind == "stopped":
        yield closed_port_url()
    else:
        with silent_server() as url:
            yield url


@pytest.fixture
def use_redis(app, redis_queue_prefix):
    """``use_redis(url)`` points the app's jobs at ``url`` (short timeouts, this test's queues)."""
    settings = app.config["INVOLVE"]
    state = app.extensions["involve"]
    saved = {key: settings[key] for key in ("REDIS_URL", "REDIS_TIMEOUT_MS", "JOB_QUEUE_PREFIX")}
    saved_connection = state.redis

    def point_at(url: str, timeout_ms: int = 300) -> None:
        _close(state.redis, saved_connection)
        settings.update(REDIS_URL=url, REDIS_TIMEOUT_MS=timeout_ms, JOB_QUEUE_PREFIX=redis_queue_prefix)
        state.redis = None

    yield point_at
    _close(state.redis, saved_connection)
    settings.update(saved)
    state.redis = saved_connection


def _close(connection, keep) -> None:
    if connection is not None and connection is not keep:
        connection.close()
        connection.connection_pool.disconnect()


def outbox_rows(db_session):
    return db_session.scalars(select(JobOutbox).order_by(JobOutbox.id)).all()


def notes(db_session, org):
    with organisation_scope(org.id):
        return db_session.scalars(select(ExampleNote.body).order_by(ExampleNote.id)).all()


@pytest.fixture
def reward_officer(make_org, make_user, api_client):
    """An organisation running the reward points scheme (its yearly conversion is a queued job)."""
    from plugins.reward_points.tests.conftest import settings

    org = make_org(plugins={"reward_points": settings()})
    return org, api_client(make_user(org, "org_admin"))


def convert(org, api):
    url = f"/api/v1/orgs/{org.slug}/plugins/reward_points/conversions"
    started = time.monotonic()
    response = api.post(url, json={"scheme_year": "2025-26"})
    return response, time.monotonic() - started


# -- the write succeeds and its job waits ---------------------------------------------------


@pytest.mark.parametrize("fault", ["stopped", "hung"])
def test_a_write_whose_job_cannot_reach_redis_succeeds_and_keeps_the_job(
    fault, reward_officer, use_redis, db_session
):
    org, api = reward_officer
    with unreachable(fault) as url:
        use_redis(url, timeout_ms=300)
        response, took = convert(org, api)
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json() == {"scheme_year": "2025-26", "status": "queued"}
    assert took < 5, f"the request waited {took:.1f}s for Redis"
    (row,) = outbox_rows(db_session)
    assert (row.kind, row.organisation_id, row.arguments) == (
        "reward_points.convert_year",
        org.id,
        {"scheme_year": "2025-26"},
    )
    assert row.delivered_at is None and row.attempts == 1
    assert ("Timeout" if fault == "hung" else "Connection") in row.last_error


def test_a_hung_redis_costs_a_request_about_one_timeout(reward_officer, use_redis):
    org, api = reward_officer
    with silent_server() as url:
        use_redis(url, timeout_ms=400)
        response, took = convert(org, api)
    assert response.status_code == 202
    assert 0.3 < took < 2.5, f"one Redis timeout (0.4s) expected, the request took {took:.2f}s"


def test_a_rolled_back_write_leaves_no_job_in_the_outbox(make_org, db_session):
    org = make_org(plugins=["example"])
    db_session.add(Organisation(slug="never-saved", name="x"))
    enqueue("example.summarise", org_id=org.id)
    db_session.rollback()
    db_session.commit()
    assert outbox_rows(db_session) == []
    assert notes(db_session, org) == ["Welcome"]


def test_job_arguments_must_be_json_values(make_org, db_session):
    from datetime import date

    from core.jobs import JobRefused

    org = make_org(plugins=["example"])
    with pytest.raises(JobRefused, match="JSON"):
        enqueue("example.summarise", org_id=org.id, today=date(2026, 1, 1))


# -- the embedded default: delivered right after the commit, in-process ------------------------


def test_in_process_jobs_go_through_the_outbox_and_run_at_commit(make_org, db_session):
    org = make_org(plugins=["example"])
    db_session.add(Organisation(slug="another-write", name="x"))
    enqueue("example.summarise", org_id=org.id)
    (row,) = outbox_rows(db_session)
    assert row.delivered_at is None  # recorded, not yet run: the transaction is open
    db_session.commit()
    assert notes(db_session, org) == ["Welcome", f"{org.slug} has 1 notes"]
    db_session.expire_all()
    assert outbox_rows(db_session)[0].delivered_at is not None
    assert waiting_count() == 0


# -- Redis back: delivered exactly once ----------------------------------------------------------


def test_jobs_kept_while_redis_was_away_are_delivered_once_when_it_is_back(
    make_org, use_redis, redis_url, db_session
):
    org = make_org(plugins=["example"])
    use_redis(closed_port_url())
    db_session.add(Organisation(slug="written-while-down", name="x"))
    enqueue("example.summarise", org_id=org.id)
    db_session.commit()
    with pytest.raises(RedisUnavailable):
        relay_outbox()
    (row,) = outbox_rows(db_session)
    assert row.delivered_at is None and row.attempts == 2

    use_redis(redis_url)
    assert list(relay_outbox().delivered) == [row.job_id]
    assert relay_outbox().delivered == {}  # nothing left to deliver
    queue = get_queue("default")
    assert queue.job_ids == [row.job_id]

    job, _ = Queue.dequeue_any([queue], None, connection=queue.connection)
    job.perform()
    assert notes(db_session, org) == ["Welcome", f"{org.slug} has 1 notes"]
    db_session.expire_all()
    assert outbox_rows(db_session)[0].delivered_at is not None


def test_a_row_delivered_but_not_marked_is_not_queued_twice(make_org, use_redis, redis_url, db_session):
    org = make_org(plugins=["example"])
    use_redis(redis_url)
    db_session.add(Organisation(slug="pushed-twice", name="x"))
    enqueue("example.summarise", org_id=org.id)
    db_session.commit()
    (row,) = outbox_rows(db_session)
    queue = get_queue("default")
    assert queue.job_ids == [row.job_id]
    # The process died between pushing to Redis and marking the row: the relay pushes it again,
    # even after rq has run the job and forgotten it.
    queue.connection.delete(f"rq:job:{row.job_id}")
    queue.empty()
    assert push(row) is None
    assert queue.job_ids == []


def test_jobs_daily_records_the_days_jobs_and_exits_non_zero_while_redis_is_away(
    app, make_org, use_redis, db_session
):
    make_org()
    for fault in ("stopped", "hung"):
        with unreachable(fault) as url:
            use_redis(url, timeout_ms=300)
            started = time.monotonic()
            result = app.test_cli_runner().invoke(args=["jobs", "daily"])
            took = time.monotonic() - started
        assert result.exit_code == 1, result.output
        assert "is not reachable" in result.output and "kept in the outbox" in result.output
        assert "flask --app wsgi worker" in result.output
        assert took < 5, f"jobs daily waited {took:.1f}s for Redis"
    assert waiting_count() > 0


# -- the worker's relay --------------------------------------------------------------------------


def test_an_idle_worker_wakes_up_to_relay_the_outbox(app, use_redis, redis_url):
    from core.jobs import redis_connection
    from core.worker import RelayingWorker

    use_redis(redis_url)
    with app.app_context():
        worker = RelayingWorker(
            [get_queue("default")], connection=redis_connection(), app=app, relay_interval=30
        )
    assert worker.maintenance_interval == 30 and worker.dequeue_timeout == 30
    # rq raises the web processes' short reply timeout above its blocking wait for jobs.
    assert worker.connection.connection_pool.connection_kwargs["socket_timeout"] > worker.dequeue_timeout


def test_a_worker_relay_pass_survives_redis_being_away(app, make_org, use_redis, db_session, caplog):
    from core.worker import relay_and_recover

    org = make_org(plugins=["example"])
    use_redis(closed_port_url())
    db_session.add(Organisation(slug="relay-while-down", name="x"))
    enqueue("example.summarise", org_id=org.id)
    db_session.commit()
    caplog.clear()
    relay_and_recover(app)
    assert "Redis is unavailable" in caplog.text
    (row,) = outbox_rows(db_session)
    assert row.delivered_at is None and row.attempts == 2
