"""Street representatives: the tenancy-holder limit, one representative per household, coverage."""

from plugins.street_reps.tests.conftest import appoint, url


def test_appoint_a_representative_with_a_patch(api, org, estate):
    response = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:10])
    assert response.status_code == 201, response.get_json()
    rep = response.get_json()
    assert rep["households"] == 10 and rep["tenancy_holders"] == 10 and rep["name"] == "Tenant0 Holder"
    patch = api.get(url(org, f"reps/{rep['id']}/households")).get_json()
    assert [h["reference"] for h in patch["households"]][:2] == ["ASH000", "ASH001"]


def test_rule_street_rep_speaks_for_at_most_30_tenancy_holders(api, org, estate):
    rep = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:30]).get_json()
    assert rep["tenancy_holders"] == 30
    refused = api.post(
        url(org, f"reps/{rep['id']}/households"), json={"household_ids": [estate["ash_homes"][30]]}
    )
    assert refused.status_code == 409
    message = refused.get_json()["error"]["message"]
    assert "at most 30 tenancy holders" in message and "bring it to 31" in message
    # Leaseholders' homes do not count towards the limit.
    leasehold = api.post(
        url(org, f"reps/{rep['id']}/households"), json={"household_ids": estate["birch_homes"][:2]}
    )
    assert leasehold.status_code == 200, leasehold.get_json()
    assert leasehold.get_json()["rep"]["tenancy_holders"] == 30
    assert leasehold.get_json()["rep"]["households"] == 32


def test_rule_appointing_beyond_the_limit_is_refused_at_once(api, org, estate):
    refused = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:31])
    assert refused.status_code == 409
    assert "31" in refused.get_json()["error"]["message"]
    assert api.get(url(org, "reps")).get_json()["total"] == 0


def test_the_limit_is_a_setting(make_org, make_user, api_client, db_session):
    from core.models import Household
    from core.tenancy import organisation_scope

    small = make_org("small-limit", plugins={"street_reps": {"max_tenancy_holders_per_rep": 2}})
    client = api_client(make_user(small, "staff"))
    with organisation_scope(small.id):
        from core.models import Participant

        homes = [Household(reference=f"H{n}", tenure="general_needs") for n in range(3)]
        db_session.add_all(homes)
        db_session.flush()
        person = Participant(first_name="A", last_name="B", household_id=homes[0].id, is_tenancy_holder=True)
        db_session.add(person)
        db_session.flush()
        ids, person_id = [h.id for h in homes], person.id
    db_session.commit()
    refused = appoint(client, small, person_id, ids)
    assert (
        refused.status_code == 409 and "at most 2 tenancy holders" in refused.get_json()["error"]["message"]
    )


def test_rule_a_household_has_one_street_rep_at_most(api, org, estate):
    first = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:5]).get_json()
    second = appoint(api, org, estate["tenants"][1], patch_name="Ash Grove north").get_json()
    refused = api.post(
        url(org, f"reps/{second['id']}/households"), json={"household_ids": estate["ash_homes"][4:6]}
    )
    assert refused.status_code == 409
    assert "ASH004" in refused.get_json()["error"]["message"]
    # Standing down frees the patch for another representative.
    api.patch(url(org, f"reps/{first['id']}"), json={"stood_down_on": first["appointed_on"]})
    moved = api.post(
        url(org, f"reps/{second['id']}/households"), json={"household_ids": estate["ash_homes"][4:6]}
    )
    assert moved.status_code == 200 and moved.get_json()["rep"]["households"] == 2


def test_the_database_refuses_a_household_in_two_patches(org, estate, db_session):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from core.tenancy import organisation_scope
    from plugins.street_reps.models import PatchHousehold, StreetRep

    with organisation_scope(org.id):
        reps = [
            StreetRep(participant_id=p, patch_name="x", appointed_on=__import__("datetime").date.today())
            for p in estate["tenants"][:2]
        ]
        db_session.add_all(reps)
        db_session.flush()
        db_session.add(
            PatchHousehold(
                rep_id=reps[0].id, household_id=estate["ash_homes"][0], added_on=reps[0].appointed_on
            )
        )
        db_session.flush()
        with pytest.raises(IntegrityError), db_session.begin_nested():
            db_session.add(
                PatchHousehold(
                    rep_id=reps[1].id, household_id=estate["ash_homes"][0], added_on=reps[0].appointed_on
                )
            )


def test_coverage_per_area_and_uncovered_streets(api, org, estate):
    appoint(api, org, estate["tenants"][0], estate["ash_homes"][:30])
    coverage = api.get(url(org, "coverage")).get_json()
    # 40 on Ash Grove + 3 general-needs on Birch Road hold tenancies; 30 are covered.
    assert coverage["tenancy_households"] == 43 and coverage["covered"] == 30
    assert coverage["percent"] == 69.8
    by_name = {a["name"]: a for a in coverage["areas"]}
    assert by_name["Castlefields"]["tenancy_households"] == 43 and by_name["Castlefields"]["covered"] == 30
    assert by_name["Ash Grove"]["percent"] == 75.0 and by_name["Birch Road"]["percent"] == 0.0
    streets = api.get(url(org, "uncovered-streets")).get_json()
    assert [(s["name"], s["uncovered"], s["within"]) for s in streets["items"]] == [
        ("Ash Grove", 10, "Castlefields"),
        ("Birch Road", 3, "Castlefields"),
    ]


def test_coverage_with_no_households_is_null(api, org):
    coverage = api.get(url(org, "coverage")).get_json()
    assert coverage == {"tenancy_households": 0, "covered": 0, "percent": None, "areas": []}


def test_representatives_put_forward_views_that_are_answered(api, org, estate):
    rep = appoint(api, org, estate["tenants"][0], appointed_on="2025-04-01").get_json()
    view = api.post(
        url(org, f"reps/{rep['id']}/views"),
        json={
            "topic": "community_safety",
            "summary": "Lighting on the path",
            "view": "Residents feel unsafe.",
            "submitted_on": "2025-05-01",
        },
    )
    assert view.status_code == 201, view.get_json()
    view = view.get_json()
    assert view["answer_due_on"] == "2025-05-29" and view["status"] == "submitted" and view["overdue"] is True
    assert api.get(url(org, "views?overdue=true")).get_json()["total"] == 1
    assert api.patch(url(org, f"views/{view['id']}"), json={"status": "closed"}).status_code == 409
    answered = api.patch(
        url(org, f"views/{view['id']}"), json={"answer": "New lamps ordered.", "answered_on": "2025-05-20"}
    )
    assert answered.status_code == 200 and answered.get_json()["status"] == "answered"
    assert api.get(url(org, "views?overdue=true")).get_json()["total"] == 0
    bad_topic = api.post(
        url(org, f"reps/{rep['id']}/views"),
        json={"topic": "weather", "summary": "x", "view": "y", "submitted_on": "2025-05-01"},
    )
    assert bad_topic.status_code == 422 and "topic" in bad_topic.get_json()["error"]["fields"]


def test_validation_names_the_field(api, org, estate):
    response = api.post(
        url(org, "reps"), json={"participant_id": 999999, "patch_name": "x", "appointed_on": "2025-01-01"}
    )
    assert response.status_code == 422 and "participant_id" in response.get_json()["error"]["fields"]
    response = appoint(api, org, estate["tenants"][0], [999999])
    assert response.status_code == 422 and "household_ids" in response.get_json()["error"]["fields"]
