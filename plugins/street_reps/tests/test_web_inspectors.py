"""Customer inspectors' pages: the pool and its training, inspections by trained inspectors (an
untrained one refused in the API's words) with their findings, and a suggestion put on the register
of service improvements; an inspector leaving the pool (then not named on a later inspection);
viewers see no controls and are refused before any input."""

from datetime import date
from html import unescape

from core.testing import csrf_token_from
from plugins.street_reps.tests.conftest import url

PAGES = "/o/{slug}/plugins/street_reps"


def _page(org, path=""):
    return PAGES.format(slug=org.slug) + path


def _date(name, day):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_inspectors_are_trained_then_inspect_and_a_suggestion_is_taken_up(
    org, estate, api, client, make_user, login_as
):
    login_as(make_user(org, "staff"))
    new = _page(org, "/inspectors/new")
    token = csrf_token_from(client.get(new).get_data(as_text=True))
    form = {
        "csrf_token": token,
        "participant_id": str(estate["tenants"][0]),
        **_date("joined_on", date(2025, 4, 1)),
    }
    response = client.post(new, data=form)
    assert response.status_code == 303
    detail = response.headers["Location"]
    inspector_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    words = api.post(
        url(org, "inspectors"), json={"participant_id": estate["tenants"][0], "joined_on": "2025-04-01"}
    ).get_json()["error"]["message"]
    response = client.post(new, data=form)
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    assert "Not trained yet" in client.get(_page(org, "/inspectors")).get_data(as_text=True)

    inspect = _page(org, "/inspections/new")
    assert "Tenant0 Holder (not trained yet)" in client.get(inspect).get_data(as_text=True)
    body = {
        "service": "Void standard",
        "inspected_on": "2025-07-01",
        "inspector_ids": [inspector_id],
        "findings": "Dirty kitchens",
    }
    refusal = api.post(url(org, "inspections"), json=body).get_json()["error"]["message"]
    inspection = {
        "csrf_token": token,
        "service": "Void standard",
        "inspector_ids": [str(inspector_id)],
        "findings": "Dirty kitchens",
        "suggested_improvements": "Clean before letting",
        **_date("inspected_on", date(2025, 7, 1)),
    }
    response = client.post(inspect, data=inspection)
    assert response.status_code == 422 and refusal in unescape(response.get_data(as_text=True))

    training = _page(org, f"/inspectors/{inspector_id}/training")
    response = client.post(training, data={"csrf_token": token, **_date("completed_on", date(2025, 5, 1))})
    assert response.status_code == 422  # no course: the schema's words
    response = client.post(
        training,
        data={"csrf_token": token, "course": "Reality checking", **_date("completed_on", date(2025, 5, 1))},
    )
    assert response.status_code == 303
    assert "Reality checking" in client.get(detail).get_data(as_text=True)

    response = client.post(inspect, data=inspection)
    assert response.status_code == 303
    page = response.headers["Location"]
    html = client.get(page).get_data(as_text=True)
    assert "Dirty kitchens" in html and "Tenant0 Holder" in html and "Put the suggestion" in html
    assert "Void standard" in client.get(_page(org, "/inspections?q=void")).get_data(as_text=True)

    improvement = page + "/improvement"
    response = client.post(
        improvement,
        data={"csrf_token": token, "title": "Cleaning", **_date("implemented_on", date(2025, 6, 1))},
    )
    assert response.status_code == 422 and "Cannot be before the inspection." in response.get_data(
        as_text=True
    )
    response = client.post(
        improvement,
        data={"csrf_token": token, "title": "Cleaning", **_date("implemented_on", date(2025, 8, 1))},
    )
    assert response.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "Cleaning, put in place 1 August 2025" in html and "Put the suggestion" not in html
    assert client.get(improvement).status_code == 404  # taken up once


