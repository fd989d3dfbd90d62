"""``/bodies``: seats and vacancies, the membership rules, the ``validate_membership`` hook, attendance."""

from datetime import UTC, datetime, timedelta

import pytest

from core.models import Participant
from core.tenancy import organisation_scope

TODAY = datetime.now(UTC).date()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture
def org(make_org):
    return make_org("board-homes")


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


@pytest.fixture
def people(db_session):
    def create(organisation, count=1):
        with organisation_scope(organisation.id):
            created = [Participant(first_name="Sam", last_name=f"Member {i}") for i in range(count)]
            db_session.add_all(created)
            db_session.flush()
            ids = [p.id for p in created]
        db_session.commit()
        return ids

    return create


def url(org, path=""):
    return f"/api/v1/orgs/{org.slug}/{path}"


def new_body(api, org, **fields):
    response = api.post(url(org, "bodies"), json={"name": "Board", "kind": "board", **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def seat(api, org, body, **fields):
    """POST a membership: a resident seat from a year ago, open-ended, unless told otherwise."""
    payload = {"seat_type": "resident", "starts_on": day(-365), **fields}
    return api.post(url(org, f"bodies/{body['id']}/memberships"), json=payload)


# -- bodies -------------------------------------------------------------------------------


def test_a_body_shows_current_members_and_vacancies(api, org, people):
    board = new_body(api, org, seats_total=5, reserved_resident_seats=2, decision_making=True)
    assert board["current_members"] == 0 and board["vacancies"] == 5
    current, past, future = people(org, 3)
    assert seat(api, org, board, participant_id=current).status_code == 201
    assert seat(api, org, board, external_name="Cllr Jones", seat_type="councillor").status_code == 201
    assert seat(api, org, board, participant_id=past, ends_on=day(-1)).status_code == 201
    assert seat(api, org, board, participant_id=future, starts_on=day(30)).status_code == 201
    shown = api.get(url(org, f"bodies/{board['id']}")).get_json()
    assert shown["current_members"] == 2 and shown["vacancies"] == 3
    listed = api.get(url(org, "bodies?decision_making=true")).get_json()["items"]
    assert [(b["current_members"], b["vacancies"]) for b in listed] == [(2, 3)]
    unlimited = new_body(api, org, name="Forum", kind="forum")
    assert unlimited["vacancies"] is None and unlimited["current_members"] == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": None}, "name"),
        ({"kind": "club"}, "kind"),
        ({"seats_total": -1}, "seats_total"),
        ({"reserved_resident_seats": -1}, "reserved_resident_seats"),
        ({"seats_total": 3, "reserved_resident_seats": 4}, "reserved_resident_seats"),
        ({"area_id": 999999}, "area_id"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(api, org, fields, field):
    body = {k: v for k, v in {"name": "Board", "kind": "board", **fields}.items() if v is not None}
    response = api.post(url(org, "bodies"), json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_reserved_resident_seats_cannot_exceed_seats_after_a_change(api, org):
    board = new_body(api, org, seats_total=6, reserved_resident_seats=2)
    response = api.patch(url(org, f"bodies/{board['id']}"), json={"seats_total": 1})
    assert response.status_code == 422 and "seats_total" in response.get_json()["error"]["fields"]


def test_seats_cannot_be_cut_below_the_members(api, org, people):
    board = new_body(api, org, seats_total=3)
    for person in people(org, 2):
        seat(api, org, board, participant_id=person)
    assert api.patch(url(org, f"bodies/{board['id']}"), json={"seats_total": 1}).status_code == 409
    assert api.patch(url(org, f"bodies/{board['id']}"), json={"seats_total": 2}).status_code == 200


def test_an_area_of_another_organisation_is_422(api, org, make_org, make_user, api_client):
    other = make_org()
    theirs = api_client(make_user(other, "staff")).post(
        url(other, "areas"), json={"name": "T", "kind": "estate"}
    )
    response = api.post(
        url(org, "bodies"), json={"name": "B", "kind": "forum", "area_id": theirs.get_json()["id"]}
    )
    assert response.status_code == 422 and "area_id" in response.get_json()["error"]["fields"]


def test_a_body_with_meetings_is_kept_and_one_without_is_deleted_with_its_members(api, org, people):
    kept, gone = new_body(api, org, name="Kept"), new_body(api, org, name="Gone")
    api.post(
        url(org, "activities"),
        json={"title": "M", "kind": "meeting", "starts_at": "2025-05-01T18:00:00Z", "body_id": kept["id"]},
    )
    (person,) = people(org)
    membership = seat(api, org, gone, participant_id=person).get_json()
    assert api.delete(url(org, f"bodies/{kept['id']}")).status_code == 409
    assert api.delete(url(org, f"bodies/{gone['id']}")).status_code == 204
    assert api.get(url(org, f"bodies/{gone['id']}/memberships/{membership['id']}")).status_code == 404


# -- memberships --------------------------------------------------------------------------


def test_a_body_cannot_exceed_its_seats(api, org, people):
    board = new_body(api, org, seats_total=2)
    first, second, third = people(org, 3)
    assert seat(api, org, board, participant_id=first).status_code == 201
    assert seat(api, org, board, participant_id=second, ends_on=day(10)).status_code == 201
    full = seat(api, org, board, participant_id=third)
    assert full.status_code == 409 and "seats" in full.get_json()["error"]["message"]
    assert seat(api, org, board, participant_id=third, starts_on=day(11)).status_code == 201


def test_seats_are_checked_over_the_whole_term_not_only_today(api, org, people):
    board = new_body(api, org, seats_total=2)
    first, later, third = people(org, 3)
    seat(api, org, board, participant_id=first)
    seat(api, org, board, participant_id=later, starts_on=day(30))
    assert seat(api, org, board, participant_id=third).status_code == 409
    assert seat(api, org, board, participant_id=third, ends_on=day(29)).status_code == 201


def test_at_most_one_current_chair(api, org, people):
    board = new_body(api, org)
    first, second = people(org, 2)
    chair = seat(api, org, board, participant_id=first, role="chair", ends_on=day(60)).get_json()
    refused = seat(api, org, board, participant_id=second, role="chair")
    assert refused.status_code == 409 and "chair" in refused.get_json()["error"]["message"]
    assert seat(api, org, board, participant_id=second, role="chair", starts_on=day(61)).status_code == 201
    deputy = seat(
        api, org, board, external_name="Ms Vice", seat_type="independent", role="vice_chair"
    ).get_json()
    promoted = api.patch(url(org, f"bodies/{board['id']}/memberships/{deputy['id']}"), json={"role": "chair"})
    assert promoted.status_code == 409
    # The chair may change its own term without clashing with itself.
    path = url(org, f"bodies/{board['id']}/memberships/{chair['id']}")
    assert api.patch(path, json={"ends_on": day(50)}).status_code == 200


def test_a_participant_cannot_hold_two_overlapping_memberships_on_a_body(api, org, make_user, people):
    board, panel = new_body(api, org), new_body(api, org, name="Panel", kind="scrutiny_panel")
    (person,) = people(org)
    assert seat(api, org, board, participant_id=person, ends_on=day(-10)).status_code == 201
    assert seat(api, org, board, participant_id=person, starts_on=day(-20)).status_code == 409
    assert seat(api, org, board, participant_id=person, starts_on=day(-9)).status_code == 201
    assert seat(api, org, panel, participant_id=person).status_code == 201


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "participant_id"),
        ({"participant_id": "PERSON", "external_name": "Mr Both"}, "external_name"),
        ({"external_name": "X", "seat_type": None}, "seat_type"),
        ({"external_name": "X", "seat_type": "mayor"}, "seat_type"),
        ({"external_name": "X", "starts_on": None}, "starts_on"),
        ({"external_name": "X", "ends_on": day(-400)}, "ends_on"),
        ({"external_name": "X", "role": "treasurer"}, "role"),
        ({"participant_id": 999999}, "participant_id"),
    ],
)
def test_invalid_memberships_are_422_naming_the_field(api, org, people, fields, field):
    board = new_body(api, org)
    (person,) = people(org)
    fields = {k: (person if v == "PERSON" else v) for k, v in fields.items()}
    payload = {"seat_type": "resident", "starts_on": day(-365), **fields}
    response = api.post(
        url(org, f"bodies/{board['id']}/memberships"),
        json={k: v for k, v in payload.items() if v is not None},
    )
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_a_change_must_keep_exactly_one_of_participant_or_external_name(api, org, people):
    board = new_body(api, org)
    (person,) = people(org)
    membership = seat(api, org, board, participant_id=person).get_json()
    path = url(org, f"bodies/{board['id']}/memberships/{membership['id']}")
    response = api.patch(path, json={"external_name": "Also someone"})
    assert response.status_code == 422 and "external_name" in response.get_json()["error"]["fields"]
    response = api.patch(path, json={"ends_on": day(-400)})
    assert response.status_code == 422 and "ends_on" in response.get_json()["error"]["fields"]


def test_a_participant_of_another_organisation_cannot_take_a_seat(api, org, make_org, people):
    board = new_body(api, org)
    (stranger,) = people(make_org())
    response = seat(api, org, board, participant_id=stranger)
    assert response.status_code == 422 and "participant_id" in response.get_json()["error"]["fields"]


def test_validate_membership_lets_a_plugin_refuse_a_seat(make_org, make_user, api_client):
    org = make_org(plugins=["example"])
    api = api_client(make_user(org, "staff"))
    board = new_body(api, org)
    refused = seat(api, org, board, external_name="Refused by example", seat_type="independent")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["message"] == "The example plugin refuses this member."
    assert api.get(url(org, f"bodies/{board['id']}/memberships")).get_json()["total"] == 0
    allowed = seat(api, org, board, external_name="Someone else", seat_type="independent").get_json()
    path = url(org, f"bodies/{board['id']}/memberships/{allowed['id']}")
    assert api.patch(path, json={"external_name": "Refused by example"}).status_code == 409
    assert api.get(path).get_json()["external_name"] == "Someone else"


def test_validate_membership_is_not_called_without_the_plugin(api, org):
    board = new_body(api, org)
    assert (
        seat(api, org, board, external_name="Refused by example", seat_type="independent").status_code == 201
    )


def test_memberships_list_and_current_filter(api, org, people):
    board = new_body(api, org)
    now, then = people(org, 2)
    current = seat(api, org, board, participant_id=now).get_json()
    past = seat(api, org, board, participant_id=then, ends_on=day(-30)).get_json()
    assert current["current"] is True and past["current"] is False
    base = url(org, f"bodies/{board['id']}/memberships")
    assert [m["id"] for m in api.get(f"{base}?current=true").get_json()["items"]] == [current["id"]]
    assert [m["id"] for m in api.get(f"{base}?current=false").get_json()["items"]] == [past["id"]]
    assert api.delete(f"{base}/{past['id']}").status_code == 204
    assert api.get(base).get_json()["total"] == 1


def test_a_membership_is_found_only_under_its_own_body(api, org):
    board, panel = new_body(api, org), new_body(api, org, name="Panel")
    membership = seat(api, org, board, external_name="X", seat_type="independent").get_json()
    assert api.get(url(org, f"bodies/{panel['id']}/memberships/{membership['id']}")).status_code == 404


def test_body_and_membership_lists_use_a_bounded_number_of_statements(api, org, people, count_queries):
    board = new_body(api, org)
    seat(api, org, board, external_name="First", seat_type="independent")
    paths = ("bodies", f"bodies/{board['id']}/memberships", f"bodies/{board['id']}/attendance")
    small = {}
    for path in paths:
        with count_queries() as seen:
            assert api.get(url(org, path)).status_code == 200
        small[path] = len(seen)
    for i in range(30):
        body = new_body(api, org, name=f"Panel {i}", seats_total=3)
        seat(api, org, body, external_name=f"Member {i}", seat_type="independent")
    for person in people(org, 30):
        seat(api, org, board, participant_id=person)
    for path, before in small.items():
        with count_queries() as seen:
            response = api.get(url(org, f"{path}?per_page=200"))
        assert response.status_code == 200
        assert len(seen) == before <= 10, (path, seen)


# -- attendance ---------------------------------------------------------------------------


def test_attendance_counts_meetings_held_during_each_members_term(api, org, people):
    board = new_body(api, org)
    always, joined, left = people(org, 3)
    members = {
        "always": seat(api, org, board, participant_id=always, starts_on="2025-01-01").get_json(),
        "joined": seat(api, org, board, participant_id=joined, starts_on="2025-06-01").get_json(),
        "left": seat(
            api, org, board, participant_id=left, starts_on="2025-01-01", ends_on="2025-05-31"
        ).get_json(),
        "external": seat(
            api, org, board, external_name="Cllr Jones", seat_type="councillor", starts_on="2025-01-01"
        ).get_json(),
    }

    def meeting(when, status="held", present=()):
        made = api.post(
            url(org, "activities"),
            json={
                "title": "Board",
                "kind": "meeting",
                "starts_at": when,
                "status": status,
                "body_id": board["id"],
            },
        ).get_json()
        for person, attended in present:
            api.post(
                url(org, f"activities/{made['id']}/participations"),
                json={"participant_id": person, "attended": attended},
            )

    meeting("2025-04-10T18:00:00+01:00", present=[(always, True), (left, True)])
    meeting("2025-05-15T18:00:00+01:00", present=[(always, False), (left, True)])
    meeting("2025-06-20T18:00:00+01:00", present=[(always, True), (joined, True)])
    meeting("2025-07-20T18:00:00+01:00", status="cancelled", present=[(always, True)])
    meeting("2025-08-20T18:00:00+01:00", status="planned")
    meeting("2026-04-20T18:00:00+01:00", present=[(always, True)])  # next year, outside the range
    response = api.get(url(org, f"bodies/{board['id']}/attendance?from=2025-04-01&to=2026-03-31"))
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["meetings_held"] == 3 and report["from"] == "2025-04-01"
    by_member = {m["membership_id"]: m for m in report["items"]}
    assert (
        by_member[members["always"]["id"]]["meetings"],
        by_member[members["always"]["id"]]["attended"],
    ) == (3, 2)
    assert by_member[members["always"]["id"]]["attendance_percent"] == 66.7
    assert (
        by_member[members["joined"]["id"]]["meetings"],
        by_member[members["joined"]["id"]]["attended"],
    ) == (1, 1)
    assert (by_member[members["left"]["id"]]["meetings"], by_member[members["left"]["id"]]["attended"]) == (
        2,
        2,
    )
    external = by_member[members["external"]["id"]]
    assert (
        external["meetings"] == 3 and external["attended"] is None and external["attendance_percent"] is None
    )
    by_period = api.get(url(org, f"bodies/{board['id']}/attendance?period=2025-26-Q1")).get_json()
    assert by_period["meetings_held"] == 3 and by_period["to"] == "2025-06-30"
    assert {m["membership_id"]: m["meetings"] for m in by_period["items"]}[members["joined"]["id"]] == 1


def test_attendance_ranges_are_checked(api, org):
    board = new_body(api, org)
    base = url(org, f"bodies/{board['id']}/attendance")
    for query, field in (
        ("from=2025-05-01&to=2025-04-01", "to"),
        ("period=2025", "period"),
        ("period=2025-26&from=2025-04-01", "period"),
    ):
        response = api.get(f"{base}?{query}")
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], query


