"""Benchmark: what the organisation scope costs, and API request throughput, on SQLite.

Prints figures; asserts nothing. Run with ``make bench`` (or ``python bench/bench_scope.py``).
Set INVOLVE_BENCH_DATABASE_URL to measure another database (migrated first).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

# The example plugin under tests/ is the workload; make the project importable as a script.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(label: str, runs: int, action) -> None:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(runs):
            action()
        samples.append((time.perf_counter() - start) / runs * 1e6)
    print(f"{label:58} {statistics.median(samples):9.1f} µs/op  (median of 5 × {runs})")


def main() -> None:
    from core.app import create_app
    from core.auth import create_api_token, hash_password
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from tests.example_plugin.models import ExampleNote

    directory = tempfile.mkdtemp()
    url = os.environ.get("INVOLVE_BENCH_DATABASE_URL", f"sqlite:///{directory}/bench.db")
    config = base_config(url)
    migrate(config)
    app = create_app(config)
    with app.app_context():
        orgs = [Organisation(slug=f"bench-{i}", name=f"Bench {i}") for i in range(20)]
        db.session.add_all(orgs)
        db.session.flush()
        for org in orgs:
            with organisation_scope(org.id):
                set_plugin_state(app.extensions["involve"].plugins, org, "example", enabled=True, settings={})
                db.session.add_all(ExampleNote(body=f"note {n}") for n in range(500))
        user = User(email="bench@example.org", password_hash=hash_password("benchmark password"))
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, organisation_id=orgs[0].id, role="staff"))
        _, token = create_api_token(user, "bench")
        db.session.commit()
        target = orgs[0].id
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}; 20 organisations × 500 notes")

        def scoped_count():
            with organisation_scope(target):
                db.session.scalar(select(func.count()).select_from(ExampleNote))

        def scoped_entity_count():
            with organisation_scope(target):
                db.session.scalar(select(func.count(ExampleNote.id)))

        def raw_count():
            db.session.execute(
                text("SELECT count(*) FROM example_notes WHERE organisation_id = :o"), {"o": target}
            ).scalar()

        def scoped_load_500():
            with organisation_scope(target):
                db.session.scalars(select(ExampleNote)).all()
            db.session.expunge_all()

        timed("count(*) select_from(Model), ORM scope (rewritten)", 500, scoped_count)
        timed("count(Model.id), ORM scope (loader criteria)", 500, scoped_entity_count)
        timed("count, hand-written SQL with the same WHERE", 500, raw_count)
        timed("load 500 notes through the ORM (scope + row checks)", 20, scoped_load_500)

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timed(
        "GET /api/v1/orgs/<slug> (token, membership, scope)",
        200,
        lambda: client.get("/api/v1/orgs/bench-0", headers=headers),
    )
    timed(
        "GET /api/v1/orgs/<slug>/plugins/example/notes (500 notes)",
        20,
        lambda: client.get("/api/v1/orgs/bench-0/plugins/example/notes", headers=headers),
    )


if __name__ == "__main__":
    main()
