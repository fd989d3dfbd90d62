"""Volunteering pages: sessions (list, record one in a configured role, its page) and Rate Your
Estate visits (list, record one scored on every criterion, its page, correct its date or comments).
Refusals come in the API's words and land on the field at fault; a viewer sees no controls and
every post is refused 403."""

from __future__ import annotations

from markupsafe import escape

from core.testing import csrf_token_from

WEB = "/o/{slug}/plugins/customer_voice"


def _web(world) -> str:
    return WEB.format(slug=world.org.slug)


def _post(client, path, data):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


SESSION = {
    "title": "Clean up on Pennywell",
    "role": "community_clean_up",
    "starts_at-day": "14",
    "starts_at-month": "3",
    "starts_at-year": "2026",
    "start_time": "10:00",
    "status": "planned",
}


def test_an_officer_records_a_volunteering_session(world, client, login_as):
    login_as(world.admin)
    new = f"{_web(world)}/volunteering/new"
    api = world.api.post(f"{world.base}/volunteering/sessions", json={"role": "community_clean_up"})
    refused = _post(client, new, {**SESSION, "title": ""})
    assert api.status_code == 422 and refused.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["title"][0])) in refused.get_data(as_text=True)
    assert 'href="#title"' in refused.get_data(as_text=True)

    saved = _post(client, new, {**SESSION, "area_id": str(world.estate)})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Volunteering session recorded." in page and "14 March 2026 at 10:00" in page
    assert "Pennywell" in page and 'aria-current="page">Volunteering</a>' in page
    listed = client.get(f"{_web(world)}/volunteering").get_data(as_text=True)
    assert "Clean up on Pennywell" in listed and "Community clean up" in listed and "1 session" in listed


def test_an_officer_records_a_rate_your_estate_visit(world, client, login_as):
    login_as(world.admin)
    new = f"{_web(world)}/estate-ratings/new"
    visit = {
        "area_id": str(world.estate),
        "participant_id": str(world.resident_north),
        "visited_on-day": "2",
        "visited_on-month": "3",
        "visited_on-year": "2026",
        "score_cleanliness": "4",
        "comments": "Bins emptied, verges cut",
    }
    unscored = _post(client, new, visit)
    assert unscored.status_code == 422
    body = unscored.get_data(as_text=True)
    assert "Every criterion is scored on each visit." in body and 'href="#score_grounds"' in body
    api = world.api.post(
        f"{world.base}/estate-ratings",
        json={"area_id": world.north, "visited_on": "2026-03-02", "scores": {"cleanliness": 4, "grounds": 3}},
    )
    wrong_area = _post(client, new, {**visit, "area_id": str(world.north), "score_grounds": "3"})
    assert api.status_code == 422 and wrong_area.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["area_id"][0])) in wrong_area.get_data(as_text=True)
    form = client.get(new).get_data(as_text=True)
    assert ">Pennywell</option>" in form and ">North</option>" not in form  # estates only

    saved = _post(client, new, {**visit, "score_grounds": "3"})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Rate Your Estate visit recorded." in page and "4 out of 5" in page and "3.5" in page
    assert "Nora North" in page and "Bins emptied, verges cut" in page
    listed = client.get(f"{_web(world)}/estate-ratings?area_id={world.estate}").get_data(as_text=True)
    assert "2 March 2026" in listed and "3.5" in listed
    assert client.get(f"{_web(world)}/estate-ratings?area_id=abc").status_code == 200


