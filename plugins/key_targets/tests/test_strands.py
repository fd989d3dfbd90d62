"""Levels of involvement: strands from the settings, edited through the API, mapped to core
opportunities and bodies, and their year-on-year growth counted from core participations."""

from datetime import date

import pytest

from core.periods import Period
from plugins.key_targets.tests.conftest import at, created


def this_year() -> Period:
    return Period.financial_year_of(date.today())


@pytest.fixture
def people(api, core_url):
    return [
        created(api.post(core_url("participants"), json={"first_name": f"P{n}", "last_name": "Tenant"}))["id"]
        for n in range(12)
    ]


def held_with(api, core_url, people, when, **links):
    activity = created(
        api.post(
            core_url("activities"),
            json={"title": "Meeting", "kind": "meeting", "status": "held", "starts_at": at(when), **links},
        )
    )
    for person in people:
        created(
            api.post(core_url(f"activities/{activity['id']}/participations"), json={"participant_id": person})
        )
    return activity


def test_strands_are_created_from_the_settings_on_enabling(api, url):
    strands = api.get(url("strands")).get_json()
    assert [s["key"] for s in strands["items"]] == ["board", "customer_forum"]
    assert strands["items"][0]["outcome"] == "Tenant directors set policy."


def test_enabling_again_keeps_edited_strands_and_adds_no_duplicates(
    app, api, url, org, make_user, api_client
):
    board = api.get(url("strands")).get_json()["items"][0]
    api.patch(url(f"strands/{board['id']}"), json={"name": "GCH Board of Directors"})
    admin = api_client(make_user(org, "org_admin"))
    plugin = f"/api/v1/orgs/{org.slug}/plugins/key_targets"
    settings = api.get(plugin).get_json()["settings"]
    assert admin.put(plugin, json={"enabled": False, "settings": settings}).status_code == 200
    assert api.get(url("strands")).status_code == 404
    assert admin.put(plugin, json={"enabled": True, "settings": settings}).status_code == 200
    strands = api.get(url("strands")).get_json()["items"]
    assert [s["name"] for s in strands] == ["GCH Board of Directors", "Customer Forum"]


def test_rule_strand_key_is_unique_in_the_organisation(api, url):
    refused = api.post(url("strands"), json={"key": "board", "name": "Another board"})
    assert refused.status_code == 409
    assert "board" in refused.get_json()["error"]["message"]
    added = created(api.post(url("strands"), json={"key": "tenant_inspectors", "name": "Tenant inspectors"}))
    assert api.patch(url(f"strands/{added['id']}"), json={"key": "board"}).status_code == 409
    assert api.post(url("strands"), json={"key": "Not A Key", "name": "x"}).status_code == 422


def test_rule_strand_links_name_records_of_this_organisation(api, url, make_org, make_user, api_client):
    other = make_org("other-homes")
    other_api = api_client(make_user(other, "staff"))
    foreign = other_api.post(f"/api/v1/orgs/{other.slug}/bodies", json={"name": "Board", "kind": "board"})
    strand = api.get(url("strands")).get_json()["items"][0]
    refused = api.put(url(f"strands/{strand['id']}/links"), json={"body_ids": [foreign.get_json()["id"]]})
    assert refused.status_code == 422 and "body_ids" in refused.get_json()["error"]["fields"]


def test_participants_per_strand_and_growth_against_the_target(api, url, core_url, people):
    year = this_year()
    last = year.previous()
    strands = {s["key"]: s for s in api.get(url("strands")).get_json()["items"]}
    board = created(api.post(core_url("bodies"), json={"name": "Board", "kind": "board"}))
    forum = created(
        api.post(core_url("opportunities"), json={"name": "Forum", "level": "involved", "formal": True})
    )
    mapped = api.put(url(f"strands/{strands['board']['id']}/links"), json={"body_ids": [board["id"]]})
    assert mapped.status_code == 200 and mapped.get_json()["body_ids"] == [board["id"]]
    api.put(url(f"strands/{strands['customer_forum']['id']}/links"), json={"opportunity_ids": [forum["id"]]})
    # Board: 10 people last year, 11 this year (+10%: meets the target exactly).
    held_with(api, core_url, people[:10], last.start, body_id=board["id"])
    held_with(api, core_url, people[:11], year.start, body_id=board["id"])
    held_with(api, core_url, people[:5], year.start, body_id=board["id"])  # the same people again
    # Forum: 10 last year, 9 this year (-10%: below the target).
    held_with(api, core_url, people[2:12], last.end, opportunity_id=forum["id"])
    held_with(api, core_url, people[:9], year.start, opportunity_id=forum["id"])
    # An activity not held, and one that nobody attended, count for nothing.
    planned = created(
        api.post(
            core_url("activities"),
            json={"title": "Next", "kind": "meeting", "starts_at": at(year.start), "body_id": board["id"]},
        )
    )
    api.post(core_url(f"activities/{planned['id']}/participations"), json={"participant_id": people[11]})

    growth = api.get(url("strands/growth"), query_string={"period": year.label}).get_json()
    assert growth["compared_with"] == last.label and growth["target_percent"] == 10
    rows = {row["key"]: row for row in growth["strands"]}
    assert rows["board"]["participants"] == 11 and rows["board"]["previous_participants"] == 10
    assert rows["board"]["growth_percent"] == 10.0 and rows["board"]["status"] == "met"
    assert rows["customer_forum"]["growth_percent"] == -10.0
    assert rows["customer_forum"]["below_target"] is True

    kpis = {
        k["code"]: k["value"]
        for k in api.get(core_url("kpis"), query_string={"period": year.label}).get_json()["kpis"]
    }
    assert kpis["key_targets_strand_participants"] == 11
    assert kpis["key_targets_strands_meeting_growth"] == 50.0
    assert kpis["key_targets_strands_below_target"] == 1


def test_a_strand_with_nobody_last_year_has_no_baseline(api, url):
    growth = api.get(url("strands/growth"), query_string={"period": this_year().label}).get_json()
    assert {row["status"] for row in growth["strands"]} == {"no_baseline"}
    assert all(row["growth_percent"] is None for row in growth["strands"])


def test_growth_needs_a_valid_period(api, url):
    refused = api.get(url("strands/growth"), query_string={"period": "2025"})
    assert refused.status_code == 422 and "period" in refused.get_json()["error"]["fields"]


def test_strands_added_to_the_settings_later_are_synced_without_touching_edits(
    api, url, org, make_user, api_client
):
    board = api.get(url("strands")).get_json()["items"][0]
    api.patch(url(f"strands/{board['id']}"), json={"outcome": "Edited by an officer"})
    admin = api_client(make_user(org, "org_admin"))
    plugin = f"/api/v1/orgs/{org.slug}/plugins/key_targets"
    settings = api.get(plugin).get_json()["settings"]
    settings["strands"].append(
        {"key": "tenant_inspectors", "name": "Tenant inspectors", "outcome": "Voids checked"}
    )
    assert admin.put(plugin, json={"enabled": True, "settings": settings}).status_code == 200
    assert api.post(url("strands/sync")).get_json() == {"created": 1, "updated": 0}
    assert api.post(url("strands/sync")).get_json() == {"created": 0, "updated": 0}
    strands = {s["key"]: s for s in api.get(url("strands")).get_json()["items"]}
    assert strands["board"]["outcome"] == "Edited by an officer"
    assert strands["tenant_inspectors"]["outcome"] == "Voids checked"
    assert api.delete(url(f"strands/{strands['tenant_inspectors']['id']}")).status_code == 204
    assert api.get(url(f"strands/{strands['tenant_inspectors']['id']}")).status_code == 404
