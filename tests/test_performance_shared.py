"""Issue 19, second round: the involved set is found once per organisation and period, and the
organisation scope copies no statement for a plain list (tests/test_performance.py has the first
round's round-trip and RLS checks)."""

from datetime import date

from core.kpis.core_kpis import involved_count, involved_ids, shared_aggregates
from core.periods import Period
from core.tenancy import organisation_scope
from tests.test_kpis import Recorder
from tests.test_performance import statements  # noqa: F401  (fixture)

YEAR = Period.parse("2025-26")


def people_involved(session, org):
    r = Recorder(session, org)
    people = [r.person(f"P{n}") for n in range(6)]
    for day, group in ((date(2025, 5, 1), people[:5]), (date(2024, 6, 1), people[2:])):
        meeting = r.activity(day)
        for person in group:
            r.attend(meeting, person)
    return people


def test_the_involved_set_is_the_same_shared_or_not(app, make_org, db_session):
    org = make_org()
    people_involved(db_session, org)
    with organisation_scope(org.id):
        alone = involved_count(YEAR)
        with shared_aggregates():
            shared = involved_count(YEAR)
            ids = {row for (row,) in db_session.execute(involved_ids(YEAR).select())}
            again = involved_count(YEAR.previous())
    assert alone == shared == len(ids) == 5 and again == 4


def test_an_assessment_runs_the_involved_union_once_per_period(
    make_org,
    make_user,
    api_client,
    db_session,
    statements,  # noqa: F811
):
    org = make_org()
    people_involved(db_session, org)
    api = api_client(make_user(org, "staff"))
    path = f"/api/v1/orgs/{org.slug}/impact-assessments/2025-26"
    with statements() as seen:
        response = api.get(path)
    assert response.status_code == 200, response.get_json()
    unions = [s for s in seen if " UNION " in s and "body_memberships" in s]
    assert len(unions) == 2, "\n\n".join(unions)  # 2025-26 and the KPI table's 2024-25
    involved = next(s for s in response.get_json()["sections"] if s["key"] == "involved")
    assert involved["content"]["figures"][0]["value"] == 5


def test_a_list_request_copies_no_statement(make_org, make_user, api_client, db_session, monkeypatch):
    from core import tenancy

    copies = []
    original = tenancy.visitors.cloned_traverse

    def counting(*args, **kwargs):
        copies.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(tenancy.visitors, "cloned_traverse", counting)
    org = make_org()
    people_involved(db_session, org)
    api = api_client(make_user(org, "staff"))
    page = api.get(f"/api/v1/orgs/{org.slug}/participants?per_page=2")
    assert page.status_code == 200 and page.get_json()["total"] == 6 and len(page.get_json()["items"]) == 2
    assert copies == []
    # A subquery naming an organisation's table is still filtered by a copy (the spy works).
    with organisation_scope(org.id):
        assert involved_count(YEAR) == 5
    assert copies
