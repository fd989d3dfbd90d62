"""Customer Forum budget pages: set a year's budget, allocate (refused past the balance, in the API's
words), withdraw an allocation; viewers see no controls and are refused before any input."""

from datetime import date
from html import unescape

from core.periods import Period
from core.testing import csrf_token_from
from plugins.street_reps.tests.conftest import url

PAGES = "/o/{slug}/plugins/street_reps"


def _page(org, path=""):
    return PAGES.format(slug=org.slug) + path


def _date(name, day):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_a_budget_is_set_allocated_and_an_allocation_withdrawn(org, estate, api, client, make_user, login_as):
    login_as(make_user(org, "staff"))
    year = Period.financial_year_of(date.today()).label
    new = _page(org, "/forum/budgets/new")
    token = csrf_token_from(client.get(new).get_data(as_text=True))
    bad_year = api.post(url(org, "forum/budgets"), json={"period": "2025-26-Q1", "amount_pence": 100})
    response = client.post(new, data={"csrf_token": token, "period": "2025-26-Q1", "amount_pence": "1"})
    assert response.status_code == 422
    assert bad_year.get_json()["error"]["fields"]["period"][0] in unescape(response.get_data(as_text=True))
    response = client.post(new, data={"csrf_token": token, "period": year, "amount_pence": "1,000"})
    assert response.status_code == 422 and "Enter an amount in pounds" in response.get_data(as_text=True)
    response = client.post(new, data={"csrf_token": token, "period": year, "amount_pence": "1000"})
    assert response.status_code == 303
    detail = response.headers["Location"]
    budget_id = int(detail.rstrip("/").rsplit("/", 1)[1])

    allocate = _page(org, f"/forum/budgets/{budget_id}/allocations/new")
    body = {"title": "New bins", "amount_pence": 150000, "allocated_on": date.today().isoformat()}
    words = api.post(url(org, f"forum/budgets/{budget_id}/allocations"), json=body).get_json()["error"][
        "message"
    ]
    form = {
        "csrf_token": token,
        "title": "New bins",
        "area_id": str(estate["ash"]),
        **_date("allocated_on", date.today()),
    }
    response = client.post(allocate, data={**form, "amount_pence": "1500"})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(allocate, data={**form, "amount_pence": "400"})
    assert response.status_code == 303
    page = client.get(detail).get_data(as_text=True)
    assert "£400.00" in page and "£600.00" in page and "New bins" in page and "Ash Grove" in page
    allocation = api.get(url(org, f"forum/budgets/{budget_id}/allocations")).get_json()["items"][0]
    response = client.post(
        _page(org, f"/forum/budgets/{budget_id}/allocations/{allocation['id']}/withdraw"),
        data={"csrf_token": token},
    )
    assert response.status_code == 303
    assert api.get(url(org, f"forum/budgets/{budget_id}")).get_json()["remaining_pence"] == 100000
    listing = client.get(_page(org, "/forum/budgets")).get_data(as_text=True)
    assert year in listing and "£1,000.00" in listing


def test_a_viewer_sees_no_budget_controls_and_is_refused_before_input(org, api, client, make_user, login_as):
    year = Period.financial_year_of(date.today()).label
    budget = api.post(url(org, "forum/budgets"), json={"period": year, "amount_pence": 100000}).get_json()
    allocation = api.post(
        url(org, f"forum/budgets/{budget['id']}/allocations"),
        json={"title": "Bins", "amount_pence": 100, "allocated_on": date.today().isoformat()},
    ).get_json()
    login_as(make_user(org, "viewer"))
    for path in ("/forum/budgets", f"/forum/budgets/{budget['id']}"):
        html = client.get(_page(org, path)).get_data(as_text=True)
        assert "Set a year" not in html and "Allocate from this budget" not in html and "Withdraw" not in html
    token = csrf_token_from(client.get(_page(org, "/forum/budgets")).get_data(as_text=True))
    for path in (
        "/forum/budgets/new",
        f"/forum/budgets/{budget['id']}/allocations/new",
        f"/forum/budgets/{budget['id']}/allocations/{allocation['id']}/withdraw",
    ):
        assert client.post(_page(org, path), data={"csrf_token": token, "period": "x"}).status_code == 403
