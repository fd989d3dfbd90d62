"""The scheme year, rules and conversion pages: bounded year navigation, the conversion preview,
the run (refused before the year ends in the API's words), the vouchers and donations files for a
signed-in officer, and new rule versions refused as the settings API refuses them."""

from html import unescape

import pytest

from core.testing import csrf_token_from
from plugins.reward_points.tests.conftest import World, settings, url


@pytest.fixture
def officer_world(make_org, make_user, api_client, login_as, db_session):
    org = make_org("mayflower-years", plugins={"reward_points": settings()})
    officer = make_user(org, "org_admin")
    world = World(org, api_client(officer), db_session)
    login_as(officer)
    return world


def page(org, path=""):
    return f"/o/{org.slug}/plugins/reward_points/{path}"


def token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_year_navigation_stays_within_the_years_the_scheme_has(client, officer_world):
    from core import plugin_kit
    from plugins.reward_points.settings import SchemeYears

    officer_world.member(joined_on="2024-05-01")
    current = SchemeYears().year_of(plugin_kit.today())
    latest = client.get(page(officer_world.org)).get_data(as_text=True)
    assert "Next year" not in latest and "Previous year" in latest
    earliest = client.get(page(officer_world.org, "?year=1900-01")).get_data(as_text=True)
    assert "Scheme year 2024-25" in earliest and "Previous year" not in earliest
    future = client.get(page(officer_world.org, f"?year={SchemeYears.label(current + 5)}"))
    assert future.status_code == 200 and f"Scheme year {SchemeYears.label(current)}" in future.get_data(
        as_text=True
    )
    assert client.get(page(officer_world.org, "?year=rubbish")).status_code == 200


def test_the_conversion_previews_runs_and_offers_its_files(client, officer_world):
    voucher = officer_world.member(reward_choice="shopping_voucher", retailer="Argos")
    donor = officer_world.member(reward_choice="charity_donation", charity="Boston Foodbank")
    meeting = officer_world.meeting()
    officer_world.attend(meeting, voucher)
    officer_world.attend(meeting, donor)
    path = page(officer_world.org, "conversion?year=2025-26")
    preview = client.get(path).get_data(as_text=True)
    assert "What converting now would pay" in preview and "£10.00" in preview
    assert "Argos" in preview and "Boston Foodbank" in preview
    done = client.post(path, data={"csrf_token": csrf_token_from(preview), "scheme_year": "2025-26"})
    assert done.status_code == 303
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "The 2025-26 conversion has been started" in after
    assert "No member has points from 2025-26 or earlier still to convert." in after
    assert officer_world.balance(voucher) == 0
    vouchers = client.get(page(officer_world.org, "conversion/vouchers.csv?year=2025-26"))
    assert vouchers.status_code == 200 and vouchers.mimetype == "text/csv"
    assert "Argos" in vouchers.get_data(as_text=True) and "Pat Resident" in vouchers.get_data(as_text=True)
    donations = client.get(page(officer_world.org, "conversion/donations.csv?year=2025-26"))
    assert "Boston Foodbank,1,5.00" in donations.get_data(as_text=True)
    assert client.get(page(officer_world.org, "conversion/donations.csv?year=junk")).status_code == 404


def test_a_year_not_yet_ended_is_refused_in_the_api_words(client, officer_world):
    from core import plugin_kit
    from plugins.reward_points.settings import SchemeYears

    label = SchemeYears.label(SchemeYears().year_of(plugin_kit.today()))
    api = officer_world.api.post(url(officer_world.org, "conversions"), json={"scheme_year": label})
    assert api.status_code == 409
    path = page(officer_world.org, f"conversion?year={label}")
    response = client.post(path, data={"csrf_token": token(client, path), "scheme_year": label})
    assert response.status_code == 422
    assert api.get_json()["error"]["message"] in unescape(response.get_data(as_text=True))


def test_staff_see_no_conversion_control_and_are_refused_before_input(
    client, officer_world, make_user, login_as
):
    login_as(make_user(officer_world.org, "staff"))
    path = page(officer_world.org, "conversion?year=2025-26")
    text = client.get(path).get_data(as_text=True)
    assert "Convert 2025-26 points" not in text
    assert "Add a new version" not in client.get(page(officer_world.org, "rules")).get_data(as_text=True)
    csrf = csrf_token_from(text)
    assert client.post(path, data={"csrf_token": csrf, "scheme_year": "junk"}).status_code == 403
    assert client.post(page(officer_world.org, "rules/new"), data={"csrf_token": csrf}).status_code == 403


def test_rules_show_every_version_and_a_backdated_version_is_refused_in_the_api_words(client, officer_world):
    rules = client.get(page(officer_world.org, "rules")).get_data(as_text=True)
    assert "Customer scrutiny panel" in rules and "Replaced" in rules and "In force" in rules
    backdated = settings()
    backdated["points_rules"].append(
        {**backdated["points_rules"][0], "points": 70, "effective_from": "2021-01-01"}
    )
    api = officer_world.api.put(
        f"/api/v1/orgs/{officer_world.org.slug}/plugins/reward_points",
        json={"enabled": True, "settings": backdated},
    )
    assert api.status_code == 422
    words = api.get_json()["error"]["fields"]["settings.points_rules"][0]
    path = page(officer_world.org, "rules/new")
    form = {
        "csrf_token": token(client, path),
        "involvement_type": "customer_scrutiny_panel",
        "activity_kind": "meeting",
        "body_kind": "scrutiny_panel",
        "points": "70",
        "effective_from-day": "1",
        "effective_from-month": "1",
        "effective_from-year": "2021",
    }
    refused = client.post(path, data=form)
    assert refused.status_code == 422 and words in unescape(refused.get_data(as_text=True))
    added = client.post(path, data={**form, "effective_from-year": "2999"})
    assert added.status_code == 303
    after = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "From 2999-01-01" in after


