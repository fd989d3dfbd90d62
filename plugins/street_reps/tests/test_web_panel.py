"""Customer Panel pages: members added (a second membership refused in the API's words) and ended, a
member's channel changed, waves sent to the pool with their response rates, answers recorded (one
before the wave went out refused); viewers see no controls and are refused before any input."""

from datetime import date, timedelta
from html import unescape

from core.testing import csrf_token_from
from plugins.street_reps.tests.conftest import url

PAGES = "/o/{slug}/plugins/street_reps"


def _page(org, path=""):
    return PAGES.format(slug=org.slug) + path


def _date(name, day):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_members_join_and_leave_the_panel(org, estate, api, client, make_user, login_as):
    login_as(make_user(org, "staff"))
    new = _page(org, "/panel/members/new")
    html = client.get(new).get_data(as_text=True)
    assert "Tenant0 Holder" in html and "Post" in html
    token = csrf_token_from(html)
    form = {
        "csrf_token": token,
        "participant_id": str(estate["tenants"][0]),
        **_date("joined_on", date(2025, 4, 1)),
    }
    response = client.post(new, data={**form, "channel": "post"})
    assert response.status_code == 303
    detail = response.headers["Location"]
    words = api.post(
        url(org, "panel/members"),
        json={"participant_id": estate["tenants"][0], "channel": "phone", "joined_on": "2025-04-01"},
    ).get_json()["error"]["message"]
    response = client.post(new, data={**form, "channel": "phone"})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(new, data={**form, "participant_id": str(estate["tenants"][1])})
    assert response.status_code == 422  # no channel: the schema's words on the channel field
    assert "Tenant0 Holder" in client.get(_page(org, "/panel/members")).get_data(as_text=True)

    leave = detail + "/leave"
    response = client.post(leave, data={"csrf_token": token})
    assert response.status_code == 422 and "Enter the day they left" in response.get_data(as_text=True)
    response = client.post(leave, data={"csrf_token": token, **_date("left_on", date(2025, 12, 1))})
    assert response.status_code == 303
    assert "1 December 2025" in client.get(detail).get_data(as_text=True)
    assert client.get(leave).status_code == 404  # already left


def test_a_wave_is_sent_and_answers_are_recorded(org, estate, api, client, make_user, login_as):
    for n, channel in ((0, "post"), (1, "phone")):
        api.post(
            url(org, "panel/members"),
            json={"participant_id": estate["tenants"][n], "channel": channel, "joined_on": "2025-04-01"},
        )
    login_as(make_user(org, "staff"))
    new = _page(org, "/panel/waves/new")
    token = csrf_token_from(client.get(new).get_data(as_text=True))
    sent = date(2025, 6, 1)
    form = {
        "csrf_token": token,
        "title": "Repairs standard",
        "topic": "housing_management",
        **_date("sent_on", sent),
    }
    words = api.post(
        url(org, "panel/waves"),
        json={
            "title": "x",
            "topic": "housing_management",
            "sent_on": "2025-06-01",
            "closes_on": "2025-05-01",
        },
    ).get_json()["error"]["fields"]["closes_on"][0]
    response = client.post(new, data={**form, **_date("closes_on", date(2025, 5, 1))})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(new, data={**form, **_date("closes_on", date(2025, 6, 30))})
    assert response.status_code == 303
    detail = response.headers["Location"]
    wave_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    html = client.get(detail).get_data(as_text=True)
    assert "0 of 2" in html and "Tenant1 Holder (phone)" in html

    member = api.get(url(org, "panel/members")).get_json()["items"][1]["id"]
    answer = _page(org, f"/panel/waves/{wave_id}/responses")
    response = client.post(
        answer,
        data={
            "csrf_token": token,
            "member_id": str(member),
            **_date("responded_on", sent - timedelta(days=1)),
        },
    )
    assert response.status_code == 422 and "Cannot be before the wave was sent." in response.get_data(
        as_text=True
    )
    response = client.post(
        answer,
        data={
            "csrf_token": token,
            "member_id": str(member),
            "comment": "Too slow",
            **_date("responded_on", sent),
        },
    )
    assert response.status_code == 303
    html = client.get(detail).get_data(as_text=True)
    assert "1 of 2 (50.0%)" in html and "Too slow" in html
    assert "1 of 2" in client.get(_page(org, "/panel/waves")).get_data(as_text=True)


def test_a_viewer_sees_no_panel_controls_and_is_refused(org, estate, api, client, make_user, login_as):
    member = api.post(
        url(org, "panel/members"),
        json={"participant_id": estate["tenants"][0], "channel": "post", "joined_on": "2025-04-01"},
    ).get_json()
    wave = api.post(
        url(org, "panel/waves"),
        json={
            "title": "W",
            "topic": "housing_management",
            "sent_on": "2025-06-01",
            "closes_on": "2025-06-30",
        },
    ).get_json()
    login_as(make_user(org, "viewer"))
    for path in (
        "/panel/members",
        f"/panel/members/{member['id']}",
        "/panel/waves",
        f"/panel/waves/{wave['id']}",
    ):
        html = client.get(_page(org, path)).get_data(as_text=True)
        assert "Add a member" not in html and "Send a wave" not in html
        assert "Record leaving" not in html and "Record the answer" not in html
        assert "Change the channel" not in html
    token = csrf_token_from(client.get(_page(org, "/panel/members")).get_data(as_text=True))
    for path in (
        "/panel/members/new",
        f"/panel/members/{member['id']}/leave",
        f"/panel/members/{member['id']}/channel",
        "/panel/waves/new",
        f"/panel/waves/{wave['id']}/responses",
    ):
        assert client.post(_page(org, path), data={"csrf_token": token, "title": "x"}).status_code == 403


def test_a_members_channel_is_changed_for_later_waves(org, estate, api, client, make_user, login_as):
    member = api.post(
        url(org, "panel/members"),
        json={"participant_id": estate["tenants"][0], "channel": "post", "joined_on": "2025-04-01"},
    ).get_json()
    login_as(make_user(org, "staff"))
    detail = _page(org, f"/panel/members/{member['id']}")
    assert "Change the channel" in client.get(detail).get_data(as_text=True)
    change = detail + "/channel"
    html = client.get(change).get_data(as_text=True)
    assert 'value="post" selected' in html
    token = csrf_token_from(html)
    response = client.post(change, data={"csrf_token": token, "channel": ""})
    assert response.status_code == 422 and "Choose post or telephone" in response.get_data(as_text=True)
    words = api.patch(url(org, f"panel/members/{member['id']}"), json={"channel": "email"}).get_json()
    words = words["error"]["fields"]["channel"][0]
    response = client.post(change, data={"csrf_token": token, "channel": "email"})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(change, data={"csrf_token": token, "channel": "phone"})
    assert response.status_code == 303 and response.headers["Location"].endswith(detail)
    assert api.get(url(org, "panel/members")).get_json()["items"][0]["channel"] == "phone"
    wave = api.post(
        url(org, "panel/waves"),
        json={
            "title": "W",
            "topic": "housing_management",
            "sent_on": "2025-06-01",
            "closes_on": "2025-06-30",
        },
    ).get_json()
    assert "Tenant0 Holder (phone)" in client.get(_page(org, f"/panel/waves/{wave['id']}")).get_data(
        as_text=True
    )

    client.post(detail + "/leave", data={"csrf_token": token, **_date("left_on", date(2025, 12, 1))})
    assert client.get(change).status_code == 404  # a former member is not asked any more
