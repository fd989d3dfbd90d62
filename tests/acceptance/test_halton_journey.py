"""A Halton-like year of involvement, walked through the HTTP API only (issue 3's journey).

Import 60 households, import participants, create a Board of 12 seats, add members, hold a
meeting with attendance, run a consultation, let its feedback fall overdue, publish feedback,
record an improvement linked to it, export and erase a participant.
"""

from datetime import date, timedelta

import pytest

STREETS = ["Ash Grove", "Birch Road", "Cedar Close", "Damson Way", "Elm Walk", "Fir Court"]


@pytest.fixture
def halton(make_org, make_user, api_client):
    org = make_org("halton-like", name="Halton-like Housing Trust", settings={"feedback_period_months": 3})
    admin = make_user(org, "org_admin", email="officer@halton-like.example")
    return api_client(admin), "/api/v1/orgs/halton-like"


def households_csv() -> str:
    rows = ["reference,address_line_1,address_line_2,postcode,tenure,active"]
    for n in range(60):
        street = STREETS[n % len(STREETS)]
        rows.append(f"HH{n:04d},{n + 1} {street},Widnes,WA8 {n % 9}AB,general_needs,yes")
    return "\n".join(rows) + "\n"


def participants_csv() -> str:
    rows = ["reference,first_name,last_name,household,is_tenancy_holder,preferred_level,formats,access_needs"]
    for n in range(20):
        needs = "hearing_loop" if n % 5 == 0 else ""
        fmt = "large_print" if n % 4 == 0 else "standard"
        rows.append(f"P{n:03d},Resident{n},Tenant{n},HH{n:04d},yes,involved,{fmt},{needs}")
    return "\n".join(rows) + "\n"


def test_a_year_of_involvement(halton):
    api, base = halton
    csv_headers = {"Content-Type": "text/csv"}

    imported = api.post(f"{base}/households/import", data=households_csv(), headers=csv_headers)
    assert imported.status_code == 200, imported.get_json()
    assert imported.get_json()["created"] == 60
    again = api.post(f"{base}/households/import", data=households_csv(), headers=csv_headers).get_json()
    assert again["created"] == 0 and again["updated"] == 0
    assert api.get(f"{base}/households?per_page=1").get_json()["total"] == 60

    people = api.post(f"{base}/participants/import", data=participants_csv(), headers=csv_headers)
    assert people.status_code == 200, people.get_json()
    participants = api.get(f"{base}/participants?per_page=200").get_json()["items"]
    assert len(participants) == 20
    ids = [p["id"] for p in participants]

    board = api.post(
        f"{base}/bodies",
        json={
            "name": "Board",
            "kind": "board",
            "decision_making": True,
            "seats_total": 12,
            "reserved_resident_seats": 4,
        },
    ).get_json()
    year_start = date.today() - timedelta(days=200)
    for n, participant_id in enumerate(ids[:4]):
        response = api.post(
            f"{base}/bodies/{board['id']}/memberships",
            json={
                "participant_id": participant_id,
                "seat_type": "resident",
                "role": "chair" if n == 0 else "member",
                "starts_on": year_start.isoformat(),
            },
        )
        assert response.status_code == 201, response.get_json()
    api.post(
        f"{base}/bodies/{board['id']}/memberships",
        json={
            "external_name": "Cllr Example",
            "seat_type": "councillor",
            "starts_on": year_start.isoformat(),
        },
    )
    assert api.get(f"{base}/bodies/{board['id']}").get_json()["vacancies"] == 7

    meeting = api.post(
        f"{base}/activities",
        json={
            "title": "Board meeting",
            "kind": "meeting",
            "body_id": board["id"],
            "status": "held",
            "starts_at": f"{(date.today() - timedelta(days=30)).isoformat()}T18:00:00+00:00",
        },
    ).get_json()
    for n, participant_id in enumerate(ids[:4]):
        recorded = api.post(
            f"{base}/activities/{meeting['id']}/participations",
            json={"participant_id": participant_id, "role": "member", "attended": n != 3},
        )
        assert recorded.status_code == 201, recorded.get_json()
    attendance = api.get(f"{base}/bodies/{board['id']}/attendance").get_json()
    attended = sorted(row["attended"] for row in attendance["items"] if row.get("participant_id"))
    assert attended == [0, 1, 1, 1]

    closes = date.today() - timedelta(days=120)
    consultation = api.post(
        f"{base}/consultations",
        json={
            "title": "Repairs service review",
            "topic": "regeneration_redevelopment_and_repairs",
            "opens_on": (closes - timedelta(days=28)).isoformat(),
            "closes_on": closes.isoformat(),
        },
    ).get_json()
    assert consultation["feedback_due_on"] < date.today().isoformat()  # closes + 3 months, passed
    for participant_id in ids[:6]:
        api.post(
            f"{base}/consultations/{consultation['id']}/responses",
            json={
                "channel": "phone",
                "participant_id": participant_id,
                "answer": "agree",
                "responded_on": (closes - timedelta(days=3)).isoformat(),
            },
        )
    overdue = api.get(f"{base}/consultations?overdue=true").get_json()
    assert [c["id"] for c in overdue["items"]] == [consultation["id"]]

    published = api.put(
        f"{base}/consultations/{consultation['id']}/feedback",
        json={
            "you_said": "Repairs take too long to book.",
            "we_did": "Added evening booking slots.",
            "published_on": date.today().isoformat(),
        },
    )
    assert published.status_code == 200, published.get_json()
    assert api.get(f"{base}/consultations?overdue=true").get_json()["items"] == []
    assert api.get(f"{base}/consultations/{consultation['id']}").get_json()["feedback_on_time"] is False

    improvement = api.post(
        f"{base}/improvements",
        json={
            "title": "Evening repair booking",
            "implemented_on": date.today().isoformat(),
            "source": "consultation",
            "source_id": consultation["id"],
        },
    )
    assert improvement.status_code == 201, improvement.get_json()

    person = ids[0]
    export = api.get(f"{base}/participants/{person}/export")
    assert export.status_code == 200
    assert "Resident" in export.get_data(as_text=True)
    assert api.post(f"{base}/participants/{person}/erase").status_code == 200
    after = api.get(f"{base}/participants/{person}/export").get_data(as_text=True)
    assert "Resident0" not in after and "Tenant0" not in after and "P000" not in after
    # Counts survive the erasure: the Board still has its members, the meeting its attendance.
    assert api.get(f"{base}/bodies/{board['id']}").get_json()["vacancies"] == 7
    attendance = api.get(f"{base}/bodies/{board['id']}/attendance").get_json()
    assert sum(row["attended"] for row in attendance["items"] if row.get("participant_id")) == 3
