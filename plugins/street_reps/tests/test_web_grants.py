"""Grant pages: an application through assessment, award, payment and the monitoring return; the
service's refusals (a second start-up grant, an award above the amount asked for, paying before
the award) in the API's words; viewers see no controls and are refused before any input."""

from datetime import date
from html import unescape

import pytest

from core.testing import csrf_token_from
from plugins.street_reps.tests.conftest import url
from plugins.street_reps.tests.test_grants_and_more import apply, core

PAGES = "/o/{slug}/plugins/street_reps"


@pytest.fixture
def group(api, org):
    return api.post(
        core(org, "bodies"),
        json={"name": "Castlefields Residents' Association", "kind": "residents_association"},
    ).get_json()


def _page(org, path=""):
    return PAGES.format(slug=org.slug) + path


def _date(name, day):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_a_grant_from_application_to_monitoring_return(
    org,
    group,
    api,
    client,
    make_user,
    login_as,
):
    login_as(make_user(org, "staff"))
    new = _page(org, "/grants/new")
    token = csrf_token_from(client.get(new).get_data(as_text=True))
    form = {
        "csrf_token": token,
        "body_id": str(group["id"]),
        "grant_type": "start_up",
        "purpose": "Set up the association",
        "requested_pence": "£250.50",
        **_date("applied_on", date(2025, 5, 1)),
    }
    assert client.post(new, data={**form, "requested_pence": "lots"}).status_code == 422
    response = client.post(new, data=form)
    assert response.status_code == 303
    detail = response.headers["Location"]
    grant_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    assert api.get(url(org, f"grants/{grant_id}")).get_json()["requested_pence"] == 25050

    # A second start-up grant for the group: refused in the API's words.
    words = apply(api, org, group).get_json()["error"]["message"]
    response = client.post(new, data=form)
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))

    # Paying before the award is refused as the API refuses it.
    pay_words = api.post(url(org, f"grants/{grant_id}/payment"), json={"paid_on": "2025-06-01"}).get_json()
    payment = _page(org, f"/grants/{grant_id}/payment")
    response = client.post(payment, data={"csrf_token": token, **_date("paid_on", date(2025, 6, 1))})
    assert response.status_code == 422
    assert pay_words["error"]["message"] in unescape(response.get_data(as_text=True))

    decision = _page(org, f"/grants/{grant_id}/decision")
    too_much = api.post(
        url(org, f"grants/{grant_id}/decision"),
        json={"decision": "award", "assessment": "Good plan", "awarded_pence": 99999},
    ).get_json()
    decided = {
        "csrf_token": token,
        "decision": "award",
        "assessment": "Good plan",
        **_date("decided_on", date(2025, 5, 20)),
    }
    response = client.post(decision, data={**decided, "awarded_pence": "999.99"})
    assert response.status_code == 422
    assert too_much["error"]["fields"]["awarded_pence"][0] in unescape(response.get_data(as_text=True))
    assert 'href="#awarded_pence"' in response.get_data(as_text=True)
    assert client.post(decision, data={**decided, "awarded_pence": "200"}).status_code == 303
    assert (
        client.post(payment, data={"csrf_token": token, **_date("paid_on", date(2025, 6, 1))}).status_code
        == 303
    )
    monitoring = _page(org, f"/grants/{grant_id}/monitoring-return")
    response = client.post(
        monitoring,
        data={"csrf_token": token, "notes": "Spent on a launch event", **_date("received_on", date.today())},
    )
    assert response.status_code == 303
    stored = api.get(url(org, f"grants/{grant_id}")).get_json()
    assert stored["status"] == "paid" and stored["awarded_pence"] == 20000
    assert stored["monitoring_notes"] == "Spent on a launch event"
    page = client.get(detail).get_data(as_text=True)
    assert "£200.00" in page and "Spent on a launch event" in page
    listing = client.get(_page(org, "/grants?status=paid")).get_data(as_text=True)
    assert "Castlefields Residents" in listing and "1 grant" in listing


def test_a_viewer_sees_no_grant_controls_and_is_refused_before_input(
    org,
    group,
    api,
    client,
    make_user,
    login_as,
):
    grant = apply(api, org, group).get_json()
    login_as(make_user(org, "viewer"))
    for path in ("/grants", f"/grants/{grant['id']}"):
        html = client.get(_page(org, path)).get_data(as_text=True)
        assert "Record an application" not in html and "Assess and decide" not in html
    token = csrf_token_from(client.get(_page(org, "/grants")).get_data(as_text=True))
    for path in (
        "/grants/new",
        f"/grants/{grant['id']}/decision",
        f"/grants/{grant['id']}/payment",
        f"/grants/{grant['id']}/monitoring-return",
    ):
        assert client.post(_page(org, path), data={"csrf_token": token, "body_id": "x"}).status_code == 403
