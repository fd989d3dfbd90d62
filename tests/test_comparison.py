"""Group comparison: partners side by side on the same KPIs, ranks with ties, totals and medians,
missed targets, small numbers suppressed, assessment status, audited reads, and who may see it."""

from datetime import date

import pytest
from sqlalchemy import select

from core.models import CrossOrgRead, ImpactAssessment, Improvement, Spend
from core.tenancy import organisation_scope
from tests.test_kpis import Recorder

PERIOD = "2025-26"


@pytest.fixture
def group(make_org):
    return make_org("anglia-group", name="Anglia Group", kind="group")


@pytest.fixture
def partners(make_org, group):
    return [
        make_org("alder", name="Alder Homes", parent=group, settings={"kpi_targets": {"improvements": 3}}),
        make_org("birch", name="Birch Housing", parent=group, settings={"kpi_targets": {"improvements": 1}}),
        make_org("cedar", name="Cedar Trust", parent=group),
    ]


@pytest.fixture
def group_staff(group, make_user, api_client):
    return api_client(make_user(group, "staff"))


def url(org, query=f"?period={PERIOD}"):
    return f"/api/v1/orgs/{org.slug}/comparison{query}"


def give(db_session, org, improvements=0, attendees=0):
    record = Recorder(db_session, org)
    for n in range(improvements):
        record.add(Improvement(title=f"Improvement {n}", implemented_on=date(2025, 6, 1)))
    if attendees:
        meeting = record.activity(date(2025, 7, 1))
        for n in range(attendees):
            record.attend(meeting, record.person(f"Person {n}"))
    return record


def test_partners_side_by_side_with_rank_totals_medians_and_missed_targets(
    db_session, group, partners, group_staff
):
    alder, birch, cedar = partners
    give(db_session, alder, improvements=2, attendees=7)
    give(db_session, birch, improvements=2, attendees=12)
    give(db_session, cedar, improvements=5, attendees=3)
    db_session.commit()
    response = group_staff.get(url(group))
    assert response.status_code == 200
    result = response.get_json()
    assert [p["name"] for p in result["partners"]] == ["Alder Homes", "Birch Housing", "Cedar Trust"]
    cells = {p["slug"]: p["kpis"]["improvements"] for p in result["partners"]}
    assert {s: (c["value"], c["rank"]) for s, c in cells.items()} == {
        "alder": (2, 2),
        "birch": (2, 2),
        "cedar": (5, 1),
    }
    assert result["totals"]["improvements"] == 9 and result["medians"]["improvements"] == 2
    assert cells["alder"]["met"] is False and cells["birch"]["met"] is True and cells["cedar"]["met"] is None
    missed = {p["slug"]: p["missed_targets"] for p in result["partners"]}
    assert missed == {"alder": ["improvements"], "birch": [], "cedar": []}
    involved = {p["slug"]: p["kpis"]["involved_total"] for p in result["partners"]}
    # Cedar's 3 people are fewer than 5: hidden, unranked, and left out of the total and median.
    assert involved["cedar"] == {
        "value": None,
        "suppressed": True,
        "target": None,
        "met": None,
        "rank": None,
        "tied": False,
    }
    assert (involved["alder"]["rank"], involved["birch"]["rank"]) == (2, 1)
    assert result["totals"]["involved_total"] == 19 and result["medians"]["involved_total"] == 9.5
    assert result["totals"]["spend_per_household"] is None  # a rate is not added up
    assert {k["code"] for k in result["kpis"]} >= {"opportunities", "listened_to", "profile_gap"}


def test_lower_is_better_ranks_the_smallest_first(db_session, group, partners, group_staff):
    from core.models import Household

    for org, pence in zip(partners, (3000, 1000, 2000), strict=True):
        record = Recorder(db_session, org)
        record.add(Household(reference="H1"))
        record.add(Spend(spent_on=date(2025, 5, 1), category="events", amount_pence=pence))
    db_session.commit()
    result = group_staff.get(url(group)).get_json()
    ranks = {p["slug"]: p["kpis"]["spend_per_household"]["rank"] for p in result["partners"]}
    assert ranks == {"birch": 1, "cedar": 2, "alder": 3}


def test_assessment_status_of_each_partner_is_listed(db_session, group, partners, group_staff):
    alder, birch, _ = partners
    with organisation_scope(alder.id):
        db_session.add(ImpactAssessment(period=PERIOD, title="A", status="draft"))
    with organisation_scope(birch.id):
        db_session.add(ImpactAssessment(period=PERIOD, title="B", status="published", snapshot={}))
    db_session.commit()
    result = group_staff.get(url(group, "?period=2025-26-Q2")).get_json()
    statuses = {p["slug"]: p["assessment"]["status"] for p in result["partners"]}
    assert statuses == {"alder": "draft", "birch": "published", "cedar": "not_started"}
    assert result["partners"][0]["assessment"]["period"] == PERIOD


