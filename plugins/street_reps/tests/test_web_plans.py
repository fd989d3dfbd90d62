"""Neighbourhood action plan pages: a plan per area and year (a second one refused in the API's
words), its local priorities listed, added and changed, and its actions with a link to the walkabout
issue each came from; viewers see no controls and are refused before any input."""

from html import unescape

from core.periods import Period
from core.testing import csrf_token_from
from plugins.street_reps.tests.conftest import url
from plugins.street_reps.tests.test_walkabouts import PAST, plan

PAGES = "/o/{slug}/plugins/street_reps"


def _page(org, path=""):
    return PAGES.format(slug=org.slug) + path


def test_a_plan_is_started_and_its_local_priorities_kept(org, estate, api, client, make_user, login_as):
    login_as(make_user(org, "staff"))
    new = _page(org, "/neighbourhood-plans/new")
    token = csrf_token_from(client.get(new).get_data(as_text=True))
    form = {
        "csrf_token": token,
        "area_id": str(estate["estate"]),
        "local_priorities": "Fly-tipping\n\nParking\n",
    }
    bad = api.post(
        url(org, "neighbourhood-plans"), json={"area_id": estate["estate"], "period": "2025-26-Q1"}
    )
    response = client.post(new, data={**form, "period": "2025-26-Q1"})
    assert response.status_code == 422
    assert bad.get_json()["error"]["fields"]["period"][0] in unescape(response.get_data(as_text=True))
    response = client.post(new, data={**form, "period": "2025-26"})
    assert response.status_code == 303
    detail = response.headers["Location"]
    plan_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    words = api.post(
        url(org, "neighbourhood-plans"), json={"area_id": estate["estate"], "period": "2025-26"}
    ).get_json()["error"]["message"]
    response = client.post(new, data={**form, "period": "2025-26"})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))

    add = _page(org, f"/neighbourhood-plans/{plan_id}/priorities")
    response = client.post(add, data={"csrf_token": token, "local_priorities": ""})
    assert response.status_code == 422 and "Enter the local priority" in response.get_data(as_text=True)
    response = client.post(add, data={"csrf_token": token, "local_priorities": "x" * 301})
    assert response.status_code == 422 and "300" in response.get_data(as_text=True)
    response = client.post(add, data={"csrf_token": token, "local_priorities": "Street lighting"})
    assert response.status_code == 303
    assert api.get(url(org, f"neighbourhood-plans/{plan_id}")).get_json()["local_priorities"] == [
        "Fly-tipping",
        "Parking",
        "Street lighting",
    ]
    edit = _page(org, f"/neighbourhood-plans/{plan_id}/priorities/edit")
    assert "Fly-tipping\nParking\nStreet lighting" in client.get(edit).get_data(as_text=True)
    response = client.post(
        edit, data={"csrf_token": token, "local_priorities": "Street lighting\nFly-tipping"}
    )
    assert response.status_code == 303
    html = client.get(detail).get_data(as_text=True)
    assert "Street lighting" in html and "Parking" not in html
    listing = client.get(_page(org, "/neighbourhood-plans")).get_data(as_text=True)
    assert "Castlefields" in listing and "2025-26" in listing


def test_a_walkabout_action_links_back_to_its_issue(org, estate, api, client, make_user, login_as):
    walkabout = plan(api, org, estate, starts_at=PAST, status="held").get_json()
    wid = walkabout["id"]
    issue = api.post(
        url(org, f"walkabouts/{wid}/issues"),
        json={"location": "Ash Grove", "category": "lighting", "description": "Dark"},
    ).get_json()
    api.post(
        url(org, f"walkabouts/{wid}/issues/{issue['id']}/action"),
        json={"title": "Fix the lamp", "owner": "Council", "due_on": PAST.date().isoformat()},
    )
    year = Period.financial_year_of(PAST.date()).label
    nap = next(p for p in api.get(url(org, "neighbourhood-plans")).get_json()["items"] if p["period"] == year)
    login_as(make_user(org, "staff"))
    html = client.get(_page(org, f"/neighbourhood-plans/{nap['id']}")).get_data(as_text=True)
    assert "Fix the lamp" in html and f"/walkabouts/{wid}/issues/{issue['id']}/progress" in html
    assert f"/walkabouts/{wid}" in html


def test_a_viewer_sees_no_plan_controls_and_is_refused(org, estate, api, client, make_user, login_as):
    nap = api.post(
        url(org, "neighbourhood-plans"),
        json={"area_id": estate["estate"], "period": "2025-26", "local_priorities": ["Bins"]},
    ).get_json()
    login_as(make_user(org, "viewer"))
    for path in ("/neighbourhood-plans", f"/neighbourhood-plans/{nap['id']}"):
        html = client.get(_page(org, path)).get_data(as_text=True)
        assert "Bins" in html or path == "/neighbourhood-plans"
        assert (
            "Start a plan" not in html and "Add the priority" not in html and "Change or take out" not in html
        )
    token = csrf_token_from(client.get(_page(org, "/neighbourhood-plans")).get_data(as_text=True))
    for path in (
        "/neighbourhood-plans/new",
        f"/neighbourhood-plans/{nap['id']}/priorities",
        f"/neighbourhood-plans/{nap['id']}/priorities/edit",
    ):
        assert (
            client.post(_page(org, path), data={"csrf_token": token, "local_priorities": "x"}).status_code
            == 403
        )
