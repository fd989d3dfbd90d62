"""Trust membership pages: tenancy holders join (others refused in the API's words) and leave,
Members present at an AGM, the vote on an appointment (more votes than Members present refused);
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


def _agm(api, org):
    return api.post(
        f"/api/v1/orgs/{org.slug}/activities",
        json={"title": "Annual General Meeting", "kind": "meeting", "starts_at": "2025-09-20T18:00:00+00:00"},
    ).get_json()["id"]


def test_a_tenancy_holder_joins_and_leaves_the_trust(org, estate, api, client, make_user, login_as):
    login_as(make_user(org, "staff"))
    new = _page(org, "/trust-members/new")
    token = csrf_token_from(client.get(new).get_data(as_text=True))
    joined = _date("joined_on", date(2025, 4, 1))
    words = api.post(
        url(org, "trust-members"), json={"participant_id": estate["leaseholder"], "joined_on": "2025-04-01"}
    ).get_json()["error"]["message"]
    response = client.post(
        new, data={"csrf_token": token, "participant_id": str(estate["leaseholder"]), **joined}
    )
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(
        new, data={"csrf_token": token, "participant_id": str(estate["tenants"][0]), **joined}
    )
    assert response.status_code == 303
    detail = response.headers["Location"]
    member_id = int(detail.rstrip("/").rsplit("/", 1)[1])

    leave = detail + "/leave"
    before = api.patch(url(org, f"trust-members/{member_id}"), json={"left_on": "2025-01-01"}).get_json()
    response = client.post(leave, data={"csrf_token": token, **_date("left_on", date(2025, 1, 1))})
    assert response.status_code == 422
    assert before["error"]["fields"]["left_on"][0] in unescape(response.get_data(as_text=True))
    response = client.post(leave, data={"csrf_token": token, **_date("left_on", date(2026, 1, 31))})
    assert response.status_code == 303
    assert api.get(url(org, f"trust-members/{member_id}")).get_json()["left_on"] == "2026-01-31"
    again = api.patch(url(org, f"trust-members/{member_id}"), json={"left_on": "2026-02-01"})
    assert again.status_code == 409
    assert client.get(leave).status_code == 404
    assert "31 January 2026" in client.get(_page(org, "/trust-members?current=false")).get_data(as_text=True)
    assert "Tenant0" not in client.get(_page(org, "/trust-members?current=true")).get_data(as_text=True)


def test_members_attend_an_agm_and_vote_on_an_appointment(org, estate, api, client, make_user, login_as):
    members = [
        api.post(
            url(org, "trust-members"),
            json={"participant_id": estate["tenants"][n], "joined_on": "2025-04-01"},
        ).get_json()["id"]
        for n in range(2)
    ]
    agm = _agm(api, org)
    login_as(make_user(org, "staff"))
    attendance = _page(org, "/agm/attendance")
    html = client.get(attendance).get_data(as_text=True)
    assert "Annual General Meeting (20 September 2025)" in html and "Tenant1 Holder" in html
    token = csrf_token_from(html)
    response = client.post(attendance, data={"csrf_token": token, "activity_id": str(agm)})
    assert response.status_code == 422  # nobody ticked: the schema's words
    response = client.post(
        attendance,
        data={"csrf_token": token, "activity_id": str(agm), "member_ids": [str(m) for m in members]},
    )
    assert response.status_code == 303

    new = _page(org, "/agm/votes/new")
    vote = {"csrf_token": token, "activity_id": str(agm), "candidate": "A. Smith"}
    words = api.post(
        url(org, "agm/votes"),
        json={"activity_id": agm, "candidate": "A. Smith", "votes_for": 3, "votes_against": 0},
    ).get_json()["error"]["message"]
    response = client.post(new, data={**vote, "votes_for": "3", "votes_against": "0"})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    response = client.post(new, data={**vote, "votes_for": "two", "votes_against": "0"})
    assert response.status_code == 422 and "Enter a whole number" in response.get_data(as_text=True)
    response = client.post(new, data={**vote, "votes_for": "2", "votes_against": "0"})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A. Smith" in html and "Appointed" in html and "Annual General Meeting" in html
    listing = client.get(_page(org, "/agm/votes")).get_data(as_text=True)
    assert "A. Smith" in listing and "2 present" in listing


def test_a_viewer_sees_no_membership_controls_and_is_refused(org, estate, api, client, make_user, login_as):
    member = api.post(
        url(org, "trust-members"), json={"participant_id": estate["tenants"][0], "joined_on": "2025-04-01"}
    ).get_json()
    agm = _agm(api, org)
    api.post(url(org, "agm/attendance"), json={"activity_id": agm, "member_ids": [member["id"]]})
    vote = api.post(
        url(org, "agm/votes"), json={"activity_id": agm, "candidate": "B", "votes_for": 1, "votes_against": 0}
    ).get_json()
    login_as(make_user(org, "viewer"))
    for path in (
        "/trust-members",
        f"/trust-members/{member['id']}",
        "/agm/votes",
        f"/agm/votes/{vote['id']}",
    ):
        html = client.get(_page(org, path)).get_data(as_text=True)
        assert "Register a Member" not in html and "Record leaving" not in html
        assert "Record a vote" not in html and "Record Members present" not in html
    token = csrf_token_from(client.get(_page(org, "/trust-members")).get_data(as_text=True))
    assert client.get(_page(org, "/agm/attendance")).status_code == 403
    for path in (
        "/trust-members/new",
        f"/trust-members/{member['id']}/leave",
        "/agm/votes/new",
        "/agm/attendance",
    ):
        assert client.post(_page(org, path), data={"csrf_token": token, "candidate": "x"}).status_code == 403
