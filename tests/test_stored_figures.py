"""Figures built by jobs and served from what they stored (issue 19): the group comparison from each
partner's KPI snapshot, and impact assessments built by the ``impact_assessments.store`` job.

Jobs run in-process in tests, when the transaction that queued them commits."""

from datetime import date

import pytest
from sqlalchemy import func, select

from core.core_jobs import store_assessment
from core.models import AuditEvent, CrossOrgRead, ImpactAssessment, Improvement, StoredAssessment
from core.services import impact_assessments
from core.services.monitoring import WITHHELD
from core.tenancy import organisation_scope
from tests.test_comparison import give
from tests.test_impact_assessments import a_year_of_records
from tests.test_kpis import Recorder

YEAR = "2025-26"


# -- the group comparison from stored figures --------------------------------------------------------


@pytest.fixture
def group(make_org):
    return make_org("fenland-group", name="Fenland Group", kind="group")


@pytest.fixture
def partners(make_org, group):
    return [
        make_org("ely", name="Ely Homes", parent=group, settings={"kpi_targets": {"improvements": 3}}),
        make_org("march", name="March Housing", parent=group),
        make_org("wisbech", name="Wisbech Trust", parent=group),
    ]


def comparison(org, query=f"?period={YEAR}"):
    return f"/api/v1/orgs/{org.slug}/comparison{query}"


def test_a_group_refresh_stores_every_partners_figures_and_the_stored_comparison_matches_live(
    db_session, group, partners, make_user, api_client
):
    ely, march, wisbech = partners
    give(db_session, ely, improvements=2, attendees=7)
    give(db_session, march, improvements=4, attendees=12)
    give(db_session, wisbech, improvements=5, attendees=3)
    db_session.commit()
    client = api_client(make_user(group, "staff"))
    response = client.post(comparison(group, "/refresh"), json={"period": YEAR})
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"job": "kpis.snapshot", "period": YEAR, "status": "queued", "partners": 3}
    live = client.get(comparison(group)).get_json()
    stored = client.get(comparison(group, f"?period={YEAR}&stored=true")).get_json()
    assert stored["stored"] is True and stored["as_of"].endswith("+00:00")
    assert all(p["as_of"] is not None and p["as_of"] >= stored["as_of"] for p in stored["partners"])
    # Same shape and the same figures, ranks, suppression, totals and medians as the live one.
    for key in ("kpis", "totals", "medians", "period", "group", "small_number_threshold"):
        assert stored[key] == live[key], key
    for live_row, stored_row in zip(live["partners"], stored["partners"], strict=True):
        assert stored_row["kpis"] == live_row["kpis"]
        assert stored_row["missed_targets"] == live_row["missed_targets"]
        assert stored_row["assessment"] == live_row["assessment"]
    assert "stored" not in live and "as_of" not in live and "as_of" not in live["partners"][0]
    assert stored["partners"][2]["kpis"]["involved_total"]["suppressed"] is True  # 3 people


def test_stored_figures_are_the_stored_ones_until_refreshed(
    db_session, group, partners, make_user, api_client
):
    ely = partners[0]
    give(db_session, ely, improvements=2)
    db_session.commit()
    client = api_client(make_user(group, "staff"))
    client.post(comparison(group, "/refresh"), json={"period": YEAR})
    give(db_session, ely, improvements=3)  # 5 now; the stored figure still says 2
    db_session.commit()

    def improvements(query):
        return client.get(comparison(group, query)).get_json()["partners"][0]["kpis"]["improvements"]["value"]

    assert improvements(f"?period={YEAR}&stored=true") == 2
    assert improvements(f"?period={YEAR}") == 5
    client.post(comparison(group, "/refresh"), json={"period": YEAR})
    assert improvements(f"?period={YEAR}&stored=true") == 5


def test_a_partner_with_nothing_stored_has_no_figures_and_says_why(
    app, db_session, group, partners, make_user, api_client
):
    ely, march, _ = partners
    give(db_session, ely, improvements=2)
    give(db_session, march, improvements=4)
    db_session.commit()
    from core.jobs import enqueue

    enqueue("kpis.snapshot", org_id=ely.id, period=YEAR)  # only Ely's figures are stored
    db_session.commit()
    client = api_client(make_user(group, "staff"))
    result = client.get(comparison(group, f"?period={YEAR}&stored=true")).get_json()
    rows = {p["slug"]: p for p in result["partners"]}
    assert rows["ely"]["as_of"] is not None and rows["ely"]["kpis"]["improvements"]["value"] == 2
    for slug in ("march", "wisbech"):
        assert rows[slug]["as_of"] is None
        cell = rows[slug]["kpis"]["improvements"]
        assert cell["value"] is None and cell["rank"] is None and cell["suppressed"] is False
        assert "No stored figure for 2025-26" in cell["reason"]
    assert rows["ely"]["kpis"]["improvements"]["rank"] == 1  # the only one ranked
    assert result["totals"]["improvements"] == 2
    empty = client.get(comparison(group, "?period=2024-25&stored=true")).get_json()
    assert empty["as_of"] is None and all(p["as_of"] is None for p in empty["partners"])


