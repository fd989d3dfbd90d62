"""The rq worker ``flask --app wsgi worker`` runs, with the outbox relay as a maintenance task.

Between jobs, and at least every ``JOB_RELAY_INTERVAL_SECONDS`` while idle, the worker delivers
outbox rows that could not reach Redis when they were written (``core.outbox.relay_outbox``) and
retries jobs left "started" by a worker that died (``recover_abandoned_jobs``). Several workers
may do this at once: each row reaches rq once, and each abandoned job is recovered under rq's
per-queue maintenance lock.

The worker is given its app (``RelayingWorker(..., app=app)``) and runs every job inside it, so the
jobs module never imports the app factory (no app → jobs → app loop).
"""

from __future__ import annotations

import logging

from rq import Worker

log = logging.getLogger(__name__)


class RelayingWorker(Worker):
    """An rq worker that also relays the job outbox and recovers abandoned jobs."""

    def __init__(self, *args, app, relay_interval: int, **kwargs):
        super().__init__(*args, maintenance_interval=relay_interval, **kwargs)
        self.app = app

    @property
    def dequeue_timeout(self) -> int:
        # Wake from the blocking wait for jobs often enough to relay the outbox.
        return max(1, min(self.worker_ttl - 15, int(self.maintenance_interval)))

    def perform_job(self, job, queue, *args, **kwargs):
        # Every job runs inside the worker's app (injected here; core.jobs never builds one).
        with self.app.app_context():
            return super().perform_job(job, queue, *args, **kwargs)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        relay_and_recover(self.app)


def relay_and_recover(app) -> None:
    """One maintenance pass; Redis or database trouble is logged, and the next pass tries again."""
    from core.outbox import RedisUnavailable, recover_abandoned_jobs, relay_outbox

    with app.app_context():
        try:
            relay_outbox()
            recover_abandoned_jobs()
        except RedisUnavailable as exc:
            log.warning("outbox relay: Redis is unavailable (%s); will try again", exc)
        except Exception:
            log.exception("outbox relay failed; will try again")
