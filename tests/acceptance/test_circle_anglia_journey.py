"""A Circle Anglia-like year, through the HTTP API only (issue 4's journey).

Three partners of a group each record a year of involvement (households, people, an opportunity
with a held meeting, spend, an improvement, a consultation with feedback, a TP06 survey), write
narrative and publish their impact assessment; the group then compares them. A partner's user can
see neither the comparison nor another partner's records or assessment.
"""

from datetime import date

import pytest

YEAR = "2025-26"
PARTNERS = {
    # slug: (name, households, attendees, spend in pence, improvements, TP06 satisfied of 10)
    "wensum": ("Wensum Homes", 40, 12, 80000, 3, 8),
    "yare": ("Yare Housing", 20, 6, 30000, 1, 5),
    "bure": ("Bure Trust", 10, 3, 50000, 2, 9),
}


@pytest.fixture
def group(make_org, make_user, api_client):
    org = make_org("anglia-like", name="Anglia-like Group", kind="group")
    return org, api_client(make_user(org, "staff", email="head@anglia-like.example"))


@pytest.fixture
def partners(group, make_org, make_user, api_client):
    made = {}
    for slug, (name, *_rest) in PARTNERS.items():
        org = make_org(slug, name=name, parent=group[0], settings={"kpi_targets": {"improvements": 2}})
        made[slug] = (org, api_client(make_user(org, "org_admin", email=f"officer@{slug}.example")))
    return made


