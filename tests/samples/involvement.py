"""Organisation B's opportunity, venue, activity with a participation, body with a membership and a
recommendation, for the cross-organisation route matrix."""

from datetime import UTC, date, datetime

from core.models import (
    Activity,
    Body,
    BodyMembership,
    Opportunity,
    Participant,
    Participation,
    Recommendation,
    Venue,
)
from tests.samples import SECRET


def samples(db_session, org):
    opportunity = Opportunity(name=f"{SECRET} panel", level="involved", formal=True)
    venue = Venue(name=f"{SECRET} hall", address=f"1 {SECRET} Street", features=["hearing_loop"])
    body = Body(name=f"{SECRET} board", kind="board", decision_making=True, seats_total=12)
    person = Participant(first_name=SECRET, last_name=f"{SECRET} member", access_needs=["transport"])
    db_session.add_all([opportunity, venue, body, person])
    db_session.flush()
    activity = Activity(
        title=f"{SECRET} meeting",
        kind="meeting",
        starts_at=datetime(2025, 5, 1, 18, tzinfo=UTC),
        opportunity_id=opportunity.id,
        body_id=body.id,
        venue_id=venue.id,
    )
    membership = BodyMembership(
        body_id=body.id, participant_id=person.id, seat_type="resident", starts_on=date(2025, 1, 1)
    )
    recommendation = Recommendation(title=f"{SECRET} recommendation", body_id=body.id)
    db_session.add_all([activity, membership, recommendation])
    db_session.flush()
    participation = Participation(
        activity_id=activity.id, participant_id=person.id, contribution=f"{SECRET} words"
    )
    db_session.add(participation)
    db_session.flush()
    return {
        "opportunity_id": opportunity.id,
        "venue_id": venue.id,
        "activity_id": activity.id,
        "participation_id": participation.id,
        "body_id": body.id,
        "membership_id": membership.id,
        "recommendation_id": recommendation.id,
    }
