"""The mystery-shopping pages: add a scenario with its criteria, record a shop of it with a score
per criterion, the shop with its scores, and a finding that becomes an action; the lists of shops
and scenarios; changing and retiring a scenario; refusals in the API's words, each on its field; a
viewer sees no controls and is refused before input."""

from core.testing import csrf_token_from
from plugins.key_targets.tests.conftest import created, day


def _base(org) -> str:
    return f"/o/{org.slug}/plugins/key_targets"


def _dated(prefix: str, when) -> dict:
    return {
        f"{prefix}-day": str(when.day),
        f"{prefix}-month": str(when.month),
        f"{prefix}-year": str(when.year),
    }


def _scenario(api, url) -> dict:
    return created(
        api.post(
            url("scenarios"),
            json={
                "title": "Report a repair by phone",
                "channel": "phone",
                "criteria": [
                    {"key": "answered", "label": "Answered quickly"},
                    {"key": "polite", "label": "Polite"},
                ],
            },
        )
    )


def test_an_officer_adds_a_scenario_records_a_shop_and_a_finding(org, staff, client, login_as, api, url):
    login_as(staff)
    path = f"{_base(org)}/scenarios/new"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(client.get(path).get_data(as_text=True)),
            "title": "Visit the office",
            "channel": "visit",
            "criteria": "Was the shopper greeted?\n\n30 seconds to be seen\n",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    scenario_page = response.headers["Location"]
    page = client.get(scenario_page).get_data(as_text=True)
    assert "Scenario Visit the office added." in page and "30 seconds to be seen" in page
    stored = api.get(url("scenarios")).get_json()["items"][0]
    assert [c["key"] for c in stored["criteria"]] == ["was_the_shopper_greeted", "c_30_seconds_to_be_seen"]
    path = f"{_base(org)}/scenarios/{stored['id']}/shops/new"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(client.get(path).get_data(as_text=True)),
            "score_was_the_shopper_greeted": "4",
            "score_c_30_seconds_to_be_seen": "2",
            "notes": "Busy morning",
        }
        | _dated("shopped_on", day(-1)),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    shop_page = response.headers["Location"]
    page = client.get(shop_page).get_data(as_text=True)
    assert "Mystery shop recorded." in page and "60%" in page and "Busy morning" in page
    response = client.post(
        shop_page + "/findings",
        data={"csrf_token": csrf_token_from(page), "text": "Nobody at the desk for 10 minutes"}
        | _dated("due_on", day(30)),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(shop_page).get_data(as_text=True)
    assert "Nobody at the desk for 10 minutes" in page and "in the action plan" in page
    listed = client.get(f"{_base(org)}/shops").get_data(as_text=True)
    assert "Visit the office" in listed and "1 mystery shop" in listed
    assert "Visit the office" in client.get(f"{_base(org)}/scenarios").get_data(as_text=True)


def test_the_shopping_forms_refuse_what_the_api_refuses_in_the_same_words(
    org, staff, client, login_as, api, url
):
    scenario = _scenario(api, url)
    answer = api.post(
        url("shops"),
        json={"scenario_id": scenario["id"], "shopped_on": day(0).isoformat(), "scores": {"answered": 9}},
    )
    assert answer.status_code == 422
    fields = answer.get_json()["error"]["fields"]
    too_high, missing = fields["scores.answered"][0], fields["scores.polite"][0]
    login_as(staff)
    path = f"{_base(org)}/scenarios/{scenario['id']}/shops/new"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    response = client.post(
        path, data={"csrf_token": token, "score_answered": "9"} | _dated("shopped_on", day(0))
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Error:" in page
    assert too_high in page and 'href="#score_answered"' in page
    assert missing in page and 'href="#score_polite"' in page
    bad = api.post(
        url("scenarios"), json={"title": "T", "channel": "phone", "criteria": [{"key": "1", "label": "x"}]}
    )
    assert bad.status_code == 422
    key_words = bad.get_json()["error"]["fields"]["criteria.0.key"][0]
    path = f"{_base(org)}/scenarios/new"
    response = client.post(
        path, data={"csrf_token": token, "title": "T", "channel": "phone", "criteria": "!!!"}
    )
    assert response.status_code == 422 and key_words in response.get_data(as_text=True)
    assert 'href="#criteria"' in response.get_data(as_text=True)
    missing_channel = api.post(
        url("scenarios"), json={"title": "T", "criteria": [{"key": "a", "label": "A"}]}
    )
    channel_words = missing_channel.get_json()["error"]["fields"]["channel"][0]
    response = client.post(path, data={"csrf_token": token, "title": "T", "criteria": "A"})
    assert response.status_code == 422 and channel_words in response.get_data(as_text=True)
    shop = created(
        api.post(
            url("shops"),
            json={
                "scenario_id": scenario["id"],
                "shopped_on": day(0).isoformat(),
                "scores": {"answered": 1, "polite": 2},
            },
        )
    )
    no_date = api.post(url(f"shops/{shop['id']}/findings"), json={"text": "Rude"})
    date_words = no_date.get_json()["error"]["fields"]["due_on"][0]
    detail = f"{_base(org)}/shops/{shop['id']}"
    response = client.post(detail + "/findings", data={"csrf_token": token, "text": "Rude"})
    assert response.status_code == 422 and date_words in response.get_data(as_text=True)
    assert 'href="#due_on-day"' in response.get_data(as_text=True)


def test_a_viewer_sees_mystery_shopping_without_controls_and_is_refused_before_input(
    org, client, login_as, make_user, api, url
):
    scenario = _scenario(api, url)
    shop = created(
        api.post(
            url("shops"),
            json={
                "scenario_id": scenario["id"],
                "shopped_on": day(0).isoformat(),
                "scores": {"answered": 1, "polite": 2},
            },
        )
    )
    login_as(make_user(org, "viewer"))
    detail = f"{_base(org)}/shops/{shop['id']}"
    page = client.get(detail).get_data(as_text=True)
    assert "Report a repair by phone" in page and "Record a finding" not in page
    assert "Record a shop" not in client.get(f"{_base(org)}/scenarios/{scenario['id']}").get_data(
        as_text=True
    )
    assert "Change or retire" not in client.get(f"{_base(org)}/scenarios/{scenario['id']}").get_data(
        as_text=True
    )
    assert "Add a scenario" not in client.get(f"{_base(org)}/scenarios").get_data(as_text=True)
    assert "Record a mystery shop" not in client.get(f"{_base(org)}/shops").get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.get(f"{_base(org)}/scenarios/new").status_code == 403
    for path in (
        f"{_base(org)}/scenarios/new",
        f"{_base(org)}/scenarios/{scenario['id']}/shops/new",
        f"{_base(org)}/scenarios/{scenario['id']}/edit",
        detail + "/findings",
    ):
        assert client.post(path, data={"csrf_token": token, "text": "x" * 99999}).status_code == 403


def test_an_officer_changes_a_scenario_then_retires_it(org, staff, client, login_as, api, url):
    scenario = _scenario(api, url)
    login_as(staff)
    page = f"{_base(org)}/scenarios/{scenario['id']}"
    assert "Change or retire the scenario" in client.get(page).get_data(as_text=True)
    edit = f"{page}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert 'value="Report a repair by phone"' in form and "Answered quickly\nPolite" in form
    token = csrf_token_from(form)
    fields = {"csrf_token": token, "title": "Report a repair", "channel": "phone", "active": "yes"}

    empty = api.patch(url(f"scenarios/{scenario['id']}"), json={"title": ""})
    words = empty.get_json()["error"]["fields"]["title"][0]
    response = client.post(edit, data={**fields, "title": "", "criteria": "Answered quickly\nPolite"})
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert 'href="#title"' in response.get_data(as_text=True)

    # Not shopped yet: the criteria can change; unchanged words keep their keys.
    response = client.post(edit, data={**fields, "criteria": "Answered quickly\nPolite\nGave a date"})
    assert response.status_code == 303 and response.headers["Location"].endswith(page)
    stored = api.get(url(f"scenarios/{scenario['id']}")).get_json()
    assert stored["title"] == "Report a repair"
    assert [c["key"] for c in stored["criteria"]] == ["answered", "polite", "gave_a_date"]

    created(
        api.post(
            url("shops"),
            json={
                "scenario_id": scenario["id"],
                "shopped_on": day(0).isoformat(),
                "scores": {"answered": 1, "polite": 2, "gave_a_date": 1},
            },
        )
    )
    shopped = api.patch(url(f"scenarios/{scenario['id']}"), json={"criteria": [{"key": "a", "label": "A"}]})
    assert shopped.status_code == 409
    response = client.post(edit, data={**fields, "criteria": "Answered quickly"})
    assert response.status_code == 422
    assert shopped.get_json()["error"]["message"] in response.get_data(as_text=True)

    criteria = "Answered quickly\nPolite\nGave a date"
    response = client.post(edit, data={**fields, "criteria": criteria, "active": "no"})
    assert response.status_code == 303
    shown = client.get(page).get_data(as_text=True)
    assert "Scenario Report a repair retired." in shown and "No, retired" in shown
    assert "Record a shop of this scenario" not in shown
    assert api.get(url(f"scenarios/{scenario['id']}")).get_json()["active"] is False
    refused = client.post(
        f"{page}/shops/new",
        data={
            "csrf_token": token,
            **_dated("shopped_on", day(0)),
            "score_answered": "1",
            "score_polite": "1",
            "score_gave_a_date": "1",
        },
    )
    assert refused.status_code == 422
    assert "The scenario is no longer in use; choose an active scenario." in refused.get_data(as_text=True)
