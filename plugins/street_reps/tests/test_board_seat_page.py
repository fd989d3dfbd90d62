"""Halton's Board rule refuses a seat on the staff page in its own words, as through the API."""

from core.testing import csrf_token_from


def test_the_seat_form_shows_the_board_rule(org, estate, make_user, api, login_as, client):
    board = api.post(
        f"/api/v1/orgs/{org.slug}/bodies",
        json={"name": "Board", "kind": "board", "seats_total": 12, "decision_making": True},
    ).get_json()
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/bodies/{board['id']}/memberships/new"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    term = {
        "csrf_token": token,
        "starts_on-day": "1",
        "starts_on-month": "4",
        "starts_on-year": "2025",
        "role": "member",
        "seat_type": "resident",
    }
    refused = client.post(
        path,
        data={"participant_id": str(estate["leaseholder"]), **term},
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page and "reserved for customers who hold a tenancy" in page
    given = client.post(
        path,
        data={"participant_id": str(estate["tenants"][0]), **term},
    )
    assert given.status_code == 303
    assert "Seat on Board given." in client.get(given.headers["Location"]).get_data(as_text=True)
