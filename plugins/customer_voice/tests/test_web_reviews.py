"""Ustoo review pages: start a review, move it on, publish its report and close it; closing
before the report is published is refused in the API's words; a viewer has no controls."""

from __future__ import annotations

from markupsafe import escape

from core.testing import csrf_token_from

WEB = "/o/{slug}/plugins/customer_voice"


def _web(world) -> str:
    return WEB.format(slug=world.org.slug)


def _post(client, path, data):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


START = {
    "topic": "Empty homes turnaround",
    "scope": "How long homes stand empty between tenancies",
    "service_area": "repairs",
    "starts_on-day": "1",
    "starts_on-month": "4",
    "starts_on-year": "2025",
}


def test_a_review_from_scope_to_closed(world, client, login_as):
    login_as(world.admin)
    refused = _post(client, f"{_web(world)}/reviews/new", {**START, "scope": ""})
    api = world.api.post(
        f"{world.base}/scrutiny-reviews", json={"topic": "Empty homes", "starts_on": "2025-04-01"}
    )
    assert refused.status_code == 422 and api.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["scope"][0])) in refused.get_data(as_text=True)
    started = _post(client, f"{_web(world)}/reviews/new", START)
    assert started.status_code == 303
    review_path = started.headers["Location"]
    assert "started." in client.get(review_path).get_data(as_text=True)
    review_id = int(review_path.rsplit("/", 1)[1])

    edit = f"{review_path}/edit"
    api = world.api.patch(f"{world.base}/scrutiny-reviews/{review_id}", json={"status": "closed"})
    assert api.status_code == 409
    early = _post(client, edit, {**START, "status": "closed"})
    assert early.status_code == 422
    assert str(escape(api.get_json()["error"]["message"])) in early.get_data(as_text=True)

    no_summary = _post(
        client,
        edit,
        {
            **START,
            "status": "reporting",
            "report_published_on-day": "1",
            "report_published_on-month": "9",
            "report_published_on-year": "2025",
        },
    )
    assert no_summary.status_code == 422
    assert "Summarise the report when publishing it." in no_summary.get_data(as_text=True)
    published = {
        **START,
        "status": "closed",
        "report_published_on-day": "1",
        "report_published_on-month": "9",
        "report_published_on-year": "2025",
        "report_summary": "Turnaround can fall to 21 days.",
    }
    closed = _post(client, edit, published)
    assert closed.status_code == 303
    page = client.get(review_path).get_data(as_text=True)
    assert "Review updated." in page and "Turnaround can fall to 21 days." in page
    assert world.api.get(f"{world.base}/scrutiny-reviews/{review_id}").get_json()["status"] == "closed"
    listed = client.get(f"{_web(world)}/reviews").get_data(as_text=True)
    assert "Empty homes turnaround" in listed and 'aria-current="page">Ustoo reviews</a>' in listed


def test_a_viewer_sees_no_controls_and_is_refused_first(world, client, login_as, make_user):
    review = world.api.post(
        f"{world.base}/scrutiny-reviews",
        json={"topic": "Empty homes", "scope": "Voids", "starts_on": "2025-04-01"},
    ).get_json()
    login_as(make_user(world.org, "viewer"))
    page = client.get(f"{_web(world)}/reviews").get_data(as_text=True)
    assert "Empty homes" in page and "Start a review" not in page
    detail = client.get(f"{_web(world)}/reviews/{review['id']}").get_data(as_text=True)
    assert "/edit" not in detail
    token = csrf_token_from(page)
    for path in ("/reviews/new", f"/reviews/{review['id']}/edit"):
        assert client.post(f"{_web(world)}{path}", data={"csrf_token": token, "topic": ""}).status_code == 403
