"""A Your Voice member's part of their subject-access export and of their erasure."""

from plugins.reward_points.tests.conftest import core_url


def test_rule_an_erased_member_leaves_your_voice_and_the_ledger_stays(world):
    member = world.member()
    assert world.award(member, "erase-award-0001", points=7).status_code == 201
    people = core_url(world.org, f"participants/{member['participant_id']}")

    held = world.api.get(f"{people}/export").get_json()["plugins"]["reward_points"]
    assert held["balance"] == 7 and held["left_on"] is None

    assert world.api.post(f"{people}/erase").status_code == 200
    after = world.api.get(f"{people}/export").get_json()["plugins"]["reward_points"]
    assert after["left_on"] is not None  # no more points, no voucher to send
    assert [e["points"] for e in after["entries"]] == [7]  # the year's accounts still add up
