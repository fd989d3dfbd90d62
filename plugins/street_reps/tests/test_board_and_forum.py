"""The Board's reserved seats for tenancy holders and the Customer Forum's environmental budget."""

import threading
from datetime import date

import pytest

from plugins.street_reps.tests.conftest import url


def core(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


@pytest.fixture
def board(api, org):
    return api.post(
        core(org, "bodies"),
        json={"name": "Board", "kind": "board", "seats_total": 12, "decision_making": True},
    ).get_json()


def seat(api, org, board, **fields):
    return api.post(
        core(org, f"bodies/{board['id']}/memberships"), json={"starts_on": "2025-04-01", **fields}
    )


def test_rule_reserved_board_seat_needs_a_tenancy_holder(api, org, board, estate):
    refused = seat(api, org, board, participant_id=estate["leaseholder"], seat_type="resident")
    assert refused.status_code == 409
    assert "reserved for customers who hold a tenancy" in refused.get_json()["error"]["message"]
    assert seat(api, org, board, participant_id=estate["lodger"], seat_type="resident").status_code == 409
    assert seat(api, org, board, external_name="Someone", seat_type="resident").status_code == 409
    accepted = seat(api, org, board, participant_id=estate["tenants"][0], seat_type="resident")
    assert accepted.status_code == 201, accepted.get_json()


def test_rule_one_third_of_board_seats_stay_for_tenancy_holders(api, org, board, estate):
    # 12 seats: 4 reserved, so 8 seats at most for people who are not tenancy holders.
    for n in range(8):
        assert (
            seat(api, org, board, external_name=f"Independent {n}", seat_type="independent").status_code
            == 201
        )
    refused = seat(api, org, board, external_name="Ninth", seat_type="independent")
    assert refused.status_code == 409
    assert "4 of the Board's 12 seats are reserved" in refused.get_json()["error"]["message"]
    # A tenancy holder still gets a seat, of any type.
    assert (
        seat(api, org, board, participant_id=estate["tenants"][1], seat_type="independent").status_code == 201
    )
    # Once the first independent's term ends, the next term may start.
    later = seat(api, org, board, external_name="Later", seat_type="independent", starts_on="2030-01-01")
    assert later.status_code == 409


def test_reserved_share_rounds_up_and_respects_the_body_record(api, org, estate):
    from plugins.street_reps.schemas.settings import load_settings
    from plugins.street_reps.services.board import reserved_seats

    class Body:
        seats_total, reserved_resident_seats = 10, 0

    assert reserved_seats(Body, load_settings({})) == 4
    Body.reserved_resident_seats = 6
    assert reserved_seats(Body, load_settings({})) == 6


def test_other_bodies_are_not_bound_by_the_board_rule(api, org, estate):
    forum = api.post(
        core(org, "bodies"), json={"name": "Customer Forum", "kind": "forum", "seats_total": 3}
    ).get_json()
    assert (
        seat(api, org, forum, participant_id=estate["leaseholder"], seat_type="resident").status_code == 201
    )


def test_board_rule_applies_only_where_the_plugin_is_enabled(make_org, make_user, api_client):
    other = make_org("no-street-reps")
    client = api_client(make_user(other, "staff"))
    board = client.post(
        core(other, "bodies"), json={"name": "Board", "kind": "board", "seats_total": 3}
    ).get_json()
    response = client.post(
        core(other, f"bodies/{board['id']}/memberships"),
        json={"starts_on": "2025-04-01", "external_name": "X", "seat_type": "resident"},
    )
    assert response.status_code == 201


# -- Customer Forum budget --------------------------------------------------------------------


@pytest.fixture
def budget(api, org):
    response = api.post(url(org, "forum/budgets"), json={"period": "2025-26", "amount_pence": 500000})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def allocate(api, org, budget, amount, **fields):
    return api.post(
        url(org, f"forum/budgets/{budget['id']}/allocations"),
        json={"title": "Alley gating", "amount_pence": amount, "allocated_on": "2025-06-01", **fields},
    )


def test_allocations_are_core_spend_and_reduce_the_balance(api, org, budget):
    first = allocate(api, org, budget, 120000)
    assert first.status_code == 201, first.get_json()
    spend = api.get(core(org, f"spend/{first.get_json()['spend_id']}")).get_json()
    assert (
        spend["amount_pence"] == 120000 and spend["category"] == "other" and spend["spent_on"] == "2025-06-01"
    )
    shown = api.get(url(org, f"forum/budgets/{budget['id']}")).get_json()
    assert shown["allocated_pence"] == 120000 and shown["remaining_pence"] == 380000
    assert (
        api.delete(url(org, f"forum/budgets/{budget['id']}/allocations/{first.get_json()['id']}")).status_code
        == 204
    )
    assert api.get(core(org, f"spend/{first.get_json()['spend_id']}")).status_code == 404
    assert api.get(url(org, f"forum/budgets/{budget['id']}")).get_json()["remaining_pence"] == 500000


def test_rule_forum_allocation_cannot_overspend_the_budget(api, org, budget):
    assert allocate(api, org, budget, 400000).status_code == 201
    refused = allocate(api, org, budget, 100001)
    assert refused.status_code == 409
    assert "would overspend" in refused.get_json()["error"]["message"]
    assert "£1,000.00 remains" in refused.get_json()["error"]["message"]
    assert allocate(api, org, budget, 100000).status_code == 201
    cut = api.patch(url(org, f"forum/budgets/{budget['id']}"), json={"amount_pence": 1000})
    assert cut.status_code == 409


def test_budget_rules_one_per_year_and_dates_inside_it(api, org, budget):
    again = api.post(url(org, "forum/budgets"), json={"period": "2025-26", "amount_pence": 1})
    assert again.status_code == 409
    quarter = api.post(url(org, "forum/budgets"), json={"period": "2025-26-Q1", "amount_pence": 1})
    assert quarter.status_code == 422 and "period" in quarter.get_json()["error"]["fields"]
    outside = allocate(api, org, budget, 100, allocated_on="2026-04-01")
    assert outside.status_code == 422 and "allocated_on" in outside.get_json()["error"]["fields"]


def test_forum_year_counts_meetings_against_six(api, org, budget):
    forum = api.post(core(org, "bodies"), json={"name": "Customer Forum", "kind": "forum"}).get_json()
    for month in (5, 7):
        api.post(
            core(org, "activities"),
            json={
                "title": "Forum",
                "kind": "meeting",
                "status": "held",
                "starts_at": f"2025-0{month}-10T18:00:00+00:00",
                "body_id": forum["id"],
            },
        )
    year = api.get(url(org, "forum?period=2025-26")).get_json()
    assert year["meetings_held"] == 2 and year["meetings_expected"] == 6 and year["forum_id"] == forum["id"]
    assert year["budget"]["remaining_pence"] == 500000


@pytest.mark.postgres
def test_rule_forum_allocation_cannot_overspend_when_two_allocate_at_once(app):
    """Two officers allocate 3,000 of a 5,000 budget at the same moment: the budget row lock makes
    the second wait for the first and then refuse; without it both would pass and overspend."""
    from core.testing import backend

    if backend() != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter (SQLite serialises writers on the file)")
    from sqlalchemy import column, func, select, table

    from core.errors import Conflict
    from core.extensions import db
    from core.models import Organisation, OrganisationPlugin, Spend
    from core.tenancy import organisation_scope
    from plugins.street_reps.models import ForumAllocation, ForumBudget
    from plugins.street_reps.schemas.settings import load_settings
    from plugins.street_reps.services import forum

    settings = load_settings({})
    values = {"title": "Planters", "amount_pence": 300000, "allocated_on": date(2025, 6, 1)}
    with app.app_context():
        organisation = Organisation(
            slug="race-homes", name="Race Homes", kind="landlord", status="active", settings={}
        )
        db.session.add(organisation)
        db.session.commit()
        org_id = organisation.id
        with organisation_scope(org_id):
            db.session.add(
                OrganisationPlugin(
                    organisation_id=org_id, plugin_name="street_reps", enabled=True, settings={}
                )
            )
            budget = ForumBudget(period="2025-26", amount_pence=500000)
            db.session.add(budget)
            db.session.flush()
            budget_id = budget.id
            db.session.commit()
    outcome = {}
    try:
        with app.app_context(), organisation_scope(org_id):
            forum.allocate(budget_id, dict(values), settings)  # holds the lock, not committed

            def second():
                with app.app_context(), organisation_scope(org_id):
                    outcome["pid"] = db.session.scalar(select(func.pg_backend_pid()))
                    try:
                        forum.allocate(budget_id, dict(values), settings)
                        db.session.commit()
                        outcome["result"] = "allocated"
                    except Conflict as error:
                        db.session.rollback()
                        outcome["result"] = error.message

            worker = threading.Thread(target=second)
            worker.start()
            waiting = False
            for _ in range(500):  # bounded: until the second request waits on our lock or finishes
                worker.join(0.02)
                if not worker.is_alive():
                    break
                pid = outcome.get("pid")
                locks = table("pg_locks", column("pid"), column("granted"))
                blocked = select(func.count()).select_from(locks).where(locks.c.pid == pid, ~locks.c.granted)
                if pid is not None and db.session.scalar(blocked):
                    waiting = True
                    break
            assert waiting, f"the second allocation did not wait for the budget lock: {outcome}"
            db.session.commit()
        worker.join(30)
        assert "would overspend" in outcome["result"]
    finally:
        with app.app_context(), organisation_scope(org_id):
            for model in (ForumAllocation, ForumBudget, Spend, OrganisationPlugin):
                for row in db.session.scalars(select(model)):
                    db.session.delete(row)
                db.session.flush()
            db.session.commit()
        with app.app_context():
            db.session.delete(db.session.get(Organisation, org_id))
            db.session.commit()


def test_forum_full_membership_meetings_with_three_councillors_and_three_independents_are_tracked(
    api, org, estate
):
    forum = api.post(core(org, "bodies"), json={"name": "Customer Forum", "kind": "forum"}).get_json()
    seats = {}
    for kind, count in (("councillor", 3), ("independent", 3)):
        seats[kind] = [
            seat(api, org, forum, external_name=f"{kind.title()} {n}", seat_type=kind).get_json()["id"]
            for n in range(count)
        ]
    resident = seat(api, org, forum, participant_id=estate["tenants"][0], seat_type="resident").get_json()[
        "id"
    ]

    def meeting(day, status="held"):
        body = {
            "title": "Customer Forum",
            "kind": "meeting",
            "starts_at": f"{day}T18:00:00+00:00",
            "status": status,
        }
        return api.post(core(org, "activities"), json={**body, "body_id": forum["id"]}).get_json()["id"]

    full, short, planned = meeting("2025-06-10"), meeting("2025-09-10"), meeting("2099-01-10", "planned")
    everyone = seats["councillor"] + seats["independent"]
    recorded = api.put(url(org, f"forum/meetings/{full}/full-membership"), json={"membership_ids": everyone})
    assert recorded.status_code == 200, recorded.get_json()
    assert (recorded.get_json()["councillors_present"], recorded.get_json()["full_membership"]) == (3, True)
    two_councillors = seats["councillor"][:2] + seats["independent"]
    partial = api.put(
        url(org, f"forum/meetings/{short}/full-membership"), json={"membership_ids": two_councillors}
    )
    assert partial.get_json()["full_membership"] is False
    # Only the Forum's councillor and independent seats count; a resident's seat is core participation.
    wrong = api.put(url(org, f"forum/meetings/{short}/full-membership"), json={"membership_ids": [resident]})
    assert wrong.status_code == 422 and "membership_ids" in wrong.get_json()["error"]["fields"]
    board = api.post(core(org, "bodies"), json={"name": "Board", "kind": "board"}).get_json()
    board_meeting = api.post(
        core(org, "activities"),
        json={
            "title": "Board",
            "kind": "meeting",
            "starts_at": "2025-06-11T18:00:00+00:00",
            "body_id": board["id"],
        },
    ).get_json()["id"]
    not_forum = api.put(
        url(org, f"forum/meetings/{board_meeting}/full-membership"), json={"membership_ids": []}
    )
    assert not_forum.status_code == 422 and "activity_id" in not_forum.get_json()["error"]["fields"]
    year = api.get(url(org, "forum/meetings?period=2025-26")).get_json()
    assert (year["full_membership_meetings_held"], year["full_membership_meetings_expected"]) == (1, 2)
    assert [m["full_membership"] for m in year["items"]] == [True, False]
    forum_year = api.get(url(org, "forum?period=2025-26")).get_json()
    assert forum_year["full_membership_meetings_held"] == 1
    assert (
        api.put(
            url(org, f"forum/meetings/{planned}/full-membership"), json={"membership_ids": everyone}
        ).get_json()["full_membership"]
        is False
    )  # not held yet
