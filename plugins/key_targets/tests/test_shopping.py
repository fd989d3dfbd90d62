"""Mystery shopping: scenarios per channel, scores per criterion, findings → actions, trend."""

from datetime import date

import pytest

from core.periods import Period
from plugins.key_targets.tests.conftest import created, day


@pytest.fixture
def phone(api, url):
    return created(
        api.post(
            url("scenarios"),
            json={
                "title": "Report a repair",
                "channel": "phone",
                "criteria": [
                    {"key": "answered", "label": "Answered in 30 seconds"},
                    {"key": "polite", "label": "Polite"},
                ],
            },
        )
    )


def shop(api, url, scenario, when, **scores):
    return api.post(
        url("shops"), json={"scenario_id": scenario["id"], "shopped_on": str(when), "scores": scores}
    )


def test_scores_and_the_trend_per_channel_and_quarter(api, url, core_url, phone):
    web = created(
        api.post(
            url("scenarios"),
            json={
                "title": "Find the forum",
                "channel": "web",
                "criteria": [{"key": "found", "label": "Found"}],
            },
        )
    )
    q1 = Period.parse("2024-25-Q1")
    q3 = Period.parse("2024-25-Q3")
    first = created(shop(api, url, phone, q1.start, answered=5, polite=3))
    assert first["channel"] == "phone" and first["score_percent"] == 80.0
    created(shop(api, url, phone, q3.start, answered=2, polite=2))
    created(shop(api, url, phone, q3.end, answered=4, polite=4))
    created(shop(api, url, web, q1.end, found=1))
    trend = api.get(url("mystery-shopping/trend"), query_string={"period": "2024-25"}).get_json()
    assert trend["rows"] == [
        {"channel": "phone", "quarter": "2024-25-Q1", "shops": 1, "score_percent": 80.0},
        {"channel": "phone", "quarter": "2024-25-Q3", "shops": 2, "score_percent": 60.0},
        {"channel": "web", "quarter": "2024-25-Q1", "shops": 1, "score_percent": 20.0},
    ]
    assert trend["overall_percent"] == 60.0  # 21 of 35 points
    kpis = {
        k["code"]: k["value"]
        for k in api.get(core_url("kpis"), query_string={"period": "2024-25"}).get_json()["kpis"]
    }
    assert kpis["key_targets_mystery_shopping_score"] == 60.0
    assert api.get(url("shops"), query_string={"channel": "web"}).get_json()["total"] == 1


def test_a_finding_becomes_an_action_plan_item(api, url, core_url, phone):
    made = created(shop(api, url, phone, day(-3), answered=1, polite=4))
    finding = created(
        api.post(
            url(f"shops/{made['id']}/findings"),
            json={
                "text": "Caller was not told when the repair would be done",
                "due_on": str(day(30)),
                "owner": "Repairs",
            },
        )
    )
    year = Period.financial_year_of(day(-3)).label
    plan = next(
        p
        for p in api.get(core_url("action-plans")).get_json()["items"]
        if p["title"] == f"Mystery shopping actions {year}"
    )
    items = api.get(core_url(f"action-plans/{plan['id']}/items")).get_json()["items"]
    assert [(i["id"], i["owner"], i["due_on"]) for i in items] == [
        (finding["action_item_id"], "Repairs", str(day(30)))
    ]
    shown = api.get(url(f"shops/{made['id']}")).get_json()
    assert [f["text"] for f in shown["findings"]] == ["Caller was not told when the repair would be done"]


def test_rule_a_scenario_uses_a_channel_the_organisation_shops(make_org, make_user, api_client):
    org = make_org("phones-only", plugins={"key_targets": {"mystery_shopping_channels": ["phone"]}})
    api = api_client(make_user(org, "staff"))
    refused = api.post(
        f"/api/v1/orgs/{org.slug}/plugins/key_targets/scenarios",
        json={"title": "Visit", "channel": "visit", "criteria": [{"key": "welcome", "label": "Welcome"}]},
    )
    assert refused.status_code == 422 and "channel" in refused.get_json()["error"]["fields"]


def test_rule_scenario_criteria_have_distinct_keys(api, url):
    refused = api.post(
        url("scenarios"),
        json={
            "title": "x",
            "channel": "email",
            "criteria": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}],
        },
    )
    assert refused.status_code == 422 and "criteria" in refused.get_json()["error"]["fields"]


def test_rule_a_shop_scores_every_criterion_once_within_the_scale(api, url, phone):
    missing = shop(api, url, phone, day(-1), answered=3)
    assert missing.status_code == 422 and "scores.polite" in missing.get_json()["error"]["fields"]
    too_high = shop(api, url, phone, day(-1), answered=6, polite=1)
    assert too_high.status_code == 422 and "scores.answered" in too_high.get_json()["error"]["fields"]
    extra = shop(api, url, phone, day(-1), answered=1, polite=1, colour=2)
    assert extra.status_code == 422 and "scores.colour" in extra.get_json()["error"]["fields"]


def test_rule_a_shop_is_not_dated_in_the_future(api, url, phone):
    refused = shop(api, url, phone, day(1), answered=1, polite=1)
    assert refused.status_code == 422 and "shopped_on" in refused.get_json()["error"]["fields"]


def test_rule_a_retired_scenario_takes_no_new_shops(api, url, phone):
    assert api.patch(url(f"scenarios/{phone['id']}"), json={"active": False}).status_code == 200
    assert shop(api, url, phone, date.today(), answered=1, polite=1).status_code == 409


def test_rule_a_shopped_scenarios_criteria_cannot_change(api, url, phone):
    created(shop(api, url, phone, day(-1), answered=1, polite=1))
    changed = api.patch(url(f"scenarios/{phone['id']}"), json={"criteria": [{"key": "new", "label": "New"}]})
    assert changed.status_code == 409
    assert (
        api.patch(url(f"scenarios/{phone['id']}"), json={"title": "Renamed"}).get_json()["title"] == "Renamed"
    )
