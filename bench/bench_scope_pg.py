"""Run bench/bench_scope.py against a fresh PostgreSQL database the way production uses one.

The database is created (from INVOLVE_TEST_POSTGRES_URL, an administrator URL; default the local
test server), migrated as its owner, then measured through the non-owner application role, so
row-level security binds as it does in production; it is dropped afterwards. Prints figures;
asserts nothing. ``python bench/bench_scope_pg.py``.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import core.testing as testing

    with testing.postgres_database("involve_benchscope") as urls:
        testing.migrate(testing._pg_config(urls))
        os.environ["INVOLVE_BENCH_DATABASE_URL"] = urls["app"]
        testing.migrate = lambda config: None  # already migrated, as the owner
        sys.argv = ["bench_scope.py"]
        runpy.run_path(str(ROOT / "bench" / "bench_scope.py"), run_name="__main__")


if __name__ == "__main__":
    main()
