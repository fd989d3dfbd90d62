"""``/venues`` with their access features, and ``/activities/<id>/access-plan``: what an activity must
provide for the people registered and what its venue lacks."""

from datetime import UTC, datetime

import pytest

from core.models import Participant
from core.tenancy import organisation_scope

EVENING = "2025-05-01T18:00:00+01:00"


@pytest.fixture
def org(make_org):
    return make_org("access-homes")


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


@pytest.fixture
def person(org, db_session):
    """``person(**needs)`` → the id of a new participant of the organisation."""

    def create(**fields):
        with organisation_scope(org.id):
            participant = Participant(first_name="Alex", last_name="Resident", **fields)
            db_session.add(participant)
            db_session.flush()
            participant_id = participant.id
        db_session.commit()
        return participant_id

    return create


def url(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


def activity_for(api, org, people, **fields):
    body = {"title": "Customer forum", "kind": "meeting", "starts_at": EVENING, **fields}
    activity = api.post(url(org, "activities"), json=body).get_json()
    for participant_id in people:
        response = api.post(
            url(org, f"activities/{activity['id']}/participations"), json={"participant_id": participant_id}
        )
        assert response.status_code == 201
    return activity


def plan_of(api, org, activity):
    response = api.get(url(org, f"activities/{activity['id']}/access-plan"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def by_item(plan):
    return {p["item"]: p for p in plan["provisions"]}


# -- venues -------------------------------------------------------------------------------


def test_venues_crud_with_features(api, org):
    hall = api.post(
        url(org, "venues"),
        json={"name": "Community hall", "features": ["hearing_loop", "step_free_access", "hearing_loop"]},
    )
    assert hall.status_code == 201 and hall.get_json()["features"] == ["hearing_loop", "step_free_access"]
    api.post(url(org, "venues"), json={"name": "Office", "address": "1 High Street"})
    looped = api.get(url(org, "venues?feature=hearing_loop")).get_json()
    assert [v["name"] for v in looped["items"]] == ["Community hall"] and looped["total"] == 1
    hall_id = hall.get_json()["id"]
    patched = api.patch(url(org, f"venues/{hall_id}"), json={"features": ["accessible_toilet"]})
    assert patched.get_json()["features"] == ["accessible_toilet"]
    assert api.delete(url(org, f"venues/{hall_id}")).status_code == 204


def test_venue_features_come_from_the_vocabulary(api, org):
    response = api.post(url(org, "venues"), json={"name": "Hall", "features": ["helipad"]})
    assert response.status_code == 422 and "features.0" in response.get_json()["error"]["fields"]


def test_a_venue_with_activities_cannot_be_deleted(api, org):
    venue = api.post(url(org, "venues"), json={"name": "Hall"}).get_json()
    activity_for(api, org, [], venue_id=venue["id"])
    assert api.delete(url(org, f"venues/{venue['id']}")).status_code == 409


# -- access plans -------------------------------------------------------------------------


def test_the_plan_lists_each_provision_with_who_needs_it_and_what_the_venue_lacks(
    api, org, person, db_session
):
    hall = api.post(
        url(org, "venues"), json={"name": "Hall", "features": ["hearing_loop", "quiet_room"]}
    ).get_json()
    deaf_driver = person(access_needs=["transport", "hearing_loop"], formats=["large_print"])
    polish = person(
        access_needs=["language_interpreter", "step_free_access"], language="Polish", formats=["standard"]
    )
    signer = person(access_needs=["bsl_interpreter", "evening_meetings"], formats=["braille", "large_print"])
    urdu = person(language="Urdu")
    daytime = person(access_needs=["daytime_meetings", "accessible_toilet"], language="English")
    erased = person(access_needs=["transport"])
    person(access_needs=["transport"])  # not registered
    registered = [deaf_driver, polish, signer, urdu, daytime, erased]
    activity = activity_for(api, org, registered, venue_id=hall["id"])
    activity_for(api, org, [person(access_needs=["childcare"])])  # another activity's needs stay there
    with organisation_scope(org.id):  # erased after registering: nothing of them is left to plan for
        db_session.get(Participant, erased).erased_at = datetime(2025, 1, 1, tzinfo=UTC)
        db_session.flush()
    db_session.commit()

    plan = plan_of(api, org, activity)
    assert plan["registered"] == 6 and plan["venue_id"] == hall["id"]
    items = by_item(plan)
    assert list(items) == [
        "transport",
        "bsl_interpreter",
        "language_interpreter",
        "translated_papers",
        "large_print_papers",
        "braille_papers",
        "hearing_loop",
        "step_free_access",
        "accessible_toilet",
        "daytime_meetings",
        "evening_meetings",
    ]
    assert items["transport"] == {
        "item": "transport",
        "count": 1,
        "participant_ids": [deaf_driver],
        "status": "to_arrange",
        "venue_feature": None,
        "languages": None,
    }
    assert items["large_print_papers"]["count"] == 2
    assert items["large_print_papers"]["participant_ids"] == sorted([deaf_driver, signer])
    assert items["braille_papers"]["participant_ids"] == [signer]
    assert items["language_interpreter"]["languages"] == [
        {"language": "Polish", "count": 1, "participant_ids": [polish]}
    ]
    assert items["translated_papers"]["count"] == 2
    assert [entry["language"] for entry in items["translated_papers"]["languages"]] == ["Polish", "Urdu"]
    assert (items["hearing_loop"]["status"], items["hearing_loop"]["venue_feature"]) == (
        "venue_has",
        "hearing_loop",
    )
    assert items["step_free_access"]["status"] == "venue_lacks"
    assert plan["venue_lacks"] == ["step_free_access", "accessible_toilet"]
    assert plan["venue_unknown"] == []
    assert items["evening_meetings"]["status"] == "time_suits"
    assert items["daytime_meetings"]["status"] == "time_clashes" and plan["time_clashes"] == [
        "daytime_meetings"
    ]


def test_without_a_venue_every_venue_need_is_unknown(api, org, person):
    needs = person(access_needs=["hearing_loop", "step_free_access", "accessible_toilet", "transport"])
    plan = plan_of(api, org, activity_for(api, org, [needs]))
    assert plan["venue_id"] is None and plan["venue_lacks"] == []
    assert plan["venue_unknown"] == ["hearing_loop", "step_free_access", "accessible_toilet"]
    assert by_item(plan)["transport"]["status"] == "to_arrange"


def test_meeting_times_are_judged_in_uk_local_time(api, org, person):
    daytime = person(access_needs=["daytime_meetings"])
    summer = activity_for(api, org, [daytime], starts_at="2025-07-01T16:30:00Z")  # 17:30 BST
    winter = activity_for(api, org, [daytime], starts_at="2025-01-15T16:30:00Z")  # 16:30 GMT
    assert by_item(plan_of(api, org, summer))["daytime_meetings"]["status"] == "time_clashes"
    assert by_item(plan_of(api, org, winter))["daytime_meetings"]["status"] == "time_suits"


def test_an_interpreter_need_without_a_language_says_so(api, org, person):
    needs = person(access_needs=["language_interpreter"])
    plan = plan_of(api, org, activity_for(api, org, [needs]))
    assert by_item(plan)["language_interpreter"]["languages"][0]["language"] == "not recorded"
    assert "translated_papers" not in by_item(plan)


def test_an_activity_with_nobody_needing_anything_has_an_empty_plan(api, org, person):
    plan = plan_of(
        api, org, activity_for(api, org, [person(formats=["standard"]), person(access_needs=None)])
    )
    assert plan["registered"] == 2 and plan["provisions"] == [] and plan["venue_lacks"] == []


def test_viewers_see_counts_but_not_who(api, org, person, make_user, api_client):
    activity = activity_for(api, org, [person(access_needs=["transport"], language="Somali")])
    plan = plan_of(api_client(make_user(org, "viewer")), org, activity)
    items = by_item(plan)
    assert items["transport"]["count"] == 1 and items["transport"]["participant_ids"] == []
    assert items["translated_papers"]["languages"] == [
        {"language": "Somali", "count": 1, "participant_ids": []}
    ]


def test_the_plan_is_served_by_a_bounded_number_of_statements(api, org, person, count_queries):
    needs = {"access_needs": ["transport", "hearing_loop"], "formats": ["braille"], "language": "Polish"}
    few = activity_for(api, org, [person(**needs) for _ in range(2)])
    many = activity_for(api, org, [person(**needs) for _ in range(30)])
    with count_queries() as seen_few:
        plan_of(api, org, few)
    with count_queries() as seen_many:
        plan = plan_of(api, org, many)
    assert by_item(plan)["transport"]["count"] == 30
    assert len(seen_many) == len(seen_few) <= 8


def test_another_organisations_activity_has_no_plan_here(api, org, make_org, make_user, api_client):
    other = make_org()
    theirs = activity_for(api_client(make_user(other, "staff")), other, [])
    assert api.get(url(org, f"activities/{theirs['id']}/access-plan")).status_code == 404