def test_the_stored_comparison_is_an_audited_read_in_one_scope(
    db_session, group, partners, make_user, api_client
):
    client = api_client(make_user(group, "staff"))
    client.get(comparison(group, f"?period={YEAR}&stored=true"))
    reads = db_session.scalars(select(CrossOrgRead)).all()
    stored_reads = [r for r in reads if r.purpose.startswith("stored group comparison")]
    assert len(stored_reads) == 1 and sorted(stored_reads[0].organisation_ids) == sorted(
        p.id for p in partners
    )
    assert not any(r.purpose.startswith("group comparison") for r in reads)  # nothing computed live


def test_who_may_refresh_the_group(db_session, make_org, group, partners, make_user, api_client):
    body = {"period": YEAR}
    assert (
        api_client(make_user(group, "viewer")).post(comparison(group, "/refresh"), json=body).status_code
        == 403
    )
    partner_admin = api_client(make_user(partners[0], "org_admin"))
    assert partner_admin.post(comparison(group, "/refresh"), json=body).status_code == 404
    landlord = make_org("loner-homes")
    loner = api_client(make_user(landlord, "org_admin"))
    assert loner.post(comparison(landlord, "/refresh"), json=body).status_code == 404
    staff = api_client(make_user(group, "staff"))
    bad = staff.post(comparison(group, "/refresh"), json={"period": "someday"})
    assert bad.status_code == 422 and "period" in bad.get_json()["error"]["fields"]


def test_comparison_page_with_stored_figures_and_a_refresh(
    db_session, group, partners, make_user, client, login_as
):
    give(db_session, partners[2], improvements=5, attendees=3)
    db_session.commit()
    login_as(make_user(group, "staff"))
    live = client.get(f"/o/{group.slug}/comparison?period={YEAR}").get_data(as_text=True)
    assert "Show the stored figures" in live
    page = client.get(f"/o/{group.slug}/comparison?period={YEAR}&stored=true")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "No partner has figures stored for 2025-26 yet." in html
    from core.testing import csrf_token_from

    refreshed = client.post(
        f"/o/{group.slug}/comparison/refresh", data={"csrf_token": csrf_token_from(html), "period": YEAR}
    )
    assert refreshed.status_code == 303 and "stored=true" in refreshed.headers["Location"]
    html = client.get(refreshed.headers["Location"]).get_data(as_text=True)
    assert "Figures as of " in html and "being worked out again" in html
    assert "Wisbech Trust ranks first" in html and "Work the figures out now instead" in html
    csv_text = client.get(f"/o/{group.slug}/comparison.csv?period={YEAR}&stored=true").get_data(as_text=True)
    assert "Wisbech Trust" in csv_text
    bad = client.post(
        f"/o/{group.slug}/comparison/refresh", data={"csrf_token": csrf_token_from(html), "period": "x"}
    )
    assert bad.status_code == 404


# -- impact assessments built by a job and stored ----------------------------------------------------


@pytest.fixture
def org(make_org):
    return make_org("holbeach-homes", name="Holbeach Homes")


def assessment(org, rest=""):
    return f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}{rest}"


def comparable(document):
    """The document without the time it was assembled and the stored copy's own fields."""
    return {k: v for k, v in document.items() if k not in ("assembled_at", "as_of", "stored")}


def test_a_refresh_stores_the_assessment_the_live_one_gives(db_session, org, make_user, api_client):
    a_year_of_records(Recorder(db_session, org))
    db_session.commit()
    staff = api_client(make_user(org, "staff"))
    assert staff.get(assessment(org, "?stored=true")).status_code == 404  # nothing stored yet
    response = staff.post(assessment(org, "/refresh"))
    assert response.status_code == 202
    assert response.get_json() == {"job": "impact_assessments.store", "period": YEAR, "status": "queued"}
    stored = staff.get(assessment(org, "?stored=true")).get_json()
    live = staff.get(assessment(org)).get_json()
    assert stored["stored"] is True and stored["as_of"] == stored["assembled_at"]
    assert stored["as_of"].endswith("+00:00")
    assert comparable(stored) == comparable(live)
    with organisation_scope(org.id):
        rows = db_session.scalars(select(StoredAssessment)).all()
    assert sorted(r.audience for r in rows) == ["analysts", "everyone"]
    staff.post(assessment(org, "/refresh"))  # replaced, never duplicated
    with organisation_scope(org.id):
        assert db_session.scalar(select(func.count(StoredAssessment.id))) == 2


