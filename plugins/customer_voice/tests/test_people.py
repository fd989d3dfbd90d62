"""What Customer Voice holds about a person reaches their subject-access export, and erasure removes
what may identify them: Rate Your Estate visits (who scored, and the comments they wrote)."""

from datetime import date

from sqlalchemy import select

from core.tenancy import organisation_scope
from plugins.customer_voice.models import EstateRating, EstateScore


def _visit(world, participant_id, comments, visited_on="2026-06-01"):
    response = world.api.post(
        f"{world.base}/estate-ratings",
        json={
            "area_id": world.estate,
            "participant_id": participant_id,
            "visited_on": visited_on,
            "scores": {"cleanliness": 2, "grounds": 4},
            "comments": comments,
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _export(world, participant_id):
    people = f"/api/v1/orgs/{world.org.slug}/participants"
    response = world.api.get(f"{people}/{participant_id}/export")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["plugins"]


def test_rule_estate_ratings_are_in_the_volunteers_subject_access_export(world):
    _visit(world, world.resident_north, "Bins at number 12 overflowing again", "2026-06-01")
    _visit(world, world.resident_south, "Someone else's visit")
    [visit] = _export(world, world.resident_north)["customer_voice"]["estate_ratings"]
    assert visit["comments"] == "Bins at number 12 overflowing again"
    assert visit["area_name"] == "Pennywell" and visit["visited_on"] == "2026-06-01"
    assert visit["scores"] == {"cleanliness": 2, "grounds": 4} and visit["average"] == 3.0
    assert "customer_voice" not in _export(world, world.no_home)


def test_rule_erasure_removes_a_volunteers_estate_rating_comments_and_keeps_the_scores(world, db_session):
    kept = _visit(world, world.resident_south, "Lovely gardens")
    erased = _visit(world, world.resident_north, "Mrs Smith at 4 leaves rubbish out")
    people = f"/api/v1/orgs/{world.org.slug}/participants"
    assert world.api.post(f"{people}/{world.resident_north}/erase").status_code == 200
    with organisation_scope(world.org.id):
        comments = dict(db_session.execute(select(EstateRating.id, EstateRating.comments)).all())
        scores = db_session.scalars(
            select(EstateScore.score).where(EstateScore.rating_id == erased["id"]).order_by(EstateScore.score)
        ).all()
    assert comments == {kept["id"]: "Lovely gardens", erased["id"]: None}
    assert scores == [2, 4]  # the estate's trend still counts the visit
    [visit] = _export(world, world.resident_north)["customer_voice"]["estate_ratings"]
    assert visit["comments"] is None
    trends = world.api.get(
        f"{world.base}/estate-ratings/trends",
        query_string={"date_from": "2026-01-01", "date_to": str(date(2026, 12, 31))},
    ).get_json()["items"]
    assert trends
