"""``GET /kpis``: every KPI with target, previous value and source; plugin KPIs by enablement; 422
naming ``period``; a fixed number of SQL statements; stored figures from the snapshot job; targets
validated by ``orgs sync``."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from core.core_jobs import enqueue_daily_jobs, snapshot_kpis
from core.jobs import enqueue
from core.kpis.core_kpis import CORE_KPIS, margin_of_error
from core.kpis.service import snapshot_periods
from core.models import Activity, Household, Improvement, Participant, Participation, Spend
from core.models.surveys import KpiSnapshot, Survey, SurveyAnswer, SurveyResponse
from core.periods import Period
from core.services.orgsync import sync
from core.tenancy import organisation_scope
from tests.test_kpis import Recorder

CORE_CODES = [kpi.code for kpi in CORE_KPIS]
URL = "/api/v1/orgs/{}/kpis"


@pytest.fixture
def landlord(make_org):
    return make_org(plugins=["example"], settings={"kpi_targets": {"improvements": 10, "listened_to": 80.5}})


def by_code(response):
    assert response.status_code == 200, response.get_json()
    return {row["code"]: row for row in response.get_json()["kpis"]}


def record_year(db_session, org, scale=1):
    """Records in 2025-26 (and some in 2024-25) whose KPIs are known."""
    with organisation_scope(org.id):
        db_session.add_all(Household(reference=f"H{org.id}-{n}") for n in range(4))
        db_session.add(Spend(spent_on=date(2025, 6, 1), category="events", amount_pence=1001))
        db_session.add(Improvement(title="Lighting", implemented_on=date(2025, 6, 1)))
        db_session.add(Improvement(title="Bins", implemented_on=date(2024, 6, 1)))
        survey = Survey(title="STAR")
        db_session.add(survey)
        db_session.flush()
        for n in range(3 * scale):
            person = Participant(first_name=f"P{n}", last_name="Resident")
            meeting = Activity(
                title="Forum", kind="meeting", status="held", starts_at=datetime(2025, 5, 1, tzinfo=UTC)
            )
            db_session.add_all([person, meeting])
            db_session.flush()
            db_session.add(Participation(activity_id=meeting.id, participant_id=person.id))
            response = SurveyResponse(
                survey_id=survey.id, participant_id=person.id, responded_on=date(2025, 7, 1)
            )
            db_session.add(response)
            db_session.flush()
            db_session.add(
                SurveyAnswer(response_id=response.id, question_code="TP06", value="very_satisfied")
            )
    db_session.commit()


def test_core_kpis_are_registered_with_units_and_direction(app):
    registry = app.extensions["involve"].kpis.kpis
    expected = {
        "opportunities": "count",
        "opportunity_types": "count",
        "involved_total": "count",
        "involved_formal": "count",
        "improvements": "count",
        "training_sessions": "count",
        "survey_responses": "count",
        "spend_per_household": "pence",
        "feedback_on_time": "percent",
        "listened_to": "percent",
        "satisfied_opportunities": "percent",
        "profile_gap": "percent",
    }
    assert {code: registry[code].unit for code in expected} == expected
    assert registry["profile_gap"].higher_is_better is False and registry["listened_to"].higher_is_better


def test_the_report_lists_every_kpi_with_target_previous_and_source(
    landlord, make_org, make_user, api_client, db_session
):
    record_year(db_session, landlord)
    record_year(db_session, make_org())  # another organisation's identical records
    response = api_client(make_user(landlord, "viewer")).get(URL.format(landlord.slug) + "?period=2025-26")
    body = response.get_json()
    assert body["period"] == "2025-26"
    rows = by_code(response)
    assert list(rows)[: len(CORE_CODES)] == CORE_CODES and "example_notes" in rows
    assert rows["example_notes"]["source"] == "example" and rows["opportunities"]["source"] == "core"
    assert rows["improvements"] == {
        "code": "improvements",
        "title": "Service improvements from involvement",
        "value": 1,
        "unit": "count",
        "target": 10,
        "previous": 1,
        "source": "core",
        "met": False,
    }
    assert rows["spend_per_household"]["value"] == 250  # 1001 ÷ 4 = 250.25
    assert rows["spend_per_household"]["previous"] == 0
    assert rows["involved_total"]["value"] == 3 and rows["opportunities"]["value"] == 3
    listened = rows["listened_to"]
    assert (listened["value"], listened["target"], listened["previous"]) == (100.0, 80.5, None)
    assert isinstance(listened["value"], float)
    assert listened["details"] == {"sample_size": 3, "margin_of_error": 0.0}
    assert rows["feedback_on_time"]["value"] is None
    assert "age_band" in rows["profile_gap"]["details"]["by_characteristic"]


def test_a_quarter_compares_with_the_quarter_before(landlord, make_user, api_client, db_session):
    record_year(db_session, landlord)
    rows = by_code(api_client(make_user(landlord)).get(URL.format(landlord.slug) + "?period=2025-26-Q2"))
    assert rows["improvements"]["value"] == 0 and rows["improvements"]["previous"] == 1
    assert rows["survey_responses"]["value"] == 3 and rows["survey_responses"]["previous"] == 0


def test_plugin_kpis_only_when_the_plugin_is_enabled(make_org, make_user, api_client):
    plain = make_org()
    rows = by_code(api_client(make_user(plain)).get(URL.format(plain.slug) + "?period=2025-26"))
    assert "example_notes" not in rows and set(CORE_CODES) <= set(rows)
    assert all(row["target"] is None for row in rows.values())


@pytest.mark.parametrize("query", ["", "?period=", "?period=2025-27", "?period=2025-26-Q5", "?period=FY25"])
def test_a_missing_or_bad_period_is_422_naming_period(landlord, make_user, api_client, query):
    response = api_client(make_user(landlord)).get(URL.format(landlord.slug) + query)
    assert response.status_code == 422
    assert "period" in response.get_json()["error"]["fields"]


def test_no_token_is_401_and_another_organisation_is_404(landlord, make_org, make_user, api_client, client):
    assert client.get(URL.format(landlord.slug) + "?period=2025-26").status_code == 401
    other = make_org()
    assert api_client(make_user(other)).get(URL.format(landlord.slug) + "?period=2025-26").status_code == 404


def test_the_number_of_statements_does_not_grow_with_the_data(
    landlord, make_user, api_client, db_session, count_queries
):
    client = api_client(make_user(landlord))
    path = URL.format(landlord.slug) + "?period=2025-26"
    client.get(path)  # the first request also records the token's first use
    with count_queries() as empty:
        assert client.get(path).status_code == 200
    record_year(db_session, landlord, scale=20)
    with count_queries() as full:
        rows = by_code(client.get(path))
    assert rows["involved_total"]["value"] == 60
    assert len(full) == len(empty)
    assert len(full) <= 40  # ~2 statements per KPI and period, plus the request's own lookups


def test_stored_figures_come_from_the_snapshot_job(landlord, make_user, api_client, db_session):
    client = api_client(make_user(landlord))
    path = URL.format(landlord.slug) + "?period=2025-26&stored=true"
    empty = client.get(path).get_json()
    assert empty["kpis"] == [] and "No stored figures" in empty["note"]
    record_year(db_session, landlord)
    enqueue("kpis.snapshot", org_id=landlord.id, period="2025-26")
    enqueue("kpis.snapshot", org_id=landlord.id, period="2024-25")
    enqueue("kpis.snapshot", org_id=landlord.id, period="2025-26")  # idempotent
    db_session.commit()  # jobs are dispatched when the transaction that queued them commits
    rows = by_code(client.get(path))
    assert set(rows) == set(CORE_CODES) | {"example_notes"}
    assert rows["improvements"]["value"] == 1 and rows["improvements"]["previous"] == 1
    assert rows["improvements"]["target"] == 10
    assert rows["listened_to"]["value"] == 100.0 and rows["listened_to"]["details"]["sample_size"] == 3
    assert rows["spend_per_household"]["value"] == 250 and isinstance(
        rows["spend_per_household"]["value"], int
    )
    assert rows["improvements"]["computed_at"].endswith("+00:00")


def test_the_daily_round_queues_the_snapshot(landlord, db_session):
    assert ("kpis.snapshot", landlord.id) in enqueue_daily_jobs()


def test_the_openapi_document_describes_kpis(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/orgs/{slug}/kpis" in spec["paths"]


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ("nonsense = 3", "settings.kpi_targets.nonsense"),
        ('listened_to = "80"', "settings.kpi_targets.listened_to"),
        ("listened_to = true", "settings.kpi_targets.listened_to"),
    ],
)
def test_orgs_sync_validates_kpi_targets(app, tmp_path, db_session, targets, message):
    path = tmp_path / "target-homes.toml"
    path.write_text(f'slug = "target-homes"\nname = "Target Homes"\n[settings.kpi_targets]\n{targets}\n')
    report = sync(tmp_path, app.extensions["involve"].plugins)
    assert report.changes == [] and any(message in e for e in report.errors), report.errors


def test_orgs_sync_accepts_numeric_targets_for_core_and_plugin_kpis(app, tmp_path, db_session):
    path = tmp_path / "target-homes.toml"
    path.write_text(
        'slug = "target-homes"\nname = "Target Homes"\n'
        "[settings.kpi_targets]\nlistened_to = 80.5\nexample_notes = 12\n"
    )
    report = sync(tmp_path, app.extensions["involve"].plugins)
    assert report.errors == []


def test_the_snapshot_job_stores_and_replaces(app, landlord, make_org, db_session):
    other = make_org()
    r = Recorder(db_session, landlord)
    r.add(Improvement(title="Lighting", implemented_on=date(2025, 5, 1)))
    with organisation_scope(r.org.id):
        first = snapshot_kpis(r.org, today="2025-07-01")
        r.add(Improvement(title="Bins", implemented_on=date(2025, 5, 2)))
        again = snapshot_kpis(r.org, today="2025-07-01")
        rows = db_session.execute(select(KpiSnapshot.period, KpiSnapshot.code, KpiSnapshot.value)).all()
        count = db_session.scalar(select(func.count(KpiSnapshot.id)))
    assert first == again == count == 2 * (len(CORE_KPIS) + 1)  # core and example_notes
    assert {(p, v) for p, c, v in rows if c == "improvements"} == {("2025-26-Q1", "2"), ("2025-26", "2")}
    assert [p.label for p in snapshot_periods(date(2026, 4, 1))] == ["2025-26-Q4", "2025-26"]
    assert [p.label for p in snapshot_periods(date(2025, 11, 15))] == ["2025-26-Q2", "2025-26"]
    with organisation_scope(other.id):
        assert db_session.scalar(select(func.count(KpiSnapshot.id))) == 0


def test_every_kpi_statement_is_filtered_to_the_organisation(app, landlord, count_queries):
    """A statement the scope cannot rewrite (e.g. a bare UNION) would run across organisations."""
    from core.kpis.service import compute_figures

    registry = app.extensions["involve"].kpis
    with count_queries() as seen, organisation_scope(landlord.id):
        compute_figures(Period.parse("2025-26"), registry.for_organisation(landlord.id))
    kpi_statements = [s for s in seen if "FROM organisations" not in s]  # the organisation itself
    filtered = re.compile(r"\.organisation_id (IN \(|= [?%])")
    assert kpi_statements and all(filtered.search(s) for s in kpi_statements), kpi_statements


def test_margin_of_error():
    assert margin_of_error(70, 90) == 8.6
    assert margin_of_error(50, 100) == 9.8
    assert margin_of_error(0, 0) is None
