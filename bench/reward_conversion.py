"""Benchmark: the yearly reward points conversion of a large organisation, beside raw SQL.

Builds one organisation in a fresh database with 50,000 Your Voice members (``--scale 0.1``: a
tenth), each with two or three ledger entries over scheme years 2024-25 and 2025-26 (a few
members with none, a few donating to charity), then times, in the same run:

- a baseline: hand-written raw SQL writing the same rows (spend, conversions, ledger debits) with
  three ``INSERT … SELECT … ON CONFLICT DO NOTHING`` statements in one transaction, rolled back;
- the product: ``convert_scheme_year`` for 2025-26, committed batch by batch;

and prints both times, the ratio, and whether both wrote the same totals. SQLite in a temporary
directory by default; with INVOLVE_BENCH_DATABASE_URL (an administrator URL of a PostgreSQL
server) a fresh database is created there, migrated, used through the non-owner application role
(row-level security on) and dropped afterwards. Prints figures; asserts nothing; not part of the
test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.kpis import bulk  # noqa: E402

YEAR, ON = 2025, date(2026, 4, 10)
SETTINGS = {
    "pence_per_point": 10,
    "retailers": ["Love2shop", "Argos"],
    "charities": ["Boston Foodbank", "St Barnabas Hospice"],
}
# The cap "never more than the whole balance" and the choice are computed in SQL as the product does.
BALANCES = (
    "SELECT m.organisation_id AS o, m.id AS member_id, m.reward_choice, m.retailer, m.charity, "
    "CASE WHEN sum(CASE WHEN e.scheme_year <= :y THEN e.points ELSE 0 END) < sum(e.points) "
    "THEN sum(CASE WHEN e.scheme_year <= :y THEN e.points ELSE 0 END) ELSE sum(e.points) END AS points "
    "FROM reward_points_members m JOIN reward_points_entries e ON e.organisation_id = m.organisation_id "
    "AND e.member_id = m.id WHERE m.organisation_id = :o AND NOT EXISTS (SELECT 1 FROM "
    "reward_points_conversions c WHERE c.organisation_id = m.organisation_id AND c.member_id = m.id "
    "AND c.scheme_year = :y) GROUP BY m.organisation_id, m.id, m.reward_choice, m.retailer, m.charity "
    "HAVING sum(CASE WHEN e.scheme_year <= :y THEN e.points ELSE 0 END) > 0 AND sum(e.points) > 0"
)
# Fixed text (BALANCES above), never input: not an injection vector.
RAW_SQL = (
    "INSERT INTO spend (id, organisation_id, spent_on, category, amount_pence, description, created_at) "  # noqa: S608
    "SELECT :base + row_number() OVER (ORDER BY member_id), o, :on, 'rewards', points * 10, "
    f"'baseline for member ' || member_id, :now FROM ({BALANCES}) b WHERE true",
    "INSERT INTO reward_points_conversions (organisation_id, member_id, scheme_year, points, "  # noqa: S608
    "pence_per_point, value_pence, reward_choice, retailer, charity, spend_id, converted_on, created_at) "
    "SELECT b.o, b.member_id, :y, b.points, '10', b.points * 10, b.reward_choice, "
    "CASE WHEN b.reward_choice = 'shopping_voucher' THEN b.retailer END, "
    "CASE WHEN b.reward_choice = 'charity_donation' THEN b.charity END, "
    ":base + row_number() OVER (ORDER BY b.member_id), :on, :now "
    f"FROM ({BALANCES}) b WHERE true "
    "ON CONFLICT (organisation_id, member_id, scheme_year) DO NOTHING",
    "INSERT INTO reward_points_entries (organisation_id, member_id, kind, points, requested_points, "
    "scheme_year, occurred_on, idempotency_key, reason, created_at) "
    "SELECT organisation_id, member_id, 'conversion', -points, -points, scheme_year, :on, "
    "'conversion:' || scheme_year || ':' || member_id, 'converted', :now FROM reward_points_conversions "
    "WHERE organisation_id = :o AND scheme_year = :y "
    "ON CONFLICT (organisation_id, idempotency_key) DO NOTHING",
)
TOTALS = (
    "SELECT count(*), coalesce(sum(points), 0), coalesce(sum(value_pence), 0) FROM reward_points_conversions "
    "WHERE organisation_id = :o AND scheme_year = :y"
)


def generate(org_id: int, members: int, seed: int = 2025) -> dict[str, int]:
    """Members with participants and ledger entries, in bulk (inside the organisation scope)."""
    from core.models import Participant
    from plugins.reward_points.models import RewardEntry, RewardMember

    rng = random.Random(seed)
    now = datetime.now(UTC)
    org = {"organisation_id": org_id}
    people = bulk(
        Participant,
        [{**org, "first_name": f"Member {n}", "last_name": "Resident"} for n in range(members)],
        returning=True,
    )
    member_rows = []
    for person in people:
        donates = rng.random() < 0.2
        member_rows.append(
            {
                **org,
                "participant_id": person,
                "joined_on": date(2024, 1, 1),
                "reward_choice": "charity_donation" if donates else "shopping_voucher",
                "retailer": None if donates else rng.choice(SETTINGS["retailers"]),
                "charity": rng.choice(SETTINGS["charities"]) if donates else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    member_ids = bulk(RewardMember, member_rows, returning=True)
    entries = []
    for member_id in member_ids:
        if rng.random() < 0.05:
            continue  # never earned anything
        for n, (year, day) in enumerate(((2024, date(2024, 9, 1)), (2025, date(2025, 6, 1)))):
            points = rng.randrange(10, 200)
            entries.append(
                {
                    **org,
                    "member_id": member_id,
                    "kind": "contribution",
                    "points": points,
                    "requested_points": points,
                    "scheme_year": year,
                    "occurred_on": day,
                    "idempotency_key": f"bench:{member_id}:{n}",
                    "created_at": now,
                }
            )
        if rng.random() < 0.1:  # a later correction that takes some points back
            entries.append(
                {
                    **org,
                    "member_id": member_id,
                    "kind": "correction",
                    "points": -rng.randrange(1, 50),
                    "requested_points": -1,
                    "scheme_year": 2026,
                    "occurred_on": date(2026, 5, 1),
                    "idempotency_key": f"bench:{member_id}:correction",
                    "created_at": now,
                }
            )
    bulk(RewardEntry, entries)
    return {"members": len(member_ids), "entries": len(entries)}


@contextlib.contextmanager
def statement_times(engine):
    """Seconds and count per statement (by its first 70 characters) while the block runs."""
    spent: dict[str, list] = {}

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        entry = spent.setdefault(" ".join(statement.split())[:70], [0.0, 0])
        entry[0] += time.perf_counter() - conn.info.pop("bench_started")
        entry[1] += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield spent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def run(config: dict, members: int, owner_url: str | None = None) -> None:
    from core.app import create_app
    from core.extensions import db
    from core.models import Organisation
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import migrate
    from plugins.reward_points.conversion import convert_scheme_year

    migrate(config)
    app = create_app(config)
    with app.app_context():
        organisation = Organisation(slug="bench-rewards", name="Bench Rewards Homes")
        db.session.add(organisation)
        db.session.commit()
        org_id = organisation.id
        started = time.perf_counter()
        with organisation_scope(org_id):
            set_plugin_state(
                app.extensions["involve"].plugins,
                organisation,
                "reward_points",
                enabled=True,
                settings=SETTINGS,
            )
            sizes = generate(org_id, members)
        db.session.commit()
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        print(
            f"generated in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in sizes.items())
        )
        if owner_url:  # statistics for the planner; only the tables' owner may ANALYZE them
            owner = create_engine(owner_url, isolation_level="AUTOCOMMIT")
            with owner.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
            owner.dispose()
        sqlite = db.engine.dialect.name == "sqlite"
        now = datetime.now(UTC)
        params = {
            "o": org_id,
            "y": YEAR,
            "on": ON.isoformat() if sqlite else ON,
            "now": now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now,
        }

        with organisation_scope(org_id):  # RLS on PostgreSQL needs the scope too
            db.session.scalar(select(Organisation.id).limit(1))
            start = time.perf_counter()
            # The spend ids are numbered in member order here, so each conversion names its own.
            params["base"] = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM spend"))
            for statement in RAW_SQL:
                db.session.execute(text(statement), params)
            raw = time.perf_counter() - start
            baseline_totals = tuple(db.session.execute(text(TOTALS), params).one())
        db.session.rollback()

        with organisation_scope(org_id), statement_times(db.engine) as spent:
            start = time.perf_counter()
            totals = convert_scheme_year(YEAR, on=ON, commit=True)
            product = time.perf_counter() - start
        db.session.commit()
        product_totals = (totals["members_converted"], totals["points_converted"], totals["value_pence"])
        print(f"members converted, points, pence: product {product_totals}, baseline {baseline_totals}")
        print(f"same totals: {'yes' if product_totals == baseline_totals else 'NO'}")
        print(f"{'reward conversion 2025-26, product (batches, committed)':58} {product:9.2f} s")
        print(f"{'raw SQL baseline, same rows (3 INSERT … SELECT, one txn)':58} {raw:9.2f} s")
        print(f"{'product ÷ raw SQL':58} {product / raw:9.2f} ×")
        print("product's time in the database, by statement (seconds, count):")
        for start_of, (seconds, count) in sorted(spent.items(), key=lambda item: -item[1][0])[:8]:
            print(f"  {seconds:7.2f} {count:5}  {start_of}")
        print(
            "RESULT "
            + json.dumps({"seconds": product, "baseline": raw, "same": product_totals == baseline_totals})
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 50,000 members")
    members = max(1, int(50_000 * parser.parse_args().scale))
    from core.testing import _pg_config, base_config, postgres_database

    # Taken out of the environment: the app refuses INVOLVE_* variables it does not know.
    admin_url = os.environ.pop("INVOLVE_BENCH_DATABASE_URL", None)
    if admin_url:
        os.environ["INVOLVE_TEST_POSTGRES_URL"] = admin_url
        with postgres_database("involve_bench_rewards") as urls:
            run(_pg_config(urls), members, urls["owner"])
        return
    directory = tempfile.mkdtemp()
    run(base_config(f"sqlite:///{directory}/bench-rewards.db"), members)


if __name__ == "__main__":
    main()