def test_every_read_of_a_partner_is_audited(db_session, group, partners, group_staff):
    group_staff.get(url(group))
    reads = db_session.scalars(select(CrossOrgRead)).all()
    assert reads and all("comparison" in r.purpose or "assessment status" in r.purpose for r in reads)
    assert {p.id for p in partners} <= {i for r in reads for i in r.organisation_ids}


def test_a_partners_staff_cannot_see_the_comparison(partners, group, make_user, api_client):
    partner_staff = api_client(make_user(partners[0], "org_admin"))
    response = partner_staff.get(url(group))
    assert response.status_code == 404
    assert "Birch" not in response.get_data(as_text=True)
    assert partner_staff.get(url(partners[0])).status_code == 404  # not a group
    assert partner_staff.get(f"/o/{group.slug}/comparison").status_code in (302, 401, 404)


def test_an_organisation_that_is_not_a_group_is_404(make_org, make_user, api_client):
    landlord = make_org()
    assert api_client(make_user(landlord, "org_admin")).get(url(landlord)).status_code == 404


def test_a_viewer_of_the_group_may_not_compare(group, partners, make_user, api_client):
    assert api_client(make_user(group, "viewer")).get(url(group)).status_code == 403


def test_a_bad_period_is_422_naming_it(group, group_staff):
    response = group_staff.get(url(group, "?period=2025"))
    assert response.status_code == 422 and "period" in response.get_json()["error"]["fields"]
    assert group_staff.get(url(group, "")).status_code == 422


def test_partners_of_another_group_never_appear(db_session, make_org, group, partners, group_staff):
    other = make_org("other-group", kind="group")
    make_org("stranger", name="Stranger Secret Homes", parent=other)
    body = group_staff.get(url(group)).get_data(as_text=True)
    assert "Stranger Secret Homes" not in body


