"""Body pages: seats filled and vacant, members with terms, reserved seats, giving and ending a
seat (core's and plugins' seat rules refuse in their own words), attendance over the year."""

from datetime import UTC, date, datetime

from core import hookimpl
from core.errors import Conflict
from core.models import Activity, Body, BodyMembership, Participant, Participation
from core.periods import Period
from core.plugin_kit import today
from core.tenancy import organisation_scope
from core.testing import csrf_token_from


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _board(db_session, org, seats=2):
    with organisation_scope(org.id):
        board = Body(name="Board", kind="board", seats_total=seats, reserved_resident_seats=1)
        ann = Participant(first_name="Ann", last_name="Lee")
        bob = Participant(first_name="Bob", last_name="Khan")
        db_session.add_all([board, ann, bob])
        db_session.flush()
        db_session.add(
            BodyMembership(
                body_id=board.id, participant_id=ann.id, seat_type="resident", starts_on=date(2025, 4, 1)
            )
        )
        db_session.commit()
        return board.id, ann.id, bob.id


def test_the_body_page_shows_seats_members_and_attendance(client, make_org, make_user, login_as, db_session):
    org = make_org()
    board_id, ann_id, bob_id = _board(db_session, org)
    with organisation_scope(org.id):
        db_session.add(
            BodyMembership(
                body_id=board_id,
                external_name="Cllr Jones",
                seat_type="councillor",
                starts_on=date(2025, 4, 1),
            )
        )
        year = Period.financial_year_of(today())
        meetings = []
        for day in (10, 20):
            meeting = Activity(
                title=f"Board {day}",
                kind="meeting",
                status="held",
                body_id=board_id,
                starts_at=datetime(year.start.year, year.start.month, day, 18, tzinfo=UTC),
            )
            db_session.add(meeting)
            meetings.append(meeting)
        db_session.flush()
        db_session.add(Participation(activity_id=meetings[0].id, participant_id=ann_id))
        db_session.commit()
    login_as(make_user(org, "staff"))
    listing = client.get(f"/o/{org.slug}/bodies").get_data(as_text=True)
    assert "Board" in listing and "1 body" in listing
    page = client.get(f"/o/{org.slug}/bodies/{board_id}").get_data(as_text=True)
    assert "Seats filled today" in page and "Ann Lee" in page and "Cllr Jones" in page
    assert "1 resident member now" in page
    assert f"Attendance in {year.label}" in page and "1 of 2 (50.0%)" in page
    assert "Not recorded" in page  # the councillor's attendance is not recorded


def test_giving_a_seat_and_the_rules_refusal_on_the_form(
    client, make_org, make_user, login_as, db_session, register_plugin
):
    class SeatRule:
        @hookimpl
        def validate_membership(self, body, membership):
            if membership.seat_type == "staff":
                raise Conflict("Staff cannot hold a seat on this board (the test seat rule).")

    register_plugin(SeatRule(), "seat_rule")
    org = make_org(plugins=["seat_rule"])
    board_id, ann_id, bob_id = _board(db_session, org)
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/bodies/{board_id}/memberships/new"
    token = _token(client, path)
    term = {"starts_on-day": "1", "starts_on-month": "4", "starts_on-year": "2026"}
    refused = client.post(
        path,
        data={
            "csrf_token": token,
            "participant_id": str(bob_id),
            "seat_type": "staff",
            "role": "member",
            **term,
        },
    )
    assert refused.status_code == 422
    assert "Staff cannot hold a seat on this board (the test seat rule)." in refused.get_data(as_text=True)
    twice = client.post(
        path,
        data={
            "csrf_token": token,
            "participant_id": str(ann_id),
            "seat_type": "resident",
            "role": "member",
            **term,
        },
    )
    assert twice.status_code == 422
    assert "This person already holds a seat on this body for part of that term." in twice.get_data(
        as_text=True
    )
    neither = client.post(path, data={"csrf_token": token, "seat_type": "resident", "role": "member", **term})
    assert neither.status_code == 422 and 'href="#participant_id"' in neither.get_data(as_text=True)
    given = client.post(
        path,
        data={
            "csrf_token": token,
            "participant_id": str(bob_id),
            "seat_type": "resident",
            "role": "chair",
            **term,
        },
    )
    assert given.status_code == 303
    page = client.get(given.headers["Location"]).get_data(as_text=True)
    assert "Seat on Board given." in page and "Bob Khan" in page
    full = client.post(
        path,
        data={
            "csrf_token": token,
            "external_name": "Ms Third",
            "seat_type": "independent",
            "role": "member",
            **term,
        },
    )
    assert full.status_code == 422 and "All 2 seats are taken for part of that term." in full.get_data(
        as_text=True
    )


def test_ending_a_term(client, make_org, make_user, login_as, db_session):
    org = make_org()
    board_id, ann_id, _ = _board(db_session, org)
    with organisation_scope(org.id):
        membership_id = db_session.query(BodyMembership.id).filter_by(participant_id=ann_id).scalar()
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/bodies/{board_id}/memberships/{membership_id}/end"
    token = _token(client, path)
    early = client.post(
        path, data={"csrf_token": token, "ends_on-day": "1", "ends_on-month": "1", "ends_on-year": "2020"}
    )
    assert early.status_code == 422 and "The term cannot end before it starts." in early.get_data(
        as_text=True
    )
    done = client.post(
        path, data={"csrf_token": token, "ends_on-day": "30", "ends_on-month": "4", "ends_on-year": "2025"}
    )
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Term end recorded." in page and "30 April 2025" in page and "Ended" in page


def test_a_body_is_created_and_changed_through_the_api_rules(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    board_id, _, _ = _board(db_session, org, seats=1)
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/bodies/new")
    bad = client.post(
        f"/o/{org.slug}/bodies/new",
        data={
            "csrf_token": token,
            "name": "Panel",
            "kind": "panel",
            "seats_total": "2",
            "reserved_resident_seats": "3",
        },
    )
    assert bad.status_code == 422 and "Cannot exceed seats_total." in bad.get_data(as_text=True)
    made = client.post(
        f"/o/{org.slug}/bodies/new",
        data={"csrf_token": token, "name": "Panel", "kind": "panel", "seats_total": "6"},
    )
    assert made.status_code == 303 and "Body Panel added." in client.get(made.headers["Location"]).get_data(
        as_text=True
    )
    fewer = client.post(
        f"/o/{org.slug}/bodies/{board_id}/edit",
        data={
            "csrf_token": token,
            "name": "Board",
            "kind": "board",
            "seats_total": "0",
            "reserved_resident_seats": "0",
        },
    )
    assert fewer.status_code == 422
    assert "The body has 1 members from today on; end some terms before reducing seats." in fewer.get_data(
        as_text=True
    )


def test_viewers_see_no_controls_and_get_403(client, make_org, make_user, login_as, db_session):
    org = make_org()
    board_id, _, _ = _board(db_session, org)
    with organisation_scope(org.id):
        membership_id = db_session.query(BodyMembership.id).filter_by(body_id=board_id).scalar()
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/bodies/{board_id}").get_data(as_text=True)
    assert "Give a seat" not in page and "End term" not in page and "Change" not in page
    assert "Ann Lee" not in page and "A resident" in page  # names need people.read
    token = _token(client, f"/o/{org.slug}/bodies")
    for suffix in ("memberships/new", f"memberships/{membership_id}/end", "edit", "delete"):
        url = f"/o/{org.slug}/bodies/{board_id}/{suffix}"
        assert client.post(url, data={"csrf_token": token, "seat_type": "x"}).status_code == 403