def test_the_stored_copy_keeps_its_figures_but_shows_the_current_narrative(
    db_session, org, make_user, api_client
):
    record = Recorder(db_session, org)
    record.add(Improvement(title="Brighter stairwells", implemented_on=date(2025, 6, 1)))
    db_session.commit()
    staff = api_client(make_user(org, "staff"))
    staff.post(assessment(org, "/refresh"))
    record.add(Improvement(title="Quicker repairs", implemented_on=date(2025, 7, 1)))
    db_session.commit()
    put = staff.put(assessment(org, "/narratives/achieved"), json={"text": "We listened."})
    assert put.status_code == 200

    def improvements(document):
        achieved = next(s for s in document["sections"] if s["key"] == "achieved")
        return next(
            f["value"] for f in achieved["content"]["figures"] if f["label"] == "Service improvements"
        ), achieved

    stored = staff.get(assessment(org, "?stored=true")).get_json()
    count, achieved = improvements(stored)
    assert count == 1 and achieved["narrative"] == "We listened."
    assert stored["status"] == "draft"  # the narrative started the draft after the copy was built
    assert improvements(staff.get(assessment(org)).get_json())[0] == 2


def test_each_reader_gets_the_copy_a_live_build_would_give_them(db_session, org, make_user, api_client):
    from core.jobs import enqueue

    a_year_of_records(Recorder(db_session, org))
    enqueue("kpis.snapshot", org_id=org.id)  # publishes the year's monitoring counts
    db_session.commit()
    staff_user = make_user(org, "staff")
    staff = api_client(staff_user)
    analyst = api_client(make_user(org, "staff", equality_analyst=True))
    staff.post(assessment(org, "/refresh"))  # the job runs in-process, inside the staff's request
    with organisation_scope(org.id):
        by_staff = select(AuditEvent).where(
            AuditEvent.record_type == "equality_aggregates", AuditEvent.actor_id == staff_user.id
        )
        assert db_session.scalars(by_staff).all() == []  # building the copy is nobody's read

    def profile_gap(client, query):
        document = client.get(assessment(org, query)).get_json()
        kpis = next(s for s in document["sections"] if s["key"] == "kpis")["content"]["kpis"]
        return next(row for row in kpis if row["code"] == "profile_gap")

    assert profile_gap(staff, "?stored=true")["reason"] == WITHHELD
    assert profile_gap(staff, "?stored=true") == profile_gap(staff, "")
    assert profile_gap(analyst, "?stored=true")["reason"] != WITHHELD
    assert profile_gap(analyst, "?stored=true")["reason"] == profile_gap(analyst, "")["reason"]
    with organisation_scope(org.id):
        fields = db_session.scalars(
            select(AuditEvent.fields).where(AuditEvent.record_type == "equality_aggregates")
        ).all()
    assert "involved 2025-26 stored impact assessment" in fields


def test_a_crash_half_way_through_the_job_leaves_the_stored_copies_as_they_were(
    app, db_session, org, make_user, api_client, monkeypatch
):
    from core.jobs import enqueue

    record = Recorder(db_session, org)
    record.add(Improvement(title="Brighter stairwells", implemented_on=date(2025, 6, 1)))
    db_session.commit()
    enqueue("impact_assessments.store", org_id=org.id, period=YEAR)
    db_session.commit()
    with organisation_scope(org.id):
        before = {
            r.audience: (r.computed_at, r.document) for r in db_session.scalars(select(StoredAssessment))
        }
    record.add(Improvement(title="Quicker repairs", implemented_on=date(2025, 7, 1)))
    db_session.commit()
    real_assemble, calls = impact_assessments._assemble, []

    def second_copy_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker lost half-way")
        return real_assemble(*args, **kwargs)

    monkeypatch.setattr(impact_assessments, "_assemble", second_copy_fails)
    from core.jobs import run_job

    with pytest.raises(RuntimeError, match="half-way"):
        run_job("impact_assessments.store", org.id, {"period": YEAR})
    db_session.expire_all()
    with organisation_scope(org.id):
        after = {
            r.audience: (r.computed_at, r.document) for r in db_session.scalars(select(StoredAssessment))
        }
    assert after == before

    # A first run that crashes leaves no row at all.
    other = Recorder(db_session, org)
    with organisation_scope(org.id):
        db_session.query(StoredAssessment).delete()
    db_session.commit()
    calls.clear()
    with pytest.raises(RuntimeError):
        run_job("impact_assessments.store", other.org.id, {"period": YEAR})
    with organisation_scope(org.id):
        assert db_session.scalar(select(func.count(StoredAssessment.id))) == 0


