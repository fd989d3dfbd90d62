"""Nothing lost, nothing counted twice — under real concurrency and a killed worker (PostgreSQL).

These tests need committed transactions seen by several connections at once, so they use a
database of their own (not the rolled-back ``db_session``): threads each with their own app
context and session, and a separate process killed with ``SIGKILL`` part-way through the yearly
conversion.
"""

import multiprocessing
import os
import signal
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from core.errors import Conflict
from core.extensions import db
from core.models import Activity, Body, Organisation, Participant, Participation, Spend
from core.tenancy import organisation_scope
from plugins.reward_points import conversion, ledger
from plugins.reward_points.models import RewardConversion, RewardEntry, RewardMember
from plugins.reward_points.tests.conftest import settings

pytestmark = pytest.mark.postgres

THREADS = 8


@pytest.fixture(scope="module")
def pg():
    """A migrated PostgreSQL database of this module's own, and an app using it."""
    from core.app import create_app
    from core.testing import _pg_config, migrate, postgres_database

    with postgres_database("involve_rewards") as urls:
        config = _pg_config(urls)
        migrate(config)
        app = create_app(config)
        yield app, config
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def make_org(app, slug, **changes):
    from core.services.plugin_state import set_plugin_state

    with app.app_context():
        org = Organisation(slug=slug, name=slug.title())
        db.session.add(org)
        db.session.commit()
        with organisation_scope(org.id):
            set_plugin_state(
                app.extensions["involve"].plugins,
                org,
                "reward_points",
                enabled=True,
                settings=settings(**changes),
            )
            db.session.commit()
        return org.id


def add_members(app, org_id, count):
    with app.app_context(), organisation_scope(org_id):
        ids = []
        for n in range(count):
            person = Participant(first_name=f"Member {n}", last_name="Resident")
            db.session.add(person)
            db.session.flush()
            member = RewardMember(
                participant_id=person.id, joined_on=date(2024, 1, 1), reward_choice="shopping_voucher"
            )
            db.session.add(member)
            db.session.flush()
            ids.append(member.id)
        db.session.commit()
        return ids


def add_meetings(app, org_id, member_id, count, day=datetime(2025, 6, 10, 18, tzinfo=UTC)):
    """``count`` held panel meetings the member attended, recorded without the hook."""
    with app.app_context(), organisation_scope(org_id):
        participant_id = db.session.get(RewardMember, member_id).participant_id
        panel = Body(name="Customer Scrutiny Panel", kind="scrutiny_panel")
        db.session.add(panel)
        db.session.flush()
        ids = []
        for n in range(count):
            meeting = Activity(
                title=f"Meeting {n}", kind="meeting", status="held", starts_at=day, body_id=panel.id
            )
            db.session.add(meeting)
            db.session.flush()
            participation = Participation(
                activity_id=meeting.id, participant_id=participant_id, role="member"
            )
            db.session.add(participation)
            db.session.flush()
            ids.append(participation.id)
        db.session.commit()
        return ids


def settle(participation_id):
    participation = db.session.get(Participation, participation_id)
    ledger.settle_participation(participation, db.session.get(Activity, participation.activity_id))


def meetings_of(app, org_id, participation_ids):
    """The activities of the given participations (contribution awards name their meeting)."""
    with app.app_context(), organisation_scope(org_id):
        ids = [db.session.get(Participation, p).activity_id for p in participation_ids]
        db.session.remove()
        return ids


def award(member_id, key, points, kind="contribution", day=date(2025, 7, 1), meeting=None):
    def write():
        contribution = kind == "contribution"
        entry, _ = ledger.record_manual_entry(
            ledger.ManualEntry(
                member_id=member_id,
                kind=kind,
                points=points,
                reason="concurrency test",
                idempotency_key=key,
                occurred_on=None if contribution else day,
                applies_to="meeting" if contribution else None,
                activity_id=meeting,
            ),
            user_id=None,
        )
        return entry.id

    return write


