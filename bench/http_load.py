"""HTTP load bench: 16 clients against gunicorn on a fresh PostgreSQL database, beside hello-world.

Creates a PostgreSQL database (used through the non-owner application role, row-level security
on), migrates it, seeds ``bench/load_drill.py``'s organisation (300 households, 150 participants,
40 meetings in 2025-26, one API token per client), then starts gunicorn twice on 127.0.0.1 with the
same workers and threads: once serving a hello-world Flask app (``bench/hello_app.py``, the
baseline: what this server and client manage with no product code), once serving the product.
Each scenario runs ``--clients`` clients for ``--seconds`` and prints requests per second, p50 and
p95 latency:

- ``hello``: GET / on the hello-world app;
- ``participants``: GET /api/v1/orgs/<slug>/participants?per_page=50 (goal: p95 ≤ 60 ms and at
  least 0.2× the hello-world requests per second);
- ``kpis``: GET /api/v1/orgs/<slug>/kpis?period=2025-26, computed live (goal: p95 ≤ 300 ms);
- ``kpis stored``: the same with ``&stored=true`` (figures the snapshot job stored).

The last line is ``RESULT {json}`` for ``bench/all.py``. Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_drill import PERIOD, SLUG, Client, Tally, database, gunicorn, seed  # noqa: E402


def drive(base: str, tokens: list[str], path: str, seconds: float) -> Tally:
    """Every client GETs ``path`` in a loop for ``seconds``."""
    import threading
    import time

    tally = Tally()
    clients = [Client(base, token, tally) for token in tokens]
    for client in clients:  # one warm-up request each (connections, caches)
        client.call("warm-up", "GET", path)
    tally.latencies.pop("warm-up", None)
    deadline = time.monotonic() + seconds

    def loop(client: Client) -> None:
        while time.monotonic() < deadline:
            client.call("get", "GET", path)

    threads = [threading.Thread(target=loop, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def figures(tally: Tally, seconds: float) -> dict:
    values = tally.latencies["get"]
    cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return {
        "requests": len(values),
        "per_second": len(values) / seconds,
        "p50": cuts[49],
        "p95": cuts[94],
        "errors": tally.errors,
        "examples": tally.examples[:3],
    }


def snapshot(config: dict) -> None:
    """Store the KPIs for the period, as the quarterly job does (for ``kpis stored``)."""
    from core.app import create_app
    from core.extensions import db
    from core.kpis.service import take_snapshots
    from core.models import Organisation
    from core.periods import Period
    from core.tenancy import organisation_scope

    app = create_app(config)
    with app.app_context():
        organisation = db.session.query(Organisation).filter_by(slug=SLUG).one()
        with organisation_scope(organisation.id):
            take_snapshots(organisation, [Period.parse(PERIOD), Period.parse(PERIOD).previous()])
        db.session.commit()
        db.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    from core.app import create_app

    api = f"/api/v1/orgs/{SLUG}"
    scenarios = {
        "participants": f"{api}/participants?per_page=50",
        "kpis": f"{api}/kpis?period={PERIOD}",
        "kpis stored": f"{api}/kpis?period={PERIOD}&stored=true",
    }
    results: dict[str, dict] = {}
    with database("postgresql") as config:
        members = seed(create_app(config), args.clients)
        snapshot(config)
        tokens = [member["token"] for member in members]
        with gunicorn(config, args.workers, args.threads, app="bench.hello_app:app") as base:
            results["hello"] = figures(drive(base, tokens, "/", args.seconds), args.seconds)
        with gunicorn(config, args.workers, args.threads) as base:
            for name, path in scenarios.items():
                results[name] = figures(drive(base, tokens, path, args.seconds), args.seconds)
    hello = results["hello"]["per_second"]
    print(
        f"http load: PostgreSQL, gunicorn {args.workers} workers × {args.threads} threads, "
        f"{args.clients} clients, {args.seconds:.0f} s per scenario"
    )
    print(f"{'scenario':<14}{'requests/s':>11}{'× hello':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for name, result in results.items():
        result["ratio"] = result["per_second"] / hello
        print(
            f"{name:<14}{result['per_second']:>11.1f}{result['ratio']:>9.3f}"
            f"{result['p50'] * 1000:>9.1f}{result['p95'] * 1000:>9.1f}{result['errors']:>8}"
        )
        for example in result["examples"]:
            print(f"  e.g. {example}")
    print("RESULT " + json.dumps(results))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