def test_a_rule_with_bad_points_names_the_field(client, officer_world):
    path = page(officer_world.org, "rules/new")
    response = client.post(
        path, data={"csrf_token": token(client, path), "involvement_type": "Bad Name", "points": "-1"}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert (
        'href="#points"' in text
        and 'href="#involvement_type"' in text
        and 'href="#effective_from-day"' in text
    )


def test_a_contribution_maximum_gets_a_new_version_and_a_backdated_one_is_refused_in_the_api_words(
    client, officer_world
):
    rules = client.get(page(officer_world.org, "rules")).get_data(as_text=True)
    assert "Add a new version of a contribution maximum" in rules
    backdated = settings()
    backdated["contribution_awards"].append(
        {"applies_to": "meeting", "max_points": 20, "effective_from": "2021-01-01"}
    )
    api = officer_world.api.put(
        f"/api/v1/orgs/{officer_world.org.slug}/plugins/reward_points",
        json={"enabled": True, "settings": backdated},
    )
    assert api.status_code == 422
    words = api.get_json()["error"]["fields"]["settings.contribution_awards"][0]
    path = page(officer_world.org, "rules/contribution-maximum/new")
    form = {
        "csrf_token": token(client, path),
        "applies_to": "meeting",
        "max_points": "20",
        "effective_from-day": "1",
        "effective_from-month": "1",
        "effective_from-year": "2021",
    }
    refused = client.post(path, data=form)
    assert refused.status_code == 422 and words in unescape(refused.get_data(as_text=True))
    added = client.post(path, data={**form, "effective_from-year": "2999"})
    assert added.status_code == 303
    after = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "The most points for a contribution at a meeting from 2999-01-01 is now 20." in after
    assert "From 2999-01-01" in after and "In force" in after
    stored = officer_world.api.get(f"/api/v1/orgs/{officer_world.org.slug}/plugins/reward_points").get_json()
    assert {"applies_to": "meeting", "max_points": 20, "effective_from": "2999-01-01"} in stored["settings"][
        "contribution_awards"
    ]
    # The same day twice is refused as the settings API refuses it.
    again = client.post(path, data={**form, "effective_from-year": "2999", "csrf_token": token(client, path)})
    assert again.status_code == 422 and "meeting has two versions from 2999-01-01." in unescape(
        again.get_data(as_text=True)
    )


def test_a_contribution_maximum_with_bad_values_names_the_fields(client, officer_world):
    path = page(officer_world.org, "rules/contribution-maximum/new")
    response = client.post(
        path, data={"csrf_token": token(client, path), "applies_to": "party", "max_points": "0"}
    )
    assert response.status_code == 422
    text = unescape(response.get_data(as_text=True))
    assert (
        'href="#max_points"' in text and 'href="#applies_to"' in text and 'href="#effective_from-day"' in text
    )
    assert "Must be greater than or equal to 1" in text


def test_staff_see_no_maximum_control_and_are_refused_before_input(
    client, officer_world, make_user, login_as
):
    login_as(make_user(officer_world.org, "staff"))
    rules = client.get(page(officer_world.org, "rules")).get_data(as_text=True)
    assert "contribution maximum" not in rules.replace("Most points for a contribution", "")
    path = page(officer_world.org, "rules/contribution-maximum/new")
    assert client.get(path).status_code == 403
    csrf = csrf_token_from(client.get(page(officer_world.org, "rules")).get_data(as_text=True))
    assert client.post(path, data={"csrf_token": csrf, "applies_to": "meeting"}).status_code == 403


def test_the_catch_up_button_awards_attendance_the_hooks_missed_once(client, officer_world):
    member = officer_world.member()
    officer_world.attended(member, "2025-06-10", kind="event")  # recorded without the ledger hook
    assert officer_world.entries(member) == []
    scheme = client.get(page(officer_world.org)).get_data(as_text=True)
    assert "Award missed points" in scheme
    done = client.post(page(officer_world.org, "catch-up"), data={"csrf_token": csrf_token_from(scheme)})
    assert done.status_code == 303 and done.headers["Location"].endswith("/plugins/reward_points/")
    assert "Missed points are being awarded" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert [e["points"] for e in officer_world.entries(member)] == [15]
    again = client.post(page(officer_world.org, "catch-up"), data={"csrf_token": csrf_token_from(scheme)})
    assert again.status_code == 303
    assert [e["points"] for e in officer_world.entries(member)] == [15]  # nothing awarded twice


def test_a_viewer_is_refused_the_catch_up_before_anything_runs(client, officer_world, make_user, login_as):
    member = officer_world.member()
    officer_world.attended(member, "2025-06-10", kind="event")
    login_as(make_user(officer_world.org, "viewer"))
    csrf = token(client, f"/o/{officer_world.org.slug}/households")
    assert client.post(page(officer_world.org, "catch-up"), data={"csrf_token": csrf}).status_code == 403
    assert officer_world.entries(member) == []