# -- permissions and other organisations --------------------------------------------------


def test_viewers_read_but_cannot_write(api, org, make_user, api_client):
    board = new_body(api, org)
    membership = seat(api, org, board, external_name="X", seat_type="independent").get_json()
    viewer = api_client(make_user(org, "viewer"))
    for path in (
        "bodies",
        f"bodies/{board['id']}",
        f"bodies/{board['id']}/memberships",
        f"bodies/{board['id']}/attendance",
    ):
        assert viewer.get(url(org, path)).status_code == 200, path
    assert viewer.post(url(org, "bodies"), json={"name": "B", "kind": "board"}).status_code == 403
    assert viewer.patch(url(org, f"bodies/{board['id']}"), json={"name": "C"}).status_code == 403
    assert seat(viewer, org, board, external_name="Y", seat_type="independent").status_code == 403
    path = url(org, f"bodies/{board['id']}/memberships/{membership['id']}")
    assert viewer.patch(path, json={"role": "chair"}).status_code == 403
    assert viewer.delete(path).status_code == 403


def test_another_organisations_bodies_are_not_found(api, org, make_org, make_user, api_client):
    other = make_org()
    their_api = api_client(make_user(other, "staff"))
    theirs = new_body(their_api, other)
    their_seat = seat(their_api, other, theirs, external_name="Theirs", seat_type="independent").get_json()
    assert api.get(url(org, f"bodies/{theirs['id']}")).status_code == 404
    assert api.get(url(org, f"bodies/{theirs['id']}/attendance")).status_code == 404
    assert seat(api, org, theirs, external_name="Mine", seat_type="independent").status_code == 404
    mine = new_body(api, org)
    assert api.get(url(org, f"bodies/{mine['id']}/memberships/{their_seat['id']}")).status_code == 404
