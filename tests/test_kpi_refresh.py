"""``POST /kpis/refresh``: the period's KPIs computed again by the snapshot job, off the request,
and read back with ``?stored=true`` and their ``as_of`` time; staff only; 422 naming ``period``."""

from core.models.surveys import KpiSnapshot
from core.tenancy import organisation_scope
from tests.test_kpis_api import URL, by_code, record_year


def test_a_refresh_stores_the_figures_the_live_report_gives(make_org, make_user, api_client, db_session):
    landlord = make_org()
    client = api_client(make_user(landlord, role="staff"))
    record_year(db_session, landlord)
    response = client.post(URL.format(landlord.slug) + "/refresh", json={"period": "2025-26"})
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"job": "kpis.snapshot", "period": "2025-26", "status": "queued"}
    stored = client.get(URL.format(landlord.slug) + "?period=2025-26&stored=true").get_json()
    live = by_code(client.get(URL.format(landlord.slug) + "?period=2025-26"))
    assert {row["code"]: row["value"] for row in stored["kpis"]} == {c: r["value"] for c, r in live.items()}
    assert stored["as_of"].endswith("+00:00")
    assert stored["as_of"] == min(row["computed_at"] for row in stored["kpis"])
    with organisation_scope(landlord.id):
        assert db_session.query(KpiSnapshot).filter_by(period="2025-26").count() == len(stored["kpis"])


def test_a_viewer_cannot_refresh_and_a_bad_period_is_named(make_org, make_user, api_client):
    landlord = make_org()
    viewer = api_client(make_user(landlord, role="viewer"))
    assert viewer.post(URL.format(landlord.slug) + "/refresh", json={"period": "2025-26"}).status_code == 403
    staff = api_client(make_user(landlord, role="staff"))
    response = staff.post(URL.format(landlord.slug) + "/refresh", json={"period": "someday"})
    assert response.status_code == 422 and "period" in str(response.get_json())
