"""The yearly conversion: pence at the rate, one per member per year, spend once, safe after a crash."""

from datetime import date

import pytest
from sqlalchemy import func, select

from core.models import Spend
from core.tenancy import organisation_scope
from plugins.reward_points import conversion
from plugins.reward_points.models import RewardConversion, RewardEntry
from plugins.reward_points.settings import SchemeYears
from plugins.reward_points.tests.conftest import url


def _members_with_points(world, points_each):
    """Members whose balances in 2025-26 are ``points_each`` (contribution awards of up to 10)."""
    made = []
    for n, points in enumerate(points_each):
        member = world.member()
        remaining, k = points, 0
        while remaining > 0:
            assert world.award(member, f"seed-{n}-{k}-key", points=min(10, remaining)).status_code == 201
            remaining, k = remaining - min(10, remaining), k + 1
        made.append(member)
    return made


def _totals(world, year="2025-26"):
    response = world.api.get(url(world.org, f"conversions/totals?scheme_year={year}"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _ledger_state(org_id, db_session):
    with organisation_scope(org_id):
        return {
            "entries": db_session.scalar(select(func.count(RewardEntry.id))),
            "balance": db_session.scalar(select(func.coalesce(func.sum(RewardEntry.points), 0))),
            "conversions": db_session.scalar(select(func.count(RewardConversion.id))),
            "pence": db_session.scalar(select(func.coalesce(func.sum(RewardConversion.value_pence), 0))),
            "spend": db_session.scalar(
                select(func.coalesce(func.sum(Spend.amount_pence), 0)).where(Spend.category == "rewards")
            ),
            "spend_rows": db_session.scalar(select(func.count(Spend.id)).where(Spend.category == "rewards")),
        }


def test_conversion_turns_points_into_pence_rounded_half_up(make_world):
    world = make_world(pence_per_point="2.5")
    five, seven = _members_with_points(world, [5, 7])
    assert world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"}).status_code == 202
    listed = world.api.get(url(world.org, "conversions?scheme_year=2025-26")).get_json()["items"]
    # 5 × 2.5 = 12.5 → 13 pence; 7 × 2.5 = 17.5 → 18 pence (half up, never a float).
    assert sorted((c["points"], c["value_pence"]) for c in listed) == [(5, 13), (7, 18)]
    assert world.balance(five) == 0 and world.balance(seven) == 0
    conversion_entry = world.entries(five)[-1]
    assert conversion_entry["kind"] == "conversion" and conversion_entry["points"] == -5
    assert conversion_entry["idempotency_key"] == f"conversion:2025:{five['id']}"


def test_rule_conversion_only_after_scheme_year_ends(world):
    this_year = SchemeYears.label(SchemeYears().year_of(date.today()))
    response = world.api.post(url(world.org, "conversions"), json={"scheme_year": this_year})
    assert (
        response.status_code == 409 and "only be converted after" in response.get_json()["error"]["message"]
    )
    bad = world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-27"})
    assert bad.status_code == 422 and "scheme_year" in bad.get_json()["error"]["fields"]


def test_rule_exactly_one_conversion_per_member_per_year(world, db_session):
    _members_with_points(world, [20, 30, 0])
    for _ in range(3):  # a retried job, a second click
        assert (
            world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"}).status_code == 202
        )
    state = _ledger_state(world.org.id, db_session)
    assert state == {
        "entries": 5 + 2,
        "balance": 0,
        "conversions": 2,
        "pence": 500,
        "spend": 500,
        "spend_rows": 2,
    }
    totals = _totals(world)
    assert (totals["members_converted"], totals["points_converted"], totals["value_pence"]) == (2, 50, 500)


def test_points_recorded_late_for_a_converted_year_are_paid_the_next_year(world):
    (member,) = _members_with_points(world, [10])
    world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"})
    assert world.award(member, "late-award-0001", points=4, occurred_on="2025-12-01").status_code == 201
    assert world.balance(member) == 4
    with organisation_scope(world.org.id):
        conversion.convert_scheme_year(2025, commit=True)  # the year again: nothing more
    assert world.balance(member) == 4
    # They wait for the next year's conversion.
    assert _totals(world, "2026-27")["members_converted"] == 0


def test_rule_converted_points_cannot_be_taken_back(world):
    member = world.member()
    meeting = world.meeting()
    participation = world.attend(meeting, member)
    world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"})
    removed = world.api.delete(
        f"/api/v1/orgs/{world.org.slug}/activities/{meeting}/participations/{participation}"
    )
    assert removed.status_code == 409 and "converted" in removed.get_json()["error"]["message"]
    assert [e["points"] for e in world.entries(member)] == [50, -50]  # award and conversion only


def test_voucher_issue_list_and_donation_totals(world):
    a, b, c, d = _members_with_points(world, [10, 20, 30, 40])
    choices = (
        (a, {"reward_choice": "shopping_voucher", "retailer": "Love2shop"}),
        (b, {"reward_choice": "shopping_voucher", "retailer": "Love2shop"}),
        (c, {"reward_choice": "shopping_voucher"}),
        (d, {"reward_choice": "charity_donation", "charity": "Boston Foodbank"}),
    )
    for member, choice in choices:
        assert world.api.patch(url(world.org, f"members/{member['id']}"), json=choice).status_code == 200
    world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"})
    totals = _totals(world)
    assert totals["vouchers"] == [
        {"retailer": "Love2shop", "vouchers": 2, "value_pence": 300},
        {"retailer": None, "vouchers": 1, "value_pence": 300},
    ] or totals["vouchers"] == [
        {"retailer": None, "vouchers": 1, "value_pence": 300},
        {"retailer": "Love2shop", "vouchers": 2, "value_pence": 300},
    ]
    assert totals["donations"] == [{"charity": "Boston Foodbank", "donors": 1, "value_pence": 400}]
    assert (totals["vouchers_pence"], totals["donations_pence"], totals["value_pence"]) == (600, 400, 1000)
    vouchers = world.api.get(url(world.org, "conversions/vouchers.csv?scheme_year=2025-26"))
    assert vouchers.status_code == 200 and vouchers.mimetype == "text/csv"
    lines = vouchers.get_data(as_text=True).strip().splitlines()
    assert lines[0] == "retailer,member_id,participant_id,points,value_gbp" and len(lines) == 4
    assert f"Love2shop,{a['id']},{a['participant_id']},10,1.00" in lines
    donations = world.api.get(url(world.org, "conversions/donations.csv?scheme_year=2025-26"))
    assert donations.get_data(as_text=True).strip().splitlines() == [
        "charity,donors,value_gbp",
        "Boston Foodbank,1,4.00",
    ]


def test_a_crash_midway_then_a_rerun_gives_the_same_totals_as_one_clean_run(
    make_world, db_session, monkeypatch
):
    clean = make_world("clean-run")
    crashed = make_world("crashed-run")
    points = [10, 25, 0, 40, 15]
    _members_with_points(clean, points)
    crash_members = _members_with_points(crashed, points)
    clean.api.post(url(clean.org, "conversions"), json={"scheme_year": "2025-26"})

    real = conversion.convert_batch

    def crash_on_fourth(member_ids, *args, **kwargs):
        if crash_members[3]["id"] in member_ids:
            raise RuntimeError("worker died")
        return real(member_ids, *args, **kwargs)

    monkeypatch.setattr(conversion, "convert_batch", crash_on_fourth)
    with organisation_scope(crashed.org.id), pytest.raises(RuntimeError):
        conversion.convert_scheme_year(2025, commit=True, batch_size=2)
    db_session.rollback()
    partial = _ledger_state(crashed.org.id, db_session)
    assert partial["conversions"] == 2  # batch 1-2 finished; batch 3-4 (3 had nothing) crashed
    monkeypatch.setattr(conversion, "convert_batch", real)
    crashed.api.post(url(crashed.org, "conversions"), json={"scheme_year": "2025-26"})
    assert _ledger_state(crashed.org.id, db_session) == _ledger_state(clean.org.id, db_session)
    without_year = lambda totals: {k: v for k, v in totals.items()}  # noqa: E731
    assert without_year(_totals(crashed)) == without_year(_totals(clean))


def test_rule_conversion_never_overdraws_a_balance_reduced_by_a_later_correction(world):
    (member,) = _members_with_points(world, [30])
    taken = world.award(member, "later-correction", points=-20, kind="correction", occurred_on="2026-05-01")
    assert taken.status_code == 201
    world.api.post(url(world.org, "conversions"), json={"scheme_year": "2025-26"})
    listed = world.api.get(url(world.org, "conversions?scheme_year=2025-26")).get_json()["items"]
    assert [(c["points"], c["value_pence"]) for c in listed] == [(10, 100)]
    assert world.balance(member) == 0


def test_rule_converting_twice_or_after_a_crash_between_batches_equals_one_clean_run(make_world, db_session):
    clean = make_world("clean-batches")
    crashed = make_world("crashed-batches")
    points = [10, 25, 0, 40, 15, 30, 5]
    _members_with_points(clean, points)
    _members_with_points(crashed, points)
    with organisation_scope(clean.org.id):
        conversion.convert_scheme_year(2025, commit=True, batch_size=3)
    clean_state = _ledger_state(clean.org.id, db_session)

    def crash_after_first_batch(member_ids):
        raise RuntimeError("worker died between batches")

    with organisation_scope(crashed.org.id), pytest.raises(RuntimeError):
        conversion.convert_scheme_year(2025, commit=True, batch_size=3, after_batch=crash_after_first_batch)
    db_session.rollback()
    assert _ledger_state(crashed.org.id, db_session)["conversions"] == 2  # 10 and 25; the 0 has nothing
    for _ in range(2):  # the re-run after the crash, then a retry of it
        with organisation_scope(crashed.org.id):
            conversion.convert_scheme_year(2025, commit=True, batch_size=3)
        assert _ledger_state(crashed.org.id, db_session) == clean_state
    with organisation_scope(clean.org.id):  # the clean run converted twice: nothing more
        conversion.convert_scheme_year(2025, commit=True, batch_size=3)
    assert _ledger_state(clean.org.id, db_session) == clean_state
    assert clean_state["balance"] == 0 and clean_state["pence"] == clean_state["spend"] == sum(points) * 10
    assert clean_state["spend_rows"] == clean_state["conversions"] == 6
    assert _totals(crashed) == _totals(clean)


def test_rule_conversion_statements_grow_with_batches_not_members(world, db_session, count_queries):
    _members_with_points(world, [5] * 12)

    def statements(batch_size):
        with organisation_scope(world.org.id), count_queries() as seen:
            conversion.convert_scheme_year(2025, commit=False, batch_size=batch_size)
        db_session.rollback()
        return len(seen)

    one_batch = statements(12)
    three_batches = statements(4)
    # Per batch: lock the members, compute balances, insert spend, conversions, ledger entries.
    assert three_batches - one_batch == 2 * 5, (one_batch, three_batches)
    assert one_batch <= 12, one_batch  # 12 members, yet a handful of statements in all
