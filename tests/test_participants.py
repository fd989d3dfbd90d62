"""``/participants`` and ``/participants/import``: residents known to the involvement service."""

from datetime import UTC, datetime

import pytest

from core.models import Activity, Participation
from core.tenancy import organisation_scope

BASE = "/api/v1/orgs/bay-homes"
URL = f"{BASE}/participants"
CSV = {"Content-Type": "text/csv"}


@pytest.fixture
def org(make_org):
    return make_org("bay-homes")


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


def add(api, **fields):
    response = api.post(URL, json={"first_name": "Ann", "last_name": "Lee", **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def names(api, query=""):
    return [f"{p['first_name']} {p['last_name']}" for p in api.get(f"{URL}?{query}").get_json()["items"]]


def test_create_with_every_field_and_read_it_back(api):
    household = api.post(f"{BASE}/households", json={"reference": "H-1"}).get_json()
    body = {
        "reference": "P-1",
        "first_name": "Ann",
        "last_name": "Lee",
        "household_id": household["id"],
        "is_tenancy_holder": True,
        "email": "ann@example.org",
        "phone": "01234 567890",
        "preferred_level": "decision_making",
        "channels": ["email", "post"],
        "formats": ["large_print"],
        "language": "Polish",
        "access_needs": ["hearing_loop", "language_interpreter"],
        "interests": ["repairs", "estate services"],
        "contact_consent": True,
        "consent_given_on": "2025-05-01",
        "consent_method": "written",
        "representative_name": "Bob Lee",
        "representative_contact": "07700 900000",
    }
    created = api.post(URL, json=body)
    assert created.status_code == 201, created.get_json()
    participant = api.get(f"{URL}/{created.get_json()['id']}").get_json()
    assert {key: participant[key] for key in body} == body
    assert participant["erased_at"] is None and participant["created_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"last_name": "Lee"}, "first_name"),
        ({"first_name": "Ann"}, "last_name"),
        ({"first_name": " ", "last_name": "Lee"}, "first_name"),
        ({"first_name": "Ann", "last_name": "Lee", "preferred_level": "loud"}, "preferred_level"),
        ({"first_name": "Ann", "last_name": "Lee", "formats": ["smoke_signals"]}, "formats.0"),
        ({"first_name": "Ann", "last_name": "Lee", "access_needs": ["x"]}, "access_needs.0"),
        ({"first_name": "Ann", "last_name": "Lee", "channels": ["pigeon"]}, "channels.0"),
        ({"first_name": "Ann", "last_name": "Lee", "email": "not-an-email"}, "email"),
        ({"first_name": "Ann", "last_name": "Lee", "consent_given_on": "01/05/2025"}, "consent_given_on"),
        ({"first_name": "Ann", "last_name": "Lee", "consent_method": "telepathy"}, "consent_method"),
        ({"first_name": "Ann", "last_name": "Lee", "household_id": 999999}, "household_id"),
        ({"first_name": "Ann", "last_name": "Lee", "age_band": "25_34"}, "age_band"),
    ],
)
def test_invalid_participants_are_422_naming_the_field(api, body, field):
    response = api.post(URL, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_household_of_another_organisation_is_refused(api, make_org, make_user, api_client):
    make_org("far-homes")
    theirs = api_client(make_user(make_org("far-homes-2"), "staff"))
    household = theirs.post("/api/v1/orgs/far-homes-2/households", json={"reference": "T"}).get_json()
    response = api.post(URL, json={"first_name": "A", "last_name": "B", "household_id": household["id"]})
    assert response.status_code == 422 and "household_id" in response.get_json()["error"]["fields"]


def test_reference_is_unique_per_organisation(api):
    add(api, reference="P-1")
    response = api.post(URL, json={"first_name": "Bo", "last_name": "Ng", "reference": "P-1"})
    assert response.status_code == 409 and "P-1" in response.get_json()["error"]["message"]


def test_search_by_name_ignores_case_and_order(api):
    add(api, first_name="Ann", last_name="Lee")
    add(api, first_name="Bob", last_name="Annand")
    add(api, first_name="Cy", last_name="Young", reference="HMS-77")
    assert names(api, "q=ANN") == ["Bob Annand", "Ann Lee"]
    assert names(api, "q=lee ann") == ["Ann Lee"] and names(api, "q=ann lee") == ["Ann Lee"]
    assert names(api, "q=hms-77") == ["Cy Young"]
    assert names(api, "q=%25") == []


def test_filters_by_area_level_interest_format_access_need_household_and_tenancy_holder(api):
    north = api.post(f"{BASE}/areas", json={"name": "North", "kind": "management_area"}).get_json()["id"]
    hill = api.post(f"{BASE}/areas", json={"name": "Hill", "kind": "estate", "parent_id": north}).get_json()[
        "id"
    ]
    in_hill = api.post(f"{BASE}/households", json={"reference": "H-1", "area_id": hill}).get_json()["id"]
    elsewhere = api.post(f"{BASE}/households", json={"reference": "H-2"}).get_json()["id"]
    add(
        api,
        first_name="Ann",
        household_id=in_hill,
        is_tenancy_holder=True,
        preferred_level="involved",
        interests=["repairs"],
        formats=["braille"],
        access_needs=["transport"],
    )
    add(
        api,
        first_name="Bea",
        household_id=elsewhere,
        preferred_level="informed",
        interests=["repairs & rents"],
        formats=["large_print", "audio"],
        access_needs=["hearing_loop"],
    )
    add(api, first_name="Cat")
    assert names(api, f"area_id={north}") == ["Ann Lee"] and names(api, f"area_id={hill}") == ["Ann Lee"]
    assert names(api, "level=informed") == ["Bea Lee"]
    assert names(api, "interest=repairs") == ["Ann Lee"]
    assert names(api, "interest=repairs %26 rents") == ["Bea Lee"]
    assert names(api, "format=audio") == ["Bea Lee"] and names(api, "format=braille") == ["Ann Lee"]
    assert names(api, "access_need=hearing_loop") == ["Bea Lee"]
    assert names(api, f"household_id={elsewhere}") == ["Bea Lee"]
    assert names(api, "is_tenancy_holder=true") == ["Ann Lee"]
    assert names(api, "is_tenancy_holder=false&format=large_print") == ["Bea Lee"]
    assert api.get(f"{URL}?format=smoke").status_code == 422


def test_filters_by_consent_and_a_seat_held_today(api, org, db_session):
    from datetime import date, timedelta

    from core.models import Body, BodyMembership
    from core.plugin_kit import today

    ann = add(api, first_name="Ann", contact_consent=True)
    bea = add(api, first_name="Bea")
    with organisation_scope(org.id):
        panel = Body(name="Panel", kind="panel")
        db_session.add(panel)
        db_session.flush()
        db_session.add(
            BodyMembership(
                body_id=panel.id, participant_id=ann["id"], seat_type="resident", starts_on=date(2024, 1, 1)
            )
        )
        db_session.add(
            BodyMembership(
                body_id=panel.id,
                participant_id=bea["id"],
                seat_type="resident",
                starts_on=date(2024, 1, 1),
                ends_on=today() - timedelta(days=1),
            )
        )
        db_session.commit()
        panel_id = panel.id
    assert names(api, "contact_consent=true") == ["Ann Lee"]
    assert names(api, "contact_consent=false") == ["Bea Lee"]
    assert names(api, f"body_id={panel_id}") == ["Ann Lee"]  # Bea's term has ended


def test_erased_participants_are_left_out_of_lists_unless_asked_for(org, make_user, api_client, api):
    gone = add(api, first_name="Gone")
    add(api, first_name="Here")
    admin = api_client(make_user(org, "org_admin"))
    assert admin.post(f"{URL}/{gone['id']}/erase").status_code == 200
    assert names(api) == ["Here Lee"]
    assert names(api, "include_erased=true") == ["Here Lee", "Erased participant"]


def test_the_list_is_served_by_a_bounded_number_of_statements(api, count_queries):
    household = api.post(f"{BASE}/households", json={"reference": "H-1"}).get_json()["id"]
    for n in range(5):
        add(api, first_name=f"P{n}", household_id=household, interests=["repairs"])
    with count_queries() as few:
        assert len(api.get(f"{URL}?per_page=200&interest=repairs").get_json()["items"]) == 5
    for n in range(5, 30):
        add(api, first_name=f"P{n}", household_id=household, interests=["repairs"])
    with count_queries() as many:
        assert len(api.get(f"{URL}?per_page=200&interest=repairs").get_json()["items"]) == 30
    assert len(many) == len(few) <= 10


def test_viewers_cannot_read_participants_but_staff_can(org, api, make_user, api_client):
    someone = add(api)
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(URL).status_code == 403
    assert viewer.get(f"{URL}/{someone['id']}").status_code == 403
    assert viewer.post(URL, json={"first_name": "A", "last_name": "B"}).status_code == 403
    assert (
        viewer.post(f"{URL}/import", data="reference,first_name,last_name\n", headers=CSV).status_code == 403
    )
    assert api.get(URL).status_code == 200


def test_another_organisations_participant_is_404(api, make_org, make_user, api_client):
    theirs = api_client(make_user(make_org("other-bay"), "staff"))
    person = theirs.post("/api/v1/orgs/other-bay/participants", json={"first_name": "T", "last_name": "X"})
    person_id = person.get_json()["id"]
    for call in (api.get, api.delete):
        assert call(f"{URL}/{person_id}").status_code == 404
    assert api.patch(f"{URL}/{person_id}", json={"first_name": "Y"}).status_code == 404
    assert api.put(f"{URL}/{person_id}/equality", json={}).status_code == 404


def test_change_and_delete(api):
    person = add(api, interests=["repairs"])
    changed = api.patch(f"{URL}/{person['id']}", json={"interests": [], "preferred_level": "consulted"})
    assert changed.status_code == 200
    assert changed.get_json()["interests"] == [] and changed.get_json()["first_name"] == "Ann"
    assert api.patch(f"{URL}/{person['id']}", json={"last_name": None}).status_code == 422
    assert api.delete(f"{URL}/{person['id']}").status_code == 204
    assert api.get(f"{URL}/{person['id']}").status_code == 404


def test_someone_who_took_part_is_erased_not_deleted(org, api, db_session):
    person = add(api)
    with organisation_scope(org.id):
        activity = Activity(title="Walkabout", kind="walkabout", starts_at=datetime.now(UTC))
        db_session.add(activity)
        db_session.flush()
        db_session.add(Participation(activity_id=activity.id, participant_id=person["id"]))
    db_session.commit()
    response = api.delete(f"{URL}/{person['id']}")
    assert response.status_code == 409 and "erase" in response.get_json()["error"]["message"]


# -- import -------------------------------------------------------------------------------------
PEOPLE = (
    "reference,first_name,last_name,household,email,phone,is_tenancy_holder,preferred_level,language,"
    "formats,access_needs,interests,contact_consent,consent_given_on,consent_method\n"
    "P-1,Ann,Lee,H-1,ann@example.org,01234,yes,Involved,,Large print;braille,hearing_loop,"
    "repairs; rents,yes,01/05/2025,written\n"
    "P-2,Bob,Ng,,,,no,,Welsh,,,,no,,\n"
)


def test_import_creates_then_updates_and_a_repeat_changes_nothing(api):
    api.post(f"{BASE}/households", json={"reference": "H-1"})
    first = api.post(f"{URL}/import", data=PEOPLE, headers=CSV)
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {"created": 2, "updated": 0, "unchanged": 0}
    ann = api.get(f"{URL}?q=ann").get_json()["items"][0]
    assert ann["formats"] == ["large_print", "braille"] and ann["interests"] == ["repairs", "rents"]
    assert ann["preferred_level"] == "involved" and ann["consent_given_on"] == "2025-05-01"
    assert ann["household_id"] is not None and ann["is_tenancy_holder"] is True
    assert api.post(f"{URL}/import", data=PEOPLE, headers=CSV).get_json() == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }
    moved = PEOPLE.replace("P-2,Bob,Ng,,", "P-2,Bob,Ng,H-1,")
    assert api.post(f"{URL}/import", data=moved, headers=CSV).get_json() == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
    }