def run_together(app, org_id, actions):
    """Run each action in its own thread, app context and transaction, all released at once."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        with app.app_context(), organisation_scope(org_id):
            try:
                barrier.wait(timeout=60)
                result = action()
                db.session.commit()
                outcomes[index] = ("ok", result)
            except Conflict as refused:
                db.session.rollback()
                outcomes[index] = ("conflict", refused.message)
            except Exception as error:  # reported below, so a failure names its cause
                db.session.rollback()
                outcomes[index] = ("error", repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [o for o in outcomes if o is None or o[0] == "error"], outcomes
    return outcomes


def ledger_of(app, org_id, member_id=None):
    with app.app_context(), organisation_scope(org_id):
        query = select(RewardEntry).order_by(RewardEntry.id)
        if member_id is not None:
            query = query.where(RewardEntry.member_id == member_id)
        rows = [(e.kind, e.points, e.idempotency_key) for e in db.session.scalars(query)]
        db.session.remove()
        return rows


def year_state(app, org_id):
    with app.app_context(), organisation_scope(org_id):
        conversions = db.session.scalars(select(RewardConversion).order_by(RewardConversion.member_id)).all()
        state = {
            "conversions": [(c.points, c.value_pence) for c in conversions],
            "balance": db.session.scalar(select(func.coalesce(func.sum(RewardEntry.points), 0))),
            "conversion_entries": db.session.scalar(
                select(func.count(RewardEntry.id)).where(RewardEntry.kind == "conversion")
            ),
            "spend": db.session.scalar(
                select(func.coalesce(func.sum(Spend.amount_pence), 0)).where(Spend.category == "rewards")
            ),
            "spend_rows": db.session.scalar(select(func.count(Spend.id)).where(Spend.category == "rewards")),
            "totals": {k: v for k, v in conversion.year_totals(2025).items()},
        }
        db.session.remove()
        return state


def test_the_same_award_delivered_many_times_at_once_is_one_entry(pg):
    app, _ = pg
    org_id = make_org(app, "same-award")
    (member_id,) = add_members(app, org_id, 1)
    (participation_id,) = add_meetings(app, org_id, member_id, 1)
    run_together(app, org_id, [lambda: settle(participation_id)] * THREADS)
    assert ledger_of(app, org_id) == [("participation", 50, f"participation:{participation_id}")]


def test_the_same_manual_award_retried_at_once_is_one_entry(pg):
    app, _ = pg
    org_id = make_org(app, "same-manual")
    (member_id,) = add_members(app, org_id, 1)
    (meeting,) = meetings_of(app, org_id, add_meetings(app, org_id, member_id, 1))
    outcomes = run_together(app, org_id, [award(member_id, "retried-key-01", 7, meeting=meeting)] * THREADS)
    assert len({result for _, result in outcomes}) == 1  # every retry got the one entry back
    assert ledger_of(app, org_id) == [("contribution", 7, "manual:retried-key-01")]


def test_the_annual_cap_holds_under_concurrency(pg):
    app, _ = pg
    org_id = make_org(app, "capped", annual_cap_points=120)
    (member_id,) = add_members(app, org_id, 1)
    participations = add_meetings(app, org_id, member_id, 6)
    run_together(app, org_id, [lambda p=p: settle(p) for p in participations])
    points = sorted(points for _, points, _ in ledger_of(app, org_id))
    assert points == [0, 0, 0, 20, 50, 50] and sum(points) == 120


def test_concurrent_awards_corrections_and_conversion_never_lose_or_overdraw(pg):
    app, _ = pg
    org_id = make_org(app, "busy-member")
    (member_id,) = add_members(app, org_id, 1)
    run_together(
        app, org_id, [award(member_id, "opening-balance", 100, kind="correction", day=date(2025, 6, 1))]
    )
    meetings = meetings_of(app, org_id, add_meetings(app, org_id, member_id, 6))
    actions = [award(member_id, f"contribution-{n:02d}", 10, meeting=m) for n, m in enumerate(meetings)]
    actions += [
        award(member_id, f"correction-{n:02d}", -40, kind="correction", day=date(2026, 5, 1))
        for n in range(4)
    ]
    actions.append(lambda: conversion.convert_scheme_year(2025, commit=False)["value_pence"])
    outcomes = run_together(app, org_id, actions)
    entries = ledger_of(app, org_id, member_id)
    running = 0
    for _, points, _ in entries:  # entries are written under the member's lock, so ids follow it
        running += points
        assert running >= 0, entries
    converted = [points for kind, points, _ in entries if kind == "conversion"]
    corrections = [points for kind, points, key in entries if kind == "correction" and points < 0]
    earned = 100 + sum(points for kind, points, _ in entries if kind == "contribution")
    assert earned == 160  # every contribution landed exactly once
    assert len(converted) == 1
    assert earned == -converted[0] - sum(corrections) + running  # every point is somewhere
    refused = [o for o in outcomes if o[0] == "conflict"]
    assert len(corrections) + len(refused) == 4
    state = year_state(app, org_id)
    assert state["conversions"] == [(-converted[0], -converted[0] * 10)]
    assert state["spend"] == -converted[0] * 10 and state["spend_rows"] == 1
    assert state["balance"] == running


def _convert_until_killed(config, org_id, killing_member, ready):
    """Child process: convert the year two members a batch, but hang inside one batch's transaction."""
    import time

    from core.app import create_app

    app = create_app(config)
    real = conversion.convert_batch

    def hang_inside(member_ids, *args, **kwargs):
        result = real(member_ids, *args, **kwargs)
        if killing_member in member_ids:
            db.session.flush()
            ready.set()  # this batch's rows are written but not committed
            time.sleep(600)
        return result

    conversion.convert_batch = hang_inside
    with app.app_context(), organisation_scope(org_id):
        conversion.convert_scheme_year(2025, commit=True, batch_size=2)


