"""Benchmark: ``participants?per_page=50`` in one process, with and without ``CompiledDump``.

Makes a fresh database (``--backend postgresql``, the default, used through the application role;
or ``sqlite``) with ``bench/load_drill.py``'s organisation, then times the request on Flask's test
client — no network, no other clients — alternating rounds of the compiled dump and of
marshmallow's own dump (``CompiledDump._plan`` patched to plan nothing), so both see the same
machine load. Prints the median milliseconds per request of each, and the time ``dump`` itself
takes per request (the schema's ``dump`` of the list envelope) both ways, and checks that both
give the same bytes. The last line is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_drill import SLUG, database, seed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=50, help="requests per round")
    args = parser.parse_args()
    from core.app import create_app
    from core.schemas.compiled import CompiledDump
    from core.schemas.people import ParticipantListSchema, ParticipantSchema

    real_plan = CompiledDump._plan
    with database(args.backend) as config:
        app = create_app(config)
        token = seed(app, 1)[0]["token"]
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        path = f"/api/v1/orgs/{SLUG}/participants?per_page=50"

        def request_ms() -> float:
            started = time.perf_counter()
            for _ in range(args.requests):
                response = client.get(path, headers=headers)
            assert response.status_code == 200
            return (time.perf_counter() - started) / args.requests * 1000

        def dump_ms(schema, page) -> float:
            started = time.perf_counter()
            for _ in range(args.requests):
                schema.dump(page)
            return (time.perf_counter() - started) / args.requests * 1000

        with app.app_context():
            from sqlalchemy import select

            from core.extensions import db
            from core.models import Organisation, Participant
            from core.records import paginate
            from core.tenancy import organisation_scope

            org_id = db.session.scalar(select(Organisation.id).where(Organisation.slug == SLUG))
            with organisation_scope(org_id):
                page = paginate(select(Participant).order_by(Participant.id), {"page": 1, "per_page": 50})
                # Plain copies: the requests below end the session, which would expire the rows.
                names = list(ParticipantSchema().dump_fields)
                page["items"] = [SimpleNamespace(**{n: getattr(p, n) for n in names}) for p in page["items"]]

            timings: dict[str, list[float]] = {"compiled": [], "marshmallow": []}
            dumps: dict[str, list[float]] = {"compiled": [], "marshmallow": []}
            bodies: dict[str, bytes] = {}
            for name in ("compiled", "marshmallow"):  # warm up both
                CompiledDump._plan = real_plan if name == "compiled" else (lambda self: ())
                bodies[name] = client.get(path, headers=headers).data
            assert bodies["compiled"] == bodies["marshmallow"], "the two dumps differ"
            for _ in range(args.rounds):
                for name in ("compiled", "marshmallow"):
                    CompiledDump._plan = real_plan if name == "compiled" else (lambda self: ())
                    timings[name].append(request_ms())
                    dumps[name].append(dump_ms(ParticipantListSchema(), page))
            CompiledDump._plan = real_plan
            db.session.remove()
            db.engine.dispose()
    results = {
        name: {"request_ms": statistics.median(timings[name]), "dump_ms": statistics.median(dumps[name])}
        for name in timings
    }
    for name, figures in results.items():
        print(
            f"{name:12} {figures['request_ms']:7.2f} ms per request"
            f"   dump of 50: {figures['dump_ms']:6.2f} ms"
        )
    print("same bytes both ways")
    print("RESULT " + json.dumps({"backend": args.backend, **results}))


if __name__ == "__main__":
    main()