def record_a_year(api, slug, households, attendees, spend, improvements, satisfied):
    base = f"/api/v1/orgs/{slug}"
    rows = ["reference,address_line_1,postcode,tenure,active"]
    rows += [
        f"{slug.upper()}{n:03d},{n + 1} River Street,NR1 {n % 9}AA,general_needs,yes"
        for n in range(households)
    ]
    response = api.post(
        f"{base}/households/import", data="\n".join(rows) + "\n", headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.get_json()
    people = []
    for n in range(attendees):
        person = api.post(
            f"{base}/participants", json={"first_name": f"Resident {n}", "last_name": slug.title()}
        )
        assert person.status_code == 201, person.get_json()
        people.append(person.get_json()["id"])
    opportunity = api.post(
        f"{base}/opportunities", json={"name": "Tenants' panel", "level": "consulted", "formal": False}
    ).get_json()
    meeting = api.post(
        f"{base}/activities",
        json={
            "title": "Panel meeting",
            "kind": "meeting",
            "starts_at": "2025-10-14T18:00:00Z",
            "status": "held",
            "opportunity_id": opportunity["id"],
        },
    )
    assert meeting.status_code == 201, meeting.get_json()
    for person in people:
        done = api.post(
            f"{base}/activities/{meeting.get_json()['id']}/participations", json={"participant_id": person}
        )
        assert done.status_code == 201, done.get_json()
    assert (
        api.post(
            f"{base}/spend", json={"spent_on": "2025-10-14", "category": "events", "amount_pence": spend}
        ).status_code
        == 201
    )
    for n in range(improvements):
        made = api.post(
            f"{base}/improvements", json={"title": f"Improvement {n}", "implemented_on": "2025-12-01"}
        )
        assert made.status_code == 201, made.get_json()
    survey = api.post(
        f"{base}/surveys",
        json={
            "title": "Perception survey",
            "questions": [{"code": "TP06", "text": "Listens", "scale": "satisfaction"}],
        },
    )
    assert survey.status_code == 201, survey.get_json()
    for n in range(10):
        value = "fairly_satisfied" if n < satisfied else "fairly_dissatisfied"
        answered = api.post(
            f"{base}/surveys/{survey.get_json()['id']}/responses",
            json={"answers": {"TP06": value}, "channel": "phone", "responded_on": "2026-01-20"},
        )
        assert answered.status_code == 201, answered.get_json()


def test_partners_record_publish_and_the_group_compares(group, partners):
    group_org, group_api = group
    for slug, (_org, api) in partners.items():
        _name, households, attendees, spend, improvements, satisfied = PARTNERS[slug]
        record_a_year(api, slug, households, attendees, spend, improvements, satisfied)
        base = f"/api/v1/orgs/{slug}/impact-assessments/{YEAR}"
        draft = api.get(base).get_json()
        cost = next(s for s in draft["sections"] if s["key"] == "cost")["content"]["figures"]
        assert cost[0]["value"] == spend
        written = api.put(f"{base}/narratives/achieved", json={"text": f"{PARTNERS[slug][0]} listened."})
        assert written.status_code == 200
        published = api.post(f"{base}/publish")
        assert published.status_code == 200 and published.get_json()["status"] == "published"

    # Records changed after publishing do not change the published assessment.
    wensum_api = partners["wensum"][1]
    wensum_api.post(
        "/api/v1/orgs/wensum/spend",
        json={"spent_on": "2025-11-01", "category": "training", "amount_pence": 999},
    )
    frozen = wensum_api.get(f"/api/v1/orgs/wensum/impact-assessments/{YEAR}").get_json()
    assert (
        next(s for s in frozen["sections"] if s["key"] == "cost")["content"]["figures"][0]["value"] == 80000
    )

    comparison = group_api.get(f"/api/v1/orgs/{group_org.slug}/comparison?period={YEAR}")
    assert comparison.status_code == 200
    result = comparison.get_json()
    rows = {p["slug"]: p for p in result["partners"]}
    assert set(rows) == {"wensum", "yare", "bure"}
    assert {s: r["assessment"]["status"] for s, r in rows.items()} == dict.fromkeys(rows, "published")
    assert {s: r["kpis"]["improvements"]["rank"] for s, r in rows.items()} == {
        "wensum": 1,
        "bure": 2,
        "yare": 3,
    }
    assert rows["yare"]["missed_targets"] == ["improvements"]
    assert result["totals"]["improvements"] == 6 and result["medians"]["improvements"] == 2
    assert rows["wensum"]["kpis"]["involved_total"]["value"] == 12
    assert rows["bure"]["kpis"]["involved_total"]["suppressed"] is True  # 3 people
    assert {s: r["kpis"]["listened_to"]["value"] for s, r in rows.items()} == {
        "wensum": 80.0,
        "yare": 50.0,
        "bure": 90.0,
    }
    assert rows["bure"]["kpis"]["spend_per_household"]["value"] == 5000  # (50000 + 0) / 10
    # Spend per household: wensum 80000/40 = 2000, yare 30000/20 = 1500; lower is better.
    assert rows["yare"]["kpis"]["spend_per_household"]["rank"] == 1


def test_a_partners_user_sees_neither_the_comparison_nor_another_partner(group, partners):
    group_org, _ = group
    wensum, yare_api = partners["wensum"][0], partners["yare"][1]
    wensum_api = partners["wensum"][1]
    wensum_api.post(
        "/api/v1/orgs/wensum/improvements",
        json={"title": "Wensum secret improvement", "implemented_on": "2025-12-01"},
    )
    wensum_api.put(
        f"/api/v1/orgs/wensum/impact-assessments/{YEAR}/narratives/achieved", json={"text": "Wensum secret"}
    )
    for path in (
        f"/api/v1/orgs/{group_org.slug}/comparison?period={YEAR}",
        f"/api/v1/orgs/{wensum.slug}/improvements",
        f"/api/v1/orgs/{wensum.slug}/impact-assessments/{YEAR}",
        f"/api/v1/orgs/{wensum.slug}/impact-assessments/{YEAR}.csv",
        f"/api/v1/orgs/{wensum.slug}/kpis?period={YEAR}",
    ):
        response = yare_api.get(path)
        assert response.status_code == 404, path
        assert "Wensum secret" not in response.get_data(as_text=True)
    assert yare_api.get(f"/api/v1/orgs/yare/comparison?period={YEAR}").status_code == 404
    mine = yare_api.get(f"/api/v1/orgs/yare/impact-assessments/{YEAR}").get_json()
    achieved = next(s for s in mine["sections"] if s["key"] == "achieved")
    assert achieved["narrative"] == "" and achieved["content"]["figures"][0]["value"] == 0


def test_the_group_never_sees_a_partners_records_only_aggregates(group, partners):
    group_org, group_api = group
    partners["wensum"][1].post(
        "/api/v1/orgs/wensum/participants", json={"first_name": "Private", "last_name": "Person"}
    )
    body = group_api.get(f"/api/v1/orgs/{group_org.slug}/comparison?period={YEAR}").get_data(as_text=True)
    assert "Private" not in body
    assert group_api.get("/api/v1/orgs/wensum/participants").status_code == 404
    assert group_api.get(f"/api/v1/orgs/wensum/impact-assessments/{YEAR}").status_code == 404
    # The group reads the partner's assessment through its own, audited route: aggregates only.
    read = group_api.get(f"/api/v1/orgs/{group_org.slug}/partners/wensum/impact-assessments/{YEAR}")
    assert read.status_code == 200 and read.get_json()["organisation"]["slug"] == "wensum"
    assert "Private" not in read.get_data(as_text=True)
    assert date.today() > date(2026, 3, 31)  # the journey's year has ended, so it can be published