def _seed_year(app, org_id, points_each):
    member_ids = add_members(app, org_id, len(points_each))
    with app.app_context(), organisation_scope(org_id):
        for member_id, points in zip(member_ids, points_each, strict=True):
            if points:
                ledger.record_manual_entry(
                    ledger.ManualEntry(
                        member_id,
                        "correction",
                        points,
                        "opening balance",
                        f"seed-{member_id}",
                        date(2025, 6, 1),
                    ),
                    user_id=None,
                )
        db.session.commit()
        db.session.remove()
    return member_ids


def test_killing_the_conversion_midway_then_rerunning_gives_the_same_totals(pg):
    from core.jobs import run_job

    app, config = pg
    points = [30, 45, 0, 17, 60, 25, 5, 80]
    clean_id = make_org(app, "clean-year")
    _seed_year(app, clean_id, points)
    with app.app_context():
        run_job("reward_points.convert_year", clean_id, {"scheme_year": "2025-26"})
    killed_id = make_org(app, "killed-year")
    members = _seed_year(app, killed_id, points)

    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    worker = context.Process(target=_convert_until_killed, args=(config, killed_id, members[4], ready))
    worker.start()
    try:
        assert ready.wait(timeout=120), "the conversion never reached the member it hangs on"
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.join(timeout=60)
    assert worker.exitcode == -signal.SIGKILL
    partial = year_state(app, killed_id)
    assert len(partial["conversions"]) == 3  # batches 0-1, 2-3 committed (2 had nothing); 4-5 died
    assert partial["spend_rows"] == 3 and partial["conversion_entries"] == 3

    with app.app_context():
        run_job("reward_points.convert_year", killed_id, {"scheme_year": "2025-26"})
        run_job("reward_points.convert_year", killed_id, {"scheme_year": "2025-26"})  # and a retry
    assert year_state(app, killed_id) == year_state(app, clean_id)
    assert year_state(app, clean_id)["totals"]["value_pence"] == sum(points) * 10
