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


def test_a_budget_amount_is_changed_but_never_below_what_is_allocated(org, api, client, make_user, login_as):
    year = Period.financial_year_of(date.today()).label
    budget = api.post(url(org, "forum/budgets"), json={"period": year, "amount_pence": 100000}).get_json()
    api.post(
        url(org, f"forum/budgets/{budget['id']}/allocations"),
        json={"title": "Bins", "amount_pence": 60000, "allocated_on": date.today().isoformat()},
    )
    login_as(make_user(org, "staff"))
    edit = _page(org, f"/forum/budgets/{budget['id']}/edit")
    html = client.get(edit).get_data(as_text=True)
    assert 'value="1000.00"' in html and "£600.00" in html and "£400.00" in html  # the balance is shown
    token = csrf_token_from(html)
    words = api.patch(url(org, f"forum/budgets/{budget['id']}"), json={"amount_pence": 50000}).get_json()[
        "error"
    ]["message"]
    response = client.post(edit, data={"csrf_token": token, "amount_pence": "500"})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(edit, data={"csrf_token": token, "amount_pence": "", "notes": ""})
    assert response.status_code == 422 and "Enter the budget, in pounds" in response.get_data(as_text=True)
    response = client.post(edit, data={"csrf_token": token, "amount_pence": "1200", "notes": "Raised"})
    assert response.status_code == 303
    changed = api.get(url(org, f"forum/budgets/{budget['id']}")).get_json()
    assert (changed["amount_pence"], changed["remaining_pence"], changed["notes"]) == (
        120000,
        60000,
        "Raised",
    )
    assert "Change the budget" in client.get(_page(org, f"/forum/budgets/{budget['id']}")).get_data(
        as_text=True
    )


def _forum_with_meeting(api, org, estate):
    def core(path):
        return f"/api/v1/orgs/{org.slug}/{path}"

    forum = api.post(core("bodies"), json={"name": "Customer Forum", "kind": "forum"}).get_json()
    seats = []
    for kind in ("councillor", "independent"):
        for n in range(3):
            seats.append(
                api.post(
                    core(f"bodies/{forum['id']}/memberships"),
                    json={
                        "starts_on": "2025-04-01",
                        "external_name": f"{kind.title()} {n}",
                        "seat_type": kind,
                    },
                ).get_json()["id"]
            )
    resident = api.post(
        core(f"bodies/{forum['id']}/memberships"),
        json={"starts_on": "2025-04-01", "participant_id": estate["tenants"][0], "seat_type": "resident"},
    ).get_json()["id"]
    meeting = api.post(
        core("activities"),
        json={
            "title": "Forum with councillors",
            "kind": "meeting",
            "status": "held",
            "starts_at": "2025-06-10T18:00:00+00:00",
            "body_id": forum["id"],
        },
    ).get_json()["id"]
    return seats, resident, meeting


def test_a_forum_meeting_is_recorded_as_attended_by_the_full_membership(
    org, estate, api, client, make_user, login_as
):
    seats, resident, meeting = _forum_with_meeting(api, org, estate)
    login_as(make_user(org, "staff"))
    listing = client.get(_page(org, "/forum/meetings?period=2025-26")).get_data(as_text=True)
    assert "Forum with councillors" in listing and "0 of 2 full-membership meetings" in listing
    detail = _page(org, f"/forum/meetings/{meeting}")
    html = client.get(detail).get_data(as_text=True)
    assert "Councillor 0 (Councillor)" in html and "Independent 2" in html
    token = csrf_token_from(html)
    attendance = _page(org, f"/forum/meetings/{meeting}/attendance")
    words = api.put(
        url(org, f"forum/meetings/{meeting}/full-membership"), json={"membership_ids": [resident]}
    ).get_json()["error"]["fields"]["membership_ids"][0]
    response = client.post(attendance, data={"csrf_token": token, "membership_ids": [str(resident)]})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(attendance, data={"csrf_token": token, "membership_ids": [str(s) for s in seats]})
    assert response.status_code == 303
    assert "is a full-membership meeting" in client.get(response.headers["Location"]).get_data(as_text=True)
    listing = client.get(_page(org, "/forum/meetings?period=2025-26")).get_data(as_text=True)
    assert "1 of 2 full-membership meetings" in listing
    assert client.get(_page(org, "/forum/meetings?period=nonsense")).status_code == 200


def test_a_viewer_sees_meetings_but_cannot_record_attendance_or_change_a_budget(
    org, estate, api, client, make_user, login_as
):
    seats, _resident, meeting = _forum_with_meeting(api, org, estate)
    year = Period.financial_year_of(date.today()).label
    budget = api.post(url(org, "forum/budgets"), json={"period": year, "amount_pence": 100000}).get_json()
    login_as(make_user(org, "viewer"))
    html = client.get(_page(org, f"/forum/meetings/{meeting}")).get_data(as_text=True)
    assert "Save attendance" not in html and "Record who was present" not in html
    assert "Change the budget" not in client.get(_page(org, f"/forum/budgets/{budget['id']}")).get_data(
        as_text=True
    )
    token = csrf_token_from(client.get(_page(org, "/forum/budgets")).get_data(as_text=True))
    assert client.get(_page(org, f"/forum/budgets/{budget['id']}/edit")).status_code == 403
    for path, data in (
        (f"/forum/meetings/{meeting}/attendance", {"membership_ids": [str(s) for s in seats]}),
        (f"/forum/budgets/{budget['id']}/edit", {"amount_pence": "1"}),
    ):
        assert client.post(_page(org, path), data={"csrf_token": token, **data}).status_code == 403
