"""Every row of the performance issue's table in one run, each beside its baseline and the ratio.

Runs, one after the other and each in a fresh PostgreSQL database of its own (PostgreSQL is where
the goals are set; INVOLVE_BENCH_DATABASE_URL is the administrator URL, the local server's by
default):

- ``bench/scale.py``: all KPIs of a large organisation, the group comparison of eleven partners
  and the impact assessment (JSON, page, PDF), beside raw SQL;
- ``bench/http_load.py``: ``participants?per_page=50`` and ``kpis`` under 16 clients on gunicorn,
  beside a hello-world Flask app on the same server;
- ``bench/reward_conversion.py``: the yearly conversion of 50,000 members, beside raw SQL;
- ``bench/csv_import.py``: 100,000 households in one file, beside a raw bulk insert;

then prints the table: what, goal, the product's figure, its baseline and the ratio. ``--quick``
(``make bench``) runs everything small (a fiftieth of the data and of the conversion, 2,000 import
rows, 5 s per HTTP scenario, one timed run each, no PDF) to check that every bench works and to show the
ratios; the goals are for the full run (``python bench/all.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def run(script: str, *args: str) -> dict:
    """Run one bench in its own process; its ``RESULT`` line, or ``{}`` if it failed."""
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / script), *args]
    env = {**os.environ}
    env.setdefault("INVOLVE_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if not line.startswith("RESULT ")]
    print(f"--- {script} {' '.join(args)} ({time.perf_counter() - started:.0f} s)")
    print("\n".join(lines[-14:]))
    result = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if result is None:
        print(done.stderr[-2000:])
        return {}
    return json.loads(result.removeprefix("RESULT "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, about three minutes")
    quick = parser.parse_args().quick
    scale_args = ["--scale", "0.02", "--runs", "1", "--without-pdf"] if quick else ["--scale", "1.0"]
    scale = run("scale.py", *scale_args)
    http = run("http_load.py", "--seconds", "5" if quick else "30")
    rewards = run("reward_conversion.py", "--scale", "0.02" if quick else "1.0")
    households = run("csv_import.py", *(["--rows", "2000"] if quick else []))

    rows: list[tuple] = []
    for label, figures in scale.items():
        rows.append(
            (label, f"≤ {figures['goal']:g} s", figures["seconds"], figures["baseline"], "raw SQL", "s")
        )
    hello = http.get("hello", {})
    for name, goal in (("participants", "p95 ≤ 60 ms, ≥ 0.2× hello"), ("kpis", "p95 ≤ 300 ms")):
        figures = http.get(name)
        if figures:
            rows.append(
                (f"{name}, 16 clients, p95", goal, figures["p95"], hello.get("p95"), "hello-world", "s")
            )
            rows.append(
                (
                    f"{name}, 16 clients, requests/s",
                    "",
                    figures["per_second"],
                    hello.get("per_second"),
                    "hello-world",
                    "/s",
                )
            )
    if rewards:
        rows.append(
            ("reward conversion", "≤ 10 s (50,000)", rewards["seconds"], rewards["baseline"], "raw SQL", "s")
        )
    if households:
        rows.append(
            (
                "households CSV import",
                "≤ 8 s, ≤ 250 MB (100,000)",
                households["seconds"],
                households["baseline"],
                "bulk insert",
                "s",
            )
        )
        rows.append(
            (
                "households CSV import, peak RSS",
                "≤ 250 MB",
                households["peak_mb"],
                households["baseline_peak_mb"],
                "bulk insert",
                "MB",
            )
        )
    print(f"\n{'what':42} {'goal':28} {'product':>10} {'baseline':>10} {'':12} {'ratio':>7}")
    for label, goal, product, baseline, kind, unit in rows:
        ratio = f"{product / baseline:6.2f}×" if baseline else "      -"
        base = f"{baseline:10.3f}" if baseline is not None else f"{'-':>10}"
        print(f"{label:42} {goal:28} {product:10.3f} {base} {kind + ' ' + unit:12} {ratio}")
    if quick:
        print("(quick run: small sizes; the goals are for the full run, python bench/all.py)")


if __name__ == "__main__":
    main()
