"""I&K schedule, volunteering, Rate Your Estate, standards reports and reminders, settings, isolation."""

from datetime import date

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from core.models import Notification
from core.tenancy import organisation_scope
from plugins.customer_voice.settings import CustomerVoiceSettings
from plugins.customer_voice.tests.conftest import build_world


def test_rule_information_events_every_n_months_generated_once(world):
    first = world.api.post(
        f"{world.base}/information-events/schedule", json={"year": "2026-27", "topics": ["Repairs"]}
    )
    assert first.get_json() == {"year": "2026-27", "interval_months": 2, "events_in_year": 6, "created": 6}
    again = world.api.post(f"{world.base}/information-events/schedule", json={"year": "2026-27"})
    assert again.get_json()["created"] == 0
    events = world.api.get(f"{world.base}/information-events?year=2026-27").get_json()["items"]
    assert [e["starts_at"][:10] for e in events] == [
        "2026-04-08",
        "2026-06-10",
        "2026-08-12",
        "2026-10-14",
        "2026-12-09",
        "2027-02-10",
    ]
    assert events[0]["topic"] == "Repairs"
    quarter = world.api.post(f"{world.base}/information-events/schedule", json={"year": "2026-27-Q1"})
    assert quarter.status_code == 422 and "year" in quarter.get_json()["error"]["fields"]


def test_ik_attendance_counts_in_the_kpi(world):
    world.api.post(f"{world.base}/information-events/schedule", json={"year": "2025-26"})
    event = world.api.get(f"{world.base}/information-events?year=2025-26").get_json()["items"][0]
    world.api.patch(
        f"{world.base}/information-events/{event['id']}", json={"status": "held", "topic": "Damp and mould"}
    )
    for person in (world.resident_north, world.resident_south):
        response = world.api.post(
            f"/api/v1/orgs/{world.org.slug}/activities/{event['activity_id']}/participations",
            json={"participant_id": person},
        )
        assert response.status_code == 201
    detail = world.api.get(f"{world.base}/information-events/{event['id']}").get_json()
    assert detail["attended"] == 2 and detail["topic"] == "Damp and mould"
    kpis = {
        k["code"]: k["value"]
        for k in world.api.get(f"/api/v1/orgs/{world.org.slug}/kpis?period=2025-26").get_json()["kpis"]
    }
    assert (kpis["customer_voice_ik_events"], kpis["customer_voice_ik_attendance"]) == (1, 2)


def test_rule_volunteering_role_must_be_one_of_the_settings(world):
    body = {"role": "dog_walking", "title": "Walk", "starts_at": "2025-06-01T10:00:00+00:00"}
    assert world.api.post(f"{world.base}/volunteering/sessions", json=body).status_code == 422
    made = world.api.post(
        f"{world.base}/volunteering/sessions", json={**body, "role": "community_clean_up", "status": "held"}
    )
    assert made.status_code == 201
    world.api.post(
        f"/api/v1/orgs/{world.org.slug}/activities/{made.get_json()['activity_id']}/participations",
        json={"participant_id": world.resident_north, "role": "volunteer", "hours": "2.5"},
    )
    kpis = {
        k["code"]: k["value"]
        for k in world.api.get(f"/api/v1/orgs/{world.org.slug}/kpis?period=2025-26").get_json()["kpis"]
    }
    assert kpis["customer_voice_volunteer_hours"] == 2.5


