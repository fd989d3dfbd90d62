"""Information & Knowledge pages: the year's list, planning the year (a malformed year refused in
the API's words), an extra event (refused without a topic, as the API refuses it), changing an
event and marking it held; a viewer sees no controls and every post is refused 403 first."""

from __future__ import annotations

from markupsafe import escape

from core.testing import csrf_token_from

WEB = "/o/{slug}/plugins/customer_voice"


def _web(world) -> str:
    return WEB.format(slug=world.org.slug)


def _post(client, path, data):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


EVENT = {
    "topic": "Universal Credit changes",
    "starts_at-day": "10",
    "starts_at-month": "6",
    "starts_at-year": "2026",
    "start_time": "18:30",
    "status": "planned",
}


def test_plan_a_year_and_list_it(world, client, login_as):
    login_as(world.admin)
    api = world.api.post(f"{world.base}/information-events/schedule", json={"year": "2026-28"})
    refused = _post(client, f"{_web(world)}/information-events/schedule", {"year": "2026-28"})
    assert api.status_code == 422 and refused.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["year"][0])) in refused.get_data(as_text=True)

    planned = _post(
        client,
        f"{_web(world)}/information-events/schedule",
        {"year": "2026-27", "topics": "Repairs and maintenance\n\nAnti-social behaviour\n"},
    )
    assert planned.status_code == 303
    page = client.get(planned.headers["Location"]).get_data(as_text=True)
    assert "6 event(s) planned for 2026-27." in page
    assert "Repairs and maintenance" in page and "Anti-social behaviour" in page
    assert page.count("Topic to be agreed with customers") == 4
    assert "8 April 2026" in page  # the second Wednesday of April
    assert 'aria-current="page">Information &amp; Knowledge</a>' in page
    again = _post(client, f"{_web(world)}/information-events/schedule", {"year": "2026-27"})
    assert "0 event(s) planned for 2026-27." in client.get(again.headers["Location"]).get_data(as_text=True)
    other = client.get(f"{_web(world)}/information-events?year=2027-28").get_data(as_text=True)
    assert "No event is planned for 2027-28 yet." in other
    assert client.get(f"{_web(world)}/information-events?year=nonsense").status_code == 200


def test_an_extra_event_changed_and_marked_held(world, client, login_as):
    login_as(world.admin)
    api = world.api.post(f"{world.base}/information-events", json={"starts_at": "2026-06-10T18:30:00+01:00"})
    refused = _post(client, f"{_web(world)}/information-events/new", {**EVENT, "topic": ""})
    assert api.status_code == 422 and refused.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["topic"][0])) in refused.get_data(as_text=True)
    no_date = _post(client, f"{_web(world)}/information-events/new", {**EVENT, "starts_at-day": ""})
    assert no_date.status_code == 422 and "There is a problem" in no_date.get_data(as_text=True)

    added = _post(client, f"{_web(world)}/information-events/new", EVENT)
    assert added.status_code == 303
    event_path = added.headers["Location"]
    page = client.get(event_path).get_data(as_text=True)
    assert "Event “Universal Credit changes” added." in page and "10 June 2026 at 18:30" in page
    event_id = int(event_path.rsplit("/", 1)[1])
    stored = world.api.get(f"{world.base}/information-events/{event_id}").get_json()
    assert stored["starts_at"].startswith("2026-06-10T17:30")  # 18:30 in the UK in summer

    changed = _post(
        client, f"{event_path}/edit", {**EVENT, "topic": "Universal Credit", "start_time": "17:00"}
    )
    assert changed.status_code == 303
    assert world.api.get(f"{world.base}/information-events/{event_id}").get_json()["topic"] == (
        "Universal Credit"
    )
    held = _post(client, f"{event_path}/held", {})
    assert held.status_code == 303
    page = client.get(event_path).get_data(as_text=True)
    assert "Event marked as held." in page and "Mark as held" not in page
    assert world.api.get(f"{world.base}/information-events/{event_id}").get_json()["status"] == "held"
    listed = client.get(f"{_web(world)}/information-events?year=2026-27").get_data(as_text=True)
    assert "Universal Credit" in listed and "(extra event)" in listed


def test_a_viewer_sees_no_controls_and_is_refused_first(world, client, login_as, make_user):
    event = world.api.post(
        f"{world.base}/information-events",
        json={"topic": "Rent setting", "starts_at": "2026-05-13T17:30:00Z"},
    ).get_json()
    login_as(make_user(world.org, "viewer"))
    listed = client.get(f"{_web(world)}/information-events?year=2026-27").get_data(as_text=True)
    assert "Rent setting" in listed and "Plan the year" not in listed and "Add an extra event" not in listed
    detail = client.get(f"{_web(world)}/information-events/{event['id']}").get_data(as_text=True)
    assert "/edit" not in detail and "Mark as held" not in detail
    token = csrf_token_from(listed)
    for path in (
        "/information-events/schedule",
        "/information-events/new",
        f"/information-events/{event['id']}/edit",
        f"/information-events/{event['id']}/held",
    ):
        assert client.post(f"{_web(world)}{path}", data={"csrf_token": token, "year": "x"}).status_code == 403


def test_an_event_time_sent_with_a_uk_offset_is_kept_as_the_same_moment(world):
    # SQLite keeps the wall-clock time and drops the offset, so the schema stores UTC.
    made = world.api.post(
        f"{world.base}/information-events",
        json={"topic": "Budgeting", "starts_at": "2026-06-10T18:30:00+01:00"},
    )
    assert made.status_code == 201, made.get_json()
    shown = world.api.get(f"{world.base}/information-events/{made.get_json()['id']}").get_json()
    assert shown["starts_at"].startswith("2026-06-10T17:30:00") and shown["starts_at"].endswith(
        ("Z", "+00:00")
    )
