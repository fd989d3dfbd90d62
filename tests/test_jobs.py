"""Jobs: enqueued after commit, run in the organisation's scope, refused when they may not run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.jobs import JobRefused, enqueue, get_queue
from core.models import Organisation
from core.tenancy import organisation_scope
from core.testing import base_config, migrate
from tests.example_plugin.models import ExampleNote

ROOT = Path(__file__).resolve().parent.parent


def notes(db_session, org):
    with organisation_scope(org.id):
        return db_session.scalars(select(ExampleNote.body).order_by(ExampleNote.id)).all()


def test_job_runs_in_process_after_commit(make_org, db_session):
    org = make_org(plugins=["example"])
    db_session.add(Organisation(slug="unrelated-write", name="x"))  # opens a transaction
    enqueue("example.summarise", org_id=org.id)
    assert notes(db_session, org) == ["Welcome"]  # not yet: the transaction is open
    db_session.commit()
    assert notes(db_session, org) == ["Welcome", f"{org.slug} has 1 notes"]


def test_rollback_drops_the_job(make_org, db_session):
    org = make_org(plugins=["example"])
    db_session.add(Organisation(slug="rolled-back", name="x"))
    enqueue("example.summarise", org_id=org.id)
    db_session.rollback()
    db_session.commit()
    assert notes(db_session, org) == ["Welcome"]


def test_job_needs_an_explicit_integer_organisation(make_org):
    with pytest.raises(JobRefused):
        enqueue("example.summarise", org_id=None)
    with pytest.raises(JobRefused, match="unknown job kind"):
        enqueue("example.nothing", org_id=1)


def run_now(db_session, caplog, org_id, **kwargs) -> str:
    """Enqueue, commit (which dispatches), and return what the job logged as its failure."""
    caplog.clear()
    enqueue("example.summarise", org_id=org_id, **kwargs)
    db_session.commit()
    return " ".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")


def test_job_of_a_disabled_plugin_refuses_to_run(make_org, db_session, caplog):
    org = make_org()
    assert "plugin example is not enabled" in run_now(db_session, caplog, org.id)
    assert notes(db_session, org) == []


def test_job_for_a_suspended_organisation_refuses_to_run(make_org, db_session, caplog):
    org = make_org(plugins=["example"], status="suspended")
    assert "suspended" in run_now(db_session, caplog, org.id)


def test_a_crashing_job_leaves_nothing_written(make_org, db_session, caplog):
    org = make_org(plugins=["example"])
    assert "failed after writing" in run_now(db_session, caplog, org.id, fail=True)
    assert notes(db_session, org) == ["Welcome"]


def test_job_kinds_declare_timeout_retries_and_queue(app):
    kind = app.extensions["involve"].jobs.get("example.summarise")
    assert (kind.timeout, kind.retries, kind.queue, kind.plugin) == (30, 1, "default", "example")


# -- a real Redis and a real worker process --------------------------------------------------


@pytest.fixture
def redis_world(tmp_path, redis_url, redis_queue_prefix):
    """A committed database another process can read, and an app that queues on real Redis."""
    from core.app import create_app
    from core.extensions import db
    from core.services.plugin_state import set_plugin_state

    if os.environ.get("INVOLVE_TEST_BACKEND") == "postgresql":
        from core.testing import _pg_config, postgres_database

        manager = postgres_database("involve_jobs")
        urls = manager.__enter__()
        config = _pg_config(urls, REDIS_URL=redis_url, JOB_QUEUE_PREFIX=redis_queue_prefix)
    else:
        manager = None
        config = base_config(
            f"sqlite:///{tmp_path / 'jobs.db'}", REDIS_URL=redis_url, JOB_QUEUE_PREFIX=redis_queue_prefix
        )
    migrate(config)
    app = create_app(config)
    with app.app_context():
        org = Organisation(slug="queued", name="Queued Homes")
        db.session.add(org)
        db.session.commit()
        with organisation_scope(org.id):
            set_plugin_state(app.extensions["involve"].plugins, org, "example", enabled=True, settings={})
        db.session.commit()
        yield app, config, org.id
        db.session.remove()
        db.engine.dispose()
    if manager is not None:
        manager.__exit__(None, None, None)


def _worker_env(config):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("INVOLVE_") or k.startswith("INVOLVE_TEST_")
    }
    env.update(
        INVOLVE_ENV="testing",
        INVOLVE_DATABASE_URL=config["DATABASE_URL"],
        INVOLVE_REDIS_URL=config["REDIS_URL"],
        INVOLVE_JOB_QUEUE_PREFIX=config["JOB_QUEUE_PREFIX"],
        INVOLVE_PLUGIN_MODULES='{"example": "tests.example_plugin"}',
        INVOLVE_LOG_LEVEL="WARNING",
    )
    return env


def test_job_runs_through_real_redis_and_a_worker_process(redis_world):
    from core.extensions import db

    app, config, org_id = redis_world
    with app.app_context():
        job = enqueue("example.summarise", org_id=org_id)
        assert job.get_status() == "queued"
        assert job.timeout == 30 and job.retries_left == 1
        with organisation_scope(org_id):
            assert db.session.scalars(select(ExampleNote.body)).all() == ["Welcome"]
        db.session.remove()
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"],
        cwd=ROOT,
        env=_worker_env(config),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with app.app_context():
        job.refresh()
        assert job.get_status() == "finished", result.stderr
        with organisation_scope(org_id):
            bodies = db.session.scalars(select(ExampleNote.body).order_by(ExampleNote.id)).all()
        assert bodies == ["Welcome", "queued has 1 notes"]
        assert get_queue("default").count == 0


def test_worker_refuses_to_start_without_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 1 and "REDIS_URL is not set" in result.output


def test_a_plugins_daily_job_is_queued_only_for_organisations_enabling_it(app, make_org):
    """A job kind from ``register_jobs`` runs daily only where its plugin is enabled."""
    from core.core_jobs import enqueue_daily_jobs
    from core.jobs import JobKind

    ran = []
    registry = app.extensions["involve"].jobs
    registry.add(
        JobKind("example.daily_check", lambda organisation: ran.append(organisation.id), daily=True),
        "example",
    )
    try:
        on, off = make_org(plugins=["example"]), make_org()
        queued = enqueue_daily_jobs()
        assert ("example.daily_check", on.id) in queued
        assert ("example.daily_check", off.id) not in queued
        assert ("kpis.snapshot", off.id) in queued
        assert on.id in ran and off.id not in ran  # in-process jobs ran on commit
    finally:
        registry.kinds.pop("example.daily_check")


# -- the worker relays the outbox and recovers jobs whose worker died --------------------------


def _run_worker(config, *args, **options):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", *args],
        cwd=ROOT,
        env=_worker_env(config),
        capture_output=True,
        text=True,
        timeout=120,
        **options,
    )


def _summaries(app, org_id):
    from core.extensions import db

    with app.app_context(), organisation_scope(org_id):
        bodies = db.session.scalars(select(ExampleNote.body).order_by(ExampleNote.id)).all()
        db.session.remove()
    return bodies


def test_the_worker_delivers_jobs_kept_while_redis_was_away(redis_world):
    import socket

    from core.extensions import db
    from core.models import JobOutbox

    app, config, org_id = redis_world
    state, settings = app.extensions["involve"], app.config["INVOLVE"]
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed = f"redis://127.0.0.1:{probe.getsockname()[1]}/15"
    probe.close()
    with app.app_context():
        settings["REDIS_URL"], state.redis = closed, None  # Redis stopped while the write happens
        try:
            assert enqueue("example.summarise", org_id=org_id) is None
        finally:
            state.redis.connection_pool.disconnect()
            settings["REDIS_URL"], state.redis = config["REDIS_URL"], None
        assert db.session.scalars(select(JobOutbox.delivered_at)).all() == [None]
        db.session.remove()

    result = _run_worker(config, "--burst")
    assert result.returncode == 0, result.stderr
    assert _summaries(app, org_id) == ["Welcome", "queued has 1 notes"]
    with app.app_context():
        assert None not in db.session.scalars(select(JobOutbox.delivered_at)).all()
        db.session.remove()


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_job_whose_worker_was_killed_is_retried_once_its_heartbeat_is_stale(redis_world, tmp_path):
    import signal
    import time

    from rq.job import Job

    from core.outbox import recover_abandoned_jobs

    app, config, org_id = redis_world
    pause = tmp_path / "pause"
    pause.touch()
    with app.app_context():
        job = enqueue("example.summarise", org_id=org_id, pause_file=str(pause))
        connection = job.connection
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"],
        cwd=ROOT,
        env=_worker_env(config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "pause.reached").exists():
            assert time.monotonic() < deadline and worker.poll() is None, "the job never started"
            time.sleep(0.05)
    finally:
        # The worker and its work horse (a child in a session of its own) die mid-job.
        for pid in [*_children(worker.pid), worker.pid]:
            os.kill(pid, signal.SIGKILL)
        worker.wait()
    pause.unlink()
    assert Job.fetch(job.id, connection=connection).get_status() == "started"
    assert _summaries(app, org_id) == ["Welcome"]  # the dead job's write was never committed

    with app.app_context():
        assert recover_abandoned_jobs() == []  # heartbeat still recent: it may be alive
        stale = recover_abandoned_jobs(now=time.time() + 30 * 60)
    assert [(a.job_id, a.outcome) for a in stale] == [(job.id, "retried")]

    time.sleep(1.5)  # the kind's retry interval (1 s)
    result = _run_worker(config, "--burst")
    assert result.returncode == 0, result.stderr
    job = Job.fetch(job.id, connection=connection)
    assert job.get_status() == "finished" and job.retries_left == 0
    assert _summaries(app, org_id) == ["Welcome", "queued has 1 notes"]  # once, not twice
