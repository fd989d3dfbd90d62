"""Walkabout pages, from timetable to published outcome: the timetable rules (agreed with residents
before publishing and before the day, held only once started, outcome only after held) refused
in the API's words; issues, actions with owner and due date, progress; viewers see no controls
and are refused before any input is read."""

from datetime import date, timedelta
from html import unescape

from core.testing import csrf_token_from
from plugins.street_reps.tests.conftest import url
from plugins.street_reps.tests.test_walkabouts import FUTURE, PAST, plan

PAGES = "/o/{slug}/plugins/street_reps"


def _page(org, path=""):
    return PAGES.format(slug=org.slug) + path


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _date(name, day):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_an_officer_puts_a_walkabout_on_the_timetable_and_publishes_it(
    org, estate, api, client, make_user, login_as
):
    login_as(make_user(org, "staff"))
    new = _page(org, "/walkabouts/new")
    token = _token(client, new)
    day = FUTURE.date()
    form = {
        "csrf_token": token,
        "title": "Castlefields spring walkabout",
        "area_id": str(estate["estate"]),
        **_date("starts_at", day),
        "start_time": "18:30",
        "ends_at": "18:00",
        "meeting_point": "Community centre",
        "agencies": "Cheshire Police\nHalton Borough Council",
    }
    refused = client.post(new, data=form)
    assert refused.status_code == 422
    api_words = plan(api, org, estate, ends_at=FUTURE.replace(hour=9).isoformat()).get_json()
    assert api_words["error"]["fields"]["ends_at"][0] in refused.get_data(as_text=True)
    assert 'href="#ends_at"' in refused.get_data(as_text=True)
    assert client.post(new, data={**form, "start_time": "", "ends_at": ""}).status_code == 422
    response = client.post(new, data={**form, "ends_at": "20:00"})
    assert response.status_code == 303
    detail = response.headers["Location"]
    page = client.get(detail).get_data(as_text=True)
    assert "18:30 to 20:00" in page and "Cheshire Police, Halton Borough Council" in page
    walkabout_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    stored = api.get(url(org, f"walkabouts/{walkabout_id}")).get_json()
    assert stored["agencies"] == ["Cheshire Police", "Halton Borough Council"]

    # Publishing before the date was agreed with residents: refused in the API's words.
    api_refusal = api.patch(url(org, f"walkabouts/{walkabout_id}"), json={"published": True})
    words = api_refusal.get_json()["error"]["message"]
    response = client.post(_page(org, f"/walkabouts/{walkabout_id}/publish"), data={"csrf_token": token})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))

    # An agreement on the day itself is refused on the field, as the API refuses it.
    edit = _page(org, f"/walkabouts/{walkabout_id}/edit")
    edit_form = client.get(edit).get_data(as_text=True)
    assert 'value="18:30"' in edit_form
    late = api.patch(
        url(org, f"walkabouts/{walkabout_id}"), json={"agreed_with_residents_on": day.isoformat()}
    )
    late_words = late.get_json()["error"]["fields"]["agreed_with_residents_on"][0]
    response = client.post(edit, data={**form, "ends_at": "20:00", **_date("agreed_with_residents_on", day)})
    assert response.status_code == 422 and late_words in response.get_data(as_text=True)
    agreed = date.today()
    response = client.post(
        edit, data={**form, "ends_at": "20:00", **_date("agreed_with_residents_on", agreed)}
    )
    assert response.status_code == 303
    response = client.post(_page(org, f"/walkabouts/{walkabout_id}/publish"), data={"csrf_token": token})
    assert response.status_code == 303
    public = client.get(f"/p/{org.slug}/street_reps/walkabouts").get_data(as_text=True)
    assert "Castlefields spring walkabout" in public

    # Not held before it started.
    held_words = api.patch(url(org, f"walkabouts/{walkabout_id}"), json={"status": "held"}).get_json()
    response = client.post(_page(org, f"/walkabouts/{walkabout_id}/held"), data={"csrf_token": token})
    assert response.status_code == 422
    assert held_words["error"]["message"] in unescape(response.get_data(as_text=True))
    listing = client.get(_page(org, "/walkabouts?status=planned")).get_data(as_text=True)
    assert "Castlefields spring walkabout" in listing and "1 walkabout" in listing


