"""Member pages: join, statement with every entry's source, choice, leave and rejoin, and manual
awards and corrections — each refusing what the API refuses, in the API's words."""

import re
from html import unescape

import pytest

from core.testing import csrf_token_from
from plugins.reward_points.tests.conftest import World, settings, url


@pytest.fixture
def officer_world(make_org, make_user, api_client, login_as, db_session):
    org = make_org("mayflower-pages", plugins={"reward_points": settings()})
    officer = make_user(org, "org_admin")
    world = World(org, api_client(officer), db_session)
    login_as(officer)
    return world


def page(org, path=""):
    return f"/o/{org.slug}/plugins/reward_points/{path}"


def token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def api_words(response, name):
    error = response.get_json()["error"]
    return (error.get("fields") or {}).get(name, [error.get("message")])[0]


def test_an_officer_adds_a_member_and_lands_on_their_statement(client, officer_world):
    org = officer_world.org
    person = officer_world.person("Ada")
    path = page(org, "members/new")
    assert "Ada Resident" in client.get(path).get_data(as_text=True)
    response = client.post(
        path,
        data={
            "csrf_token": token(client, path),
            "participant_id": str(person),
            "reward_choice": "shopping_voucher",
            "retailer": "Argos",
        },
    )
    assert response.status_code == 303
    statement = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ada Resident joined Your Voice." in statement
    assert "Shopping voucher (Argos)" in statement
    assert "Ada Resident" not in client.get(path).get_data(as_text=True)  # no second enrolment offered


def test_joining_refuses_a_donation_without_a_charity_in_the_api_words(client, officer_world):
    org = officer_world.org
    api = officer_world.api.post(
        url(org, "members"),
        json={"participant_id": officer_world.person("Api"), "reward_choice": "charity_donation"},
    )
    assert api.status_code == 422
    words = api_words(api, "charity")
    path = page(org, "members/new")
    response = client.post(
        path,
        data={
            "csrf_token": token(client, path),
            "participant_id": str(officer_world.person("Web")),
            "reward_choice": "charity_donation",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "<title>Error:" in text and 'href="#charity"' in text
    assert words == "A donation needs a nominated charity from the organisation's list."
    assert words in unescape(text)


def test_joining_without_a_resident_names_the_field(client, officer_world):
    path = page(officer_world.org, "members/new")
    response = client.post(path, data={"csrf_token": token(client, path)})
    assert response.status_code == 422
    assert 'href="#participant_id"' in response.get_data(as_text=True)


def test_the_statement_shows_every_entry_and_where_it_came_from(client, officer_world):
    member = officer_world.member()
    meeting = officer_world.meeting()
    officer_world.attend(meeting, member)
    assert officer_world.award(member, "correction-1", points=-5, kind="correction").status_code == 201
    text = client.get(page(officer_world.org, f"members/{member['id']}")).get_data(as_text=True)
    assert "Panel meeting" in text and f"/activities/{meeting}" in text
    assert "Spoke up for the estate" in text
    assert "45 points" in text
    assert "Award or correct points" in text


def test_a_correction_is_recorded_once_however_often_the_form_is_sent(client, officer_world):
    member = officer_world.member()
    officer_world.award(member, "seed-points", points=30, kind="correction")
    path = page(officer_world.org, f"members/{member['id']}/entries/new")
    form = client.get(path).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', form) or re.search(
        r'id="idempotency_key" name="idempotency_key" type="hidden" value="([0-9a-f]+)"', form
    )
    assert key, "the form carries an idempotency key"
    data = {
        "csrf_token": csrf_token_from(form),
        "idempotency_key": key.group(1),
        "kind": "correction",
        "points": "-10",
        "reason": "Counted twice in June",
    }
    assert client.post(path, data=data).status_code == 303
    assert client.post(path, data=data).status_code == 303
    assert officer_world.balance(member) == 20
    assert [e["reason"] for e in officer_world.entries(member)].count("Counted twice in June") == 1


def test_an_overdrawing_correction_is_refused_in_the_api_words(client, officer_world):
    member = officer_world.member()
    api = officer_world.api.post(
        url(officer_world.org, f"members/{member['id']}/entries"),
        json={"kind": "correction", "points": -5, "reason": "Mistake"},
        headers={"Idempotency-Key": "api-overdraw"},
    )
    assert api.status_code == 409
    path = page(officer_world.org, f"members/{member['id']}/entries/new")
    form = client.get(path).get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([0-9a-f]+)"', form).group(1)
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(form),
            "idempotency_key": key,
            "kind": "correction",
            "points": "-5",
            "reason": "Mistake",
        },
    )
    assert response.status_code == 422
    assert api.get_json()["error"]["message"] in unescape(response.get_data(as_text=True))
    assert officer_world.balance(member) == 0


