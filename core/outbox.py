"""Delivering the job outbox to rq, and recovering jobs whose worker died.

``record`` adds a job to the outbox in the caller's transaction. After that transaction commits,
``deliver_after_commit`` pushes its jobs to rq at once, with the short Redis timeouts of the web
process; whatever Redis did not take stays in the table, and ``relay_outbox`` (run by
``flask worker`` every ``JOB_RELAY_INTERVAL_SECONDS`` and by ``flask jobs daily``) delivers it
when Redis is back. A failure to reach Redis is logged, never raised: the write has committed.

Exactly once into rq: every row carries its rq job id from the start, and pushing a row sets a
marker key in the same Redis transaction (``MULTI``) as the job, watched beforehand (``WATCH``).
A row pushed but not yet marked delivered in the database (the process died in between), or
pushed by two relays at once, is therefore queued once only.

``recover_abandoned_jobs`` finds jobs still "started" whose worker stopped sending heartbeats
(its execution's expiry in rq's StartedJobRegistry has passed) and hands them to rq's
abandoned-job handling: retried while the job kind's retries last, otherwise failed and logged.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from redis.exceptions import RedisError, WatchError
from rq import Retry
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from sqlalchemy import delete, func, select

from core.jobs import QUEUES, JobKind, JobRefused, get_queue, redis_connection, run_job
from core.models.base import utcnow
from core.models.outbox import JobOutbox

log = logging.getLogger(__name__)

# Redis remembers a delivered row this long; rows are pruned from the outbox a day earlier.
DELIVERED_MARKER_SECONDS = 8 * 24 * 3600
KEEP_DELIVERED = timedelta(days=7)
RELAY_BATCH = 500


class RedisUnavailable(RuntimeError):
    """Redis did not answer; the jobs stay in the outbox."""


def new_job_id() -> str:
    return f"involve-{uuid.uuid4().hex}"


def _marker(job_id: str) -> str:
    return f"involve:outbox:{job_id}"


def record(session, kind: str, org_id: int, arguments: dict[str, Any]) -> str:
    """Add the job to the outbox in ``session``'s transaction; returns its rq job id."""
    _check_json(kind, arguments)
    row = JobOutbox(job_id=new_job_id(), kind=kind, organisation_id=org_id, arguments=arguments, attempts=0)
    session.add(row)
    session.info.setdefault("outbox_recorded", []).append(row.job_id)
    return row.job_id


def _check_json(kind: str, arguments: dict[str, Any]) -> None:
    try:
        json.dumps(arguments)
    except (TypeError, ValueError):
        raise JobRefused(f"job {kind}: arguments must be JSON values (ids, strings, numbers)") from None


def push(row: JobOutbox) -> Job | None:
    """Hand one outbox row to rq; returns the rq job, or None when it had been handed over before."""
    kind: JobKind = current_app.extensions["involve"].jobs.get(row.kind)
    queue = get_queue(kind.queue)
    connection = queue.connection
    options = {
        "args": (kind.name, row.organisation_id, dict(row.arguments)),
        "job_id": row.job_id,
        "timeout": kind.timeout,
        "retry": Retry(max=kind.retries, interval=list(kind.retry_intervals)) if kind.retries else None,
        "description": f"{kind.name} for organisation {row.organisation_id}",
    }
    if not queue.is_async:
        # In-process: the job runs inside enqueue_call; the marker is set first so it runs once.
        if not connection.set(_marker(row.job_id), 1, nx=True, ex=DELIVERED_MARKER_SECONDS):
            return None
        job = queue.enqueue_call(run_job, **options)
        if job.is_failed:
            result = job.latest_result()
            log.error(
                "job %s for organisation %s failed: %s",
                kind.name,
                row.organisation_id,
                result.exc_string if result else "unknown error",
            )
        return job
    with connection.pipeline() as pipe:
        try:
            pipe.watch(_marker(row.job_id))
            if pipe.exists(_marker(row.job_id)):
                return None
            pipe.multi()
            pipe.set(_marker(row.job_id), 1, ex=DELIVERED_MARKER_SECONDS)
            job = queue.enqueue_call(run_job, pipeline=pipe, **options)
            pipe.execute()
        except WatchError:
            return None  # another relay delivered it meanwhile
    return job


@dataclass
class Delivery:
    """What one delivery pass did: jobs handed to rq, rows left waiting, and why."""

    delivered: dict[str, Job | None] = field(default_factory=dict)
    waiting: int = 0
    error: str | None = None


