"""Core's own background job kinds and the daily round that runs them for every organisation.

``CORE_JOB_KINDS`` is registered on the app's job registry next to the plugins' kinds (core kinds
carry no plugin prefix). ``enqueue_daily_jobs`` queues each of ``DAILY_JOB_KINDS`` once per active
organisation, with its id given explicitly; it is run once a day by ``flask --app wsgi jobs daily``
from cron (or by ``daily_jobs_task`` from rq's cron scheduler). Every daily job is idempotent — the
feedback reminders are keyed per consultation, due date and recipient — so a second run the same day,
or a retry after a crash, adds nothing.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, has_app_context
from sqlalchemy import select

from core import plugin_kit
from core.jobs import JobKind, JobRegistry, enqueue


def remind_feedback(organisation, today: str | None = None) -> int:
    """Job body: notify staff of consultation feedback due within 14 days or overdue.

    ``today`` (ISO date) is for tests and re-runs of a missed day; by default, the worker's today.
    """
    from core.services.consultations import remind_feedback as send_reminders

    return send_reminders(organisation, date.fromisoformat(today) if today else plugin_kit.today())


REMIND_FEEDBACK = JobKind(
    "consultations.remind_feedback",
    remind_feedback,
    timeout=300,
    retries=3,
    retry_intervals=(60, 300, 1800),
    queue="default",
)


def snapshot_kpis(organisation, period: str | None = None, today: str | None = None) -> int:
    """Job body: store every KPI of the organisation (upsert) for ``period``, or by default for
    the quarter just ended and the financial year so far. Idempotent: a re-run replaces values.

    First it counts equality monitoring for the day (the only place those aggregates are
    computed: ``core.services.monitoring``), so the stored KPIs use that day's published counts.
    """
    from core.kpis.service import snapshot_periods, take_snapshots
    from core.periods import Period
    from core.services.monitoring import take_snapshots as count_equality_monitoring

    count_equality_monitoring(date.fromisoformat(today) if today else plugin_kit.today())
    if period is not None:
        periods = [Period.parse(period)]
    else:
        periods = snapshot_periods(date.fromisoformat(today) if today else plugin_kit.today())
    return take_snapshots(organisation, periods)


SNAPSHOT_KPIS = JobKind(
    "kpis.snapshot",
    snapshot_kpis,
    timeout=900,
    retries=2,
    retry_intervals=(300, 1800),
    queue="reports",
)


def store_assessment(organisation, period: str) -> int:
    """Job body: build the financial year's impact assessment and store it (both audiences'
    copies), replacing the stored one. Idempotent: a re-run replaces the copies; the wrapper's
    single commit means a crash half-way leaves the previous copies untouched."""
    from core.services import impact_assessments

    return impact_assessments.store(organisation, impact_assessments.financial_year(period))


STORE_ASSESSMENT = JobKind(
    "impact_assessments.store",
    store_assessment,
    timeout=900,
    retries=2,
    retry_intervals=(300, 1800),
    queue="reports",
)

CORE_JOB_KINDS = (REMIND_FEEDBACK, SNAPSHOT_KPIS, STORE_ASSESSMENT)
# The snapshot runs every day, not only on the first day of a quarter: it is idempotent, a missed
# cron run on the 1st then costs nothing, and the financial year's stored figures stay current.
DAILY_JOB_KINDS = (REMIND_FEEDBACK, SNAPSHOT_KPIS)


def register_core_jobs(registry: JobRegistry) -> None:
    for kind in CORE_JOB_KINDS:
        registry.add(kind)


def enqueue_daily_jobs() -> list[tuple[str, int]]:
    """Queue every daily core job for every active organisation, and each plugin's daily jobs
    (``JobKind(daily=True)``) for the organisations enabling it; returns (job kind, org id) pairs.

    The jobs are dispatched when this function commits (``core.jobs.enqueue`` holds them until
    then), so a failure part-way queues nothing.
    """
    from core.extensions import db
    from core.models import Organisation

    org_ids = db.session.scalars(
        select(Organisation.id).where(Organisation.status == "active").order_by(Organisation.id)
    ).all()
    state = current_app.extensions["involve"]
    plugin_kinds = [k for k in state.jobs.kinds.values() if k.daily and k.plugin is not None]
    queued = []
    for org_id in org_ids:
        for kind in DAILY_JOB_KINDS:
            enqueue(kind.name, org_id=org_id)
            queued.append((kind.name, org_id))
        if plugin_kinds:
            enabled = set(state.plugins.enabled_for(org_id))
            for kind in plugin_kinds:
                if kind.plugin in enabled:
                    enqueue(kind.name, org_id=org_id)
                    queued.append((kind.name, org_id))
    db.session.commit()
    return queued


def daily_jobs_task() -> int:
    """Entry point for rq's cron scheduler (``rq cron``): runs in a worker, inside its app."""
    if not has_app_context():
        raise RuntimeError("daily_jobs_task runs in `flask --app wsgi worker`, which provides the app")
    with current_app.app_context():
        return len(enqueue_daily_jobs())
