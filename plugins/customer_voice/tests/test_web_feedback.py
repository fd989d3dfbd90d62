"""Feedback pages: the list with its filters, entering and correcting an item, importing a CSV
file with every bad cell named by row and column; refusals in the API's words."""

from __future__ import annotations

import io

from markupsafe import escape

from core.testing import csrf_token_from

WEB = "/o/{slug}/plugins/customer_voice"


def _web(world) -> str:
    return WEB.format(slug=world.org.slug)


def _post(client, path, data, **kwargs):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


ITEM = {
    "channel": "complaint",
    "received_on-day": "4",
    "received_on-month": "3",
    "received_on-year": "2025",
    "service_area": "repairs",
    "sentiment": "negative",
    "summary": "Boiler fixed after three visits",
}


def test_an_officer_enters_and_corrects_feedback(world, client, login_as):
    login_as(world.admin)
    saved = _post(client, f"{_web(world)}/feedback/new", {**ITEM, "area_id": str(world.north)})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Feedback recorded." in page and "Boiler fixed after three visits" in page and "North" in page
    assert 'aria-current="page">Listening feedback</a>' in page  # the section's sub navigation
    item = world.api.get(f"{world.base}/feedback").get_json()["items"][0]
    assert item["area_id"] == world.north and item["received_on"] == "2025-03-04"
    edit = f"{_web(world)}/feedback/{item['id']}/edit"
    assert 'value="complaint" selected' in client.get(edit).get_data(as_text=True)
    corrected = _post(client, edit, {**ITEM, "sentiment": "positive", "area_id": ""})
    assert corrected.status_code == 303
    item = world.api.get(f"{world.base}/feedback/{item['id']}").get_json()
    assert item["sentiment"] == "positive" and item["area_id"] is None
    listed = client.get(f"{_web(world)}/feedback?sentiment=negative").get_data(as_text=True)
    assert "No feedback matches." in listed
    assert client.get(f"{_web(world)}/feedback?sentiment=evil&page=zz").status_code == 200


def test_the_form_refuses_what_the_api_refuses_in_its_words(world, client, login_as):
    login_as(world.admin)
    api = world.api.post(
        f"{world.base}/feedback",
        json={
            "channel": "complaint",
            "received_on": "2025-03-04",
            "service_area": "repairs",
            "sentiment": "negative",
            "area_id": world.estate,
        },
    )
    assert api.status_code == 422
    words = api.get_json()["error"]["fields"]["area_id"][0]
    refused = _post(client, f"{_web(world)}/feedback/new", {**ITEM, "area_id": str(world.estate)})
    assert refused.status_code == 422  # an estate is not offered: the select refuses it first
    missing = _post(client, f"{_web(world)}/feedback/new", {**ITEM, "sentiment": ""})
    api = world.api.post(
        f"{world.base}/feedback",
        json={"channel": "complaint", "received_on": "2025-03-04", "service_area": "repairs"},
    )
    text = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "<title>Error:" in text
    assert str(escape(api.get_json()["error"]["fields"]["sentiment"][0])) in text
    assert 'href="#sentiment"' in text and words


def test_an_import_names_every_bad_cell_and_writes_nothing(world, client, login_as):
    login_as(world.admin)
    bad = "channel,received_on,service_area,sentiment,area\ncomplaint,2025-13-01,repairs,angry,Nowhere\n"
    api = world.api.post(f"{world.base}/feedback/import", data=bad, headers={"Content-Type": "text/csv"})
    assert api.status_code == 422
    fields = api.get_json()["error"]["fields"]
    page = _post(
        client,
        f"{_web(world)}/feedback/import",
        {"file": (io.BytesIO(bad.encode()), "feedback.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    for key, messages in fields.items():
        assert str(escape(messages[0])) in text, key
    assert "Problems in the file" in text
    assert world.api.get(f"{world.base}/feedback").get_json()["total"] == 0
    good = "channel,received_on,service_area,sentiment,area\ncomplaint,2025-01-02,repairs,negative,North\n"
    done = _post(
        client,
        f"{_web(world)}/feedback/import",
        {"file": (io.BytesIO(good.encode()), "feedback.csv")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    assert "1 feedback item(s) imported." in client.get(done.headers["Location"]).get_data(as_text=True)
    empty = _post(client, f"{_web(world)}/feedback/import", {}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Select a CSV file to import." in empty.get_data(as_text=True)


def test_a_viewer_sees_no_controls_and_is_refused_first(world, client, login_as, make_user):
    item = world.api.post(
        f"{world.base}/feedback",
        json={
            "channel": "survey",
            "received_on": "2025-03-04",
            "service_area": "repairs",
            "sentiment": "positive",
        },
    ).get_json()
    login_as(make_user(world.org, "viewer"))
    page = client.get(f"{_web(world)}/feedback").get_data(as_text=True)
    assert "4 March 2025" in page and "Enter feedback" not in page and "Import a CSV file" not in page
    assert "/edit" not in page
    token = csrf_token_from(page)
    for path in ("/feedback/new", f"/feedback/{item['id']}/edit", "/feedback/import"):
        assert client.get(f"{_web(world)}{path}").status_code == 403, path
        assert client.post(f"{_web(world)}{path}", data={"csrf_token": token}).status_code == 403, path


def test_deleting_feedback_asks_first(world, client, login_as, make_user):
    item = world.api.post(
        f"{world.base}/feedback",
        json={
            "channel": "complaint",
            "received_on": "2025-03-04",
            "service_area": "repairs",
            "sentiment": "negative",
            "summary": "Entered twice by mistake",
        },
    ).get_json()
    delete = f"{_web(world)}/feedback/{item['id']}/delete"
    login_as(make_user(world.org, "viewer"))
    token = csrf_token_from(client.get(f"{_web(world)}/feedback").get_data(as_text=True))
    assert client.post(delete, data={"csrf_token": token}).status_code == 403
    assert client.get(delete).status_code == 403

    login_as(world.admin)
    assert "Delete this item" in client.get(f"{_web(world)}/feedback/{item['id']}/edit").get_data(
        as_text=True
    )
    confirm = client.get(delete).get_data(as_text=True)
    assert "Are you sure you want to delete the complaint feedback of 4 March 2025?" in confirm
    assert client.post(delete, data={}).status_code == 400  # no token: nothing deleted
    assert world.api.get(f"{world.base}/feedback/{item['id']}").status_code == 200
    deleted = _post(client, delete, {})
    assert deleted.status_code == 303
    assert "Feedback item deleted." in client.get(deleted.headers["Location"]).get_data(as_text=True)
    assert world.api.get(f"{world.base}/feedback/{item['id']}").status_code == 404
