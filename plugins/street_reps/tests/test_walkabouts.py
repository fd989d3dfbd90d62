"""Estate walkabouts: the agreed timetable, issues → neighbourhood-plan actions, the public pages
and the iCalendar feed, and the KPIs walkabouts held / actions completed on time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.periods import Period
from plugins.street_reps.tests.conftest import url

PAST = (datetime.now(UTC) - timedelta(days=20)).replace(hour=10, minute=0, second=0, microsecond=0)
FUTURE = (datetime.now(UTC) + timedelta(days=20)).replace(hour=10, minute=0, second=0, microsecond=0)


def plan(api, org, estate, starts_at=FUTURE, **fields):
    body = {
        "area_id": estate["estate"],
        "title": "Castlefields walkabout",
        "starts_at": starts_at.isoformat(),
        "meeting_point": "Community centre, Castlefields Avenue",
        "agencies": ["Police", "Council"],
        **fields,
    }
    return api.post(url(org, "walkabouts"), json=body)


def test_rule_walkabout_published_only_once_agreed_with_residents(api, org, estate):
    refused = plan(api, org, estate, published=True)
    assert refused.status_code == 409 and "agreed with residents" in refused.get_json()["error"]["message"]
    agreed = plan(api, org, estate, published=True, agreed_with_residents_on=date.today().isoformat())
    assert agreed.status_code == 201, agreed.get_json()


def test_rule_walkabout_held_only_after_it_started_and_outcome_after_held(api, org, estate):
    future = plan(api, org, estate).get_json()
    refused = api.patch(url(org, f"walkabouts/{future['id']}"), json={"status": "held"})
    assert refused.status_code == 409
    past = plan(api, org, estate, starts_at=PAST).get_json()
    early = api.patch(
        url(org, f"walkabouts/{past['id']}"),
        json={"outcome_summary": "Tidy", "outcome_published_on": date.today().isoformat()},
    )
    assert early.status_code == 409 and "held" in early.get_json()["error"]["message"]
    done = api.patch(
        url(org, f"walkabouts/{past['id']}"),
        json={"status": "held", "outcome_summary": "Tidy", "outcome_published_on": date.today().isoformat()},
    )
    assert done.status_code == 200, done.get_json()


def _held_with_issue(api, org, estate, **walkabout):
    walkabout = plan(
        api,
        org,
        estate,
        starts_at=PAST,
        status="held",
        published=True,
        agreed_with_residents_on=(PAST.date() - timedelta(days=30)).isoformat(),
        **walkabout,
    ).get_json()
    issue = api.post(
        url(org, f"walkabouts/{walkabout['id']}/issues"),
        json={
            "location": "Rear of 12 Ash Grove",
            "category": "litter_and_fly_tipping",
            "description": "Dumped mattress <b>and</b> bags",
        },
    )
    assert issue.status_code == 201, issue.get_json()
    return walkabout, issue.get_json()


def test_issue_becomes_an_action_on_the_neighbourhood_plan(api, org, estate):
    walkabout, issue = _held_with_issue(api, org, estate)
    due = (date.today() + timedelta(days=7)).isoformat()
    action = api.post(
        url(org, f"walkabouts/{walkabout['id']}/issues/{issue['id']}/action"),
        json={"title": "Remove the mattress", "owner": "Estate services", "due_on": due},
    )
    assert action.status_code == 201, action.get_json()
    item = action.get_json()["action"]
    assert item["status"] == "not_started" and item["owner"] == "Estate services"
    again = api.post(
        url(org, f"walkabouts/{walkabout['id']}/issues/{issue['id']}/action"),
        json={"title": "x", "owner": "y", "due_on": due},
    )
    assert again.status_code == 409
    plans = api.get(url(org, "neighbourhood-plans")).get_json()
    assert plans["total"] == 1 and plans["items"][0]["area_name"] == "Castlefields"
    assert plans["items"][0]["items"][0]["from_walkabout"] is True
    # The plan is a core action plan: its item is visible there too.
    core_items = api.get(
        f"/api/v1/orgs/{org.slug}/action-plans/{plans['items'][0]['plan_id']}/items"
    ).get_json()
    assert core_items["total"] == 1
    done = api.patch(
        url(org, f"walkabouts/{walkabout['id']}/issues/{issue['id']}/action"),
        json={"status": "done", "progress": "Collected"},
    )
    assert done.get_json()["action"]["completed_on"] == date.today().isoformat()
    year = Period.financial_year_of(date.today() + timedelta(days=7)).label
    kpis = {
        k["code"]: k["value"]
        for k in api.get(f"/api/v1/orgs/{org.slug}/kpis?period={year}").get_json()["kpis"]
    }
    assert kpis["street_reps_actions_on_time"] == 100.0


def test_issues_only_from_a_walkabout_that_was_held(api, org, estate):
    walkabout = plan(api, org, estate).get_json()
    refused = api.post(
        url(org, f"walkabouts/{walkabout['id']}/issues"),
        json={"location": "x", "category": "graffiti", "description": "y"},
    )
    assert refused.status_code == 409
    bad = api.post(
        url(org, f"walkabouts/{walkabout['id']}/issues"), json={"location": "x", "category": "aliens"}
    )
    assert bad.status_code == 422 and {"category", "description"} <= set(bad.get_json()["error"]["fields"])


def test_neighbourhood_plan_one_per_area_and_year(api, org, estate):
    made = api.post(
        url(org, "neighbourhood-plans"),
        json={"area_id": estate["estate"], "period": "2025-26", "local_priorities": ["Parking"]},
    )
    assert made.status_code == 201 and made.get_json()["local_priorities"] == ["Parking"]
    again = api.post(url(org, "neighbourhood-plans"), json={"area_id": estate["estate"], "period": "2025-26"})
    assert again.status_code == 409


def test_public_timetable_shows_only_published_walkabouts(client, api, org, estate):
    plan(
        api,
        org,
        estate,
        title="Published walk",
        published=True,
        agreed_with_residents_on=date.today().isoformat(),
    )
    plan(api, org, estate, title="Draft walk")
    page = client.get(f"/p/{org.slug}/street_reps/walkabouts")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Published walk" in html and "Draft walk" not in html and "<caption" in html


def test_public_outcome_page_needs_a_published_outcome(client, api, org, estate):
    walkabout, issue = _held_with_issue(api, org, estate)
    assert client.get(f"/p/{org.slug}/street_reps/walkabouts/{walkabout['id']}").status_code == 404
    api.patch(
        url(org, f"walkabouts/{walkabout['id']}"),
        json={
            "outcome_summary": "Fly-tipping behind Ash Grove.",
            "outcome_published_on": date.today().isoformat(),
        },
    )
    page = client.get(f"/p/{org.slug}/street_reps/walkabouts/{walkabout['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Fly-tipping behind Ash Grove." in html and "&lt;b&gt;and&lt;/b&gt;" in html


def test_icalendar_feed_follows_rfc_5545(client, api, org, estate):
    plan(
        api,
        org,
        estate,
        title="Walk; with, commas",
        published=True,
        agreed_with_residents_on=date.today().isoformat(),
        meeting_point="Hall\nSide door",
    )
    plan(api, org, estate, title="Unpublished")
    response = client.get(f"/p/{org.slug}/street_reps/walkabouts.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 1 and "Unpublished" not in body
    assert "SUMMARY:Walk\\; with\\, commas\r\n" in body and "LOCATION:Hall\\nSide door\r\n" in body
    assert "UID:walkabout-halton-test-" in body and "DTSTAMP:" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_public_pages_of_an_organisation_without_the_plugin_are_404(client, make_org):
    other = make_org("plain-homes")
    assert client.get(f"/p/{other.slug}/street_reps/walkabouts").status_code == 404
    assert client.get(f"/p/{other.slug}/street_reps/walkabouts.ics").status_code == 404


def test_walkabouts_held_kpi_counts_held_in_the_period(api, org, estate):
    plan(api, org, estate, starts_at=PAST, status="held")
    plan(api, org, estate, starts_at=PAST, status="cancelled")
    plan(api, org, estate)
    year = Period.financial_year_of(PAST.date()).label
    kpis = {
        k["code"]: k["value"]
        for k in api.get(f"/api/v1/orgs/{org.slug}/kpis?period={year}").get_json()["kpis"]
    }
    assert kpis["street_reps_walkabouts_held"] == 1
    assert kpis["street_reps_actions_on_time"] is None


@pytest.mark.parametrize("outcomes_public", [False])
def test_outcomes_stay_private_when_the_setting_says_so(
    make_org, make_user, api_client, client, estate, outcomes_public
):
    del estate
    other = make_org(
        "private-outcomes", plugins={"street_reps": {"walkabout_outcomes_public": outcomes_public}}
    )
    client_api = api_client(make_user(other, "staff"))
    from core.models import Area
    from core.tenancy import organisation_scope

    with organisation_scope(other.id):
        from core.extensions import db

        area = Area(name="Windmill Hill", kind="estate")
        db.session.add(area)
        db.session.commit()
        area_id = area.id
    walkabout = client_api.post(
        url(other, "walkabouts"),
        json={
            "area_id": area_id,
            "title": "Walk",
            "starts_at": PAST.isoformat(),
            "meeting_point": "Shop",
            "status": "held",
            "published": True,
            "agreed_with_residents_on": "2020-01-01",
            "outcome_summary": "Done",
            "outcome_published_on": date.today().isoformat(),
        },
    ).get_json()
    assert client.get(f"/p/{other.slug}/street_reps/walkabouts/{walkabout['id']}").status_code == 404


def test_walkabout_cannot_be_agreed_after_it_happens(api, org, estate):
    walk_day = PAST.date()
    late = plan(
        api, org, estate, starts_at=PAST, agreed_with_residents_on=(walk_day + timedelta(days=3)).isoformat()
    )
    assert late.status_code == 422
    assert "agreed_with_residents_on" in late.get_json()["error"]["fields"]
    same_day = plan(api, org, estate, starts_at=PAST, agreed_with_residents_on=walk_day.isoformat())
    assert same_day.status_code == 422
    walkabout = plan(api, org, estate, starts_at=PAST).get_json()
    backdated = api.patch(
        url(org, f"walkabouts/{walkabout['id']}"),
        json={"agreed_with_residents_on": date.today().isoformat(), "published": True},
    )
    assert backdated.status_code == 422
    # Moving an agreed walkabout to before its agreement is refused too.
    agreed = plan(
        api, org, estate, agreed_with_residents_on=date.today().isoformat(), published=True
    ).get_json()
    moved = api.patch(url(org, f"walkabouts/{agreed['id']}"), json={"starts_at": PAST.isoformat()})
    assert moved.status_code == 422
    in_advance = plan(
        api, org, estate, starts_at=PAST, agreed_with_residents_on=(walk_day - timedelta(days=14)).isoformat()
    )
    assert in_advance.status_code == 201, in_advance.get_json()
