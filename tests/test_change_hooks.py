"""``on_households_changed``, ``on_participants_changed`` and ``on_membership_changed``: plugins
hear about changes to homes, people and seats (once per request or import), and only when the
organisation enables them."""

import pytest

from tests import example_plugin


def url(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


@pytest.fixture
def enabled(make_org, make_user, api_client):
    org = make_org("hooked-homes", plugins=["example"])
    return org, api_client(make_user(org, "staff"))


def _calls(name):
    return [call for call in example_plugin.calls if call[0] == name]


def test_on_households_changed_reports_the_fields_that_changed(enabled):
    org, api = enabled
    example_plugin.calls.clear()
    home = api.post(url(org, "households"), json={"reference": "H1", "tenure": "general_needs"}).get_json()
    ((_, home_id, fields),) = _calls("on_households_changed")  # a new home: every field given
    assert home_id == home["id"] and {"reference", "tenure"} <= set(fields)
    example_plugin.calls.clear()
    api.patch(url(org, f"households/{home['id']}"), json={"tenure": "leasehold", "reference": "H1"})
    assert _calls("on_households_changed") == [("on_households_changed", home["id"], ("tenure",))]
    example_plugin.calls.clear()
    api.patch(url(org, f"households/{home['id']}"), json={"tenure": "leasehold"})
    assert _calls("on_households_changed") == []  # nothing changed, nothing announced


def test_on_households_changed_once_for_a_csv_import(enabled):
    org, api = enabled
    example_plugin.calls.clear()
    content = "reference,tenure\nH1,general_needs\nH2,leasehold\n"
    response = api.post(url(org, "households/import"), data=content, content_type="text/csv")
    assert response.status_code == 200, response.get_json()
    calls = _calls("on_households_changed")
    assert len(calls) == 2 and all({"reference", "tenure"} <= set(c[2]) for c in calls)


def test_on_participants_changed_and_on_membership_changed(enabled):
    org, api = enabled
    example_plugin.calls.clear()
    person = api.post(url(org, "participants"), json={"first_name": "A", "last_name": "B"}).get_json()
    api.patch(url(org, f"participants/{person['id']}"), json={"is_tenancy_holder": True})
    assert _calls("on_participants_changed")[-1] == (
        "on_participants_changed",
        person["id"],
        ("is_tenancy_holder",),
    )
    board = api.post(url(org, "bodies"), json={"name": "Board", "kind": "board"}).get_json()
    seat = api.post(
        url(org, f"bodies/{board['id']}/memberships"),
        json={"participant_id": person["id"], "seat_type": "resident", "starts_on": "2025-04-01"},
    ).get_json()
    api.patch(url(org, f"bodies/{board['id']}/memberships/{seat['id']}"), json={"ends_on": "2026-03-31"})
    assert _calls("on_membership_changed") == [("on_membership_changed", seat["id"])] * 2


def test_change_hooks_do_not_reach_organisations_without_the_plugin(make_org, make_user, api_client):
    org = make_org("unhooked-homes")
    api = api_client(make_user(org, "staff"))
    example_plugin.calls.clear()
    api.post(url(org, "households"), json={"reference": "H1"})
    api.post(url(org, "participants"), json={"first_name": "A", "last_name": "B"})
    assert example_plugin.calls == []