def test_another_organisations_stored_assessment_is_404(db_session, org, make_org, make_user, api_client):
    other = make_org("gedney-homes", name="Gedney Secret Homes")
    with organisation_scope(other.id):
        store_assessment(other, YEAR)
    db_session.commit()
    mine = api_client(make_user(org, "org_admin"))
    response = mine.get(assessment(org, "?stored=true"))
    assert response.status_code == 404 and "Gedney" not in response.get_data(as_text=True)
    assert mine.get(assessment(other, "?stored=true")).status_code == 404
    assert mine.post(assessment(other, "/refresh")).status_code == 404
    theirs = api_client(make_user(other, "viewer"))
    assert (
        theirs.get(assessment(other, "?stored=true")).get_json()["organisation"]["name"]
        == "Gedney Secret Homes"
    )


def test_who_may_refresh_an_assessment_and_which_years(org, make_user, api_client):
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.post(assessment(org, "/refresh")).status_code == 403
    staff = api_client(make_user(org, "staff"))
    quarter = staff.post(f"/api/v1/orgs/{org.slug}/impact-assessments/2025-26-Q1/refresh")
    assert quarter.status_code == 422 and "period" in quarter.get_json()["error"]["fields"]


def test_a_published_assessment_is_served_as_published_even_when_stored(
    db_session, org, make_user, api_client
):
    with organisation_scope(org.id):
        store_assessment(org, YEAR)
        db_session.add(
            ImpactAssessment(
                period=YEAR, title="As published", status="published", snapshot={"title": "Frozen"}
            )
        )
    db_session.commit()
    staff = api_client(make_user(org, "staff"))
    assert staff.get(assessment(org, "?stored=true")).get_json() == {"title": "Frozen"}


def test_documents_and_the_page_from_the_stored_copy(
    db_session, org, make_user, client, login_as, api_client
):
    a_year_of_records(Recorder(db_session, org))
    db_session.commit()
    staff = api_client(make_user(org, "staff"))
    pdf = staff.get(f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}.pdf?stored=true")
    assert pdf.status_code == 404  # nothing stored yet
    staff.post(assessment(org, "/refresh"))
    pdf = staff.get(f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}.pdf?stored=true")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    html = staff.get(assessment(org, "?stored=true"), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "(a stored copy)" in html
    login_as(make_user(org, "staff"))
    page = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}?stored=true").get_data(as_text=True)
    assert "Figures as of " in page and "Refresh<span" in page and "Work the figures out now instead" in page
    assert f"/o/{org.slug}/impact-assessments/{YEAR}.pdf?stored=true" in page
    live = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}").get_data(as_text=True)
    assert "Show the stored figures" in live
    csv_file = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}.csv?stored=true")
    assert csv_file.status_code == 200


def test_the_assessment_page_refresh_and_what_a_viewer_sees(db_session, org, make_user, client, login_as):
    from core.testing import csrf_token_from

    login_as(make_user(org, "staff"))
    page = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}?stored=true").get_data(as_text=True)
    assert "No stored copy of this assessment yet" in page
    refreshed = client.post(
        f"/o/{org.slug}/impact-assessments/{YEAR}/refresh", data={"csrf_token": csrf_token_from(page)}
    )
    assert refreshed.status_code == 303
    page = client.get(refreshed.headers["Location"]).get_data(as_text=True)
    assert "Figures as of " in page and "being worked out again" in page
    client.get("/logout")
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}?stored=true").get_data(as_text=True)
    assert "Figures as of " in page and "Refresh<span" not in page
    token = csrf_token_from(client.get(f"/o/{org.slug}/impact-assessments").get_data(as_text=True))
    refused = client.post(f"/o/{org.slug}/impact-assessments/{YEAR}/refresh", data={"csrf_token": token})
    assert refused.status_code == 403


def test_the_job_prints_the_pdf_and_it_is_served_while_the_narrative_is_unchanged(
    db_session, org, make_user, api_client, monkeypatch
):
    from core.reports import documents

    a_year_of_records(Recorder(db_session, org))
    db_session.commit()
    staff = api_client(make_user(org, "staff"))
    staff.post(assessment(org, "/refresh"))
    with organisation_scope(org.id):
        printed = {r.audience: r.pdf for r in db_session.scalars(select(StoredAssessment))}
    assert printed["everyone"].startswith(b"%PDF") and printed["analysts"].startswith(b"%PDF")

    def print_now(document):
        return b"%PDF printed now"

    monkeypatch.setattr(documents, "to_pdf", print_now)
    pdf_url = f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}.pdf?stored=true"
    assert staff.get(pdf_url).data == printed["everyone"]  # the job's print, not printed again
    staff.put(assessment(org, "/narratives/achieved"), json={"text": "A new paragraph."})
    assert staff.get(pdf_url).data == b"%PDF printed now"  # the print no longer shows this document
    assert staff.get(f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}.pdf").data == b"%PDF printed now"
