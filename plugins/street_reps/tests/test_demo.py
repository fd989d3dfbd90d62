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
