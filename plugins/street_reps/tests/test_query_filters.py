"""The ``body_id`` filter of grants and the ``area_id`` filter of walkabouts take the record's id
from the query string (they used to refuse every value as "Not a valid integer")."""

from datetime import UTC, datetime, timedelta

from plugins.street_reps.tests.conftest import url


def core(org, path):
    return f"/api/v1/orgs/{org.slug}/{path}"


def _group(api, org, name):
    response = api.post(core(org, "bodies"), json={"name": name, "kind": "residents_association"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_grants_filter_by_body_id(api, org):
    castlefields, palace_fields = _group(api, org, "Castlefields RA"), _group(api, org, "Palace Fields RA")
    for body_id in (castlefields, palace_fields):
        response = api.post(
            url(org, "grants"),
            json={
                "body_id": body_id,
                "grant_type": "start_up",
                "purpose": "Set up the association",
                "requested_pence": 25000,
                "applied_on": "2025-05-01",
            },
        )
        assert response.status_code == 201, response.get_json()
    response = api.get(url(org, f"grants?body_id={palace_fields}"))
    assert response.status_code == 200, response.get_json()
    assert [grant["body_id"] for grant in response.get_json()["items"]] == [palace_fields]


def test_walkabouts_filter_by_area_id(api, org, estate):
    other = api.post(core(org, "areas"), json={"name": "Palace Fields", "kind": "estate"}).get_json()["id"]
    starts_at = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
    for area_id in (estate["estate"], other):
        response = api.post(
            url(org, "walkabouts"),
            json={
                "area_id": area_id,
                "title": "Estate walkabout",
                "starts_at": starts_at.isoformat(),
                "meeting_point": "Community centre",
            },
        )
        assert response.status_code == 201, response.get_json()
    response = api.get(url(org, f"walkabouts?area_id={other}"))
    assert response.status_code == 200, response.get_json()
    assert [walkabout["area_id"] for walkabout in response.get_json()["items"]] == [other]
