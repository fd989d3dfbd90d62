"""The demo data: realistic, within the plugin's own rules, and added once."""

from sqlalchemy import func, select

from core.tenancy import organisation_scope
from plugins.street_reps.tests.conftest import url


def test_demo_data_builds_on_core_demo_and_is_idempotent(org, api, db_session):
    from core.demo_data import load_demo_records
    from plugins.street_reps.demo import load_demo
    from plugins.street_reps.models import Grant, StreetRep, Walkabout
    from plugins.street_reps.schemas.settings import load_settings

    load_demo_records(org)
    with organisation_scope(org.id):
        load_demo(org, load_settings({}))
        load_demo(org, load_settings({}))
        assert db_session.scalar(select(func.count(StreetRep.id))) == 4
        assert db_session.scalar(select(func.count(Grant.id))) == 2
        assert db_session.scalar(select(func.count(Walkabout.id))) == 8
    db_session.commit()
    coverage = api.get(url(org, "coverage")).get_json()
    assert 0 < coverage["covered"] < coverage["tenancy_households"]
    assert api.get(url(org, "uncovered-streets")).get_json()["total"] > 0
    forum_year = api.get(url(org, "forum/budgets")).get_json()["items"][0]
    assert forum_year["remaining_pence"] == 1_500_000 - 669_000


def test_demo_board_is_believable_and_its_breach_is_visible(org, api, db_session):
    """The demo Board seats tenancy holders in its reserved seats; one of them has just bought their
    home, and the compliance check, the Board PIs and the officers' notifications all say so."""
    from core.demo_data import load_demo_records
    from plugins.street_reps.demo import load_demo
    from plugins.street_reps.schemas.settings import load_settings

    load_demo_records(org)
    with organisation_scope(org.id):
        load_demo(org, load_settings({}))
    db_session.commit()
    report = api.get(url(org, "compliance")).get_json()
    (board,) = report["boards"]
    assert board["reserved"] == 4 and board["tenancy_holders"] == 3 and board["vacant_reserved"] == 1
    assert board["members"] >= 8 and {p["seat_type"] for p in board["people"]} >= {
        "councillor",
        "independent",
    }
    assert report["complies"] is False and len(report["breaches"]) == 1
    assert "holds a resident seat reserved for tenancy holders" in report["breaches"][0]["message"]
    pis = api.get(url(org, "board-pis?period=2025-26-Q1")).get_json()
    assert next(pi for pi in pis["pis"] if pi["code"] == "board_tenancy_holders")["complies"] is False
    notices = api.get(f"/api/v1/orgs/{org.slug}/notifications").get_json()["items"]
    assert any("Halton rule broken" in n["subject"] for n in notices)
