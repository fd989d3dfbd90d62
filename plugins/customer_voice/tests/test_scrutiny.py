"""CHAIN projects and Ustoo scrutiny reviews: their rules, overdue lists and KPIs."""

from core.models import Improvement
from core.tenancy import organisation_scope


def test_rule_chain_project_cannot_end_before_it_starts(world):
    response = world.api.post(
        f"{world.base}/chain-projects",
        json={
            "title": "Void standard",
            "scope_type": "policy",
            "scope": "Lettable standard",
            "starts_on": "2026-03-01",
            "planned_end_on": "2026-01-01",
        },
    )
    assert response.status_code == 422 and "planned_end_on" in response.get_json()["error"]["fields"]


def test_chain_project_members_recommendations_improvements_and_overdue(world, db_session):
    made = world.api.post(
        f"{world.base}/chain-projects",
        json={
            "title": "Repairs texts",
            "scope_type": "service_area",
            "scope": "repairs",
            "starts_on": "2025-01-01",
            "planned_end_on": "2025-03-01",
        },
    ).get_json()
    assert made["overdue"] is True and made["body_id"]
    overdue = world.api.get(f"{world.base}/chain-projects?overdue=true").get_json()
    assert [p["id"] for p in overdue["items"]] == [made["id"]]
    member = world.api.post(
        f"/api/v1/orgs/{world.org.slug}/bodies/{made['body_id']}/memberships",
        json={"participant_id": world.resident_north, "seat_type": "resident", "starts_on": "2025-01-01"},
    )
    assert member.status_code == 201
    rec = world.api.post(
        f"{world.base}/chain-projects/{made['id']}/recommendations", json={"title": "Text reminders"}
    )
    assert rec.status_code == 201
    with organisation_scope(world.org.id):
        improvement = Improvement(title="Reminder texts", implemented_on=world_today())
        db_session.add(improvement)
        db_session.flush()
        improvement_id = improvement.id
    db_session.commit()
    link = world.api.post(
        f"{world.base}/chain-projects/{made['id']}/improvements", json={"improvement_id": improvement_id}
    )
    assert link.status_code == 201
    again = world.api.post(
        f"{world.base}/chain-projects/{made['id']}/improvements", json={"improvement_id": improvement_id}
    )
    assert again.status_code == 409
    done = world.api.patch(
        f"{world.base}/chain-projects/{made['id']}",
        json={"status": "completed", "completed_on": "2025-06-01"},
    )
    body = done.get_json()
    assert (
        body["status"],
        body["overdue"],
        body["members"],
        body["recommendations"],
        body["improvements"],
    ) == ("completed", False, 1, 1, 1)
    kpis = world.api.get(f"/api/v1/orgs/{world.org.slug}/kpis?period=2025-26").get_json()["kpis"]
    assert {k["code"]: k["value"] for k in kpis}["customer_voice_chain_completed"] == 1


def world_today():
    from datetime import date

    return date.today()


def _review(world):
    return world.api.post(
        f"{world.base}/scrutiny-reviews",
        json={"topic": "Complaints handling", "scope": "Stage 1 complaints", "starts_on": "2025-04-01"},
    ).get_json()


def test_rule_scrutiny_recommendations_come_from_a_published_report(world):
    review = _review(world)
    early = world.api.post(
        f"{world.base}/scrutiny-reviews/{review['id']}/recommendations", json={"title": "X"}
    )
    assert early.status_code == 409 and "publish the report" in early.get_json()["error"]["message"]


def test_rule_evidence_request_due_date_not_before_request(world):
    review = _review(world)
    response = world.api.post(
        f"{world.base}/scrutiny-reviews/{review['id']}/evidence-requests",
        json={
            "service": "Repairs",
            "request": "Complaint logs",
            "requested_on": "2025-05-01",
            "due_on": "2025-04-01",
        },
    )
    assert response.status_code == 422 and "due_on" in response.get_json()["error"]["fields"]


def _published_with_recommendations(world, count=2):
    review = _review(world)
    url = f"{world.base}/scrutiny-reviews/{review['id']}"
    assert (
        world.api.patch(
            url, json={"report_published_on": "2025-09-01", "report_summary": "Findings"}
        ).status_code
        == 200
    )
    recs = [
        world.api.post(f"{url}/recommendations", json={"title": f"Rec {n}"}).get_json() for n in range(count)
    ]
    return url, recs


def test_rule_partial_or_rejected_response_needs_a_reason(world):
    url, recs = _published_with_recommendations(world)
    for response in ("partly_accepted", "rejected"):
        refused = world.api.patch(f"{url}/recommendations/{recs[0]['id']}", json={"response": response})
        assert refused.status_code == 422 and "response_reason" in refused.get_json()["error"]["fields"]
    ok = world.api.patch(
        f"{url}/recommendations/{recs[0]['id']}",
        json={"response": "rejected", "response_reason": "Cost", "responded_on": "2025-10-01"},
    )
    assert ok.status_code == 200 and ok.get_json()["status"] == "closed"


def test_rule_only_accepted_recommendations_are_implemented(world):
    url, recs = _published_with_recommendations(world)
    refused = world.api.patch(f"{url}/recommendations/{recs[0]['id']}", json={"status": "implemented"})
    assert refused.status_code == 409


def test_rule_review_closes_only_when_recommendations_are_answered_and_implemented(world):
    url, recs = _published_with_recommendations(world)
    assert world.api.patch(url, json={"status": "closed"}).status_code == 409
    world.api.patch(
        f"{url}/recommendations/{recs[0]['id']}", json={"response": "accepted", "responded_on": "2025-10-01"}
    )
    world.api.patch(
        f"{url}/recommendations/{recs[1]['id']}",
        json={"response": "partly_accepted", "response_reason": "Budget", "responded_on": "2025-10-01"},
    )
    assert world.api.patch(url, json={"status": "closed"}).status_code == 409
    for rec in recs:
        done = world.api.patch(
            f"{url}/recommendations/{rec['id']}",
            json={"status": "implemented", "implemented_on": "2025-12-01"},
        )
        assert done.status_code == 200 and done.get_json()["implemented_on"] == "2025-12-01"
    closed = world.api.patch(url, json={"status": "closed", "closed_on": "2026-01-10"})
    assert closed.status_code == 200
    kpis = {
        k["code"]: k["value"]
        for k in world.api.get(f"/api/v1/orgs/{world.org.slug}/kpis?period=2025-26").get_json()["kpis"]
    }
    assert kpis["customer_voice_reviews_completed"] == 1
    assert kpis["customer_voice_recommendations_accepted"] == 100.0
    assert kpis["customer_voice_recommendations_implemented"] == 2


def test_recommendation_of_another_review_is_not_found(world):
    url, recs = _published_with_recommendations(world, 1)
    other = _review(world)
    response = world.api.patch(
        f"{world.base}/scrutiny-reviews/{other['id']}/recommendations/{recs[0]['id']}",
        json={"response": "accepted"},
    )
    assert response.status_code == 404