def test_comparison_page_and_csv(db_session, group, partners, make_user, client, login_as):
    give(db_session, partners[2], improvements=5, attendees=3)
    db_session.commit()
    login_as(make_user(group, "staff"))
    page = client.get(f"/o/{group.slug}/comparison?period={PERIOD}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Partners compared, 2025-26" in html and "Cedar Trust ranks first" in html
    assert "not shown (small number)" in html and '<svg role="img"' in html
    assert "Missed the target: Alder Homes" in html
    csv_text = client.get(f"/o/{group.slug}/comparison.csv?period={PERIOD}").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith(
        "Partner,Impact assessment 2025-26,Involvement activities held"
    )
    assert "Cedar Trust" in csv_text and "not shown (small number)" in csv_text
    assert client.get(f"/o/{group.slug}/comparison?period=nonsense").status_code == 404


def test_comparison_page_is_404_for_a_landlord(make_org, make_user, client, login_as):
    landlord = make_org()
    login_as(make_user(landlord, "org_admin"))
    assert client.get(f"/o/{landlord.slug}/comparison").status_code == 404


def test_partners_enabling_every_plugin_are_compared_on_the_plugins_kpis_too(
    app, make_org, make_user, api_client
):
    """Each plugin's KPIs run inside a read-only scope over one partner; none may need to write."""
    names = [n for n in app.extensions["involve"].plugins.names() if n != "example"]
    group = make_org("every-plugin-group", kind="group")
    for slug in ("every-one", "every-two"):
        make_org(slug, parent=group, plugins=dict.fromkeys(names, {}))
    response = api_client(make_user(group, "staff")).get(url(group))
    assert response.status_code == 200, response.get_json()
    codes = {k["code"] for k in response.get_json()["kpis"]}
    for name in names:  # every plugin that has KPIs shows them
        assert any(code.startswith(f"{name}_") for code in codes) or not any(
            k.plugin == name for k in app.extensions["involve"].kpis.kpis.values()
        ), name


# -- ties, words in the CSV, and the group reading partners' assessments ---------------------------


def test_ties_share_a_rank_and_say_so(db_session, group, partners, group_staff, make_user, client, login_as):
    alder, birch, cedar = partners
    give(db_session, alder, improvements=4)
    give(db_session, birch, improvements=4)
    give(db_session, cedar, improvements=1)
    db_session.commit()
    result = group_staff.get(url(group)).get_json()
    cells = {p["slug"]: p["kpis"]["improvements"] for p in result["partners"]}
    assert {s: (c["rank"], c["tied"]) for s, c in cells.items()} == {
        "alder": (1, True),
        "birch": (1, True),
        "cedar": (3, False),
    }
    login_as(make_user(group, "staff"))
    html = client.get(f"/o/{group.slug}/comparison?period={PERIOD}").get_data(as_text=True)
    assert "Alder Homes and Birch Housing share first place" in html and "1 (joint)" in html
    csv_text = client.get(f"/o/{group.slug}/comparison.csv?period={PERIOD}").get_data(as_text=True)
    alder_row = next(line for line in csv_text.splitlines() if line.startswith("Alder Homes"))
    assert "1 (joint)" in alder_row


def test_comparison_csv_headers_and_statuses_are_words(
    db_session, group, partners, make_user, client, login_as
):
    login_as(make_user(group, "staff"))
    csv_text = client.get(f"/o/{group.slug}/comparison.csv?period={PERIOD}").get_data(as_text=True)
    header = csv_text.splitlines()[0].split(",")
    assert header[0] == "Partner" and header[-1] == "Targets missed"
    assert "Service improvements from involvement (number)" in header
    assert "Service improvements from involvement: rank" in header
    assert not any(code in header for code in ("improvements", "feedback_on_time", "improvements_rank"))
    rows = csv_text.splitlines()
    assert rows[1].startswith("Alder Homes,Not started,") and rows[-2].startswith("Group total,")


def partner_url(group, partner, period=PERIOD):
    return f"/api/v1/orgs/{group.slug}/partners/{partner}/impact-assessments/{period}"


def test_group_staff_read_a_partners_impact_assessment_audited(db_session, group, partners, group_staff):
    alder = partners[0]
    give(db_session, alder, improvements=2, attendees=7)
    db_session.commit()
    response = group_staff.get(partner_url(group, "alder"))
    assert response.status_code == 200, response.get_json()
    document = response.get_json()
    assert document["organisation"]["slug"] == "alder" and document["period"] == PERIOD
    assert {s["key"] for s in document["sections"]} >= {"achieved"}
    reads = db_session.scalars(select(CrossOrgRead)).all()
    assert any(r.organisation_ids == [alder.id] and "impact assessment" in r.purpose for r in reads)
    page = group_staff.get(partner_url(group, "alder"), headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Alder Homes" in page.get_data(as_text=True)
    csv_file = group_staff.get(partner_url(group, "alder", f"{PERIOD}.csv"))
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"


def test_a_partners_published_assessment_is_read_as_published(db_session, group, partners, group_staff):
    with organisation_scope(partners[1].id):
        db_session.add(
            ImpactAssessment(
                period=PERIOD,
                title="Birch 2025-26",
                status="published",
                snapshot={"title": "Birch as published"},
            )
        )
    db_session.commit()
    assert group_staff.get(partner_url(group, "birch")).get_json() == {"title": "Birch as published"}


def test_comparison_links_each_partner_to_its_assessment(
    group, partners, group_staff, make_user, client, login_as
):
    result = group_staff.get(url(group)).get_json()
    assert result["partners"][0]["assessment"]["url"] == partner_url(group, "alder")
    login_as(make_user(group, "staff"))
    html = client.get(f"/o/{group.slug}/comparison?period={PERIOD}").get_data(as_text=True)
    assert f'href="/o/{group.slug}/partners/cedar/impact-assessments/{PERIOD}"' in html
    page = client.get(f"/o/{group.slug}/partners/cedar/impact-assessments/{PERIOD}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Cedar Trust" in text and "a partner of Anglia Group" in text and "recorded" in text


def test_only_the_groups_own_partners_assessments_can_be_read(
    db_session, make_org, group, partners, group_staff, make_user, api_client, client, login_as
):
    other = make_org("other-group", kind="group")
    make_org("stranger", name="Stranger Secret Homes", parent=other)
    make_org("loner", name="Loner Homes")
    for slug in ("stranger", "loner", "anglia-group", "nobody"):
        response = group_staff.get(partner_url(group, slug))
        assert response.status_code == 404, slug
        assert "Stranger Secret" not in response.get_data(as_text=True)
    # A partner's own staff are not the group's: the group's routes are not found for them.
    partner_admin = api_client(make_user(partners[0], "org_admin"))
    assert partner_admin.get(partner_url(group, "birch")).status_code == 404
    # Access before input: a viewer of the group is 403 even for a bad year; staff get 422 naming it.
    viewer = api_client(make_user(group, "viewer"))
    assert viewer.get(partner_url(group, "alder", "nonsense")).status_code == 403
    bad_year = group_staff.get(partner_url(group, "alder", "2025-26-Q1"))
    assert bad_year.status_code == 422 and "period" in bad_year.get_json()["error"]["fields"]
    login_as(make_user(group, "staff"))
    assert client.get(f"/o/{group.slug}/partners/stranger/impact-assessments/{PERIOD}").status_code == 404
