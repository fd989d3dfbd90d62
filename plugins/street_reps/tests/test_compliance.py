"""Halton's standing rules rechecked all year: a change to a home's tenure or a person's tenancy is
not refused, but the breach it causes shows on the compliance page and in the Board PIs, and the
officers are notified."""

from datetime import date

import pytest

from plugins.street_reps.tests.conftest import appoint, url


def core(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


@pytest.fixture
def seated_board(api, org, estate):
    """A 12-seat Board (4 reserved) with the four tenants in resident seats and 8 independents."""
    board = api.post(
        core(org, "bodies"),
        json={"name": "Board", "kind": "board", "seats_total": 12, "decision_making": True},
    ).get_json()
    seats = core(org, f"bodies/{board['id']}/memberships")
    for person in estate["tenants"]:
        made = api.post(
            seats, json={"participant_id": person, "seat_type": "resident", "starts_on": "2025-04-01"}
        )
        assert made.status_code == 201, made.get_json()
    for n in range(8):
        made = api.post(
            seats,
            json={"external_name": f"Independent {n}", "seat_type": "independent", "starts_on": "2025-04-01"},
        )
        assert made.status_code == 201, made.get_json()
    return board


def _check(api, org):
    response = api.get(url(org, "compliance"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _board_pis(api, org):
    response = api.get(url(org, "board-pis?period=2025-26-Q1"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _notified(api, org):
    return [n["subject"] for n in api.get(core(org, "notifications")).get_json()["items"]]


def test_board_tenancy_third_is_rechecked_when_a_households_tenure_changes(api, org, estate, seated_board):
    before = _check(api, org)
    assert before["complies"] is True and before["boards"][0]["tenancy_holders"] == 4
    # Right to Buy: the first tenant's home becomes leasehold. The change itself is not refused...
    bought = api.patch(core(org, f"households/{estate['ash_homes'][0]}"), json={"tenure": "leasehold"})
    assert bought.status_code == 200, bought.get_json()
    # ...but the Board now breaks the rule, and every report says so.
    after = _check(api, org)
    assert after["complies"] is False
    board = after["boards"][0]
    assert (board["tenancy_holders"], board["others"], board["vacant_reserved"]) == (3, 9, 1)
    assert any("Tenant0 Holder holds a resident seat" in b for b in board["breaches"])
    assert any("9 members do not hold a tenancy" in b for b in board["breaches"])
    pis = _board_pis(api, org)
    row = next(pi for pi in pis["pis"] if pi["code"] == "board_tenancy_holders")
    assert (row["value"], row["target"], row["complies"]) == (3, 4, False)
    assert pis["compliance"]["complies"] is False
    assert any("Tenant0 Holder" in subject for subject in _notified(api, org))


def test_board_tenancy_third_is_rechecked_when_a_members_tenancy_changes(
    api, org, estate, seated_board, make_user, api_client
):
    changed = api.patch(core(org, f"participants/{estate['tenants'][2]}"), json={"is_tenancy_holder": False})
    assert changed.status_code == 200, changed.get_json()
    after = _check(api, org)
    assert after["complies"] is False
    assert [b["rule"] for b in after["breaches"]] == ["board_tenancy_third", "board_tenancy_third"]
    # Every officer hears of it once, however often the rule is rechecked.
    api.patch(core(org, f"participants/{estate['tenants'][2]}"), json={"first_name": "Renamed"})
    api.patch(core(org, f"households/{estate['ash_homes'][9]}"), json={"tenure": "sheltered"})
    officer = api_client(make_user(org, "staff"))
    assert len(_notified(officer, org)) == 2
    # Putting it right: the member stands down and the Board complies again.
    seats = api.get(core(org, f"bodies/{seated_board['id']}/memberships?per_page=50")).get_json()["items"]
    theirs = next(s for s in seats if s.get("participant_id") == estate["tenants"][2])
    ended = api.patch(
        core(org, f"bodies/{seated_board['id']}/memberships/{theirs['id']}"),
        json={"ends_on": "2025-12-31"},
    )
    assert ended.status_code == 200, ended.get_json()
    assert _check(api, org)["complies"] is True


def test_street_rep_limit_is_rechecked_when_a_households_tenure_changes(api, org, estate):
    # 27 homes on Ash Grove and all 5 on Birch Road (2 leasehold): 30 tenancy holders, the limit.
    homes = estate["ash_homes"][:27] + estate["birch_homes"]
    rep = appoint(api, org, estate["tenants"][0], homes)
    assert rep.status_code == 201, rep.get_json()
    assert _check(api, org)["complies"] is True
    # A leasehold home is bought back by the Trust and let on a tenancy: now 31 tenancy holders.
    relet = api.patch(core(org, f"households/{estate['birch_homes'][0]}"), json={"tenure": "general_needs"})
    assert relet.status_code == 200, relet.get_json()
    after = _check(api, org)
    assert after["complies"] is False
    assert [(r["patch_name"], r["tenancy_holders"]) for r in after["reps_over_limit"]] == [("Ash Grove", 31)]
    row = next(pi for pi in _board_pis(api, org)["pis"] if pi["code"] == "street_reps_over_limit")
    assert (row["value"], row["complies"]) == (1, False)
    assert any("speaks for 31 tenancy holders" in subject for subject in _notified(api, org))


def test_compliance_page_shows_the_board_and_the_breaches(
    client, login_as, make_user, org, estate, api, seated_board
):
    api.patch(core(org, f"households/{estate['ash_homes'][1]}"), json={"tenure": "shared_ownership"})
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/plugins/street_reps/compliance")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tenant1 Holder holds a resident seat reserved for tenancy holders" in html
    assert "govuk-warning-text" in html and "<caption" in html
    pis = client.get(f"/o/{org.slug}/plugins/street_reps/board-pis?period=2025-26-Q1").get_data(as_text=True)
    assert "Rule broken" in pis and "Tenant1 Holder" in pis


def test_compliance_is_clean_when_the_rules_are_met(api, org, estate, seated_board):
    report = _check(api, org)
    assert report["complies"] is True and report["breaches"] == [] and report["reps_over_limit"] == []
    assert report["checked_on"] == date.today().isoformat()
