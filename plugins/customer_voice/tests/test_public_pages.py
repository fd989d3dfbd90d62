"""Customer Voice's public pages: forums (areas, seats counted not named, public meetings, how to
join) and Information & Knowledge events (public, not cancelled, upcoming); 404 when off or inactive."""

from datetime import UTC, datetime, timedelta

from core.models import Activity, Participant
from core.tenancy import organisation_scope


def _forums(world):
    return world.api.get(f"{world.base}/forums").get_json()["items"]


def _meeting(db_session, world, body_id, title, *, days, public=True, status="planned"):
    with organisation_scope(world.org.id):
        db_session.add(
            Activity(
                title=title,
                kind="meeting",
                starts_at=datetime.now(UTC) + timedelta(days=days),
                body_id=body_id,
                is_public=public,
                status=status,
            )
        )
    db_session.commit()


def test_forums_page_counts_members_and_lists_public_meetings(client, world, db_session):
    north = next(f for f in _forums(world) if f["area_id"] == world.north)
    chair = {"participant_id": world.resident_north, "starts_on": "2026-01-01", "role": "chair"}
    assert world.api.post(f"{world.base}/forums/{north['id']}/members", json=chair).status_code == 201
    _meeting(db_session, world, north["body_id"], "North forum meeting", days=10)
    _meeting(db_session, world, north["body_id"], "Private planning", days=12, public=False)
    _meeting(db_session, world, north["body_id"], "Called off", days=14, status="cancelled")
    response = client.get(f"/p/{world.org.slug}/customer_voice/forums")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert north["name"] in html and "Area: North" in html and "How to join" in html
    assert "Residents on this forum: 1." in html and "It has a resident chair." in html
    assert "It is looking for a chair." in html  # the other forums
    assert html.count("/p/cv-gentoo/events/") == 1  # only the public, planned meeting
    assert f"/p/{world.org.slug}/get-involved" in html
    with organisation_scope(world.org.id):
        names = [p.first_name for p in db_session.query(Participant).all()]
    assert names and not any(name in html for name in names)


def test_information_events_page_shows_upcoming_public_events(client, world, db_session):
    soon = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    past = (datetime.now(UTC) - timedelta(days=20)).isoformat()
    for topic, starts_at in (("Damp and mould", soon), ("Rent setting", past)):
        response = world.api.post(
            f"{world.base}/information-events", json={"topic": topic, "starts_at": starts_at}
        )
        assert response.status_code == 201, response.get_json()
    hidden = world.api.post(
        f"{world.base}/information-events", json={"topic": "Staff only", "starts_at": soon}
    )
    with organisation_scope(world.org.id):
        db_session.get(Activity, hidden.get_json()["activity_id"]).is_public = False
    db_session.commit()
    html = client.get(f"/p/{world.org.slug}/customer_voice/information-events").get_data(as_text=True)
    assert "Damp and mould" in html
    assert "Rent setting" not in html and "Staff only" not in html


def test_scheduled_information_events_are_public(world):
    world.api.post(f"{world.base}/information-events/schedule", json={"year": "2026-27"})
    event = world.api.get(f"{world.base}/information-events?year=2026-27").get_json()["items"][0]
    activity = world.api.get(f"/api/v1/orgs/{world.org.slug}/activities/{event['activity_id']}").get_json()
    assert activity["is_public"] is True


def test_public_pages_are_404_when_the_plugin_is_off_or_the_landlord_inactive(client, make_org):
    make_org("no-voice-homes")
    make_org("asleep-voice", status="suspended", plugins={"customer_voice": {}})
    for slug in ("no-voice-homes", "asleep-voice"):
        assert client.get(f"/p/{slug}/customer_voice/forums").status_code == 404
        assert client.get(f"/p/{slug}/customer_voice/information-events").status_code == 404


def test_public_pages_are_linked_from_the_landlords_home(client, world):
    html = client.get(f"/p/{world.org.slug}/").get_data(as_text=True)
    assert "/customer_voice/forums" in html and "/customer_voice/information-events" in html
