"""Customer Voice records of ``org`` for the route matrix: one of every kind with an id in a URL.

The pages use the API's ids. Ending a forum seat (``<membership_id>``) and answering a review's
recommendation (``<recommendation_id>``) take core's ids, whose samples are core's
(``tests/samples/involvement.py``): the forum or review in the URL is the plugin's sample here."""

from datetime import UTC, date, datetime

from core.models import Activity, Area, Body
from core.testing import MATRIX_MARKER as SECRET
from plugins.customer_voice.models import (
    ChainProject,
    Challenge,
    EstateRating,
    EvidenceRequest,
    FeedbackItem,
    Forum,
    InformationEvent,
    ScrutinyReview,
    StandardsReport,
    VolunteerSession,
)


def samples(db_session, org):
    area = Area(name=f"{SECRET} estate", kind="estate")
    forum_body = Body(name=f"{SECRET} forum", kind="forum")
    chain_body = Body(name=f"{SECRET} CHAIN", kind="task_group")
    event_activity = Activity(
        title=f"{SECRET} I&K", kind="event", starts_at=datetime(2025, 6, 1, 18, tzinfo=UTC)
    )
    session_activity = Activity(
        title=f"{SECRET} clean up", kind="volunteering", starts_at=datetime(2025, 6, 2, 10, tzinfo=UTC)
    )
    review = ScrutinyReview(topic=f"{SECRET} review", scope=SECRET, starts_on=date(2025, 4, 1))
    report = StandardsReport(period_start=date(2025, 4, 1), period_end=date(2025, 9, 30))
    feedback = FeedbackItem(
        channel="complaint",
        received_on=date(2025, 5, 1),
        service_area="repairs",
        sentiment="negative",
        summary=SECRET,
    )
    db_session.add_all(
        [area, forum_body, chain_body, event_activity, session_activity, review, report, feedback]
    )
    db_session.flush()
    forum = Forum(body_id=forum_body.id, slot=99)
    event = InformationEvent(activity_id=event_activity.id, topic=SECRET)
    session = VolunteerSession(activity_id=session_activity.id, role="community_clean_up")
    project = ChainProject(
        body_id=chain_body.id,
        title=f"{SECRET} project",
        scope_type="policy",
        scope=SECRET,
        starts_on=date(2025, 4, 1),
        planned_end_on=date(2025, 9, 1),
    )
    rating = EstateRating(area_id=area.id, visited_on=date(2025, 6, 1), comments=SECRET)
    evidence = EvidenceRequest(
        review_id=review.id,
        service=SECRET,
        request=SECRET,
        requested_on=date(2025, 4, 2),
        due_on=date(2025, 5, 1),
    )
    db_session.add_all([forum, event, session, project, rating, evidence])
    db_session.flush()
    challenge = Challenge(forum_id=forum.id, service_area="repairs", title=SECRET, raised_on=date(2025, 5, 1))
    db_session.add(challenge)
    db_session.flush()
    return {
        "cv_forum_id": forum.id,
        "cv_challenge_id": challenge.id,
        "cv_feedback_id": feedback.id,
        "cv_event_id": event.id,
        "cv_session_id": session.id,
        "cv_rating_id": rating.id,
        "cv_project_id": project.id,
        "cv_review_id": review.id,
        "cv_evidence_id": evidence.id,
        "cv_report_id": report.id,
        # an expectation of the consumer standard (a code, not a record): the pages assess it
        "expectation": "scrutiny",
    }