def test_rule_estate_rating_scores_every_criterion_from_1_to_5(world):
    url = f"{world.base}/estate-ratings"
    base = {"area_id": world.estate, "visited_on": "2025-06-01", "participant_id": world.resident_north}
    missing = world.api.post(url, json={**base, "scores": {"cleanliness": 4}})
    assert missing.status_code == 422 and "scores.grounds" in missing.get_json()["error"]["fields"]
    unknown = world.api.post(url, json={**base, "scores": {"cleanliness": 4, "grounds": 3, "vibes": 5}})
    assert "scores.vibes" in unknown.get_json()["error"]["fields"]
    out_of_range = world.api.post(url, json={**base, "scores": {"cleanliness": 6, "grounds": 3}})
    assert out_of_range.status_code == 422
    management = world.api.post(
        url, json={**base, "area_id": world.north, "scores": {"cleanliness": 4, "grounds": 3}}
    )
    assert management.status_code == 422 and "area_id" in management.get_json()["error"]["fields"]
    assert world.api.post(url, json={**base, "scores": {"cleanliness": 4, "grounds": 3}}).status_code == 201
    assert (
        world.api.post(
            url, json={**base, "visited_on": "2025-09-01", "scores": {"cleanliness": 5, "grounds": 5}}
        ).status_code
        == 201
    )
    trends = world.api.get(f"{url}/trends?date_from=2025-01-01&date_to=2025-12-31").get_json()["items"]
    assert {(t["quarter"], t["criterion"]): t["average"] for t in trends} == {
        ("2025-Q2", "cleanliness"): 4.0,
        ("2025-Q2", "grounds"): 3.0,
        ("2025-Q3", "cleanliness"): 5.0,
        ("2025-Q3", "grounds"): 5.0,
    }
    kpis = {
        k["code"]: k["value"]
        for k in world.api.get(f"/api/v1/orgs/{world.org.slug}/kpis?period=2025-26").get_json()["kpis"]
    }
    assert (kpis["customer_voice_estates_rated"], kpis["customer_voice_average_estate_rating"]) == (1, 4.25)


def test_rule_estate_rating_needs_criteria_set(make_org, make_user, api_client, db_session):
    world = build_world(make_org, make_user, api_client, db_session, "cv-nocriteria", settings={})
    response = world.api.post(
        f"{world.base}/estate-ratings",
        json={"area_id": world.estate, "visited_on": "2025-06-01", "scores": {"a": 1}},
    )
    assert response.status_code == 409


def test_rule_standards_report_presented_only_when_every_expectation_is_assessed(world):
    made = world.api.post(f"{world.base}/standards-reports", json={"period_start": "2025-04-01"})
    assert made.status_code == 201
    report = made.get_json()
    assert report["period_end"] == "2025-09-30" and report["unassessed"] == 13
    assert (
        world.api.post(f"{world.base}/standards-reports", json={"period_start": "2025-04-01"}).status_code
        == 409
    )
    assert (
        world.api.post(f"{world.base}/standards-reports", json={"period_start": "2025-05-01"}).status_code
        == 422
    )
    url = f"{world.base}/standards-reports/{report['id']}"
    bad = world.api.patch(url, json={"assessments": {"astrology": {"rating": "met"}}})
    assert bad.status_code == 422 and "assessments.astrology" in bad.get_json()["error"]["fields"]
    assert world.api.patch(url, json={"status": "presented"}).status_code == 409
    codes = [e["code"] for e in report["expectations"]]
    done = world.api.patch(
        url, json={"assessments": {c: {"rating": "met"} for c in codes}, "status": "presented"}
    )
    assert done.status_code == 200 and done.get_json()["status"] == "presented"


def test_standards_evidence_counts_records_of_the_window(world):
    review = world.api.post(
        f"{world.base}/scrutiny-reviews",
        json={"topic": "ASB", "scope": "Case handling", "starts_on": "2025-05-01"},
    )
    assert review.status_code == 201
    report = world.api.post(f"{world.base}/standards-reports", json={"period_start": "2025-04-01"}).get_json()
    scrutiny = next(e for e in report["expectations"] if e["code"] == "scrutiny")
    assert {i["kind"]: i["count"] for i in scrutiny["evidence"]}["scrutiny_reviews"] == 1
    later = world.api.post(f"{world.base}/standards-reports", json={"period_start": "2026-04-01"}).get_json()
    scrutiny = next(e for e in later["expectations"] if e["code"] == "scrutiny")
    assert {i["kind"]: i["count"] for i in scrutiny["evidence"]}["scrutiny_reviews"] == 1  # still open


