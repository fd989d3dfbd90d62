"""The ``area_id`` filters of estate ratings, their trends and feedback take the area's id from
the query string (they used to refuse every value as "Not a valid integer")."""


def _second_estate(world) -> int:
    response = world.api.post(
        f"/api/v1/orgs/{world.org.slug}/areas",
        json={"name": "Hylton", "kind": "estate", "parent_id": world.south},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _rate(world, area_id, visited_on, score):
    response = world.api.post(
        f"{world.base}/estate-ratings",
        json={
            "area_id": area_id,
            "visited_on": visited_on,
            "scores": {"cleanliness": score, "grounds": score},
        },
    )
    assert response.status_code == 201, response.get_json()


def test_estate_ratings_filter_by_area_id(world):
    other = _second_estate(world)
    _rate(world, world.estate, "2025-06-01", 4)
    _rate(world, other, "2025-06-02", 2)
    response = world.api.get(f"{world.base}/estate-ratings?area_id={world.estate}")
    assert response.status_code == 200, response.get_json()
    assert [r["area_id"] for r in response.get_json()["items"]] == [world.estate]
    assert response.get_json()["total"] == 1


def test_rating_trends_filter_by_area_id(world):
    other = _second_estate(world)
    _rate(world, world.estate, "2025-06-01", 4)
    _rate(world, other, "2025-06-02", 2)
    url = f"{world.base}/estate-ratings/trends?date_from=2025-01-01&date_to=2025-12-31&area_id={other}"
    response = world.api.get(url)
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()["items"]
    assert rows and {row["area_id"] for row in rows} == {other}
    assert {row["average"] for row in rows} == {2.0}


def test_feedback_filter_by_area_id(world):
    for area_id in (world.north, world.south):
        body = {
            "channel": "complaint",
            "received_on": "2025-07-10",
            "service_area": "repairs",
            "sentiment": "negative",
            "area_id": area_id,
        }
        assert world.api.post(f"{world.base}/feedback", json=body).status_code == 201
    response = world.api.get(f"{world.base}/feedback?area_id={world.south}")
    assert response.status_code == 200, response.get_json()
    assert [item["area_id"] for item in response.get_json()["items"]] == [world.south]


def test_area_id_filter_that_is_not_a_number_is_422_naming_it(world):
    response = world.api.get(f"{world.base}/estate-ratings?area_id=north")
    assert response.status_code == 422
    assert "area_id" in response.get_json()["error"]["fields"]
