"""Background jobs on rq: job kinds, ``enqueue(name, org_id=…)`` and the wrapper every job runs in.

* A job kind declares its timeout, retries and queue (``high``, ``default``, ``reports``).
* ``enqueue`` takes the organisation explicitly and holds the job until the transaction that
  asked for it commits; a rollback drops it.
* The wrapper builds (or reuses) the app, opens the organisation's scope, refuses to run for a
  suspended organisation or one that has not enabled the job's plugin, and commits the job's work
  once at the end (rolled back on any error, so a crash leaves nothing half-written).
* With no ``REDIS_URL`` the queue is rq's synchronous mode on an in-process fakeredis, so local
  use needs no server; with it, ``flask --app wsgi worker`` runs real rq workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from rq import Queue, Retry
from rq.timeouts import TimerDeathPenalty
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

QUEUES = ("high", "default", "reports")


class JobRefused(RuntimeError):
    """The job may not run (no organisation, suspended organisation, plugin not enabled)."""


@dataclass(frozen=True)
class JobKind:
    name: str
    func: Callable[..., Any]
    timeout: int = 300
    retries: int = 3
    retry_intervals: tuple[int, ...] = (10, 60, 300)
    queue: str = "default"
    plugin: str | None = None
    # Run once a day for every active organisation (enabling the plugin) by ``flask jobs daily``.
    # Daily jobs take only the organisation and must be idempotent: a second run adds nothing.
    daily: bool = False

    def __post_init__(self):
        if self.queue not in QUEUES:
            raise ValueError(f"job {self.name}: queue must be one of {QUEUES}")


class JobRegistry:
    def __init__(self) -> None:
        self.kinds: dict[str, JobKind] = {}

    def add(self, kind: JobKind, plugin: str | None = None) -> None:
        if plugin is not None:
            if not kind.name.startswith(f"{plugin}."):
                raise ValueError(f"plugin {plugin} job {kind.name}: prefix with '{plugin}.'")
            kind = JobKind(**{**kind.__dict__, "plugin": plugin})
        if kind.name in self.kinds:
            raise ValueError(f"job {kind.name} registered twice")
        self.kinds[kind.name] = kind

    def get(self, name: str) -> JobKind:
        try:
            return self.kinds[name]
        except KeyError:
            raise JobRefused(f"unknown job kind {name!r}") from None


def redis_connection(app=None):
    """The Redis connection for rq: the configured server, or the app's in-process stand-in."""
    app = app or current_app
    state = app.extensions["involve"]
    if state.redis is None:
        url = app.config["INVOLVE"]["REDIS_URL"]
        if url:
            from redis import Redis

            state.redis = Redis.from_url(url)
        else:
            import fakeredis

            state.redis = fakeredis.FakeStrictRedis()
    return state.redis


def get_queue(name: str = "default", app=None) -> Queue:
    app = app or current_app
    if app.config["INVOLVE"]["REDIS_URL"]:
        return Queue(name, connection=redis_connection(app))
    # In-process: jobs may run in a web server's thread, where SIGALRM timeouts cannot work.
    return Queue(
        name,
        connection=redis_connection(app),
        is_async=False,
        death_penalty_class=TimerDeathPenalty,
    )


def enqueue(name: str, *, org_id: int, **kwargs: Any):
    """Run job kind ``name`` for organisation ``org_id`` once the current transaction commits.

    Returns the rq job when it was dispatched at once (no transaction open), else None.
    """
    if not isinstance(org_id, int):
        raise JobRefused(f"job {name} needs an explicit integer org_id")
    kind = current_app.extensions["involve"].jobs.get(name)
    from core.extensions import db

    session = db.session()
    if session.in_transaction():
        session.info.setdefault("pending_jobs", []).append((kind.name, org_id, kwargs))
        return None
    return _dispatch(kind, org_id, kwargs)


def _dispatch(kind: JobKind, org_id: int, kwargs: dict[str, Any]):
    queue = get_queue(kind.queue)
    retry = Retry(max=kind.retries, interval=list(kind.retry_intervals)) if kind.retries else None
    job = queue.enqueue(
        run_job,
        kind.name,
        org_id,
        kwargs,
        job_timeout=kind.timeout,
        retry=retry,
        description=f"{kind.name} for organisation {org_id}",
    )
    if not queue.is_async and job.is_failed:
        # rq records an in-process failure on the job and returns; make it visible.
        result = job.latest_result()
        log.error(
            "job %s for organisation %s failed: %s",
            kind.name,
            org_id,
            result.exc_string if result else "unknown error",
        )
    return job


@event.listens_for(Session, "after_commit")
def _send_pending_jobs(session: Session) -> None:
    pending = session.info.pop("pending_jobs", [])
    if not pending:
        return
    jobs = current_app.extensions["involve"].jobs
    for name, org_id, kwargs in pending:
        _dispatch(jobs.get(name), org_id, kwargs)


@event.listens_for(Session, "after_rollback")
def _drop_pending_jobs(session: Session) -> None:
    session.info.pop("pending_jobs", None)


def run_job(name: str, org_id: int, kwargs: dict[str, Any]) -> Any:
    """The function rq executes: app context, organisation scope, plugin check, one commit."""
    from core.sqlite_locking import write_transactions

    if has_app_context():
        # In-process execution runs inside the enqueuing app: give the job its own context,
        # hence its own database session, as a worker would have.
        with current_app.app_context(), write_transactions():
            return _run_in_context(name, org_id, kwargs)
    from core.app import create_app

    app = _worker_app or create_app()
    with app.app_context(), write_transactions():
        return _run_in_context(name, org_id, kwargs)


_worker_app = None


def set_worker_app(app) -> None:
    """The worker process builds its app once and reuses it for every job."""
    global _worker_app
    _worker_app = app


def _run_in_context(name: str, org_id: int, kwargs: dict[str, Any]) -> Any:
    from core.extensions import db
    from core.models import Organisation
    from core.tenancy import organisation_scope

    if not isinstance(org_id, int):
        raise JobRefused(f"job {name} refused: no organisation id")
    kind = current_app.extensions["involve"].jobs.get(name)
    organisation = db.session.get(Organisation, org_id)
    if organisation is None or not organisation.is_active:
        raise JobRefused(f"job {name} refused: organisation {org_id} is missing or suspended")
    registry = current_app.extensions["involve"].plugins
    with organisation_scope(org_id):
        if kind.plugin and not registry.is_enabled(org_id, kind.plugin):
            raise JobRefused(f"job {name} refused: plugin {kind.plugin} is not enabled")
        try:
            result = kind.func(organisation=organisation, **kwargs)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    log.info("job %s for organisation %s done", name, org_id)
    return result
