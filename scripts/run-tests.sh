#!/usr/bin/env bash
# The whole suite, as `make test` runs it: SQLite (with the browser tests) and PostgreSQL + Redis
# (without them) side by side, each in its own process with its own Redis database, so the two
# backends share the machine's cores. Each run's output is printed whole when both have finished;
# the exit status fails if either failed. Extra arguments go to both pytest runs.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

INVOLVE_TEST_REDIS_URL=${INVOLVE_TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
  "$PY" -m pytest -p no:cacheprovider "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!

pg_status=0
pg_ran=0
if "$PY" scripts/services.py check; then
  pg_ran=1
  INVOLVE_TEST_BACKEND=postgresql INVOLVE_TEST_REDIS_URL=redis://127.0.0.1:6379/14 \
    "$PY" -m pytest -p no:cacheprovider -m "not browser" "$@" >"$logs/postgresql.log" 2>&1 &
  pg_pid=$!
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL or Redis is not reachable, and CI requires both" >&2
  pg_status=1
else
  echo "PostgreSQL or Redis is not reachable: the PostgreSQL run was skipped" >&2
fi

wait "$sqlite_pid"
sqlite_status=$?
if [ "$pg_ran" = 1 ]; then
  wait "$pg_pid"
  pg_status=$?
fi

echo "==================== SQLite (with browser tests) ===================="
cat "$logs/sqlite.log"
if [ "$pg_ran" = 1 ]; then
  echo "==================== PostgreSQL + Redis ===================="
  cat "$logs/postgresql.log"
fi
echo "SQLite run: exit $sqlite_status; PostgreSQL run: $([ "$pg_ran" = 1 ] && echo "exit $pg_status" || echo skipped)"
# One closing line for both runs, from each run's pytest summary line.
"$PY" - "$logs"/*.log <<'PYTHON'
import re
import sys

totals = {"passed": 0, "failed": 0, "skipped": 0}
for path in sys.argv[1:]:
    lines = [line for line in open(path, encoding="utf-8", errors="replace") if re.search(r" in [0-9.]+s", line)]
    if not lines:
        totals["failed"] += 1  # a run that printed no summary did not finish
        continue
    for count, kind in re.findall(r"(\d+) (passed|failed|skipped|errors?)", lines[-1]):
        totals["failed" if kind.startswith("error") else kind] += int(count)
print(f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
PYTHON
[ "$sqlite_status" = 0 ] && [ "$pg_status" = 0 ]
