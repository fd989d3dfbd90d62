"""``/opportunities``, ``/activities`` and participations, with the domain event they fire (venues: see
test_access_plans)."""

from datetime import date

import pytest

from core import hookimpl
from core.models import Participant, Spend
from core.tenancy import organisation_scope
from tests import example_plugin

MAY_DAY = "2025-05-01T18:00:00+01:00"


@pytest.fixture
def org(make_org):
    return make_org("activity-homes")


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


@pytest.fixture
def people(db_session):
    """``people(org, n)`` → ids of n participants created in the organisation."""

    def create(organisation, count=1, **fields):
        with organisation_scope(organisation.id):
            created = [Participant(first_name="Pat", last_name=f"Person {i}", **fields) for i in range(count)]
            db_session.add_all(created)
            db_session.flush()
            ids = [p.id for p in created]
        db_session.commit()
        return ids

    return create


def url(org, path=""):
    return f"/api/v1/orgs/{org.slug}/{path}"


def new_activity(api, org, **fields):
    body = {"title": "Estate walkabout", "kind": "walkabout", "starts_at": MAY_DAY, **fields}
    response = api.post(url(org, "activities"), json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# -- opportunities ------------------------------------------------------------------------


def test_opportunities_crud_and_filters(api, org):
    made = [
        api.post(url(org, "opportunities"), json=body).get_json()
        for body in (
            {"name": "Scrutiny panel", "level": "decision_making", "formal": True, "channel": "Your Voice"},
            {"name": "Phone survey", "level": "consulted", "formal": False, "channel": "phone"},
            {"name": "Old forum", "level": "involved", "formal": True, "open": False},
        )
    ]
    assert made[0]["id"] and made[0]["open"] is True and made[0]["channel"] == "Your Voice"
    names = lambda query: [o["name"] for o in api.get(url(org, f"opportunities?{query}")).get_json()["items"]]  # noqa: E731
    assert names("") == ["Old forum", "Phone survey", "Scrutiny panel"]
    assert names("open=true") == ["Phone survey", "Scrutiny panel"]
    assert names("formal=true&open=true") == ["Scrutiny panel"]
    assert names("level=consulted") == ["Phone survey"]
    changed = api.patch(url(org, f"opportunities/{made[1]['id']}"), json={"open": False})
    assert changed.status_code == 200 and changed.get_json()["open"] is False
    assert api.delete(url(org, f"opportunities/{made[1]['id']}")).status_code == 204
    assert api.get(url(org, f"opportunities/{made[1]['id']}")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "involved", "formal": True}, "name"),
        ({"name": "X", "formal": True}, "level"),
        ({"name": "X", "level": "loud", "formal": True}, "level"),
        ({"name": "X", "level": "involved"}, "formal"),
        ({"name": "X", "level": "involved", "formal": True, "channel": "c" * 31}, "channel"),
    ],
)
def test_invalid_opportunities_are_422_naming_the_field(api, org, body, field):
    response = api.post(url(org, "opportunities"), json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_an_opportunity_with_activities_cannot_be_deleted(api, org):
    opportunity = api.post(
        url(org, "opportunities"), json={"name": "Walkabouts", "level": "involved", "formal": False}
    ).get_json()
    new_activity(api, org, opportunity_id=opportunity["id"])
    assert api.delete(url(org, f"opportunities/{opportunity['id']}")).status_code == 409


# -- activities ---------------------------------------------------------------------------


def test_activity_datetimes_keep_their_instant_and_leave_in_utc(api, org):
    activity = new_activity(api, org, ends_at="2025-05-01T20:00:00+01:00", cost_pence=2500)
    assert activity["starts_at"] == "2025-05-01T17:00:00+00:00"
    assert activity["ends_at"] == "2025-05-01T19:00:00+00:00"
    assert activity["status"] == "planned" and activity["cost_pence"] == 2500
    again = api.get(url(org, f"activities/{activity['id']}")).get_json()
    assert again["starts_at"] == "2025-05-01T17:00:00+00:00"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": None}, "title"),
        ({"kind": "party"}, "kind"),
        ({"starts_at": "2025-05-01T18:00:00"}, "starts_at"),
        ({"starts_at": "yesterday"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+01:00"}, "starts_at"),
        ({"ends_at": "2025-05-01T16:00:00+01:00"}, "ends_at"),
        ({"status": "done"}, "status"),
        ({"cost_pence": -1}, "cost_pence"),
        ({"cost_pence": 10**12}, "cost_pence"),
        ({"opportunity_id": 999999}, "opportunity_id"),
        ({"body_id": 999999}, "body_id"),
        ({"area_id": 999999}, "area_id"),
        ({"venue_id": 999999}, "venue_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_activities_are_422_naming_the_field(api, org, fields, field):
    body = {"title": "Meeting", "kind": "meeting", "starts_at": MAY_DAY, **fields}
    response = api.post(url(org, "activities"), json={k: v for k, v in body.items() if v is not None})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_an_activity_cannot_end_before_it_starts_after_a_change(api, org):
    activity = new_activity(api, org, ends_at="2025-05-01T19:00:00+01:00")
    response = api.patch(url(org, f"activities/{activity['id']}"), json={"starts_at": "2025-05-01T20:00:00Z"})
    assert response.status_code == 422 and "starts_at" in response.get_json()["error"]["fields"]


def test_activity_references_of_another_organisation_are_422(api, org, make_org, make_user, api_client):
    other = make_org()
    their_api = api_client(make_user(other, "staff"))
    their_body = their_api.post(
        url(other, "bodies"), json={"name": "Their board", "kind": "board"}
    ).get_json()
    their_venue = their_api.post(url(other, "venues"), json={"name": "Their hall"}).get_json()
    for field, value in (("body_id", their_body["id"]), ("venue_id", their_venue["id"])):
        response = api.post(
            url(org, "activities"), json={"title": "M", "kind": "meeting", "starts_at": MAY_DAY, field: value}
        )
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_activities_filter_by_kind_status_body_area_and_dates(api, org):
    board = api.post(url(org, "bodies"), json={"name": "Board", "kind": "board"}).get_json()
    area = api.post(url(org, "areas"), json={"name": "North", "kind": "management_area"}).get_json()
    new_activity(api, org, title="Board May", kind="meeting", body_id=board["id"], status="held")
    new_activity(api, org, title="Walk June", starts_at="2025-06-10T10:00:00Z", area_id=area["id"])
    new_activity(api, org, title="Training March", kind="training", starts_at="2025-03-31T23:30:00Z")

    def titles(query):
        response = api.get(url(org, f"activities?{query}"))
        assert response.status_code == 200, response.get_json()
        return sorted(a["title"] for a in response.get_json()["items"])

    assert titles("kind=meeting") == ["Board May"]
    assert titles("status=held") == ["Board May"]
    assert titles(f"body_id={board['id']}") == ["Board May"]
    assert titles(f"area_id={area['id']}") == ["Walk June"]
    assert titles("from=2025-04-01") == ["Board May", "Walk June"]
    assert titles("from=2025-04-01&to=2025-05-31") == ["Board May"]
    assert titles("to=2025-03-31") == ["Training March"]
    response = api.get(url(org, "activities?from=2025-05-01&to=2025-04-01"))
    assert response.status_code == 422 and "to" in response.get_json()["error"]["fields"]


def test_deleting_an_activity_removes_its_participations(api, org, people):
    activity = new_activity(api, org)
    (person,) = people(org)
    api.post(url(org, f"activities/{activity['id']}/participations"), json={"participant_id": person})
    assert api.delete(url(org, f"activities/{activity['id']}")).status_code == 204
    assert api.get(url(org, f"activities/{activity['id']}/participations")).status_code == 404


def test_an_activity_with_spend_cannot_be_deleted(api, org, db_session):
    activity = new_activity(api, org)
    with organisation_scope(org.id):
        db_session.add(
            Spend(spent_on=date(2025, 5, 1), category="events", amount_pence=100, activity_id=activity["id"])
        )
        db_session.flush()
    db_session.commit()
    assert api.delete(url(org, f"activities/{activity['id']}")).status_code == 409


def test_list_endpoints_use_a_bounded_number_of_statements(api, org, people, count_queries):
    activity = new_activity(api, org)
    for i in range(3):
        api.post(url(org, "opportunities"), json={"name": f"O{i}", "level": "informed", "formal": False})
    small = {}
    for path in ("opportunities", "venues", "activities", f"activities/{activity['id']}/participations"):
        with count_queries() as seen:
            assert api.get(url(org, path)).status_code == 200
        small[path] = len(seen)
    for i in range(30):
        api.post(url(org, "opportunities"), json={"name": f"P{i}", "level": "informed", "formal": False})
        api.post(url(org, "venues"), json={"name": f"V{i}", "features": ["quiet_room"]})
        new_activity(api, org, title=f"A{i}")
    for person in people(org, 30):
        api.post(url(org, f"activities/{activity['id']}/participations"), json={"participant_id": person})
    for path, before in small.items():
        with count_queries() as seen:
            response = api.get(url(org, f"{path}?per_page=200"))
        assert response.get_json()["total"] >= 30
        assert len(seen) == before <= 8, (path, seen)


# -- participations -----------------------------------------------------------------------


def test_record_and_change_a_participation(api, org, people):
    activity = new_activity(api, org)
    (person,) = people(org)
    base = url(org, f"activities/{activity['id']}/participations")
    created = api.post(base, json={"participant_id": person, "role": "inspector", "hours": 2.5})
    assert created.status_code == 201, created.get_json()
    record = created.get_json()
    assert record["attended"] is True and record["hours"] == 2.5 and record["expenses_pence"] == 0
    assert record["activity_id"] == activity["id"] and record["role"] == "inspector"
    changed = api.patch(f"{base}/{record['id']}", json={"attended": False, "expenses_pence": 450})
    assert changed.status_code == 200
    assert changed.get_json()["attended"] is False and changed.get_json()["expenses_pence"] == 450
    listed = api.get(f"{base}?attended=false").get_json()
    assert [p["id"] for p in listed["items"]] == [record["id"]]
    assert api.delete(f"{base}/{record['id']}").status_code == 204
    assert api.get(f"{base}/{record['id']}").status_code == 404


def test_one_participation_per_participant_per_activity(api, org, people):
    activity = new_activity(api, org)
    (person,) = people(org)
    base = url(org, f"activities/{activity['id']}/participations")
    assert api.post(base, json={"participant_id": person}).status_code == 201
    assert api.post(base, json={"participant_id": person}).status_code == 409


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"participant_id": None}, "participant_id"),
        ({"participant_id": 999999}, "participant_id"),
        ({"role": "boss"}, "role"),
        ({"hours": -1}, "hours"),
        ({"hours": 100000}, "hours"),
        ({"hours": "NaN"}, "hours"),
        ({"expenses_pence": -5}, "expenses_pence"),
    ],
)
def test_invalid_participations_are_422_naming_the_field(api, org, people, fields, field):
    activity = new_activity(api, org)
    (person,) = people(org)
    body = {k: v for k, v in {"participant_id": person, **fields}.items() if v is not None}
    response = api.post(url(org, f"activities/{activity['id']}/participations"), json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_the_person_of_a_participation_cannot_change(api, org, people):
    activity = new_activity(api, org)
    first, second = people(org, 2)
    base = url(org, f"activities/{activity['id']}/participations")
    record = api.post(base, json={"participant_id": first}).get_json()
    response = api.patch(f"{base}/{record['id']}", json={"participant_id": second})
    assert response.status_code == 422 and "participant_id" in response.get_json()["error"]["fields"]


def test_a_participant_of_another_organisation_is_422(api, org, make_org, people):
    activity = new_activity(api, org)
    (stranger,) = people(make_org())
    response = api.post(
        url(org, f"activities/{activity['id']}/participations"), json={"participant_id": stranger}
    )
    assert response.status_code == 422 and "participant_id" in response.get_json()["error"]["fields"]


def test_a_participation_is_found_only_under_its_own_activity(api, org, people):
    one, other = new_activity(api, org), new_activity(api, org)
    (person,) = people(org)
    record = api.post(url(org, f"activities/{one['id']}/participations"), json={"participant_id": person})
    path = url(org, f"activities/{other['id']}/participations/{record.get_json()['id']}")
    assert api.get(path).status_code == 404
    assert api.patch(path, json={"attended": False}).status_code == 404


def test_recording_a_participation_fires_the_hook_for_enabled_plugins(
    make_org, make_user, api_client, people
):
    org = make_org(plugins=["example"])
    api = api_client(make_user(org, "staff"))
    activity = new_activity(api, org)
    (person,) = people(org)
    example_plugin.calls.clear()
    base = url(org, f"activities/{activity['id']}/participations")
    record = api.post(base, json={"participant_id": person}).get_json()
    assert example_plugin.calls == [("on_participation_recorded", record["id"])]
    api.patch(f"{base}/{record['id']}", json={"hours": 1})
    assert example_plugin.calls == [("on_participation_recorded", record["id"])] * 2


def test_on_participation_recorded_does_not_reach_organisations_without_the_plugin(api, org, people):
    activity = new_activity(api, org)
    (person,) = people(org)
    example_plugin.calls.clear()
    response = api.post(
        url(org, f"activities/{activity['id']}/participations"), json={"participant_id": person}
    )
    assert response.status_code == 201
    assert [c for c in example_plugin.calls if c[0] == "on_participation_recorded"] == []


class RefusingPlugin:
    """Receives the activity too, and refuses volunteers (as a plugin rule might)."""

    def __init__(self):
        self.seen = []

    @hookimpl
    def on_participation_recorded(self, organisation, participation, activity):
        from core.errors import Conflict

        self.seen.append((organisation.id, participation.id, activity.id))
        if participation.role == "volunteer":
            raise Conflict("No volunteers at this activity.")
        if participation.role == "chair":
            raise RuntimeError("plugin crashed")


def test_a_hook_that_raises_rolls_the_participation_back(
    register_plugin, make_org, make_user, api_client, people
):
    plugin = register_plugin(RefusingPlugin(), "refusing")
    org = make_org(plugins=["refusing"])
    api = api_client(make_user(org, "staff"))
    activity = new_activity(api, org)
    first, second = people(org, 2)
    base = url(org, f"activities/{activity['id']}/participations")
    refused = api.post(base, json={"participant_id": first, "role": "volunteer"})
    assert refused.status_code == 409 and "volunteers" in refused.get_json()["error"]["message"]
    assert plugin.seen[-1][0] == org.id and plugin.seen[-1][2] == activity["id"]
    with pytest.raises(RuntimeError):
        api.post(base, json={"participant_id": second, "role": "chair"})
    assert api.get(base).get_json()["total"] == 0
    kept = api.post(base, json={"participant_id": first}).get_json()
    assert api.patch(f"{base}/{kept['id']}", json={"role": "volunteer"}).status_code == 409
    assert api.get(f"{base}/{kept['id']}").get_json()["role"] == "attendee"


# -- permissions and other organisations --------------------------------------------------


def test_viewers_read_but_cannot_write(org, make_user, api_client, api, people):
    activity = new_activity(api, org)
    (person,) = people(org)
    viewer = api_client(make_user(org, "viewer"))
    for path in ("opportunities", "venues", "activities", f"activities/{activity['id']}/participations"):
        assert viewer.get(url(org, path)).status_code == 200
    writes = [
        ("post", "venues", {"name": "Hall"}),
        ("post", "opportunities", {"name": "X", "level": "informed", "formal": False}),
        ("post", "activities", {"title": "T", "kind": "event", "starts_at": MAY_DAY}),
        ("patch", f"activities/{activity['id']}", {"status": "held"}),
        ("delete", f"activities/{activity['id']}", None),
        ("post", f"activities/{activity['id']}/participations", {"participant_id": person}),
    ]
    for method, path, body in writes:
        assert getattr(viewer, method)(url(org, path), json=body).status_code == 403, (method, path)


def test_another_organisations_records_are_not_found(api, org, make_org, make_user, api_client, people):
    other = make_org()
    their_api = api_client(make_user(other, "staff"))
    theirs = new_activity(their_api, other)
    (their_person,) = people(other)
    their_record = their_api.post(
        url(other, f"activities/{theirs['id']}/participations"), json={"participant_id": their_person}
    ).get_json()
    their_venue = their_api.post(url(other, "venues"), json={"name": "Theirs"}).get_json()
    assert api.get(url(org, f"activities/{theirs['id']}")).status_code == 404
    assert (
        api.get(url(org, f"activities/{theirs['id']}/participations/{their_record['id']}")).status_code == 404
    )
    assert api.patch(url(org, f"venues/{their_venue['id']}"), json={"name": "Mine"}).status_code == 404
    mine = new_activity(api, org)
    path = url(org, f"activities/{mine['id']}/participations/{their_record['id']}")
    assert api.delete(path).status_code == 404
    assert api.get(url(other, f"activities/{theirs['id']}")).status_code == 404  # not a member of other


def test_removing_a_participation_fires_on_participation_removed(make_org, make_user, api_client, people):
    org = make_org(plugins=["example"])
    api = api_client(make_user(org, "staff"))
    activity = new_activity(api, org)
    one, two = people(org, 2)
    base = url(org, f"activities/{activity['id']}/participations")
    first = api.post(base, json={"participant_id": one}).get_json()
    second = api.post(base, json={"participant_id": two}).get_json()
    example_plugin.calls.clear()
    assert api.delete(f"{base}/{first['id']}").status_code == 204
    assert example_plugin.calls == [("on_participation_removed", first["id"])]
    assert api.delete(url(org, f"activities/{activity['id']}")).status_code == 204
    assert example_plugin.calls[-1] == ("on_participation_removed", second["id"])


class KeepingPlugin:
    @hookimpl
    def on_participation_removed(self, participation):
        from core.errors import Conflict

        raise Conflict("Points were converted for this participation.")


def test_on_participation_removed_can_refuse_and_nothing_is_deleted(
    register_plugin, make_org, make_user, api_client, people
):
    register_plugin(KeepingPlugin(), "keeping")
    org = make_org(plugins=["keeping"])
    api = api_client(make_user(org, "staff"))
    activity = new_activity(api, org)
    (person,) = people(org)
    base = url(org, f"activities/{activity['id']}/participations")
    record = api.post(base, json={"participant_id": person}).get_json()
    response = api.delete(f"{base}/{record['id']}")
    assert response.status_code == 409 and "converted" in response.get_json()["error"]["message"]
    assert api.get(f"{base}/{record['id']}").status_code == 200
    assert api.delete(url(org, f"activities/{activity['id']}")).status_code == 409
    assert api.get(url(org, f"activities/{activity['id']}")).status_code == 200
