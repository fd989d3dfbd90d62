"""Activity pages and the attendance register: filters, create in UK time, the register's ticks,
hours and expenses through the participation services (plugin hooks fire), add by name and
quick-create, errors in the API's words, viewers kept out."""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from core.models import Activity, Body, BodyMembership, Opportunity, Participant, Participation
from core.tenancy import organisation_scope
from core.testing import csrf_token_from
from tests import example_plugin


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_an_officer_adds_an_activity_in_uk_time(client, make_org, make_user, login_as, db_session):
    org = make_org()
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/activities/new")
    response = client.post(
        f"/o/{org.slug}/activities/new",
        data={
            "csrf_token": token,
            "title": "Summer forum",
            "kind": "meeting",
            "starts_at-day": "1",
            "starts_at-month": "7",
            "starts_at-year": "2026",
            "start_time": "18:30",
            "ends_at": "8.00pm",
            "status": "planned",
            "cost_pence": "45.50",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Activity Summer forum added." in page and "1 July 2026, 18:30 to 20:00" in page and "£45.50" in page
    )
    with organisation_scope(org.id):
        stored = db_session.scalar(select(Activity).where(Activity.title == "Summer forum"))
        assert stored.starts_at.replace(tzinfo=UTC) == datetime(2026, 7, 1, 17, 30, tzinfo=UTC)  # BST
        assert stored.cost_pence == 4550


def test_the_activity_form_shows_each_problem_on_its_field(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/activities/new")
    response = client.post(
        f"/o/{org.slug}/activities/new",
        data={"csrf_token": token, "title": "Forum", "start_time": "25:99", "cost_pence": "lots"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a time on the 24-hour clock, like 18:30" in page and 'href="#start_time"' in page
    assert "Enter an amount in pounds and pence, like 12.50" in page
    response = client.post(
        f"/o/{org.slug}/activities/new",
        data={
            "csrf_token": token,
            "title": "Forum",
            "starts_at-day": "1",
            "starts_at-month": "7",
            "starts_at-year": "2026",
            "start_time": "18:00",
            "ends_at": "17:00",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#kind"' in page and "Missing data for required field." in page
    late = client.post(
        f"/o/{org.slug}/activities/new",
        data={
            "csrf_token": token,
            "title": "Forum",
            "kind": "meeting",
            "starts_at-day": "1",
            "starts_at-month": "7",
            "starts_at-year": "2026",
            "start_time": "18:00",
            "ends_at": "17:00",
        },
    )
    page = late.get_data(as_text=True)
    assert late.status_code == 422
    assert "Cannot end before it starts." in page and 'href="#ends_at"' in page


def _meeting(db_session, org, *, members=(), came_before=(), starts=datetime(2026, 1, 5, 18, tzinfo=UTC)):
    with organisation_scope(org.id):
        board = Body(name="Board", kind="board", seats_total=5)
        panel = Opportunity(name="Board seat", level="decision_making", formal=True)
        db_session.add_all([board, panel])
        db_session.flush()
        people = {}
        for first in (*members, *came_before, "Zed"):
            people[first] = Participant(first_name=first, last_name="Resident")
            db_session.add(people[first])
        db_session.flush()
        for first in members:
            db_session.add(
                BodyMembership(
                    body_id=board.id,
                    participant_id=people[first].id,
                    seat_type="resident",
                    starts_on=date(2025, 1, 1),
                )
            )
        earlier = Activity(
            title="Earlier",
            kind="meeting",
            status="held",
            starts_at=datetime(2025, 6, 1, tzinfo=UTC),
            body_id=board.id,
        )
        meeting = Activity(title="January board", kind="meeting", starts_at=starts, body_id=board.id)
        db_session.add_all([earlier, meeting])
        db_session.flush()
        for first in came_before:
            db_session.add(Participation(activity_id=earlier.id, participant_id=people[first].id))
        db_session.commit()
        return meeting.id, {k: v.id for k, v in people.items()}, board.id


def test_the_register_lists_members_and_past_attendees_and_saves_ticks(
    client, make_org, make_user, login_as, db_session
):
    org = make_org(plugins=["example"])
    meeting_id, people, _ = _meeting(db_session, org, members=("Ann", "Bob"), came_before=("Cat",))
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/activities/{meeting_id}/attendance"
    page = client.get(path).get_data(as_text=True)
    assert "Ann Resident" in page and "Bob Resident" in page and "Cat Resident" in page
    assert "Came before" in page and "Member" in page
    register = page.split("Add a resident")[0]
    assert "Zed Resident" not in register  # not a member nor a past attendee: added by name instead
    token = csrf_token_from(page)
    example_plugin.calls.clear()
    response = client.post(
        path,
        data={
            "csrf_token": token,
            f"attended_{people['Ann']}": "y",
            f"hours_{people['Ann']}": "2.5",
            f"expenses_{people['Ann']}": "4.20",
            f"attended_{people['Cat']}": "y",
        },
    )
    assert response.status_code == 303
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Attendance saved: 2 people attended." in shown and "£4.20" in shown
    with organisation_scope(org.id):
        rows = {
            p.participant_id: p
            for p in db_session.scalars(select(Participation).where(Participation.activity_id == meeting_id))
        }
    assert set(rows) == {people["Ann"], people["Cat"]}
    assert rows[people["Ann"]].hours == Decimal("2.5") and rows[people["Ann"]].expenses_pence == 420
    recorded = [c for c in example_plugin.calls if c[0] == "on_participation_recorded"]
    assert len(recorded) == 2  # the hook fires as through the API

    # Saving again unchanged records nothing twice; unticking marks the person absent.
    example_plugin.calls.clear()
    again = client.post(
        path,
        data={
            "csrf_token": token,
            f"attended_{people['Ann']}": "y",
            f"hours_{people['Ann']}": "2.5",
            f"expenses_{people['Ann']}": "4.20",
        },
    )
    assert again.status_code == 303
    assert [c for c in example_plugin.calls if c[0] == "on_participation_recorded"] == [
        ("on_participation_recorded", rows[people["Cat"]].id)
    ]
    with organisation_scope(org.id):
        db_session.expire_all()
        assert db_session.get(Participation, rows[people["Cat"]].id).attended is False


def test_register_problems_are_shown_per_person_and_nothing_is_saved(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    meeting_id, people, _ = _meeting(db_session, org, members=("Ann", "Bob"))
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/activities/{meeting_id}/attendance"
    token = _token(client, path)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            f"attended_{people['Ann']}": "y",
            f"hours_{people['Ann']}": "2",
            f"attended_{people['Bob']}": "y",
            f"hours_{people['Bob']}": "ten thousand",
            f"expenses_{people['Bob']}": "-3",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'href="#hours_{people["Bob"]}"' in page and "Hours for Bob Resident: Not a valid number." in page
    assert f'href="#expenses_{people["Bob"]}"' in page
    with organisation_scope(org.id):
        assert (
            db_session.scalar(select(Participation.id).where(Participation.activity_id == meeting_id)) is None
        )


def test_add_a_resident_by_name_and_quick_create(client, make_org, make_user, login_as, db_session):
    org = make_org(plugins=["example"])
    meeting_id, people, _ = _meeting(db_session, org)
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/activities/{meeting_id}/attendance"
    found = client.get(f"{path}?q=zed").get_data(as_text=True)
    assert f'<option value="{people["Zed"]}">Zed Resident</option>' in found
    token = csrf_token_from(found)
    nobody = client.post(f"{path}/add", data={"add-csrf_token": token, "add-participant_id": ""})
    assert nobody.status_code == 422 and 'href="#add-participant_id"' in nobody.get_data(as_text=True)
    example_plugin.calls.clear()
    added = client.post(
        f"{path}/add", data={"add-csrf_token": token, "add-participant_id": str(people["Zed"])}
    )
    assert added.status_code == 303
    assert "Zed Resident added to the register." in client.get(added.headers["Location"]).get_data(
        as_text=True
    )
    assert [c[0] for c in example_plugin.calls].count("on_participation_recorded") == 1
    blank = client.post(
        f"{path}/new", data={"new-csrf_token": token, "new-first_name": "Dee", "new-last_name": " "}
    )
    assert blank.status_code == 422
    assert 'href="#new-last_name"' in blank.get_data(as_text=True)
    assert "Last name: Missing data for required field." in blank.get_data(as_text=True)
    created = client.post(
        f"{path}/new", data={"new-csrf_token": token, "new-first_name": "Dee", "new-last_name": "New"}
    )
    assert created.status_code == 303
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Dee New added as a new resident and to the register." in page
    assert page.split("Add a resident")[0].count('type="checkbox"') == 2  # Zed and Dee, both ticked
    with organisation_scope(org.id):
        dee = db_session.scalar(select(Participant).where(Participant.first_name == "Dee"))
        assert db_session.scalar(select(Participation).where(Participation.participant_id == dee.id)).attended


def test_activity_list_filters_by_dates_type_and_body(client, make_org, make_user, login_as, db_session):
    org = make_org()
    _, _, board_id = _meeting(db_session, org)
    with organisation_scope(org.id):
        db_session.add(
            Activity(title="Estate walk", kind="walkabout", starts_at=datetime(2026, 3, 2, 10, tzinfo=UTC))
        )
        db_session.commit()
    login_as(make_user(org, "viewer"))
    base = f"/o/{org.slug}/activities"
    assert "3 activities" in client.get(base).get_data(as_text=True)
    page = client.get(f"{base}?from=2026-01-01&to=2026-02-01").get_data(as_text=True)
    assert "January board" in page and "Estate walk" not in page and "Earlier" not in page
    page = client.get(f"{base}?kind=walkabout").get_data(as_text=True)
    assert "Estate walk" in page and "1 activity" in page
    page = client.get(f"{base}?body_id={board_id}").get_data(as_text=True)
    assert "2 activities" in page
    assert "No activities match these filters." in client.get(f"{base}?kind=training").get_data(as_text=True)
    assert client.get(f"{base}?from=soon&to=2026-99-99&body_id=x").status_code == 200


def test_viewers_get_no_register_and_403_before_input(client, make_org, make_user, login_as, db_session):
    org = make_org()
    meeting_id, people, _ = _meeting(db_session, org, members=("Ann",))
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/activities/{meeting_id}").get_data(as_text=True)
    assert "attendance register" not in page and "Change" not in page and "Delete this activity" not in page
    token = _token(client, f"/o/{org.slug}/activities")
    assert client.get(f"/o/{org.slug}/activities/{meeting_id}/attendance").status_code == 403
    for suffix in ("attendance", "attendance/add", "attendance/new", "edit", "delete"):
        url = f"/o/{org.slug}/activities/{meeting_id}/{suffix}"
        assert client.post(url, data={"csrf_token": token, f"hours_{people['Ann']}": "x"}).status_code == 403


def test_an_activity_with_attendance_is_deleted_with_it(client, make_org, make_user, login_as, db_session):
    org = make_org()
    meeting_id, people, _ = _meeting(db_session, org, came_before=("Cat",))
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/activities/{meeting_id}/delete")
    response = client.post(f"/o/{org.slug}/activities/{meeting_id}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    assert "Activity January board deleted." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