def test_a_viewer_sees_no_inspector_controls_and_is_refused(org, estate, api, client, make_user, login_as):
    inspector = api.post(
        url(org, "inspectors"), json={"participant_id": estate["tenants"][0], "joined_on": "2025-04-01"}
    ).get_json()
    api.post(
        url(org, f"inspectors/{inspector['id']}/training"), json={"course": "C", "completed_on": "2025-04-02"}
    )
    inspection = api.post(
        url(org, "inspections"),
        json={
            "service": "Repairs",
            "inspected_on": "2025-07-01",
            "inspector_ids": [inspector["id"]],
            "findings": "Fine",
            "suggested_improvements": "Text updates",
        },
    ).get_json()
    login_as(make_user(org, "viewer"))
    for path in (
        "/inspectors",
        f"/inspectors/{inspector['id']}",
        "/inspections",
        f"/inspections/{inspection['id']}",
    ):
        html = client.get(_page(org, path)).get_data(as_text=True)
        assert "Add an inspector" not in html and "Record an inspection" not in html
        assert "Record the course" not in html and "Put the suggestion" not in html
        assert "Record leaving" not in html
    token = csrf_token_from(client.get(_page(org, "/inspectors")).get_data(as_text=True))
    for path in (
        "/inspectors/new",
        f"/inspectors/{inspector['id']}/training",
        f"/inspectors/{inspector['id']}/leave",
        "/inspections/new",
        f"/inspections/{inspection['id']}/improvement",
    ):
        assert client.post(_page(org, path), data={"csrf_token": token, "course": "x"}).status_code == 403


def test_an_inspector_leaves_the_pool_and_is_not_named_on_later_inspections(
    org, estate, api, client, make_user, login_as
):
    inspector = api.post(
        url(org, "inspectors"), json={"participant_id": estate["tenants"][0], "joined_on": "2025-04-01"}
    ).get_json()
    api.post(
        url(org, f"inspectors/{inspector['id']}/training"), json={"course": "C", "completed_on": "2025-04-02"}
    )
    login_as(make_user(org, "staff"))
    detail = _page(org, f"/inspectors/{inspector['id']}")
    html = client.get(detail).get_data(as_text=True)
    assert "Record leaving the pool" in html
    leave = detail + "/leave"
    token = csrf_token_from(client.get(leave).get_data(as_text=True))
    response = client.post(leave, data={"csrf_token": token})
    assert response.status_code == 422 and "Enter the day they left" in response.get_data(as_text=True)
    words = api.patch(url(org, f"inspectors/{inspector['id']}"), json={"left_on": "2025-03-01"}).get_json()
    words = words["error"]["fields"]["left_on"][0]
    response = client.post(leave, data={"csrf_token": token, **_date("left_on", date(2025, 3, 1))})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(leave, data={"csrf_token": token, **_date("left_on", date(2025, 9, 30))})
    assert response.status_code == 303 and response.headers["Location"].endswith(detail)
    html = client.get(detail).get_data(as_text=True)
    assert "30 September 2025" in html and "Record leaving the pool" not in html
    assert client.get(leave).status_code == 404  # already left
    again = api.patch(url(org, f"inspectors/{inspector['id']}"), json={"left_on": "2025-10-01"})
    assert (
        again.status_code == 409
        and "already left the pool on 2025-09-30" in again.get_json()["error"]["message"]
    )
    assert api.get(url(org, f"inspectors/{inspector['id']}")).get_json()["left_on"] == "2025-09-30"

    body = {"service": "Repairs", "inspector_ids": [inspector["id"]], "findings": "Fine"}
    assert api.post(url(org, "inspections"), json={**body, "inspected_on": "2025-09-30"}).status_code == 201
    refused = api.post(url(org, "inspections"), json={**body, "inspected_on": "2025-10-01"})
    assert refused.status_code == 409
    assert "left the customer inspectors' pool before 2025-10-01" in refused.get_json()["error"]["message"]
    assert "Tenant0 Holder" not in client.get(_page(org, "/inspections/new")).get_data(as_text=True)