def test_a_held_walkabout_gets_issues_actions_and_a_published_outcome(
    org, estate, api, client, make_user, login_as
):
    walkabout = plan(
        api,
        org,
        estate,
        starts_at=PAST,
        published=True,
        agreed_with_residents_on=(PAST.date() - timedelta(days=30)).isoformat(),
    ).get_json()
    wid = walkabout["id"]
    login_as(make_user(org, "staff"))
    detail = _page(org, f"/walkabouts/{wid}")
    token = _token(client, detail)
    issue_words = api.post(
        url(org, f"walkabouts/{wid}/issues"),
        json={"location": "Rear of 12 Ash Grove", "category": "graffiti", "description": "Tags"},
    ).get_json()["error"]["message"]
    new_issue = _page(org, f"/walkabouts/{wid}/issues/new")
    issue = {
        "csrf_token": token,
        "location": "Rear of 12 Ash Grove",
        "category": "graffiti",
        "description": "Tags",
    }
    response = client.post(new_issue, data=issue)
    assert response.status_code == 422 and issue_words in unescape(response.get_data(as_text=True))

    assert client.post(_page(org, f"/walkabouts/{wid}/held"), data={"csrf_token": token}).status_code == 303
    response = client.post(new_issue, data={**issue, "location": ""})
    assert response.status_code == 422 and 'href="#location"' in response.get_data(as_text=True)
    response = client.post(new_issue, data=issue)
    assert response.status_code == 303
    action_page = response.headers["Location"]
    assert client.get(action_page).status_code == 200
    due = date.today() + timedelta(days=14)
    response = client.post(
        action_page, data={"csrf_token": token, "title": "Remove graffiti", **_date("due_on", due)}
    )
    assert response.status_code == 422 and 'href="#owner"' in response.get_data(as_text=True)
    response = client.post(
        action_page,
        data={
            "csrf_token": token,
            "title": "Remove graffiti",
            "owner": "Estate services",
            **_date("due_on", due),
        },
    )
    assert response.status_code == 303
    page = client.get(detail).get_data(as_text=True)
    assert "Remove graffiti" in page and "Estate services" in page
    issues = api.get(url(org, f"walkabouts/{wid}/issues")).get_json()["items"]
    assert issues[0]["action"]["owner"] == "Estate services"

    progress = _page(org, f"/walkabouts/{wid}/issues/{issues[0]['id']}/progress")
    assert "Remove graffiti" in client.get(progress).get_data(as_text=True)
    response = client.post(
        progress,
        data={
            "csrf_token": token,
            "status": "done",
            "owner": "Estate services",
            **_date("due_on", due),
            "progress": "Cleaned",
            "outcome": "Wall repainted",
        },
    )
    assert response.status_code == 303
    assert api.get(url(org, f"walkabouts/{wid}/issues")).get_json()["items"][0]["action"]["status"] == "done"

    outcome_words = api.patch(
        url(org, f"walkabouts/{wid}"), json={"outcome_published_on": date.today().isoformat()}
    ).get_json()["error"]["message"]
    response = client.post(
        _page(org, f"/walkabouts/{wid}/outcome"), data={"csrf_token": token, "publish": "y"}
    )
    assert response.status_code == 422 and outcome_words in unescape(response.get_data(as_text=True))
    response = client.post(
        _page(org, f"/walkabouts/{wid}/outcome"),
        data={"csrf_token": token, "outcome_summary": "Graffiti removed within two weeks.", "publish": "y"},
    )
    assert response.status_code == 303
    public = client.get(f"/p/{org.slug}/street_reps/walkabouts/{wid}").get_data(as_text=True)
    assert "Graffiti removed within two weeks." in public and "Remove graffiti" in public


def test_a_viewer_sees_no_controls_and_is_refused_before_input(org, estate, api, client, make_user, login_as):
    walkabout = plan(api, org, estate, starts_at=PAST, status="held").get_json()
    wid = walkabout["id"]
    issue = api.post(
        url(org, f"walkabouts/{wid}/issues"),
        json={"location": "Ash Grove", "category": "lighting", "description": "Dark"},
    ).get_json()
    login_as(make_user(org, "viewer"))
    for path in ("/walkabouts", f"/walkabouts/{wid}"):
        html = client.get(_page(org, path)).get_data(as_text=True)
        assert "Add a walkabout" not in html and "Record an issue found" not in html
        assert "Save outcome" not in html and "Give it an action" not in html and "Change" not in html
    token = _token(client, _page(org, "/walkabouts"))
    for path in (
        "/walkabouts/new",
        f"/walkabouts/{wid}/edit",
        f"/walkabouts/{wid}/publish",
        f"/walkabouts/{wid}/held",
        f"/walkabouts/{wid}/cancel",
        f"/walkabouts/{wid}/publish-outcome",
        f"/walkabouts/{wid}/outcome",
        f"/walkabouts/{wid}/issues/new",
        f"/walkabouts/{wid}/issues/{issue['id']}/action",
        f"/walkabouts/{wid}/issues/{issue['id']}/progress",
    ):
        assert client.post(_page(org, path), data={"csrf_token": token, "area_id": "x"}).status_code == 403, (
            path
        )


def test_an_issue_of_another_walkabout_is_not_found(org, estate, api, client, make_user, login_as):
    first = plan(api, org, estate, starts_at=PAST, status="held").get_json()
    second = plan(api, org, estate, starts_at=PAST, status="held").get_json()
    issue = api.post(
        url(org, f"walkabouts/{first['id']}/issues"),
        json={"location": "Ash Grove", "category": "lighting", "description": "Dark"},
    ).get_json()
    login_as(make_user(org, "staff"))
    assert (
        client.get(_page(org, f"/walkabouts/{second['id']}/issues/{issue['id']}/action")).status_code == 404
    )
