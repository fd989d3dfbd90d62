"""Benchmark: a 100,000-row households CSV imported in one go through the product's import service,
beside a raw bulk insert of the same rows.

Writes the file once, then runs each measurement in its own child process and its own fresh
database, so that each peak resident memory figure (``ru_maxrss``) belongs to that run alone:

- **baseline** — read the CSV with ``csv.reader`` and insert the rows with multi-row INSERTs in
  batches of 20,000 (``bench.kpis.bulk``), in the organisation scope: no validation, no look-ups,
  no audit log;
- **import** — ``import_csv(HOUSEHOLDS, …)`` on the upload stream (``decode_stream`` over
  ``read_in_pieces``, as the API reads a ``text/csv`` body), then the same file again (which must
  change nothing);
- **traced** — the same import again in a fresh database with ``tracemalloc`` on: the peak of the
  Python allocations made during the import (slower; its time is not the figure).

SQLite in a temporary directory by default; with INVOLVE_BENCH_DATABASE_URL (an administrator URL
of a PostgreSQL server) each run gets a fresh database there, migrated as the owner and used through
the non-owner application role (row-level security on), dropped afterwards. ``--rows`` changes the
size. Prints figures; asserts nothing; not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AREAS = [f"Estate {n}" for n in range(1, 21)]
TENURES = ("general_needs", "sheltered", "leasehold", "shared_ownership", "supported")
STREETS = ("Ash Grove", "Birch Road", "Cedar Close", "Elm Street", "Hawthorn Way", "Rowan Court")
BATCH = 20_000


def write_file(path: Path, rows: int) -> int:
    """A housing management system's export: reference, two address lines, postcode, area, tenure, active."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["reference", "address_line_1", "address_line_2", "postcode", "area", "tenure", "active"]
        )
        for n in range(rows):
            writer.writerow(
                [
                    f"HH-{n:07d}",
                    f"{n % 200 + 1} {STREETS[n % len(STREETS)]}",
                    "Widnes" if n % 3 else "Runcorn",
                    f"WA{n % 10} {n % 9}A{chr(65 + n % 26)}",
                    AREAS[n % len(AREAS)],
                    TENURES[n % len(TENURES)],
                    "no" if n % 50 == 0 else "yes",
                ]
            )
    return path.stat().st_size


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def child(mode: str, path: str, config: dict) -> dict:
    """One measurement in this (fresh) process; returns its figures."""
    from core.app import create_app
    from core.bounds import read_in_pieces
    from core.extensions import db
    from core.models import Area, Household, Organisation
    from core.services.csv_import import HOUSEHOLDS, decode_stream, import_csv
    from core.tenancy import organisation_scope

    app = create_app(config)
    figures: dict = {"mode": mode}
    with app.app_context():
        organisation = Organisation(slug="bench-import", name="Bench Import Homes")
        db.session.add(organisation)
        db.session.commit()
        org_id = organisation.id
        with organisation_scope(org_id):
            db.session.add_all(Area(name=name, kind="estate") for name in AREAS)
        db.session.commit()
        figures["peak_before_mb"] = peak_mb()
        started = time.perf_counter()
        with organisation_scope(org_id):
            if mode == "baseline":
                figures["rows"] = raw_insert(path, org_id)
            else:
                if mode == "traced":
                    tracemalloc.start()
                with open(path, "rb") as upload:
                    figures["counts"] = import_csv(HOUSEHOLDS, decode_stream(read_in_pieces(upload)))
                if mode == "traced":
                    figures["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
                    tracemalloc.stop()
        db.session.commit()
        figures["seconds"] = time.perf_counter() - started
        figures["peak_mb"] = peak_mb()
        if mode != "baseline":
            started = time.perf_counter()
            with organisation_scope(org_id), open(path, "rb") as upload:
                figures["again"] = import_csv(HOUSEHOLDS, decode_stream(read_in_pieces(upload)))
            db.session.commit()
            figures["again_seconds"] = time.perf_counter() - started
        with organisation_scope(org_id):
            from sqlalchemy import func, select

            figures["households"] = db.session.scalar(select(func.count(Household.id)))
    return figures


def raw_insert(path: str, org_id: int) -> int:
    """The floor: the same rows read and inserted in bulk, nothing checked."""
    from sqlalchemy import select

    from bench.kpis import bulk
    from core.extensions import db
    from core.models import Area, Household
    from core.models.base import utcnow

    areas = {name: id_ for id_, name in db.session.execute(select(Area.id, Area.name))}
    now, batch, total = utcnow(), [], 0
    with open(path, newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        next(reader)
        for reference, line_1, line_2, postcode, area, tenure, active in reader:
            batch.append(
                {
                    "organisation_id": org_id,
                    "reference": reference,
                    "address_lines": [line_1, line_2],
                    "postcode": postcode,
                    "area_id": areas[area],
                    "tenure": tenure,
                    "active": active == "yes",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(batch) == BATCH:
                bulk(Household, batch)
                total, batch = total + len(batch), []
    if batch:
        bulk(Household, batch)
        total += len(batch)
    return total


def measure(mode: str, path: Path, config: dict) -> dict:
    from core.testing import migrate

    migrate(config)
    env = dict(os.environ, INVOLVE_BENCH_CHILD=json.dumps(config))
    done = subprocess.run(  # noqa: S603 - this interpreter and this file, fixed arguments
        [sys.executable, __file__, "--child", mode, "--file", str(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(database: str, rows: int, size: int, baseline: dict, product: dict, traced: dict) -> None:
    print(f"database: {database}")
    print(f"file: {rows:,} households, {size / 1024 / 1024:.1f} MiB")
    print(f"{'':32} {'seconds':>8} {'peak RSS MB':>12} {'RSS before MB':>14}")
    for label, figures in (("baseline: raw bulk insert", baseline), ("import_csv (households)", product)):
        seconds, peak, before = figures["seconds"], figures["peak_mb"], figures["peak_before_mb"]
        print(f"{label:32} {seconds:8.2f} {peak:12.0f} {before:14.0f}")
    print(f"re-import of the same file: {product['again_seconds']:.2f} s, {product['again']}")
    print(f"import: {product['counts']}; households in the database: {product['households']:,}")
    print(
        f"import ÷ baseline: time {product['seconds'] / baseline['seconds']:.2f}×, "
        f"peak memory {product['peak_mb'] / baseline['peak_mb']:.2f}×"
    )
    print(
        f"Python allocations during the import (tracemalloc, a separate slower run): "
        f"peak {traced['traced_peak_mb']:.1f} MB ({traced['seconds']:.2f} s traced)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", choices=("baseline", "import", "traced"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        config = json.loads(os.environ.pop("INVOLVE_BENCH_CHILD"))
        print(json.dumps(child(args.child, args.file, config)))
        return
    from core.testing import _pg_config, base_config, postgres_database

    # Taken out of the environment: the app refuses INVOLVE_* variables it does not know.
    admin_url = os.environ.pop("INVOLVE_BENCH_DATABASE_URL", None)
    directory = Path(tempfile.mkdtemp())
    path = directory / "households.csv"
    size = write_file(path, args.rows)
    if admin_url:
        os.environ["INVOLVE_TEST_POSTGRES_URL"] = admin_url
        figures = {}
        for mode in ("baseline", "import", "traced"):
            with postgres_database("involve_bench") as urls:
                figures[mode] = measure(mode, path, _pg_config(urls))
        report("PostgreSQL (application role, RLS on)", args.rows, size, *figures.values())
        print("RESULT " + json.dumps(result_line(figures)))
        return
    baseline = measure("baseline", path, base_config(f"sqlite:///{directory}/baseline.db"))
    product = measure("import", path, base_config(f"sqlite:///{directory}/import.db"))
    traced = measure("traced", path, base_config(f"sqlite:///{directory}/traced.db"))
    report("SQLite", args.rows, size, baseline, product, traced)
    print("RESULT " + json.dumps(result_line({"baseline": baseline, "import": product})))


def result_line(figures: dict) -> dict:
    """The figures ``bench/all.py`` reads."""
    baseline, product = figures["baseline"], figures["import"]
    return {
        "seconds": product["seconds"],
        "baseline": baseline["seconds"],
        "peak_mb": product["peak_mb"],
        "baseline_peak_mb": baseline["peak_mb"],
    }


if __name__ == "__main__":
    main()
