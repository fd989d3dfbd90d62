"""Forum and challenge pages: a forum's page, giving a resident a seat, and a challenge raised,
responded to and closed with its outcome; the forms refuse what the API refuses in its words."""

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


def _raise(client, world, forum_id, **extra):
    return _post(
        client,
        f"{_web(world)}/forums/{forum_id}/challenges/new",
        {
            "title": "Repairs take too long on Pennywell",
            "service_area": "repairs",
            "raised_on-day": "3",
            "raised_on-month": "2",
            "raised_on-year": "2025",
            **extra,
        },
    )


def test_an_officer_raises_responds_to_and_closes_a_challenge(world, client, login_as):
    forum = forum_for(world, world.north)
    login_as(world.admin)
    page = client.get(f"{_web(world)}/forums/{forum['id']}")
    assert page.status_code == 200 and "Raise a challenge" in page.get_data(as_text=True)
    raised = _raise(client, world, forum["id"])
    assert raised.status_code == 303
    detail = client.get(raised.headers["Location"]).get_data(as_text=True)
    assert "Repairs take too long on Pennywell" in detail and "raised." in detail
    challenge_path = raised.headers["Location"]
    responded = _post(client, f"{challenge_path}/respond", {"response": "Extra repairs team from April."})
    assert responded.status_code == 303
    closed = _post(client, f"{challenge_path}/close", {"outcome": "Average repair time fell to 9 days."})
    assert closed.status_code == 303
    shown = client.get(challenge_path).get_data(as_text=True)
    assert "Challenge closed." in shown and "Average repair time fell to 9 days." in shown
    assert "Close with its outcome" not in shown
    api = world.api.get(f"{world.base}/forums/{forum['id']}/challenges").get_json()["items"][0]
    assert api["status"] == "closed" and api["responded_on"] is not None and api["closed_on"] is not None


def test_closing_before_a_response_is_refused_in_the_apis_words(world, client, login_as):
    forum = forum_for(world, world.north)
    login_as(world.admin)
    challenge_path = _raise(client, world, forum["id"]).headers["Location"]
    challenge_id = int(challenge_path.rsplit("/", 1)[1])
    api = world.api.patch(
        f"{world.base}/challenges/{challenge_id}", json={"status": "closed", "outcome": "x"}
    )
    assert api.status_code == 409
    page = _post(client, f"{challenge_path}/close", {"outcome": "x"})
    assert page.status_code == 422
    assert str(escape(api.get_json()["error"]["message"])) in page.get_data(as_text=True)
    responded = world.api.patch(f"{world.base}/challenges/{challenge_id}", json={"response": "We will."})
    assert responded.status_code == 200
    api = world.api.patch(f"{world.base}/challenges/{challenge_id}", json={"status": "closed"})
    assert api.status_code == 422
    words = api.get_json()["error"]["fields"]["outcome"][0]
    page = _post(client, f"{challenge_path}/close", {"outcome": ""})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert str(escape(words)) in text and 'href="#outcome"' in text and "<title>Error:" in text


def test_a_response_needs_its_text_and_a_challenge_its_service_area(world, client, login_as):
    forum = forum_for(world, world.north)
    login_as(world.admin)
    api = world.api.post(
        f"{world.base}/forums/{forum['id']}/challenges",
        json={"title": "Bins", "service_area": "parking_on_the_moon", "raised_on": "2025-02-03"},
    )
    assert api.status_code == 422
    words = api.get_json()["error"]["fields"]["service_area"][0]
    refused = _post(
        client,
        f"{_web(world)}/forums/{forum['id']}/challenges/new",
        {
            "title": "Bins",
            "service_area": "parking_on_the_moon",
            "raised_on-day": "3",
            "raised_on-month": "2",
            "raised_on-year": "2025",
        },
    )
    assert refused.status_code == 422
    # the select offers only the organisation's service areas: WTForms refuses any other choice
    assert "There is a problem" in refused.get_data(as_text=True)
    missing = _raise(client, world, forum["id"], title="")
    assert missing.status_code == 422 and 'href="#title"' in missing.get_data(as_text=True)
    challenge_path = _raise(client, world, forum["id"]).headers["Location"]
    empty = _post(client, f"{challenge_path}/respond", {"response": ""})
    assert empty.status_code == 422
    assert "Record the landlord&#39;s response." in empty.get_data(as_text=True)
    assert words  # the API refused the unknown service area too


