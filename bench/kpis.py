"""Benchmark: every KPI of a large organisation for one year, through the registry and as raw SQL.

Generates one organisation in a fresh database — 100,000 households, 50,000 participants and
1,000,000 participations over three financial years (2023-24 to 2025-26), with activities, body
memberships, consultation and survey responses, feedback, spend, equality monitoring and a customer
profile — using bulk inserts inside the organisation scope, then prints the median time to compute
all KPIs for 2025-26 through the KPI registry beside hand-written SQL for the same aggregates.
``--scale 0.1`` makes everything a tenth the size. SQLite in a temporary directory by default; with
INVOLVE_BENCH_DATABASE_URL (an administrator URL of a PostgreSQL server) a fresh database is
created there, migrated, used through the non-owner application role (row-level security on) and
dropped afterwards. Prints figures; asserts nothing; not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEARS = ("2023-24", "2024-25", "2025-26")
BATCH = 20_000
RAW_SQL = {
    "opportunities": "SELECT count(*) FROM activities WHERE organisation_id = :o AND status = 'held' "
    "AND starts_at >= :t0 AND starts_at < :t1",
    "opportunity_types": "SELECT count(DISTINCT opportunity_id) FROM activities WHERE organisation_id = :o "
    "AND status = 'held' AND starts_at >= :t0 AND starts_at < :t1",
    "involved_total": "SELECT count(*) FROM (SELECT p.participant_id FROM participations p JOIN activities a "
    "ON a.id = p.activity_id AND a.organisation_id = p.organisation_id WHERE p.organisation_id = :o "
    "AND p.attended = :yes AND a.status = 'held' AND a.starts_at >= :t0 AND a.starts_at < :t1 "
    "UNION SELECT participant_id FROM body_memberships WHERE organisation_id = :o "
    "AND participant_id IS NOT NULL AND starts_on <= :d1 AND (ends_on IS NULL OR ends_on >= :d0) "
    "UNION SELECT participant_id FROM consultation_responses WHERE organisation_id = :o "
    "AND participant_id IS NOT NULL AND responded_on BETWEEN :d0 AND :d1 "
    "UNION SELECT participant_id FROM survey_responses WHERE organisation_id = :o "
    "AND participant_id IS NOT NULL AND responded_on BETWEEN :d0 AND :d1) involved",
    "involved_formal": "SELECT count(DISTINCT m.participant_id) FROM body_memberships m JOIN bodies b "
    "ON b.id = m.body_id AND b.organisation_id = m.organisation_id WHERE m.organisation_id = :o "
    "AND b.decision_making = :yes AND m.participant_id IS NOT NULL AND m.starts_on <= :d1 "
    "AND (m.ends_on IS NULL OR m.ends_on >= :d0)",
    "improvements": "SELECT count(*) FROM improvements WHERE organisation_id = :o "
    "AND implemented_on BETWEEN :d0 AND :d1",
    "training_sessions": "SELECT count(*) FROM activities WHERE organisation_id = :o AND status = 'held' "
    "AND kind = 'training' AND starts_at >= :t0 AND starts_at < :t1",
    "survey_responses": "SELECT (SELECT count(*) FROM consultation_responses WHERE organisation_id = :o "
    "AND responded_on BETWEEN :d0 AND :d1) + (SELECT count(*) FROM survey_responses "
    "WHERE organisation_id = :o AND responded_on BETWEEN :d0 AND :d1)",
    "spend_per_household": "SELECT (SELECT coalesce(sum(amount_pence), 0) FROM spend "
    "WHERE organisation_id = :o AND spent_on BETWEEN :d0 AND :d1), "
    "(SELECT count(*) FROM households WHERE organisation_id = :o AND active = :yes)",
    "feedback_on_time": "SELECT count(c.id), "
    "sum(CASE WHEN f.published_on <= c.feedback_due_on THEN 1 ELSE 0 END) "
    "FROM consultations c LEFT JOIN consultation_feedback f ON f.consultation_id = c.id "
    "AND f.organisation_id = c.organisation_id WHERE c.organisation_id = :o AND c.cancelled = :no "
    "AND c.feedback_due_on BETWEEN :d0 AND :d1",
}
SATISFACTION_SQL = (
    "SELECT sum(CASE WHEN a.value IN ('very_satisfied', 'fairly_satisfied') THEN 1 ELSE 0 END), "
    "sum(CASE WHEN coalesce(trim(a.value), '') NOT IN ('', 'dont_know') THEN 1 ELSE 0 END) "
    "FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id "
    "AND r.organisation_id = a.organisation_id WHERE a.organisation_id = :o AND a.question_code = '{code}' "
    "AND r.responded_on BETWEEN :d0 AND :d1"
)
RAW_SQL["listened_to"] = SATISFACTION_SQL.format(code="TP06")
RAW_SQL["satisfied_opportunities"] = SATISFACTION_SQL.format(code="OPPS")
RAW_SQL["customer_profile"] = (
    "SELECT characteristic, category, count FROM customer_profile_counts WHERE organisation_id = :o "
    "AND category <> 'prefer_not_to_say' AND count > 0"
)
_INVOLVED = RAW_SQL["involved_total"].removeprefix("SELECT count(*) FROM ").removesuffix(" involved")
# Fixed column names from the tuple below, never input: not an injection vector.
_CHARACTERISTICS = ("age_band", "sex", "ethnicity", "disability", "religion", "sexual_orientation")
RAW_SQL["participant_profile"] = (
    "WITH monitored AS (SELECT e.* FROM equality_monitoring e JOIN participants p ON p.id = e.participant_id "  # noqa: S608
    "AND p.organisation_id = e.organisation_id WHERE e.organisation_id = :o AND p.erased_at IS NULL "
    f"AND e.participant_id IN {_INVOLVED} AND e.participant_id NOT IN (SELECT participant_id FROM "
    "monitoring_objections WHERE organisation_id = :o)) "
    + " UNION ALL ".join(
        f"SELECT '{name}', {name}, count(*) FROM monitored WHERE {name} IS NOT NULL "  # noqa: S608
        f"AND {name} NOT IN ('', 'prefer_not_to_say') GROUP BY {name}"
        for name in _CHARACTERISTICS
    )
)


def bulk(model, rows: list[dict], returning: bool = False) -> list[int]:
    """Insert rows in batches (in the scope already open); the new ids when asked for."""
    from core.extensions import db

    ids: list[int] = []
    for first in range(0, len(rows), BATCH):
        chunk = rows[first : first + BATCH]
        db.session.scalar(select(model.id).limit(1))  # hands the scope to PostgreSQL's RLS
        if returning:
            ids.extend(db.session.scalars(insert(model).returning(model.id), chunk).all())
        else:
            db.session.execute(insert(model), chunk)
    return ids


def generate(org_id: int, scale: float, seed: int = 2025) -> dict[str, int]:
    from core import models as m
    from core.models.surveys import Survey, SurveyAnswer, SurveyResponse

    rng = random.Random(seed)
    n = {
        "households": int(100_000 * scale),
        "participants": int(50_000 * scale),
        "participations": int(1_000_000 * scale),
        "activities": max(30, int(12_000 * scale)),
        "memberships": max(20, int(2_000 * scale)),
        "consultations": max(10, int(300 * scale)),
        "consultation_responses": int(100_000 * scale),
        "survey_responses": int(60_000 * scale),
        "spend": int(20_000 * scale),
        "improvements": max(5, int(600 * scale)),
    }
    org = {"organisation_id": org_id}
    first_day, last_day = date(2023, 4, 1), date(2026, 3, 31)
    days = (last_day - first_day).days

    def day() -> date:
        return first_day + timedelta(days=rng.randrange(days + 1))

    def someone(share: float) -> int | None:
        """A participant for ``share`` of the records, else an anonymous one."""
        return rng.choice(people) if rng.random() < share else None

    households = bulk(
        m.Household,
        [{**org, "reference": f"H{i}", "active": rng.random() < 0.95} for i in range(n["households"])],
        returning=True,
    )
    people = bulk(
        m.Participant,
        [
            {**org, "first_name": f"P{i}", "last_name": "Resident", "household_id": rng.choice(households)}
            for i in range(n["participants"])
        ],
        returning=True,
    )
    opportunities = bulk(
        m.Opportunity, [{**org, "name": f"O{i}", "level": "involved"} for i in range(40)], True
    )
    kinds = ("meeting", "event", "walkabout", "inspection", "training", "volunteering", "focus_group")
    activities = bulk(
        m.Activity,
        [
            {
                **org,
                "title": f"A{i}",
                "kind": rng.choice(kinds),
                "status": rng.choices(("held", "planned", "cancelled"), (85, 10, 5))[0],
                "starts_at": datetime.combine(day(), datetime.min.time(), tzinfo=UTC) + timedelta(hours=18),
                "opportunity_id": rng.choice(opportunities),
            }
            for i in range(n["activities"])
        ],
        returning=True,
    )
    per_activity = n["participations"] // len(activities)
    participations = [
        {**org, "activity_id": activity, "participant_id": person, "attended": rng.random() < 0.9}
        for activity in activities
        for person in rng.sample(people, per_activity)
    ]
    bulk(m.Participation, participations)
    bodies = bulk(
        m.Body,
        [{**org, "name": f"B{i}", "kind": "panel", "decision_making": i < 5} for i in range(20)],
        returning=True,
    )
    bulk(
        m.BodyMembership,
        [
            {
                **org,
                "body_id": rng.choice(bodies),
                "participant_id": None if i % 10 == 0 else rng.choice(people),
                "external_name": f"External {i}" if i % 10 == 0 else None,
                "seat_type": "resident",
                "starts_on": (start := day()),
                "ends_on": start + timedelta(days=730) if rng.random() < 0.5 else None,
            }
            for i in range(n["memberships"])
        ],
    )
    columns = ("title", "topic", "opens_on", "closes_on", "feedback_due_on", "cancelled")
    opened = [(f"C{i}", day(), rng.random() < 0.05) for i in range(n["consultations"])]
    values = ((title, "repairs", d, d + timedelta(30), d + timedelta(120), off) for title, d, off in opened)
    consultations = [{**org, **dict(zip(columns, row, strict=True))} for row in values]
    consultation_ids = bulk(m.Consultation, consultations, returning=True)
    bulk(
        m.ConsultationFeedback,
        [
            {
                **org,
                "consultation_id": c,
                "you_said": "x",
                "we_did": "y",
                "published_on": row["feedback_due_on"] + timedelta(days=rng.randrange(-60, 30)),
            }
            for c, row in zip(consultation_ids, consultations, strict=True)
            if rng.random() < 0.8
        ],
    )
    columns = ("consultation_id", "participant_id", "responded_on", "channel")
    answers = (
        (rng.choice(consultation_ids), someone(0.7), day(), "online")
        for _ in range(n["consultation_responses"])
    )
    bulk(m.ConsultationResponse, [{**org, **dict(zip(columns, row, strict=True))} for row in answers])
    surveys = bulk(Survey, [{**org, "title": f"STAR {year}"} for year in YEARS], returning=True)
    columns = ("survey_id", "participant_id", "responded_on")
    answers = ((rng.choice(surveys), someone(0.5), day()) for _ in range(n["survey_responses"]))
    responses = bulk(
        SurveyResponse, [{**org, **dict(zip(columns, row, strict=True))} for row in answers], True
    )
    scale_values = (
        "very_satisfied",
        "fairly_satisfied",
        "neither",
        "fairly_dissatisfied",
        "very_dissatisfied",
    )
    bulk(
        SurveyAnswer,
        [
            {
                **org,
                "response_id": r,
                "question_code": code,
                "value": rng.choice((*scale_values, "dont_know", None)),
            }
            for r in responses
            for code in ("TP06", "OPPS")
        ],
    )
    bulk(
        m.Spend,
        [
            {**org, "spent_on": day(), "category": "events", "amount_pence": rng.randrange(100, 50_000)}
            for _ in range(n["spend"])
        ],
    )
    bulk(
        m.Improvement, [{**org, "title": f"I{i}", "implemented_on": day()} for i in range(n["improvements"])]
    )
    bands = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+", "prefer_not_to_say")
    bulk(
        m.EqualityMonitoring,
        [
            {
                **org,
                "participant_id": p,
                "age_band": rng.choice(bands),
                "sex": rng.choice(("female", "male", None)),
            }
            for p in people
            if rng.random() < 0.6
        ],
    )
    bulk(
        m.CustomerProfileCount,
        [
            {**org, "characteristic": "age_band", "category": b, "count": rng.randrange(5_000, 20_000)}
            for b in bands
        ]
        + [{**org, "characteristic": "sex", "category": s, "count": 50_000} for s in ("female", "male")],
    )
    return n


def median_time(action, runs: int = 5) -> float:
    action()  # warm the caches once
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(config: dict, scale: float, owner_url: str | None = None) -> None:
    from core.app import create_app
    from core.extensions import db
    from core.kpis.service import compute_figures
    from core.models import Organisation
    from core.periods import Period
    from core.tenancy import organisation_scope
    from core.testing import migrate

    migrate(config)
    app = create_app(config)
    with app.app_context():
        organisation = Organisation(slug="bench-large", name="Bench Large Homes")
        db.session.add(organisation)
        db.session.commit()
        org_id = organisation.id
        started = time.perf_counter()
        with organisation_scope(org_id):
            sizes = generate(org_id, scale)
        db.session.commit()
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}  (scale {scale})")
        print(
            f"generated in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in sizes.items())
        )
        if owner_url:  # statistics for the planner; only the tables' owner may ANALYZE them
            owner = create_engine(owner_url, isolation_level="AUTOCOMMIT")
            with owner.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
            owner.dispose()

        year = Period.parse("2025-26")
        registry = app.extensions["involve"].kpis
        kpis = registry.for_organisation(org_id)
        figures = registry.compute(org_id, year)
        print("2025-26: " + ", ".join(f"{code}={value}" for code, value in figures.items()))

        def through_registry():
            registry.compute(org_id, year)
            db.session.rollback()

        def with_details():
            with organisation_scope(org_id):
                compute_figures(year, kpis)
            db.session.rollback()

        sqlite = db.engine.dialect.name == "sqlite"
        start_at = datetime(2025, 4, 1, tzinfo=UTC)
        after = datetime(2026, 4, 1, tzinfo=UTC)
        params = {
            "o": org_id,
            "yes": True,
            "no": False,
            "d0": year.start.isoformat() if sqlite else year.start,
            "d1": year.end.isoformat() if sqlite else year.end,
            "t0": start_at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else start_at,
            "t1": after.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else after,
        }

        def raw_sql():
            with organisation_scope(org_id):  # RLS on PostgreSQL needs the scope too
                db.session.scalar(select(Organisation.id).limit(1))
                for statement in RAW_SQL.values():
                    db.session.execute(text(statement), params).all()
            db.session.rollback()

        with organisation_scope(org_id):
            db.session.scalar(select(Organisation.id).limit(1))
            counts = [c for c in RAW_SQL if figures.get(c) is not None and registry.kpis[c].unit == "count"]
            agree = all(db.session.scalar(text(RAW_SQL[c]), params) == figures[c] for c in counts)
        db.session.rollback()
        print(f"raw SQL gives the same counts ({', '.join(counts)}): {'yes' if agree else 'NO'}")
        raw = median_time(raw_sql)
        values = median_time(through_registry)
        full = median_time(with_details)
        print(f"{'all KPI values, 2025-26, through the registry':58} {values * 1000:9.1f} ms")
        print(f"{'… plus details (TP06 sample/margin, profile per characteristic)':58} {full * 1000:9.1f} ms")
        print(f"{'raw SQL baseline, same aggregates once each':58} {raw * 1000:9.1f} ms")
        print(f"{'registry with details ÷ raw SQL':58} {full / raw:9.2f} ×")
        bench_comparison(app, organisation, scale, year, owner_url)
        db.session.remove()
        db.engine.dispose()


def bench_comparison(app, large, scale: float, year, owner_url: str | None = None) -> None:
    """The group comparison: the large organisation and two partners a tenth of its size, compared
    through audited read scopes, beside the raw SQL of the same KPIs for the three partners."""
    from core.extensions import db
    from core.models import Organisation
    from core.services.comparison import compare
    from core.tenancy import organisation_scope

    group = Organisation(slug="bench-group", name="Bench Group", kind="group")
    db.session.add(group)
    db.session.flush()
    large = db.session.get(Organisation, large.id)
    large.parent_id = group.id
    partners = [large]
    for n in (1, 2):
        partner = Organisation(slug=f"bench-partner-{n}", name=f"Bench Partner {n}", parent_id=group.id)
        db.session.add(partner)
        db.session.commit()
        with organisation_scope(partner.id):
            generate(partner.id, scale / 10, seed=2025 + n)
        db.session.commit()
        partners.append(partner)
    db.session.commit()
    if owner_url:  # the planner must know the new partners' rows too
        owner = create_engine(owner_url, isolation_level="AUTOCOMMIT")
        with owner.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
        owner.dispose()
    partner_ids = [p.id for p in partners]
    sqlite = db.engine.dialect.name == "sqlite"
    start_at, after = datetime(2025, 4, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)

    def params(org_id):
        return {
            "o": org_id,
            "yes": True,
            "no": False,
            "d0": year.start.isoformat() if sqlite else year.start,
            "d1": year.end.isoformat() if sqlite else year.end,
            "t0": start_at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else start_at,
            "t1": after.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else after,
        }

    def comparison():
        compare(db.session.get(Organisation, group.id), year, actor_id=None)
        db.session.rollback()  # the audit rows of the reads

    def raw_sql():
        for org_id in partner_ids:
            with organisation_scope(org_id):
                db.session.scalar(select(Organisation.id).limit(1))
                for statement in RAW_SQL.values():
                    db.session.execute(text(statement), params(org_id)).all()
            db.session.rollback()

    result = compare(db.session.get(Organisation, group.id), year, actor_id=None)
    db.session.rollback()
    print(f"comparison of {len(result['partners'])} partners on {len(result['kpis'])} KPIs")
    timed, raw = median_time(comparison), median_time(raw_sql)
    print(f"{'group comparison, 3 partners (1 large, 2 a tenth), 2025-26':58} {timed * 1000:9.1f} ms")
    print(f"{'raw SQL baseline, same aggregates per partner':58} {raw * 1000:9.1f} ms")
    print(f"{'comparison ÷ raw SQL':58} {timed / raw:9.2f} ×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 participations")
    scale = parser.parse_args().scale
    from core.testing import _pg_config, base_config, postgres_database

    # Taken out of the environment: the app refuses INVOLVE_* variables it does not know.
    admin_url = os.environ.pop("INVOLVE_BENCH_DATABASE_URL", None)
    if admin_url:
        os.environ["INVOLVE_TEST_POSTGRES_URL"] = admin_url
        with postgres_database("involve_bench") as urls:
            run(_pg_config(urls), scale, urls["owner"])
        return
    directory = tempfile.mkdtemp()
    run(base_config(f"sqlite:///{directory}/bench-kpis.db"), scale)


if __name__ == "__main__":
    main()