def test_reminders_for_approach_review_and_standards_report_are_sent_once(world, db_session):
    from plugins.customer_voice.services.standards import send_reminders

    with organisation_scope(world.org.id):
        assert send_reminders(world.org, date(2026, 11, 22)) == 2  # review due 2021-09; no report yet
        assert send_reminders(world.org, date(2026, 11, 22)) == 0
        subjects = db_session.scalars(select(Notification.subject).order_by(Notification.id)).all()
    assert "was due in September 2021" in subjects[0]
    assert "Standards report" in subjects[1]
    status = world.api.get(f"{world.base}/standards/status").get_json()
    assert status["approach_review_overdue"] is True and status["approach_review_due_on"] == "2021-09-01"


def test_settings_refuse_a_bad_value_naming_the_key(world):
    with pytest.raises(ValidationError) as caught:
        CustomerVoiceSettings().load(
            {"information_event_interval_months": 0, "last_approach_review": "Sept 2018"}
        )
    assert set(caught.value.messages) == {"information_event_interval_months", "last_approach_review"}
    response = world.api.put(
        f"/api/v1/orgs/{world.org.slug}/plugins/customer_voice",
        json={"enabled": True, "settings": {"listening_channels": ["fax"]}},
    )
    assert response.status_code == 422
    assert any(
        key.startswith("settings.listening_channels") for key in response.get_json()["error"]["fields"]
    )
    assert CustomerVoiceSettings().load({})["information_event_interval_months"] == 2


def test_disabling_hides_routes_and_re_enabling_keeps_data(world):
    forum = world.api.get(f"{world.base}/forums").get_json()["items"][0]
    world.api.post(
        f"{world.base}/feedback",
        json={
            "channel": "survey",
            "received_on": "2025-07-01",
            "service_area": "repairs",
            "sentiment": "positive",
        },
    )
    plugin_url = f"/api/v1/orgs/{world.org.slug}/plugins/customer_voice"
    assert world.api.put(plugin_url, json={"enabled": False, "settings": {}}).status_code == 200
    assert world.api.get(f"{world.base}/forums").status_code == 404
    assert world.api.put(plugin_url, json={"enabled": True, "settings": {}}).status_code == 200
    forums = world.api.get(f"{world.base}/forums").get_json()["items"]
    assert forums[0]["id"] == forum["id"] and len(forums) == 3
    assert world.api.get(f"{world.base}/feedback").get_json()["total"] == 1


def test_another_organisations_records_are_not_found(world, make_org, make_user, api_client, db_session):
    other = build_world(make_org, make_user, api_client, db_session, "cv-other")
    theirs = other.api.get(f"{other.base}/forums").get_json()["items"][0]
    feedback = other.api.post(
        f"{other.base}/feedback",
        json={
            "channel": "survey",
            "received_on": "2025-07-01",
            "service_area": "repairs",
            "sentiment": "positive",
        },
    )
    for path in (
        f"forums/{theirs['id']}",
        f"forums/{theirs['id']}/voice-pack",
        f"feedback/{feedback.get_json()['id']}",
    ):
        assert world.api.get(f"{world.base}/{path}").status_code == 404
    assert world.api.get(f"{other.base}/forums").status_code == 404
    cross = world.api.post(
        f"{world.base}/feedback",
        json={
            "channel": "survey",
            "received_on": "2025-07-01",
            "service_area": "repairs",
            "sentiment": "positive",
            "area_id": other.north,
        },
    )
    assert cross.status_code == 422
    with organisation_scope(world.org.id):
        from plugins.customer_voice.models import FeedbackItem

        assert db_session.scalar(select(func.count(FeedbackItem.id))) == 0


def test_demo_data_builds_on_the_core_demo_and_runs_once(make_org, db_session):
    import tomllib

    from core.demo_data import load_demo_records
    from plugins.customer_voice.demo import load
    from plugins.customer_voice.models import FeedbackItem
    from plugins.customer_voice.tests.conftest import enable

    with open("tenants_config/gentoo.toml", "rb") as config:
        settings = tomllib.load(config)["plugins"]["customer_voice"]["settings"]
    org = make_org("cv-demo")
    enable(org, settings)
    load_demo_records(org)
    with organisation_scope(org.id):
        loaded = CustomerVoiceSettings().load(settings)
        load(org, loaded)
        load(org, loaded)
        assert db_session.scalar(select(func.count(FeedbackItem.id))) == 160