def _deliver(rows: Iterable[JobOutbox]) -> Delivery:
    """Push rows in order until Redis fails; record the outcome on the rows (caller commits)."""
    outcome = Delivery()
    rows = list(rows)
    for row in rows:
        if outcome.error is not None:
            outcome.waiting += 1
            continue
        try:
            outcome.delivered[row.job_id] = push(row)
        except RedisError as exc:
            outcome.error = f"{type(exc).__name__}: {exc}"[:300]
            outcome.waiting += 1
            row.attempts += 1
            row.last_error = outcome.error
        except JobRefused as exc:  # a kind no longer registered (its plugin was removed)
            row.attempts += 1
            row.last_error = str(exc)[:300]
            outcome.waiting += 1
            log.error("outbox job %s cannot be delivered: %s", row.job_id, exc)
        else:
            row.delivered_at = utcnow()
    return outcome


def deliver_after_commit(job_ids: list[str]) -> dict[str, Job | None]:
    """Deliver the jobs a transaction just committed. Never raises: the write has succeeded."""
    from core.extensions import db

    try:
        # A fresh app context is a fresh database session: the committing one cannot run SQL now.
        with current_app.app_context():
            rows = db.session.scalars(
                select(JobOutbox)
                .where(JobOutbox.job_id.in_(job_ids), JobOutbox.delivered_at.is_(None))
                .order_by(JobOutbox.id)
            ).all()
            # End this read before pushing. Without Redis, rq runs each job inside push(), in its
            # own session; on SQLite that job could not take the write lock while this session's
            # transaction (begun IMMEDIATE after a write request) still held it.
            db.session.expunge_all()
            db.session.rollback()
            outcome = _deliver(rows)
            for row in rows:
                db.session.merge(row)  # the outcome recorded on the rows, in a new transaction
            db.session.commit()
    except Exception:
        log.exception("outbox: delivering %d job(s) after commit failed; the relay will retry", len(job_ids))
        return {}
    if outcome.error is not None:
        log.warning(
            "Redis is unavailable (%s): %d job(s) kept in the outbox for the worker to deliver",
            outcome.error,
            outcome.waiting,
        )
    return outcome.delivered


def relay_outbox(limit: int = RELAY_BATCH) -> Delivery:
    """Deliver waiting outbox rows (oldest first) and prune rows delivered long ago.

    Runs in the caller's app context and commits. Raises :class:`RedisUnavailable` when Redis
    does not answer, after recording the attempt on the rows.
    """
    from core.extensions import db

    rows = db.session.scalars(
        select(JobOutbox).where(JobOutbox.delivered_at.is_(None)).order_by(JobOutbox.id).limit(limit)
    ).all()
    outcome = _deliver(rows)
    db.session.execute(
        delete(JobOutbox).where(JobOutbox.delivered_at < utcnow() - KEEP_DELIVERED),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    if outcome.delivered:
        log.info("outbox: %d job(s) delivered to rq", len(outcome.delivered))
    if outcome.error is not None:
        raise RedisUnavailable(outcome.error)
    return outcome


def waiting_count() -> int:
    """Outbox rows not yet handed to rq."""
    from core.extensions import db

    waiting = select(func.count()).select_from(JobOutbox).where(JobOutbox.delivered_at.is_(None))
    return db.session.scalar(waiting)


@dataclass(frozen=True)
class AbandonedJob:
    job_id: str
    queue: str
    outcome: str  # "retried" or "failed"


def recover_abandoned_jobs(now: float | None = None) -> list[AbandonedJob]:
    """Retry (or fail) every job left "started" by a worker that stopped sending heartbeats.

    A live worker pushes its job's expiry in the StartedJobRegistry forward on every heartbeat
    (every 30 s, by job timeout and monitoring interval); a job whose expiry has passed at
    ``now`` (Unix time, default the present) was abandoned. rq then retries it while the job
    kind's retries last (after the kind's retry interval), or moves it to the failed registry.
    """
    if not current_app.config["INVOLVE"]["REDIS_URL"]:
        return []  # in-process jobs run inside the request; there is no worker to die
    connection = redis_connection()
    found: list[AbandonedJob] = []
    for name in QUEUES:
        queue = get_queue(name)
        registry = StartedJobRegistry(queue=queue)
        expired = registry.get_expired_job_ids(now)
        # rq's own registry cleaning takes the same lock: two cleanings could retry a job twice.
        if not expired or not queue.acquire_maintenance_lock():
            continue
        try:
            # Only jobs still "started" were abandoned; others are leftovers rq tidies away.
            abandoned = [
                job
                for job in Job.fetch_many(expired, connection=connection)
                if job is not None and job.get_status() == JobStatus.STARTED
            ]
            registry.cleanup(now)
        finally:
            queue.release_maintenance_lock()
        for job in abandoned:
            outcome = "failed" if job.get_status() == JobStatus.FAILED else "retried"
            level = logging.ERROR if outcome == "failed" else logging.WARNING
            log.log(level, "job %s (%s) was abandoned by its worker: %s", job.id, job.description, outcome)
            found.append(AbandonedJob(job.id, queue.name, outcome))
    return found
