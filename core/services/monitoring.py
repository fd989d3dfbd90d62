"""Equality monitoring aggregates that cannot be used to infer one person's answers.

The threat model and why each rule is here are in ``docs/special-category-data.md``. In short:

* Aggregates are never computed on demand. ``take_snapshots`` (run by the daily ``kpis.snapshot``
  job) counts two kinds of population: everyone on the register, and the people involved in a
  whole financial year (the current one and the one just ended; older years are frozen).
* A population's published counts are replaced only when at least ``CHANGE_THRESHOLD`` answers
  changed since the last publication, so no difference between two published figures rests on
  fewer than five people (one objection, one added participant, one erasure never shows).
* A representation figure needs ``MINIMUM_BASE`` involved people with the characteristic recorded.
* Only holders of the ``equality_analyst`` grant read them (``monitoring_released``), outside the
  designed release of a published impact assessment; every read by a person is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from sqlalchemy import and_, func, literal, select, union_all

from core.extensions import db
from core.models import EqualityMonitoring, EqualitySnapshot, MonitoringObjection, Participant
from core.models.outcomes import AuditEvent
from core.models.vocab import EQUALITY_CATEGORIES, PREFER_NOT_TO_SAY
from core.periods import Period
from core.reports import SMALL_NUMBER

CHARACTERISTICS = tuple(EQUALITY_CATEGORIES)
NOT_RECORDED = "not_recorded"
REGISTER, INVOLVED = "register", "involved"
WHOLE_REGISTER = "all"
# No representation figure rests on fewer involved people with the characteristic recorded.
MINIMUM_BASE = 20
# Published counts move only when at least this many answers changed since they were published.
CHANGE_THRESHOLD = SMALL_NUMBER
WITHHELD = "Only equality analysts can see equality monitoring figures."
WHOLE_YEARS_ONLY = "Equality monitoring is compared over whole financial years only, never a quarter."
NOT_TAKEN = (
    "Not counted yet: equality monitoring figures are taken once a day, for the current and last year."
)

_released: ContextVar[bool] = ContextVar("monitoring_released", default=False)
_withheld: ContextVar[bool] = ContextVar("monitoring_withheld", default=False)


# -- who may see them --------------------------------------------------------------------------
@contextmanager
def release_for_publication() -> Iterator[None]:
    """Inside the block, monitoring figures go into the document being published (the one
    designed release to residents, by an organisation admin, audited as a publication)."""
    token = _released.set(True)
    try:
        yield
    finally:
        _released.reset(token)


@contextmanager
def release_for_stored_copy() -> Iterator[None]:
    """Inside the block, figures are built with monitoring released, as a job in a worker builds
    them, even when the job runs in-process inside someone's request: for the analysts' copy of a
    stored document, which is only ever served back through :func:`monitoring_released`."""
    token = _released.set(True)
    try:
        yield
    finally:
        _released.reset(token)


@contextmanager
def withhold_monitoring() -> Iterator[None]:
    """Inside the block, figures are built as for a reader without the analyst grant, even in a
    job (which otherwise may build them): for the copy of a stored document everyone is served."""
    token = _withheld.set(True)
    try:
        yield
    finally:
        _withheld.reset(token)


def _request_user():
    from flask import g, has_request_context

    if not has_request_context():
        return None, None
    user = g.get("api_user")
    if user is None:
        from flask_login import current_user

        user = current_user if getattr(current_user, "is_authenticated", False) else None
    return user, g.get("organisation")


def monitoring_released() -> bool:
    """May the figures being built include equality monitoring aggregates?

    Jobs and the command line (no request) may: what they store is read back through this same
    check. In a request, only an equality analyst of the request's organisation may, unless a
    publication is being assembled.
    """
    from flask import has_request_context

    if _withheld.get():
        return False
    if _released.get() or not has_request_context():
        return True
    from core.permissions import can

    user, organisation = _request_user()
    return user is not None and organisation is not None and can(user, "monitoring.aggregate", organisation)


def audit_read(population: str, period: str, characteristic: str) -> None:
    """Note who read which published aggregate (once per request and aggregate)."""
    from flask import g

    from core.models.base import utcnow
    from core.tenancy import current_scope

    user, organisation = _request_user()
    scope = current_scope()
    if user is None or organisation is None or scope is None or not scope.writable:
        return  # jobs store figures; a group's read of a partner is audited as a cross-org read
    seen = g.setdefault("monitoring_reads", set())
    key = (population, period, characteristic)
    if key in seen:
        return
    seen.add(key)
    db.session.add(
        AuditEvent(
            actor_id=user.id,
            action="read",
            record_type="equality_aggregates",
            record_id=None,
            fields=f"{population} {period} {characteristic}",
            created_at=utcnow(),
        )
    )


# -- counting (only the daily job does this) -------------------------------------------------------
def _counted():
    """Who equality analysis covers: not erased, not objecting."""
    return (
        Participant.erased_at.is_(None),
        Participant.id.not_in(select(MonitoringObjection.participant_id)),
    )


def _grouped(people) -> dict[str, dict[str, int]]:
    """Answers per characteristic and category of ``people`` (a subquery of ids), one statement."""
    monitored = (
        select(EqualityMonitoring)
        .join(
            Participant,
            and_(
                Participant.id == EqualityMonitoring.participant_id,
                Participant.organisation_id == EqualityMonitoring.organisation_id,
            ),
        )
        .where(*_counted(), EqualityMonitoring.participant_id.in_(select(people.c.participant_id)))
        .cte("monitored")
    )
    parts = []
    for name in CHARACTERISTICS:
        column = monitored.c[name]
        parts.append(
            select(literal(name).label("characteristic"), column.label("category"), func.count().label("n"))
            .where(column.is_not(None), column != "")
            .group_by(column)
        )
    # A bare UNION at the top is not a SELECT the organisation scope can filter: wrap it in one.
    answered = union_all(*parts).subquery("answered")
    counts: dict[str, dict[str, int]] = {name: {} for name in CHARACTERISTICS}
    for characteristic, category, people_count in db.session.execute(
        select(answered.c.characteristic, answered.c.category, answered.c.n)
    ):
        counts[characteristic][category] = int(people_count)
    return counts


def _register_counts() -> dict[str, dict[str, int]]:
    people = select(Participant.id.label("participant_id")).where(*_counted()).subquery("register")
    counts = _grouped(people)
    total = db.session.scalar(select(func.count()).select_from(people))
    for by_category in counts.values():
        by_category[NOT_RECORDED] = total - sum(by_category.values())
    return counts


def _involved_counts(period: Period) -> dict[str, dict[str, int]]:
    from core.kpis.core_kpis import involved_ids

    return _grouped(involved_ids(period))


def _answers(counts: dict[str, int]) -> dict[str, int]:
    """The cells that hold someone's answer (not_recorded is only a count of people on the list)."""
    return {category: n for category, n in counts.items() if category != NOT_RECORDED}


