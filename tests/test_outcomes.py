"""``/improvements``, ``/action-plans`` with their items, and ``/spend``: what involvement changed and
cost, with the rules each keeps and lists served by a bounded number of statements."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.models import ActionPlan, ActionPlanItem, Activity, Body, Recommendation, Spend
from core.tenancy import organisation_scope

TODAY = date.today()


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


@pytest.fixture
def org(make_org):
    return make_org("outcome-homes")


@pytest.fixture
def staff(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


def url(org, tail: str) -> str:
    return f"/api/v1/orgs/{org.slug}/{tail}"


def created(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def make(api, org, tail: str, **body) -> dict:
    return created(api.post(url(org, tail), json=body))


def titles(api, org, tail: str) -> list[str]:
    return [record["title"] for record in api.get(url(org, tail)).get_json()["items"]]


def fields_of(response) -> dict:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]["fields"]


def in_scope(db_session, org, *records):
    """Add records inside ``org`` and return their ids (read while the scope holds)."""
    with organisation_scope(org.id):
        db_session.add_all(records)
        db_session.flush()
        ids = [r.id for r in records]
    db_session.commit()
    return ids


def assert_bounded(api, path, fill, count_queries):
    """The same number of statements for a page of 3 rows and of 30."""
    fill(3)
    api.get(path)  # the first request of a token also records when it was used
    with count_queries() as few:
        assert api.get(path).get_json()["total"] == 3
    fill(27)
    with count_queries() as many:
        assert api.get(path).get_json()["total"] == 30
    assert len(many) == len(few) <= 10


# -- improvements --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"implemented_on": "2025-06-01"}, "title"),
        ({"title": "T"}, "implemented_on"),
        ({"title": "T", "implemented_on": "2025-06-01", "source": "rumour"}, "source"),
        ({"title": "T", "implemented_on": "2025-06-01", "source_id": "seven"}, "source_id"),
        (
            {"title": "T", "implemented_on": "2025-06-01", "source": "consultation", "source_id": 9999},
            "source_id",
        ),
        (
            {"title": "T", "implemented_on": "2025-06-01", "source": "scrutiny", "source_id": 9999},
            "source_id",
        ),
    ],
)
def test_invalid_improvements_are_422_naming_the_field(staff, org, body, field):
    assert field in fields_of(staff.post(url(org, "improvements"), json=body))


def test_a_source_record_must_be_of_this_organisation(staff, org, make_org, db_session):
    other = make_org()
    (their_body,) = in_scope(db_session, other, Body(name="Their panel", kind="scrutiny_panel"))
    (theirs,) = in_scope(db_session, other, Recommendation(title="Theirs", body_id=their_body))
    (our_body,) = in_scope(db_session, org, Body(name="Scrutiny panel", kind="scrutiny_panel"))
    (ours,) = in_scope(db_session, org, Recommendation(title="Ours", body_id=our_body))
    body = {"title": "Faster repairs", "implemented_on": days(0), "source": "scrutiny"}
    assert "source_id" in fields_of(staff.post(url(org, "improvements"), json={**body, "source_id": theirs}))
    improvement = make(staff, org, "improvements", **body, source_id=ours)
    assert (improvement["source"], improvement["source_id"]) == ("scrutiny", ours)
    change = {"source": "consultation"}
    assert "source_id" in fields_of(staff.patch(url(org, f"improvements/{improvement['id']}"), json=change))


def test_other_sources_take_any_reference_and_source_defaults_to_other(staff, org):
    complaint = make(
        staff, org, "improvements", title="T", implemented_on=days(0), source="complaint", source_id=42
    )
    assert complaint["source_id"] == 42
    assert make(staff, org, "improvements", title="U", implemented_on=days(0))["source"] == "other"


def test_improvements_filter_by_source_and_implemented_on(staff, org):
    for title, on, source in (
        ("Old", "2024-06-01", "forum"),
        ("Mid", "2025-06-01", "forum"),
        ("New", "2025-09-01", "survey"),
    ):
        newest = make(staff, org, "improvements", title=title, implemented_on=on, source=source)
    assert titles(staff, org, "improvements?from=2025-04-01&to=2026-03-31") == ["New", "Mid"]
    assert titles(staff, org, "improvements?source=forum") == ["Mid", "Old"]
    changed = staff.patch(url(org, f"improvements/{newest['id']}"), json={"title": "Newer"})
    assert changed.get_json()["title"] == "Newer"
    assert staff.delete(url(org, f"improvements/{newest['id']}")).status_code == 204


def test_improvement_list_is_bounded(staff, org, db_session, count_queries):
    from core.models import Improvement

    def fill(n):
        in_scope(db_session, org, *[Improvement(title=f"I{i}", implemented_on=TODAY) for i in range(n)])

    assert_bounded(staff, url(org, "improvements?per_page=200"), fill, count_queries)


# -- action plans --------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2025", "2025-27", "2025-26-Q5", "FY25", "", "9999-00", "9999-00-Q4"])
def test_plan_period_must_be_a_financial_year_or_quarter(staff, org, period):
    assert "period" in fields_of(
        staff.post(url(org, "action-plans"), json={"title": "Plan", "period": period})
    )


def test_plans_filter_by_period_and_a_year_includes_its_quarters(staff, org):
    for title, period in (("Year", "2025-26"), ("Q1", "2025-26-Q1"), ("Last year", "2024-25")):
        make(staff, org, "action-plans", title=title, period=period)
    assert sorted(titles(staff, org, "action-plans?period=2025-26")) == ["Q1", "Year"]
    assert titles(staff, org, "action-plans?period=2025-26-Q1") == ["Q1"]
    assert "period" in fields_of(staff.get(url(org, "action-plans?period=2025")))


def test_a_plan_counts_its_items_by_status_and_overdue(staff, org):
    plan = make(staff, org, "action-plans", title="Key targets", period="2025-26")
    items = f"action-plans/{plan['id']}/items"
    for title, due, status in (
        ("Late", -5, "in_progress"),
        ("Later", -1, "not_started"),
        ("Done late", -9, "done"),
        ("Dropped", -9, "dropped"),
        ("Due today", 0, "not_started"),
    ):
        make(staff, org, items, title=title, due_on=days(due), status=status)
    shown = staff.get(url(org, f"action-plans/{plan['id']}")).get_json()
    assert shown["items_by_status"] == {"not_started": 2, "in_progress": 1, "done": 1, "dropped": 1}
    assert (shown["items_total"], shown["overdue_items"]) == (5, 2)
    overdue = staff.get(url(org, f"{items}?overdue=true")).get_json()["items"]
    assert [i["title"] for i in overdue] == ["Late", "Later"] and all(i["overdue"] for i in overdue)
    assert titles(staff, org, f"{items}?status=done") == ["Done late"]


def test_overdue_items_across_every_plan(staff, org):
    for n in range(2):
        plan = make(staff, org, "action-plans", title=f"Plan {n}", period="2025-26")
        make(staff, org, f"action-plans/{plan['id']}/items", title=f"Late {n}", due_on=days(-n - 1))
        make(staff, org, f"action-plans/{plan['id']}/items", title=f"Fine {n}", due_on=days(3))
    listed = staff.get(url(org, "action-plans/overdue-items")).get_json()
    assert [(i["title"], i["plan_title"]) for i in listed["items"]] == [
        ("Late 1", "Plan 1"),
        ("Late 0", "Plan 0"),
    ]


def test_completed_on_is_set_when_an_item_is_done(staff, org):
    plan = make(staff, org, "action-plans", title="Plan", period="2025-26")
    item = make(staff, org, f"action-plans/{plan['id']}/items", title="Walkabout", due_on=days(5))
    path = url(org, f"action-plans/{plan['id']}/items/{item['id']}")
    assert item["completed_on"] is None and item["status"] == "not_started"
    done = staff.patch(path, json={"status": "done", "outcome": "Bins moved"}).get_json()
    assert (done["completed_on"], done["outcome"]) == (days(0), "Bins moved")
    assert staff.patch(path, json={"progress": "Checked"}).get_json()["completed_on"] == days(0)
    assert staff.patch(path, json={"status": "in_progress"}).get_json()["completed_on"] is None
    assert "completed_on" in fields_of(staff.patch(path, json={"completed_on": days(-1)}))
    assert "completed_on" in fields_of(staff.patch(path, json={"status": "done", "completed_on": days(1)}))
    backfilled = staff.patch(path, json={"status": "done", "completed_on": days(-3)}).get_json()
    assert backfilled["completed_on"] == days(-3)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_on": "2025-05-01"}, "title"),
        ({"title": "T"}, "due_on"),
        ({"title": "T", "due_on": "2025-05-01", "status": "finished"}, "status"),
    ],
)
def test_invalid_items_are_422_naming_the_field(staff, org, body, field):
    plan = make(staff, org, "action-plans", title="Plan", period="2025-26")
    assert field in fields_of(staff.post(url(org, f"action-plans/{plan['id']}/items"), json=body))


def test_items_belong_to_their_plan_and_go_with_it(staff, org):
    first, second = (make(staff, org, "action-plans", title=t, period="2025-26") for t in "AB")
    item = make(staff, org, f"action-plans/{first['id']}/items", title="X", due_on=days(1))
    assert staff.get(url(org, f"action-plans/{second['id']}/items/{item['id']}")).status_code == 404
    assert staff.delete(url(org, f"action-plans/{first['id']}")).status_code == 204
    assert staff.get(url(org, "action-plans/overdue-items")).get_json()["total"] == 0
    assert staff.get(url(org, f"action-plans/{first['id']}/items/{item['id']}")).status_code == 404


def test_plan_and_item_lists_are_bounded(staff, org, db_session, count_queries):
    (plan_id,) = in_scope(db_session, org, ActionPlan(title="Plan", period="2025-26"))

    def fill_plans(n):
        plans = [ActionPlan(title=f"P{i}", period="2025-26-Q1") for i in range(n)]
        ids = in_scope(db_session, org, *plans)
        in_scope(db_session, org, *[ActionPlanItem(plan_id=i, title="x", due_on=TODAY) for i in ids])

    def fill_items(n):
        late = TODAY - timedelta(days=1)
        in_scope(
            db_session, org, *[ActionPlanItem(plan_id=plan_id, title=f"I{i}", due_on=late) for i in range(n)]
        )

    assert_bounded(staff, url(org, "action-plans?period=2025-26-Q1&per_page=200"), fill_plans, count_queries)
    assert_bounded(staff, url(org, "action-plans/overdue-items?per_page=200"), fill_items, count_queries)


# -- spend ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_pence": None}, "amount_pence"),
        ({"amount_pence": 12.5}, "amount_pence"),
        ({"amount_pence": "100"}, "amount_pence"),
        ({"amount_pence": 0}, "amount_pence"),
        ({"amount_pence": 2**40}, "amount_pence"),
        ({"category": "biscuits"}, "category"),
        ({"spent_on": None}, "spent_on"),
        ({"activity_id": 999999}, "activity_id"),
        ({"amount_pence": -500}, "description"),
    ],
)
def test_invalid_spend_is_422_naming_the_field(staff, org, change, field):
    body = {"spent_on": "2025-05-01", "category": "grants", "amount_pence": 25000, **change}
    assert field in fields_of(
        staff.post(url(org, "spend"), json={k: v for k, v in body.items() if v is not None})
    )


def test_a_correction_is_a_negative_amount_with_a_description(staff, org, db_session):
    (activity_id,) = in_scope(
        db_session, org, Activity(title="AGM", kind="meeting", starts_at=datetime.now(UTC))
    )
    paid = make(
        staff,
        org,
        "spend",
        spent_on="2025-05-01",
        category="events",
        amount_pence=120,
        activity_id=activity_id,
    )
    refund = make(
        staff, org, "spend", spent_on="2025-05-09", category="events", amount_pence=-20, description="Refund"
    )
    assert refund["amount_pence"] == -20
    assert "description" in fields_of(staff.patch(url(org, f"spend/{paid['id']}"), json={"amount_pence": -1}))
    assert staff.get(url(org, f"spend?activity_id={activity_id}")).get_json()["total"] == 1


def test_spend_summary_totals_each_category_for_the_period(staff, org):
    for on, category, pence in (
        ("2025-04-01", "grants", 100000),
        ("2025-07-01", "grants", 23456),
        ("2026-03-31", "training", 5000),
        ("2026-04-01", "training", 999),
        ("2025-03-31", "grants", 777),
    ):
        make(staff, org, "spend", spent_on=on, category=category, amount_pence=pence)
    summary = staff.get(url(org, "spend/summary?period=2025-26")).get_json()
    totals = {c["category"]: c["total_pence"] for c in summary["categories"]}
    assert (summary["starts_on"], summary["ends_on"], summary["total_pence"]) == (
        "2025-04-01",
        "2026-03-31",
        128456,
    )
    assert totals == {
        "grants": 123456,
        "expenses": 0,
        "training": 5000,
        "events": 0,
        "rewards": 0,
        "staff": 0,
        "other": 0,
    }
    q1 = staff.get(url(org, "spend/summary?period=2025-26-Q1")).get_json()
    assert q1["total_pence"] == 100000 and q1["categories"][0]["records"] == 1
    assert "period" in fields_of(staff.get(url(org, "spend/summary")))
    assert "period" in fields_of(staff.get(url(org, "spend/summary?period=2025-2026")))
    assert "period" in fields_of(staff.get(url(org, "spend/summary?period=9999-00")))


def test_spend_filters_by_category_and_dates(staff, org):
    for on, category in (("2025-05-01", "grants"), ("2025-06-01", "rewards"), ("2025-07-01", "grants")):
        make(staff, org, "spend", spent_on=on, category=category, amount_pence=100)
    listed = staff.get(url(org, "spend?category=grants&from=2025-06-01")).get_json()["items"]
    assert [s["spent_on"] for s in listed] == ["2025-07-01"]
    assert staff.delete(url(org, f"spend/{listed[0]['id']}")).status_code == 204


def test_spend_list_is_bounded(staff, org, db_session, count_queries):
    def fill(n):
        in_scope(
            db_session, org, *[Spend(spent_on=TODAY, category="other", amount_pence=1) for _ in range(n)]
        )

    assert_bounded(staff, url(org, "spend?per_page=200"), fill, count_queries)


# -- permissions and isolation -------------------------------------------------------------------


def test_viewers_read_but_cannot_write(org, staff, make_user, api_client):
    plan = make(staff, org, "action-plans", title="Plan", period="2025-26")
    viewer = api_client(make_user(org, "viewer"))
    for path in (
        "improvements",
        "action-plans",
        "action-plans/overdue-items",
        f"action-plans/{plan['id']}/items",
        "spend",
        "spend/summary?period=2025-26",
    ):
        assert viewer.get(url(org, path)).status_code == 200, path
    writes = [
        viewer.post(url(org, "improvements"), json={"title": "T", "implemented_on": days(0)}),
        viewer.post(url(org, "action-plans"), json={"title": "T", "period": "2025-26"}),
        viewer.patch(url(org, f"action-plans/{plan['id']}"), json={"title": "U"}),
        viewer.post(url(org, f"action-plans/{plan['id']}/items"), json={"title": "T", "due_on": days(1)}),
        viewer.post(url(org, "spend"), json={"spent_on": days(0), "category": "other", "amount_pence": 1}),
    ]
    assert [w.status_code for w in writes] == [403] * 5


def test_another_organisations_records_are_not_found(org, make_org, make_user, api_client):
    theirs = make_org()
    api = api_client(make_user(memberships={org: "staff", theirs: "staff"}))
    plan = make(api, theirs, "action-plans", title="Theirs", period="2025-26")
    item = make(api, theirs, f"action-plans/{plan['id']}/items", title="X", due_on=days(1))
    improvement = make(api, theirs, "improvements", title="T", implemented_on=days(0))
    spend = make(api, theirs, "spend", spent_on=days(0), category="other", amount_pence=1)
    for path in (
        f"action-plans/{plan['id']}",
        f"action-plans/{plan['id']}/items/{item['id']}",
        f"improvements/{improvement['id']}",
        f"spend/{spend['id']}",
    ):
        assert api.get(url(org, path)).status_code == 404, path
        assert api.patch(url(org, path), json={}).status_code == 404, path
        assert api.delete(url(org, path)).status_code == 404, path
    assert api.get(url(org, "action-plans/overdue-items")).get_json()["total"] == 0