def test_import_reports_every_bad_row_and_column_and_writes_nothing(api):
    text = (
        "reference,first_name,last_name,household,email,preferred_level,formats,consent_given_on\n"
        "P-1,Ann,Lee,H-404,nope,loud,smoke,31/02/2025\n"
        "P-2,,Lee,,,,,\n"
        "P-1,Ann,Again,,,,,\n"
        ",No,Reference,,,,,\n"
    )
    response = api.post(f"{URL}/import", data=text, headers=CSV)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {
        "row 2.household",
        "row 2.email",
        "row 2.preferred_level",
        "row 2.formats",
        "row 2.consent_given_on",
        "row 3.first_name",
        "row 4.reference",
        "row 5.reference",
    }
    assert api.get(URL).get_json()["total"] == 0


def test_import_needs_reference_and_names_in_the_header(api):
    response = api.post(f"{URL}/import", data="first_name,last_name\nAnn,Lee\n", headers=CSV)
    assert response.status_code == 422
    assert "reference" in response.get_json()["error"]["fields"]["header"][0]


def test_a_walk_import_60_households_then_participants_then_reimport_unchanged(api):
    homes = "reference,address_line_1,postcode,tenure\n" + "".join(
        f"HH{n:03d},{n + 1} Birch Road,WA8 {n % 9}AB,general_needs\n" for n in range(60)
    )
    people = "reference,first_name,last_name,household,is_tenancy_holder,formats\n" + "".join(
        f"P{n:03d},Resident{n},Tenant{n},HH{n:03d},yes,{'large_print' if n % 4 == 0 else ''}\n"
        for n in range(30)
    )
    assert api.post(f"{BASE}/households/import", data=homes, headers=CSV).get_json()["created"] == 60
    assert api.post(f"{URL}/import", data=people, headers=CSV).get_json()["created"] == 30
    assert api.post(f"{BASE}/households/import", data=homes, headers=CSV).get_json()["unchanged"] == 60
    assert api.post(f"{URL}/import", data=people, headers=CSV).get_json()["unchanged"] == 30
    assert api.get(f"{URL}?format=large_print").get_json()["total"] == 8
    assert api.get(f"{BASE}/households?per_page=1").get_json()["total"] == 60
