"""The walkabouts iCalendar feed as a subscriber in London reads it: a summer (BST) and a winter
(GMT) walkabout start at the right instant and wall-clock time, and a walkabout keeps its UID
whichever host name the feed is fetched through."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from plugins.street_reps.tests.test_walkabouts import plan

LONDON = ZoneInfo("Europe/London")
SUMMER = datetime(2027, 7, 14, 17, 0, tzinfo=UTC)  # 18:00 BST
WINTER = datetime(2027, 12, 8, 18, 0, tzinfo=UTC)  # 18:00 GMT


def _published(api, org, estate, starts_at, title):
    created = plan(
        api,
        org,
        estate,
        starts_at=starts_at,
        title=title,
        published=True,
        agreed_with_residents_on=date(2027, 1, 5).isoformat(),
    )
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def _events(response):
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_walkabouts_start_at_the_right_instant_in_summer_and_winter_for_london(client, api, org, estate):
    _published(api, org, estate, SUMMER, "Summer walkabout")
    _published(api, org, estate, WINTER, "Winter walkabout")
    response = client.get(f"/p/{org.slug}/street_reps/walkabouts.ics")
    body = response.get_data(as_text=True)
    assert "DTSTART;TZID=Europe/London:20270714T180000" in body
    assert "DTSTART;TZID=Europe/London:20271208T180000" in body
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/London" in body
    events = _events(response)
    summer = events["Summer walkabout"]["dtstart"].dt
    winter = events["Winter walkabout"]["dtstart"].dt
    assert summer == SUMMER and summer.astimezone(LONDON).hour == 18
    assert winter == WINTER and winter.astimezone(LONDON).hour == 18
    assert events["Summer walkabout"]["dtend"].dt == datetime(2027, 7, 14, 19, 0, tzinfo=UTC)


def test_walkabout_uid_is_stable_across_host_names(client, api, org, estate):
    walkabout = _published(api, org, estate, SUMMER, "Summer walkabout")
    path = f"/p/{org.slug}/street_reps/walkabouts.ics"
    first = _events(client.get(path, base_url="http://involve.halton.example"))
    second = _events(client.get(path, base_url="http://10.0.0.7:8000"))
    uid = str(first["Summer walkabout"]["uid"])
    assert uid == str(second["Summer walkabout"]["uid"])
    assert uid == f"walkabout-{org.slug}-{walkabout['id']}@involve.calendar"


def test_long_lines_are_folded_within_75_octets(client, api, org, estate):
    _published(api, org, estate, SUMMER, "Walkabout " + "é" * 100)
    body = client.get(f"/p/{org.slug}/street_reps/walkabouts.ics").get_data(as_text=True)
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "é" * 100 in _events(client.get(f"/p/{org.slug}/street_reps/walkabouts.ics")).popitem()[0]
