"""``/recommendations``: a body's recommendations, the landlord's response with reasons, overdue ones."""

from datetime import UTC, datetime, timedelta

import pytest

TODAY = datetime.now(UTC).date()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture
def org(make_org):
    return make_org("scrutiny-homes")


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


@pytest.fixture
def panel(api, org):
    return api.post(url(org, "bodies"), json={"name": "Scrutiny panel", "kind": "scrutiny_panel"}).get_json()


def url(org, path="recommendations"):
    return f"/api/v1/orgs/{org.slug}/{path}"


def recommend(api, org, panel, **fields):
    response = api.post(url(org), json={"title": "Answer the phone faster", "body_id": panel["id"], **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_record_a_recommendation_and_the_response(api, org, panel):
    made = recommend(api, org, panel, made_on="2025-04-10", due_on="2025-09-30", description="Repairs line")
    assert made["status"] == "awaiting_response" and made["response"] is None and made["responded_on"] is None
    answered = api.patch(
        url(org, f"recommendations/{made['id']}"), json={"response": "accepted", "status": "in_progress"}
    )
    assert answered.status_code == 200
    assert answered.get_json()["response"] == "accepted"
    assert answered.get_json()["responded_on"] == TODAY.isoformat()
    given = recommend(api, org, panel, response="accepted", responded_on="2025-05-01", made_on="2025-04-10")
    assert given["responded_on"] == "2025-05-01"
    assert api.delete(url(org, f"recommendations/{given['id']}")).status_code == 204
    assert api.get(url(org, f"recommendations/{given['id']}")).status_code == 404


@pytest.mark.parametrize("response", ["partly_accepted", "rejected"])
def test_a_response_other_than_accepted_needs_its_reasons(api, org, panel, response):
    refused = api.post(url(org), json={"title": "T", "body_id": panel["id"], "response": response})
    assert refused.status_code == 422 and "response_reason" in refused.get_json()["error"]["fields"]
    blank = api.post(
        url(org), json={"title": "T", "body_id": panel["id"], "response": response, "response_reason": " "}
    )
    assert blank.status_code == 422
    made = recommend(api, org, panel)
    path = url(org, f"recommendations/{made['id']}")
    assert api.patch(path, json={"response": response}).status_code == 422
    reasoned = api.patch(path, json={"response": response, "response_reason": "Costs more than it saves."})
    assert reasoned.status_code == 200 and reasoned.get_json()["responded_on"] == TODAY.isoformat()
    cleared = api.patch(path, json={"response_reason": None})
    assert cleared.status_code == 422 and "response_reason" in cleared.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": None}, "title"),
        ({"body_id": None}, "body_id"),
        ({"body_id": 999999}, "body_id"),
        ({"response": "maybe"}, "response"),
        ({"status": "forgotten"}, "status"),
        ({"made_on": "2025-05-01", "due_on": "2025-04-01"}, "due_on"),
        ({"made_on": "2025-05-01", "response": "accepted", "responded_on": "2025-04-01"}, "responded_on"),
        ({"due_on": "soon"}, "due_on"),
    ],
)
def test_invalid_recommendations_are_422_naming_the_field(api, org, panel, fields, field):
    body = {k: v for k, v in {"title": "T", "body_id": panel["id"], **fields}.items() if v is not None}
    response = api.post(url(org), json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_a_body_of_another_organisation_is_422(api, org, make_org, make_user, api_client):
    other = make_org()
    theirs = api_client(make_user(other, "staff")).post(
        url(other, "bodies"), json={"name": "P", "kind": "panel"}
    )
    response = api.post(url(org), json={"title": "T", "body_id": theirs.get_json()["id"]})
    assert response.status_code == 422 and "body_id" in response.get_json()["error"]["fields"]
    mine = recommend(api, org, api.post(url(org, "bodies"), json={"name": "M", "kind": "panel"}).get_json())
    moved = api.patch(url(org, f"recommendations/{mine['id']}"), json={"body_id": theirs.get_json()["id"]})
    assert moved.status_code == 422 and "body_id" in moved.get_json()["error"]["fields"]


def test_overdue_lists_those_past_due_and_not_implemented_or_closed(api, org, panel):
    late = recommend(api, org, panel, title="Late", due_on=day(-1), status="in_progress")
    recommend(api, org, panel, title="Done late", due_on=day(-5), status="implemented")
    recommend(api, org, panel, title="Closed", due_on=day(-5), status="closed")
    recommend(api, org, panel, title="Due today", due_on=day(0))
    recommend(api, org, panel, title="No date")
    overdue = api.get(url(org, "recommendations?overdue=true")).get_json()
    assert [r["title"] for r in overdue["items"]] == ["Late"] and overdue["items"][0]["overdue"] is True
    assert api.get(url(org, f"recommendations/{late['id']}")).get_json()["overdue"] is True
    not_overdue = api.get(url(org, "recommendations?overdue=false")).get_json()
    assert sorted(r["title"] for r in not_overdue["items"]) == ["Closed", "Done late", "Due today", "No date"]


def test_recommendations_filter_by_body_response_and_status(api, org, panel):
    forum = api.post(url(org, "bodies"), json={"name": "Forum", "kind": "forum"}).get_json()
    recommend(api, org, panel, title="A", response="accepted")
    recommend(api, org, panel, title="B", response="rejected", response_reason="No budget", status="closed")
    recommend(api, org, forum, title="C")

    def titles(query):
        return sorted(r["title"] for r in api.get(url(org, f"recommendations?{query}")).get_json()["items"])

    assert titles(f"body_id={panel['id']}") == ["A", "B"]
    assert titles("response=rejected") == ["B"]
    assert titles("status=awaiting_response") == ["A", "C"]
    assert api.get(url(org, "recommendations?response=maybe")).status_code == 422


def test_the_list_uses_a_bounded_number_of_statements(api, org, panel, count_queries):
    recommend(api, org, panel)
    with count_queries() as few:
        api.get(url(org))
    for i in range(30):
        recommend(api, org, panel, title=f"R{i}", due_on=day(-i))
    with count_queries() as many:
        listed = api.get(url(org, "recommendations?per_page=200")).get_json()
    assert listed["total"] == 31 and len(many) == len(few) <= 6


def test_viewers_read_but_cannot_write(api, org, panel, make_user, api_client):
    made = recommend(api, org, panel)
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(url(org)).status_code == 200
    assert viewer.get(url(org, f"recommendations/{made['id']}")).status_code == 200
    assert viewer.post(url(org), json={"title": "T", "body_id": panel["id"]}).status_code == 403
    assert (
        viewer.patch(url(org, f"recommendations/{made['id']}"), json={"status": "closed"}).status_code == 403
    )
    assert viewer.delete(url(org, f"recommendations/{made['id']}")).status_code == 403


def test_another_organisations_recommendations_are_not_found(api, org, make_org, make_user, api_client):
    other = make_org()
    their_api = api_client(make_user(other, "staff"))
    their_panel = their_api.post(url(other, "bodies"), json={"name": "P", "kind": "panel"}).get_json()
    theirs = recommend(their_api, other, their_panel)
    path = url(org, f"recommendations/{theirs['id']}")
    assert api.get(path).status_code == 404
    assert api.patch(path, json={"status": "closed"}).status_code == 404
    assert api.delete(path).status_code == 404
    assert api.get(url(org)).get_json()["total"] == 0
