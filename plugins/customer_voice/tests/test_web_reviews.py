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


def _published_review(world) -> dict:
    review = world.api.post(
        f"{world.base}/scrutiny-reviews",
        json={"topic": "Empty homes", "scope": "Voids", "starts_on": "2025-04-01"},
    ).get_json()
    return review


def test_evidence_asked_and_received_from_the_review_page(world, client, login_as):
    review = _published_review(world)
    login_as(world.admin)
    review_path = f"{_web(world)}/reviews/{review['id']}"
    ask = f"{review_path}/evidence/new"
    assert "Ask a service for evidence" in client.get(review_path).get_data(as_text=True)
    evidence = {
        "service": "Lettings",
        "request": "Void times by estate for 2024-25",
        "requested_on-day": "2",
        "requested_on-month": "4",
        "requested_on-year": "2025",
        "due_on-day": "1",
        "due_on-month": "4",
        "due_on-year": "2025",
    }
    api = world.api.post(
        f"{world.base}/scrutiny-reviews/{review['id']}/evidence-requests",
        json={"service": "Lettings", "request": "x", "requested_on": "2025-04-02", "due_on": "2025-04-01"},
    )
    refused = _post(client, ask, evidence)
    assert api.status_code == 422 and refused.status_code == 422
    assert str(escape(api.get_json()["error"]["fields"]["due_on"][0])) in refused.get_data(as_text=True)
    asked = _post(client, ask, {**evidence, "due_on-month": "5"})
    assert asked.status_code == 303
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "Evidence asked of Lettings." in page and "Overdue" in page and "Record receipt" in page

    items = world.api.get(f"{world.base}/scrutiny-reviews/{review['id']}/evidence-requests").get_json()
    receipt = f"{_web(world)}/evidence-requests/{items['items'][0]['id']}/receipt"
    early = _post(
        client, receipt, {"received_on-day": "1", "received_on-month": "3", "received_on-year": "2025"}
    )
    assert early.status_code == 422
    assert "Cannot be before the request was made." in early.get_data(as_text=True)
    received = _post(
        client,
        receipt,
        {
            "received_on-day": "20",
            "received_on-month": "4",
            "received_on-year": "2025",
            "notes": "All estates",
        },
    )
    assert received.status_code == 303
    page = client.get(review_path).get_data(as_text=True)
    assert "20 April 2025" in page and "All estates" in page and "Overdue" not in page


def test_recommendations_to_board_answered_and_implemented(world, client, login_as):
    review = _published_review(world)
    login_as(world.admin)
    review_path = f"{_web(world)}/reviews/{review['id']}"
    new = f"{review_path}/recommendations/new"
    api = world.api.post(f"{world.base}/scrutiny-reviews/{review['id']}/recommendations", json={"title": "x"})
    early = _post(client, new, {"title": "Let homes within 21 days"})
    assert api.status_code == 409 and early.status_code == 422
    assert str(escape(api.get_json()["error"]["message"])) in early.get_data(as_text=True)
    assert "Make a recommendation to Board</a>" not in client.get(review_path).get_data(as_text=True)

    world.api.patch(
        f"{world.base}/scrutiny-reviews/{review['id']}",
        json={
            "status": "board_response",
            "report_published_on": "2025-09-01",
            "report_summary": "Slow voids",
        },
    )
    made = _post(client, new, {"title": "Let homes within 21 days", "description": "A target for voids"})
    assert made.status_code == 303
    assert "made to Board." in client.get(made.headers["Location"]).get_data(as_text=True)
    rec = world.api.get(f"{world.base}/scrutiny-reviews/{review['id']}/recommendations").get_json()["items"][
        0
    ]
    assert rec["made_on"] == "2025-09-01"

    implement = f"{review_path}/recommendations/{rec['id']}/implementation"
    api = world.api.patch(
        f"{world.base}/scrutiny-reviews/{review['id']}/recommendations/{rec['id']}",
        json={"status": "implemented"},
    )
    refused = _post(client, implement, {"status": "implemented"})
    assert api.status_code == 409 and refused.status_code == 422
    assert str(escape(api.get_json()["error"]["message"])) in refused.get_data(as_text=True)

    respond = f"{review_path}/recommendations/{rec['id']}/response"
    no_reason = _post(client, respond, {"response": "partly_accepted"})
    assert no_reason.status_code == 422
    assert "Give the reasons when the response is partly_accepted." in no_reason.get_data(as_text=True)
    answered = _post(
        client, respond, {"response": "partly_accepted", "response_reason": "28 days is realistic this year"}
    )
    assert answered.status_code == 303
    page = client.get(review_path).get_data(as_text=True)
    assert "Board&#39;s response recorded." in page and "28 days is realistic this year" in page
    done = _post(
        client,
        implement,
        {
            "status": "implemented",
            "implemented_on-day": "1",
            "implemented_on-month": "12",
            "implemented_on-year": "2025",
        },
    )
    assert done.status_code == 303
    rec = world.api.get(f"{world.base}/scrutiny-reviews/{review['id']}/recommendations").get_json()["items"][
        0
    ]
    assert rec["status"] == "implemented" and rec["implemented_on"] == "2025-12-01"
    assert (
        client.get(f"{_web(world)}/reviews/{review['id']}/recommendations/99999/response").status_code == 404
    )


def test_a_viewer_cannot_ask_for_evidence_or_answer_for_board(world, client, login_as, make_user):
    review = _published_review(world)
    world.api.patch(
        f"{world.base}/scrutiny-reviews/{review['id']}",
        json={"report_published_on": "2025-09-01", "report_summary": "Slow voids"},
    )
    rec = world.api.post(
        f"{world.base}/scrutiny-reviews/{review['id']}/recommendations", json={"title": "Faster lets"}
    ).get_json()
    evidence = world.api.post(
        f"{world.base}/scrutiny-reviews/{review['id']}/evidence-requests",
        json={"service": "Lettings", "request": "Void times", "due_on": "2099-01-01"},
    ).get_json()
    login_as(make_user(world.org, "viewer"))
    page = client.get(f"{_web(world)}/reviews/{review['id']}").get_data(as_text=True)
    assert "Faster lets" in page and "Lettings" in page
    for control in ("Ask a service", "Record receipt", "Make a recommendation", "Record the response"):
        assert control not in page
    token = csrf_token_from(page)
    base = f"{_web(world)}/reviews/{review['id']}"
    for path in (
        f"{base}/evidence/new",
        f"{_web(world)}/evidence-requests/{evidence['id']}/receipt",
        f"{base}/recommendations/new",
        f"{base}/recommendations/{rec['id']}/response",
        f"{base}/recommendations/{rec['id']}/implementation",
    ):
        assert client.post(path, data={"csrf_token": token, "title": ""}).status_code == 403