def test_a_seat_for_a_resident_of_another_area_needs_the_reason(world, client, login_as):
    forum = forum_for(world, world.north)
    login_as(world.admin)
    api = world.api.post(
        f"{world.base}/forums/{forum['id']}/members",
        json={"participant_id": world.resident_south, "starts_on": "2025-01-01"},
    )
    assert api.status_code == 409
    path = f"{_web(world)}/forums/{forum['id']}/members/new"
    seat = {
        "participant_id": str(world.resident_south),
        "role": "member",
        "starts_on-day": "1",
        "starts_on-month": "1",
        "starts_on-year": "2025",
    }
    refused = _post(client, path, seat)
    assert refused.status_code == 422
    assert str(escape(api.get_json()["error"]["message"])) in refused.get_data(as_text=True)
    added = _post(client, path, {**seat, "other_area_reason": "Chairs the Pennywell residents' group."})
    assert added.status_code == 303
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "Sam South" in page and "Chairs the Pennywell residents" in page


def test_a_viewer_sees_no_controls_and_is_refused_before_the_form_is_read(world, client, login_as, make_user):
    forum = forum_for(world, world.north)
    challenge = world.api.post(
        f"{world.base}/forums/{forum['id']}/challenges",
        json={"title": "Bins", "service_area": "repairs", "raised_on": "2025-02-03"},
    ).get_json()
    login_as(make_user(world.org, "viewer"))
    page = client.get(f"{_web(world)}/forums/{forum['id']}").get_data(as_text=True)
    assert "Bins" in page and "Raise a challenge" not in page and "Give a resident a seat" not in page
    shown = client.get(f"{_web(world)}/challenges/{challenge['id']}").get_data(as_text=True)
    assert "Record the response" not in shown and "Close with its outcome" not in shown
    for path in (
        f"/forums/{forum['id']}/challenges/new",
        f"/forums/{forum['id']}/members/new",
        f"/forums/{forum['id']}/edit",
        f"/challenges/{challenge['id']}/respond",
        f"/challenges/{challenge['id']}/close",
    ):
        assert client.get(f"{_web(world)}{path}").status_code == 403, path
        token = csrf_token_from(client.get(f"{_web(world)}/feedback").get_data(as_text=True))
        refused = client.post(f"{_web(world)}{path}", data={"csrf_token": token, "title": "x" * 5000})
        assert refused.status_code == 403, path


def test_another_organisations_challenge_is_not_found(world, client, login_as, make_org, make_user):
    forum = forum_for(world, world.north)
    challenge = world.api.post(
        f"{world.base}/forums/{forum['id']}/challenges",
        json={"title": "Bins", "service_area": "repairs", "raised_on": "2025-02-03"},
    ).get_json()
    other = make_org("cv-other")
    login_as(make_user(other, "org_admin"))
    assert client.get(f"/o/cv-other/plugins/customer_voice/challenges/{challenge['id']}").status_code == 404


def test_a_forum_is_renamed_and_linked_but_an_area_has_one_forum(world, client, login_as):
    forums = world.api.get(f"{world.base}/forums").get_json()["items"]
    spare = next(f for f in forums if f["area_id"] is None)
    api = world.api.patch(f"{world.base}/forums/{spare['id']}", json={"area_id": world.north})
    assert api.status_code == 409
    login_as(world.admin)
    path = f"{_web(world)}/forums/{spare['id']}/edit"
    refused = _post(client, path, {"name": "Sunderland North", "area_id": str(world.north)})
    assert refused.status_code == 422
    assert str(escape(api.get_json()["error"]["message"])) in refused.get_data(as_text=True)
    empty = _post(client, path, {"name": "", "area_id": ""})
    api = world.api.patch(f"{world.base}/forums/{spare['id']}", json={"name": None})
    assert empty.status_code == 422 and api.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["name"][0])) in empty.get_data(as_text=True)
    saved = _post(client, path, {"name": "Sunderland Central", "description": "Meets monthly"})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Forum updated." in page and "Sunderland Central" in page and "Meets monthly" in page
