"""Ending a forum seat from the forum's page: core's memberships service ends it (an end before
the start refused in the words of core's API), the seat stays on the record as ended; a viewer has
no control and the post is refused 403; another forum's seat is 404. A seat recorded by mistake is
deleted after confirming (core's memberships service)."""

from __future__ import annotations

from markupsafe import escape

from core.testing import csrf_token_from
from plugins.customer_voice.tests.conftest import forum_for

WEB = "/o/{slug}/plugins/customer_voice"


def _web(world) -> str:
    return WEB.format(slug=world.org.slug)


def _post(client, path, data):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def _seat(world) -> tuple[dict, dict]:
    forum = forum_for(world, world.north)
    seat = world.api.post(
        f"{world.base}/forums/{forum['id']}/members",
        json={"participant_id": world.resident_north, "starts_on": "2025-04-01"},
    ).get_json()
    return forum, seat


def test_an_officer_ends_a_seat(world, client, login_as):
    forum, seat = _seat(world)
    login_as(world.admin)
    forum_page = f"{_web(world)}/forums/{forum['id']}"
    assert "End the seat" in client.get(forum_page).get_data(as_text=True)
    end = f"{forum_page}/members/{seat['membership_id']}/end"
    form = client.get(end).get_data(as_text=True)
    assert "End Nora North’s seat" in form

    api = world.api.patch(
        f"/api/v1/orgs/{world.org.slug}/bodies/{forum['body_id']}/memberships/{seat['membership_id']}",
        json={"ends_on": "2025-01-01"},
    )
    refused = _post(client, end, {"ends_on-day": "1", "ends_on-month": "1", "ends_on-year": "2025"})
    assert api.status_code == 422 and refused.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["ends_on"][0])) in refused.get_data(as_text=True)

    ended = _post(client, end, {"ends_on-day": "31", "ends_on-month": "3", "ends_on-year": "2026"})
    assert ended.status_code == 303
    page = client.get(ended.headers["Location"]).get_data(as_text=True)
    assert "Seat ended." in page and "31 March 2026" in page and "End the seat" not in page
    members = world.api.get(f"{world.base}/forums/{forum['id']}/members").get_json()["items"]
    assert members[0]["ends_on"] == "2026-03-31"

    other = forum_for(world, world.south)
    assert (
        client.get(f"{_web(world)}/forums/{other['id']}/members/{seat['membership_id']}/end").status_code
        == 404
    )


def test_a_viewer_cannot_end_a_seat(world, client, login_as, make_user):
    forum, seat = _seat(world)
    login_as(make_user(world.org, "viewer"))
    page = client.get(f"{_web(world)}/forums/{forum['id']}").get_data(as_text=True)
    assert "End the seat" not in page
    end = f"{_web(world)}/forums/{forum['id']}/members/{seat['membership_id']}/end"
    token = csrf_token_from(page)
    assert client.post(end, data={"csrf_token": token, "ends_on-day": "1"}).status_code == 403
    delete = f"{_web(world)}/forums/{forum['id']}/members/{seat['membership_id']}/delete"
    assert client.post(delete, data={"csrf_token": token}).status_code == 403
    assert len(world.api.get(f"{world.base}/forums/{forum['id']}/members").get_json()["items"]) == 1


def test_an_officer_deletes_a_seat_recorded_by_mistake(world, client, login_as):
    forum, seat = _seat(world)
    login_as(world.admin)
    forum_page = f"{_web(world)}/forums/{forum['id']}"
    end = f"{forum_page}/members/{seat['membership_id']}/end"
    delete = f"{forum_page}/members/{seat['membership_id']}/delete"
    assert f'href="{delete}"' in client.get(end).get_data(as_text=True)
    other = forum_for(world, world.south)
    assert (
        client.get(f"{_web(world)}/forums/{other['id']}/members/{seat['membership_id']}/delete").status_code
        == 404
    )
    confirm = client.get(delete).get_data(as_text=True)
    assert "Are you sure you want to delete Nora North’s seat" in confirm and "1 April 2025" in confirm

    deleted = _post(client, delete, {})
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith(f"{forum_page}#members")
    page = client.get(forum_page).get_data(as_text=True)
    assert "Seat deleted." in page and "Nobody holds a seat yet." in page
    assert world.api.get(f"{world.base}/forums/{forum['id']}/members").get_json()["items"] == []
    assert client.get(delete).status_code == 404
