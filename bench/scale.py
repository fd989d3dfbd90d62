"""Benchmark: the figures of a large landlord (issue 19's first three rows), each beside raw SQL.

Builds, in a fresh PostgreSQL database used through the non-owner application role (row-level
security on), one large organisation (``bench/kpis.py``'s generator: 100,000 households, 50,000
participants, 1,000,000 participations at ``--scale 1``) and ten partners a tenth of its size, all
eleven in one group, then prints the median time of

- every KPI of the large organisation for 2025-26 with details, beside the same aggregates as raw
  SQL (goal ≤ 0.5 s and ≤ 1.1× raw SQL);
- the group comparison of the eleven partners, beside raw SQL per partner (goal ≤ 2 s);
- the large organisation's impact assessment for 2025-26 as JSON, as its HTML page and as a PDF,
  beside the raw SQL of the KPIs for 2025-26 and 2024-25 (goal ≤ 1.5 s);
- the same comparison and assessment served from stored figures (``stored=true``): first the
  jobs that store them run once each, timed (the partners' ``kpis.snapshot`` jobs, the large
  organisation's ``impact_assessments.store`` job), then the reads, beside raw SQL reading the
  same stored rows.

``--without-stored`` leaves the stored rows out, ``--generate-only`` (with ``--keep``) only builds
the data.

``--keep NAME`` keeps (and on a later run reuses) a database of that name, so profiling can be
repeated without generating the data again. The last line is ``RESULT {json}`` for
``bench/all.py``. INVOLVE_BENCH_DATABASE_URL is the administrator URL (default the local server's).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.kpis import RAW_SQL, generate, median_time  # noqa: E402

PARTNERS = 10  # beside the large organisation


def params(org_id: int, period) -> dict:
    start_at = datetime.combine(period.start, datetime.min.time(), tzinfo=UTC)
    after = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return {
        "o": org_id,
        "yes": True,
        "no": False,
        "d0": period.start,
        "d1": period.end,
        "t0": start_at,
        "t1": after,
    }


def raw_kpis(org_ids: list[int], periods: list) -> None:
    """The raw SQL baseline: every KPI aggregate once, per organisation and period."""
    from core.extensions import db
    from core.models import Organisation
    from core.tenancy import organisation_scope

    for org_id in org_ids:
        with organisation_scope(org_id):  # RLS needs the scope too
            db.session.scalar(select(Organisation.id).limit(1))
            for period in periods:
                for statement in RAW_SQL.values():
                    db.session.execute(text(statement), params(org_id, period)).all()
        db.session.rollback()


def build(app, scale: float, owner_url: str) -> dict[str, int]:
    """The group, the large organisation and its partners; ids by role."""
    from core.extensions import db
    from core.models import Organisation
    from core.tenancy import organisation_scope

    existing = db.session.scalar(select(Organisation).where(Organisation.slug == "bench-group"))
    if existing is not None:
        large = db.session.scalar(select(Organisation).where(Organisation.slug == "bench-large"))
        print("reusing the kept database")
        return {"group": existing.id, "large": large.id}
    started = time.perf_counter()
    group = Organisation(slug="bench-group", name="Bench Group", kind="group")
    db.session.add(group)
    db.session.flush()
    for n in range(PARTNERS + 1):
        slug, name = (
            ("bench-large", "Bench Large Homes") if n == 0 else (f"bench-p{n:02d}", f"Partner {n:02d}")
        )
        partner = Organisation(slug=slug, name=name, parent_id=group.id)
        db.session.add(partner)
        db.session.commit()
        with organisation_scope(partner.id):
            generate(partner.id, scale if n == 0 else scale / 10, seed=2025 + n)
        db.session.commit()
        if n == 0:
            large_id = partner.id
    owner = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    owner.dispose()
    print(f"generated in {time.perf_counter() - started:.0f} s")
    return {"group": group.id, "large": large_id}


def run(
    config: dict,
    scale: float,
    owner_url: str,
    runs: int,
    without_pdf: bool = False,
    generate_only: bool = False,
    with_stored: bool = True,
) -> dict:
    from core.app import create_app
    from core.extensions import db
    from core.kpis.service import compute_figures
    from core.models import Organisation
    from core.periods import Period
    from core.reports.pdf import assessment_html, assessment_pdf
    from core.services.comparison import compare, partners_of
    from core.services.impact_assessments import document
    from core.tenancy import organisation_scope
    from core.testing import migrate

    migrate(config)
    app = create_app(config)
    year = Period.parse("2025-26")
    results: dict[str, dict] = {}
    with app.app_context():
        ids = build(app, scale, owner_url)
        if generate_only:
            db.session.remove()
            db.engine.dispose()
            return {}
        large = db.session.get(Organisation, ids["large"])
        group = db.session.get(Organisation, ids["group"])
        partner_ids = [p.id for p in partners_of(group)]
        kpis = app.extensions["involve"].kpis.for_organisation(large.id)

        def all_kpis():
            with organisation_scope(large.id):
                compute_figures(year, kpis)
            db.session.rollback()

        def comparison():
            compare(db.session.get(Organisation, group.id), year, actor_id=None)
            db.session.rollback()  # the audit rows of the reads

        def assessment_json():
            with organisation_scope(large.id):
                json.dumps(document(db.session.get(Organisation, large.id), year), default=str)
            db.session.rollback()

        def assessment_page():
            with app.test_request_context(), organisation_scope(large.id):
                assessment_html(document(db.session.get(Organisation, large.id), year))
            db.session.rollback()

        def assessment_file():
            with app.test_request_context(), organisation_scope(large.id):
                assessment_pdf(document(db.session.get(Organisation, large.id), year))
            db.session.rollback()

        rows = [
            ("all KPIs, one organisation-year", all_kpis, lambda: raw_kpis([large.id], [year]), 0.5),
            (
                f"group comparison, {len(partner_ids)} partners",
                comparison,
                lambda: raw_kpis(partner_ids, [year]),
                2.0,
            ),
            (
                "impact assessment, JSON",
                assessment_json,
                lambda: raw_kpis([large.id], [year, year.previous()]),
                1.5,
            ),
            ("impact assessment, page", assessment_page, None, 1.5),
            ("impact assessment, PDF", assessment_file, None, 1.5),
        ]
        if without_pdf:
            rows.pop()
        if with_stored:
            rows += stored_rows(app, large.id, group.id, partner_ids, year, without_pdf, results)
        baseline = None
        for label, product, raw, goal in rows:
            seconds = median_time(product, runs)
            if raw is not None:
                baseline = median_time(raw, runs)
            results[label] = {
                "seconds": seconds,
                "baseline": baseline,
                "goal": goal,
                "baseline_kind": "raw SQL",
            }
            print(
                f"{label:38} {seconds * 1000:9.1f} ms   raw SQL {baseline * 1000:9.1f} ms   "
                f"{seconds / baseline:5.2f} ×   goal ≤ {goal * 1000:.0f} ms"
            )
        db.session.remove()
        db.engine.dispose()
    return results


def stored_rows(app, large_id: int, group_id: int, partner_ids: list[int], year, without_pdf, results):
    """Run the jobs that store the figures (timed once, committed: the kept database keeps them),
    then the rows timing the stored reads, each beside raw SQL reading the same stored rows."""
    from core.extensions import db
    from core.jobs import run_job
    from core.models import Organisation
    from core.reports.pdf import assessment_html, assessment_pdf
    from core.services.comparison import compare
    from core.services.impact_assessments import stored_document, stored_pdf
    from core.tenancy import organisation_scope

    def timed_once(label, action):
        started = time.perf_counter()
        action()
        seconds = time.perf_counter() - started
        results[label] = {"seconds": seconds, "baseline": None, "goal": None, "baseline_kind": "none"}
        print(f"{label:38} {seconds * 1000:9.1f} ms   (job, off the request path, run once)")

    timed_once(
        f"kpis.snapshot jobs, {len(partner_ids)} partners",
        lambda: [run_job("kpis.snapshot", pid, {"period": year.label}) for pid in partner_ids],
    )
    timed_once(
        "impact_assessments.store job",
        lambda: run_job("impact_assessments.store", large_id, {"period": year.label}),
    )

    def stored_comparison():
        compare(db.session.get(Organisation, group_id), year, actor_id=None, stored=True)
        db.session.rollback()

    def raw_stored_kpis():
        db.session.scalar(select(Organisation.id).limit(1))  # RLS needs the scope too
        db.session.execute(
            text(
                "SELECT organisation_id, code, value, details, computed_at FROM kpi_snapshots "
                "WHERE organisation_id = ANY(:ids) AND period = :p"
            ),
            {"ids": partner_ids, "p": year.label},
        ).all()
        db.session.rollback()

    def raw_stored_assessment():
        with organisation_scope(large_id):
            db.session.scalar(select(Organisation.id).limit(1))
            found = db.session.execute(
                text(
                    "SELECT document, computed_at FROM stored_assessments "
                    "WHERE organisation_id = :o AND period = :p AND audience = 'everyone'"
                ),
                {"o": large_id, "p": year.label},
            ).one()
            json.dumps(found[0] if isinstance(found[0], dict) else json.loads(found[0]))
        db.session.rollback()

    def stored_json():
        with app.test_request_context(), organisation_scope(large_id):
            json.dumps(stored_document(db.session.get(Organisation, large_id), year), default=str)
        db.session.rollback()

    def stored_page():
        with app.test_request_context(), organisation_scope(large_id):
            assessment_html(stored_document(db.session.get(Organisation, large_id), year))
        db.session.rollback()

    def stored_file():
        # What ``.pdf?stored=true`` does: the job's print while it shows this document.
        with app.test_request_context(), organisation_scope(large_id):
            document, printed = stored_pdf(db.session.get(Organisation, large_id), year)
            if printed is None:
                assessment_pdf(document)
        db.session.rollback()

    def raw_read_all_scopes():
        # The group's read scope: RLS lets the application role read the partners' rows.
        from core.tenancy import group_read_scope

        with group_read_scope(partner_ids, actor_id=None, purpose="bench raw read"):
            raw_stored_kpis()

    rows = [
        (
            f"group comparison, {len(partner_ids)} partners, stored",
            stored_comparison,
            raw_read_all_scopes,
            2.0,
        ),
        ("impact assessment, JSON, stored", stored_json, raw_stored_assessment, 1.5),
        ("impact assessment, page, stored", stored_page, None, 1.5),
        ("impact assessment, PDF, stored", stored_file, None, 1.5),
    ]
    if without_pdf:
        rows.pop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 participations")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (median)")
    parser.add_argument("--keep", help="keep the database under this name and reuse it next time")
    parser.add_argument("--without-pdf", action="store_true", help="leave out the PDF (WeasyPrint's layout)")
    parser.add_argument(
        "--without-stored", action="store_true", help="leave out the stored comparison and assessment"
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="with --keep: build (or find) the kept database's data and stop, timing nothing",
    )
    args = parser.parse_args()
    if args.generate_only and not args.keep:
        parser.error("--generate-only needs --keep (the data would be dropped at the end)")
    from core.testing import _pg_config, _psycopg_url, postgres_database

    admin_url = os.environ.pop("INVOLVE_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    os.environ["INVOLVE_TEST_POSTGRES_URL"] = admin_url
    if args.keep:
        urls = kept_database(_psycopg_url(admin_url), args.keep)
        results = run(
            _pg_config(urls),
            args.scale,
            urls["owner"],
            args.runs,
            args.without_pdf,
            args.generate_only,
            not args.without_stored,
        )
    else:
        with postgres_database("involve_bench") as urls:
            results = run(
                _pg_config(urls),
                args.scale,
                urls["owner"],
                args.runs,
                args.without_pdf,
                with_stored=not args.without_stored,
            )
    print("RESULT " + json.dumps(results))


def kept_database(admin_url: str, name: str) -> dict[str, str]:
    """A database named ``name`` on the server (created when missing), used as the test suite's
    databases are: migrated by its owner, read through the application role."""
    from core.testing import APP_ROLE

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).scalar():
            connection.exec_driver_sql(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
        if not connection.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).scalar():
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    owner_url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    scheme, rest = owner_url.split("://", 1)
    return {"owner": owner_url, "app": f"{scheme}://{APP_ROLE}@{rest.split('@', 1)[-1]}", "name": name}


if __name__ == "__main__":
    main()
