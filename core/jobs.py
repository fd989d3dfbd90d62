"""Background jobs on rq: job kinds, ``enqueue(name, org_id=…)`` and the wrapper every job runs in.

* A job kind declares its timeout, retries and queue (``high``, ``default``, ``reports``).
* ``enqueue`` takes the organisation explicitly and records the job in the outbox, in the
  transaction that asked for it: a rollback drops it, a commit keeps it even while Redis is away
  (``core.outbox`` delivers it to rq after the commit, or later from the worker's relay).
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
from rq import Queue
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
    """The Redis connection for rq: the configured server, or the app's in-process stand-in.

    A real server is reached with short timeouts (``REDIS_TIMEOUT_MS``) and no retries, so a web
    request whose Redis is down or hung gives up quickly and leaves its jobs in the outbox. A
    worker raises the reply timeout above its blocking wait when it starts (rq does so).
    """
    app = app or current_app
    state = app.extensions["involve"]
    if state.redis is None:
        url = app.config["INVOLVE"]["REDIS_URL"]
        if url:
            from redis import Redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry as RedisRetry

            seconds = app.config["INVOLVE"]["REDIS_TIMEOUT_MS"] / 1000
            state.redis = Redis.from_url(
                url,
                socket_connect_timeout=seconds,
                socket_timeout=seconds,
                retry=RedisRetry(NoBackoff(), 0),
            )
        else:
            import fakeredis

            state.redis = fakeredis.FakeStrictRedis()
    return state.redis


def queue_name(name: str, app=None) -> str:
    """The rq queue's name in Redis: the priority, after this instance's ``JOB_QUEUE_PREFIX``."""
    app = app or current_app
    return f"{app.config['INVOLVE']['JOB_QUEUE_PREFIX']}{name}"


def get_queue(name: str = "default", app=None) -> Queue:
    app = app or current_app
    if app.config["INVOLVE"]["REDIS_URL"]:
        return Queue(queue_name(name, app), connection=redis_connection(app))
    # In-process: jobs may run in a web server's thread, where SIGALRM timeouts cannot work.
    return Queue(
        queue_name(name, app),
        connection=redis_connection(app),
        is_async=False,
        death_penalty_class=TimerDeathPenalty,
    )


def enqueue(name: str, *, org_id: int, **kwargs: Any):
    """Run job kind ``name`` for organisation ``org_id`` once the current transaction commits.

    The job is written to the outbox (``job_outbox``) in the current transaction, so it commits
    or rolls back with the write that asked for it; after the commit it is handed to rq, or, if
    Redis is away, left for the worker's relay. ``kwargs`` must be JSON values.

    With no transaction open the job is recorded and delivered at once; the rq job is returned
    when it reached Redis. Inside a transaction the result is None.
    """
    if not isinstance(org_id, int):
        raise JobRefused(f"job {name} needs an explicit integer org_id")
    kind = current_app.extensions["involve"].jobs.get(name)
    from core.extensions import db
    from core.outbox import record

    session = db.session()
    already_open = session.in_transaction()
    job_id = record(session, kind.name, org_id, kwargs)
    if already_open:
        return None
    session.commit()
    return session.info.pop("outbox_delivered", {}).get(job_id)


@event.listens_for(Session, "after_commit")
def _deliver_recorded_jobs(session: Session) -> None:
    recorded = session.info.pop("outbox_recorded", [])
    if not recorded:
        return
    from core.outbox import deliver_after_commit

    session.info["outbox_delivered"] = deliver_after_commit(recorded)


@event.listens_for(Session, "after_rollback")
def _drop_recorded_jobs(session: Session) -> None:
    session.info.pop("outbox_recorded", None)


def run_job(name: str, org_id: int, kwargs: dict[str, Any]) -> Any:
    """The function rq executes: app context, organisation scope, plugin check, one commit.

    The app is the caller's: the enqueuing app when jobs run in-process, the worker's app in
    ``flask --app wsgi worker`` (``core.worker.RelayingWorker`` runs every job inside it). This
    module never builds an app itself.
    """
    from core.sqlite_locking import write_transactions

    if not has_app_context():
        raise JobRefused(f"job {name} refused: run it in `flask --app wsgi worker`, which provides the app")
    # A job gets its own context, hence its own database session, whoever runs it.
    with current_app.app_context(), write_transactions():
        return _run_in_context(name, org_id, kwargs)


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
