"""A tenant inspector's and a mystery shopper's records belong to them: their subject-access
export lists them, and erasure removes the free text they wrote while the counts keep the visits."""

from sqlalchemy import select

from core.tenancy import organisation_scope
from plugins.key_targets.models import Finding, Inspection, InspectionResult, Scenario, Shop, ShopScore
from plugins.key_targets.services.people import ERASED_FINDING
from plugins.key_targets.tests.conftest import day


def _person(api, org, name):
    response = api.post(
        f"/api/v1/orgs/{org.slug}/participants", json={"first_name": name, "last_name": "Tenant"}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _records(db_session, org, person, household):
    with organisation_scope(org.id):
        inspection = Inspection(
            household_id=household,
            inspected_on=day(-3),
            inspector_id=person,
            passed=False,
            notes="Mould in bath",
        )
        scenario = Scenario(title="Report a repair", channel="phone", criteria=[])
        db_session.add_all([inspection, scenario])
        db_session.flush()
        db_session.add(
            InspectionResult(
                inspection_id=inspection.id,
                item_key="clean",
                item_label="Clean",
                passed=False,
                comment="Kitchen dirty",
            )
        )
        shop = Shop(
            scenario_id=scenario.id,
            channel="phone",
            shopped_on=day(-2),
            shopper_id=person,
            notes="Call answered by Dave",
        )
        db_session.add(shop)
        db_session.flush()
        db_session.add_all(
            [
                ShopScore(shop_id=shop.id, criterion="greeting", score=3, max_score=5),
                Finding(shop_id=shop.id, text="Dave was rude"),
            ]
        )
        db_session.commit()
        return inspection.id, shop.id


def test_rule_inspections_and_mystery_shops_are_in_the_persons_export_and_their_words_go_on_erasure(
    org, make_user, api_client, db_session
):
    admin = api_client(make_user(org, "org_admin"))
    person = _person(admin, org, "Ines")
    household = admin.post(f"/api/v1/orgs/{org.slug}/households", json={"reference": "GCH-9"}).get_json()[
        "id"
    ]
    inspection_id, shop_id = _records(db_session, org, person, household)
    people = f"/api/v1/orgs/{org.slug}/participants/{person}"

    held = admin.get(f"{people}/export").get_json()["plugins"]["key_targets"]
    [inspection] = held["inspections"]
    assert inspection["notes"] == "Mould in bath" and inspection["items"][0]["comment"] == "Kitchen dirty"
    [shop] = held["mystery_shops"]
    assert shop["scenario"] == "Report a repair" and shop["scores"] == {"greeting": 3}
    assert shop["notes"] == "Call answered by Dave" and shop["findings"] == ["Dave was rude"]
    assert (
        "key_targets"
        not in admin.get(
            f"/api/v1/orgs/{org.slug}/participants/{_person(admin, org, 'Other')}/export"
        ).get_json()["plugins"]
    )

    assert admin.post(f"{people}/erase").status_code == 200
    with organisation_scope(org.id):
        kept = db_session.get(Inspection, inspection_id)
        assert kept is not None and kept.notes is None and kept.passed is False  # still counted
        assert db_session.scalar(select(InspectionResult.comment)) is None
        assert db_session.get(Shop, shop_id).notes is None
        assert db_session.scalar(select(Finding.text)) == ERASED_FINDING
        assert db_session.scalar(select(ShopScore.score)) == 3