def test_a_contribution_needs_its_meeting_in_the_api_words(client, officer_world):
    member = officer_world.member()
    api = officer_world.api.post(
        url(officer_world.org, f"members/{member['id']}/entries"),
        json={"kind": "contribution", "points": 5, "reason": "Good idea", "applies_to": "meeting"},
        headers={"Idempotency-Key": "api-contribution"},
    )
    assert api.status_code == 422
    words = api_words(api, "activity_id")
    path = page(officer_world.org, f"members/{member['id']}/entries/new")
    form = client.get(path).get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([0-9a-f]+)"', form).group(1)
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(form),
            "idempotency_key": key,
            "kind": "contribution",
            "points": "5",
            "reason": "Good idea",
            "applies_to": "meeting",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert words in unescape(text) and 'href="#activity_id"' in text


def test_a_contribution_at_an_attended_meeting_is_awarded(client, officer_world):
    member = officer_world.member()
    meeting = officer_world.meeting()
    officer_world.attend(meeting, member)
    path = page(officer_world.org, f"members/{member['id']}/entries/new")
    form = client.get(path).get_data(as_text=True)
    assert f'value="{meeting}"' in form
    key = re.search(r'name="idempotency_key"[^>]*value="([0-9a-f]+)"', form).group(1)
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(form),
            "idempotency_key": key,
            "kind": "contribution",
            "points": "8",
            "reason": "Led the repairs discussion",
            "applies_to": "meeting",
            "activity_id": str(meeting),
        },
    )
    assert response.status_code == 303
    assert officer_world.balance(member) == 58


def test_points_that_are_not_a_number_are_refused_in_the_api_words(client, officer_world):
    member = officer_world.member()
    api = officer_world.api.post(
        url(officer_world.org, f"members/{member['id']}/entries"),
        json={"kind": "correction", "points": "lots", "reason": "Mistake"},
        headers={"Idempotency-Key": "api-not-a-number"},
    )
    words = api_words(api, "points")
    path = page(officer_world.org, f"members/{member['id']}/entries/new")
    form = client.get(path).get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([0-9a-f]+)"', form).group(1)
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(form),
            "idempotency_key": key,
            "kind": "correction",
            "points": "lots",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert words in unescape(text) and 'href="#points"' in text and 'href="#reason"' in text


def test_leaving_before_joining_is_refused_and_leaving_then_rejoining_works(client, officer_world):
    member = officer_world.member(joined_on="2024-01-01")
    leave = page(officer_world.org, f"members/{member['id']}/leave")
    early = {
        "csrf_token": token(client, leave),
        "left_on-day": "1",
        "left_on-month": "1",
        "left_on-year": "2023",
    }
    refused = client.post(leave, data=early)
    assert refused.status_code == 422
    assert "A member cannot leave before they joined." in refused.get_data(as_text=True)
    done = client.post(
        leave, data={**early, "left_on-year": "2025", "left_on-month": "3", "left_on-day": "31"}
    )
    assert done.status_code == 303
    statement = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Left on 31 March 2025" in statement and "Rejoin" in statement
    rejoin = page(officer_world.org, f"members/{member['id']}/rejoin")
    again = client.post(
        rejoin,
        data={
            "csrf_token": token(client, rejoin),
            "joined_on-day": "1",
            "joined_on-month": "6",
            "joined_on-year": "2025",
        },
    )
    assert again.status_code == 303
    assert officer_world.api.get(url(officer_world.org, f"members/{member['id']}")).get_json()["active"]


def test_changing_the_choice_refuses_a_retailer_not_on_the_list(client, officer_world):
    member = officer_world.member()
    api = officer_world.api.patch(
        url(officer_world.org, f"members/{member['id']}"),
        json={"reward_choice": "shopping_voucher", "retailer": "Harrods"},
    )
    words = api_words(api, "retailer")
    path = page(officer_world.org, f"members/{member['id']}/choice")
    response = client.post(
        path,
        data={"csrf_token": token(client, path), "reward_choice": "shopping_voucher", "retailer": "Harrods"},
    )
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))
    ok = client.post(
        path,
        data={
            "csrf_token": token(client, path),
            "reward_choice": "charity_donation",
            "charity": "Boston Foodbank",
        },
    )
    assert ok.status_code == 303
    assert "Donation to Boston Foodbank" in client.get(ok.headers["Location"]).get_data(as_text=True)


def test_a_viewer_is_refused_before_any_input_is_read(client, officer_world, make_user, login_as):
    member = officer_world.member()
    login_as(make_user(officer_world.org, "viewer"))
    csrf = token(client, f"/o/{officer_world.org.slug}/households")
    for path in ("members/new", f"members/{member['id']}/entries/new", f"members/{member['id']}/leave"):
        bad_input = {"csrf_token": csrf, "participant_id": "nope", "points": "lots", "left_on-day": "99"}
        assert client.post(page(officer_world.org, path), data=bad_input).status_code == 403
    assert client.get(page(officer_world.org)).status_code == 403