def _recorded(counts: dict[str, int]) -> int:
    return sum(n for category, n in counts.items() if category not in (NOT_RECORDED, PREFER_NOT_TO_SAY))


def answers_changed(published: dict[str, int], fresh: dict[str, int]) -> int:
    """How far two counts of answers are apart: the sum of each cell's change (someone moving
    from one category to another changes two cells; not_recorded is left out, since adding people
    with no answers teaches nothing and must not be usable to force a new publication)."""
    old, new = _answers(published), _answers(fresh)
    return sum(abs(old.get(c, 0) - new.get(c, 0)) for c in set(old) | set(new))


def snapshot_populations(today: date) -> list[tuple[str, str]]:
    """(population, period) counted on ``today``: the register, this financial year and the last."""
    year = Period.financial_year_of(today)
    return [(REGISTER, WHOLE_REGISTER), (INVOLVED, year.label), (INVOLVED, year.previous().label)]


def take_snapshots(today: date) -> int:
    """Count every population once for ``today``; returns how many published counts changed.

    Runs in the organisation's scope (the daily job). A second run the same day does nothing.
    """
    stored = {
        (s.population, s.period, s.characteristic): s for s in db.session.scalars(select(EqualitySnapshot))
    }
    changed = 0
    for population, period in snapshot_populations(today):
        if all(
            (population, period, c) in stored and stored[(population, period, c)].taken_on >= today
            for c in CHARACTERISTICS
        ):
            continue
        fresh = _register_counts() if population == REGISTER else _involved_counts(Period.parse(period))
        for characteristic in CHARACTERISTICS:
            counts = fresh[characteristic]
            snapshot = stored.get((population, period, characteristic))
            if snapshot is None:
                snapshot = EqualitySnapshot(
                    population=population, period=period, characteristic=characteristic
                )
                db.session.add(snapshot)
            elif snapshot.taken_on >= today or answers_changed(snapshot.counts, counts) < CHANGE_THRESHOLD:
                snapshot.taken_on = max(snapshot.taken_on, today)
                continue
            snapshot.counts = dict(counts)
            snapshot.recorded = _recorded(counts)
            snapshot.taken_on = snapshot.published_on = today
            changed += 1
    db.session.flush()
    return changed


# -- reading the published counts ----------------------------------------------------------------
def published(population: str, period: str, characteristic: str) -> EqualitySnapshot | None:
    """The published counts (audited when a person reads them); callers check the grant first."""
    snapshot = db.session.scalar(
        select(EqualitySnapshot).where(
            EqualitySnapshot.population == population,
            EqualitySnapshot.period == period,
            EqualitySnapshot.characteristic == characteristic,
        )
    )
    if snapshot is not None:
        audit_read(population, period, characteristic)
    return snapshot


def involved_profile(period: Period) -> dict[str, Any]:
    """Per characteristic: the recorded categories of people involved in ``period`` as published,
    or the reason there is none (``{"counts": None, "reason": ...}``)."""
    if not monitoring_released():
        return {c: {"counts": None, "reason": WITHHELD, "as_of": None} for c in CHARACTERISTICS}
    if period.is_quarter:
        return {c: {"counts": None, "reason": WHOLE_YEARS_ONLY, "as_of": None} for c in CHARACTERISTICS}
    profile = {}
    for characteristic in CHARACTERISTICS:
        snapshot = published(INVOLVED, period.label, characteristic)
        if snapshot is None:
            profile[characteristic] = {"counts": None, "reason": NOT_TAKEN, "as_of": None}
            continue
        counts = {c: n for c, n in snapshot.counts.items() if c not in (PREFER_NOT_TO_SAY, NOT_RECORDED)}
        if snapshot.recorded < MINIMUM_BASE:
            reason = f"Fewer than {MINIMUM_BASE} involved people have this recorded."
            profile[characteristic] = {"counts": None, "reason": reason, "as_of": snapshot.published_on}
        else:
            profile[characteristic] = {"counts": counts, "reason": None, "as_of": snapshot.published_on}
    return profile


def register_summary(characteristic: str) -> dict[str, Any] | None:
    """The published counts of everyone on the register for one characteristic (None if not taken)."""
    snapshot = published(REGISTER, WHOLE_REGISTER, characteristic)
    if snapshot is None:
        return None
    return {"counts": dict(snapshot.counts), "as_of": snapshot.published_on}