def test_an_officer_corrects_a_visits_date_and_comments(world, client, login_as):
    rating = world.api.post(
        f"{world.base}/estate-ratings",
        json={
            "area_id": world.estate,
            "visited_on": "2026-03-02",
            "comments": "Bins emptied",
            "scores": {"cleanliness": 4, "grounds": 3},
        },
    ).get_json()
    login_as(world.admin)
    page = f"{_web(world)}/estate-ratings/{rating['id']}"
    assert "Correct the date or comments" in client.get(page).get_data(as_text=True)
    edit = f"{page}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert "Correct the visit to Pennywell" in form and "Bins emptied" in form and 'value="2"' in form

    too_long = "x" * 10_001
    api = world.api.patch(f"{world.base}/estate-ratings/{rating['id']}", json={"comments": too_long})
    refused = _post(
        client,
        edit,
        {"visited_on-day": "2", "visited_on-month": "3", "visited_on-year": "2026", "comments": too_long},
    )
    assert api.status_code == 422 and refused.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["comments"][0])) in refused.get_data(as_text=True)
    assert 'href="#comments"' in refused.get_data(as_text=True)
    no_date = _post(client, edit, {"visited_on-day": "", "visited_on-month": "", "visited_on-year": ""})
    assert no_date.status_code == 422 and "Enter the day of the visit" in no_date.get_data(as_text=True)

    saved = _post(
        client,
        edit,
        {"visited_on-day": "3", "visited_on-month": "3", "visited_on-year": "2026", "comments": "Verges cut"},
    )
    assert saved.status_code == 303 and saved.headers["Location"].endswith(page)
    shown = client.get(page).get_data(as_text=True)
    assert "Visit corrected." in shown and "3 March 2026" in shown and "Verges cut" in shown
    assert "4 out of 5" in shown  # the scores are untouched
    after = world.api.get(f"{world.base}/estate-ratings/{rating['id']}").get_json()
    assert after["visited_on"] == "2026-03-03" and after["comments"] == "Verges cut"

    cleared = _post(
        client,
        edit,
        {"visited_on-day": "3", "visited_on-month": "3", "visited_on-year": "2026", "comments": ""},
    )
    assert cleared.status_code == 303
    assert world.api.get(f"{world.base}/estate-ratings/{rating['id']}").get_json()["comments"] is None


def test_without_criteria_no_visit_is_recorded(make_org, make_user, api_client, db_session, client, login_as):
    from plugins.customer_voice.tests.conftest import GENTOO, build_world

    world = build_world(
        make_org,
        make_user,
        api_client,
        db_session,
        "cv-nocriteria",
        {**GENTOO, "rate_your_estate_criteria": []},
    )
    login_as(world.admin)
    assert "No criteria are set yet" in client.get(f"{_web(world)}/estate-ratings").get_data(as_text=True)
    refused = _post(
        client,
        f"{_web(world)}/estate-ratings/new",
        {
            "area_id": str(world.estate),
            "visited_on-day": "2",
            "visited_on-month": "3",
            "visited_on-year": "2026",
        },
    )
    assert refused.status_code == 422
    assert "No Rate Your Estate criteria are set" in refused.get_data(as_text=True)


def test_a_viewer_sees_no_controls_and_is_refused_first(world, client, login_as, make_user):
    session = world.api.post(
        f"{world.base}/volunteering/sessions",
        json={"title": "Litter pick", "role": "community_clean_up", "starts_at": "2026-03-14T10:00:00Z"},
    ).get_json()
    rating = world.api.post(
        f"{world.base}/estate-ratings",
        json={
            "area_id": world.estate,
            "participant_id": world.resident_north,
            "visited_on": "2026-03-02",
            "scores": {"cleanliness": 4, "grounds": 3},
        },
    ).get_json()
    login_as(make_user(world.org, "viewer"))
    sessions = client.get(f"{_web(world)}/volunteering").get_data(as_text=True)
    assert "Litter pick" in sessions and "Record a session" not in sessions
    assert "Litter pick" in client.get(f"{_web(world)}/volunteering/{session['id']}").get_data(as_text=True)
    ratings = client.get(f"{_web(world)}/estate-ratings").get_data(as_text=True)
    assert "Pennywell" in ratings and "Record a visit" not in ratings
    visit = client.get(f"{_web(world)}/estate-ratings/{rating['id']}").get_data(as_text=True)
    assert "4 out of 5" in visit and "Nora North" not in visit  # names need people.read
    assert "Correct the date or comments" not in visit
    token = csrf_token_from(sessions)
    for path in ("/volunteering/new", "/estate-ratings/new", f"/estate-ratings/{rating['id']}/edit"):
        assert client.post(f"{_web(world)}{path}", data={"csrf_token": token, "title": ""}).status_code == 403
