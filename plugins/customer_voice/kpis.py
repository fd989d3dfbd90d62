"""The plugin's KPIs, each one aggregate query for (organisation in scope, period).

The three KPIs of the policy's Appendix 2 (opportunities, improvements, listened to) are core KPIs
(``opportunities``, ``improvements``, ``listened_to``); these add what the Customer Voice model
itself is judged by. "Held in P" follows the core rule (status ``held``, ``starts_at`` in P).
Percentages round half up to one decimal and are ``None`` with nothing to measure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from core.extensions import db
from core.kpis import KPI
from core.kpis.core_kpis import held_in, percent
from core.models import Activity, Participation, Recommendation
from core.periods import Period
from plugins.customer_voice.models import (
    ChainProject,
    EstateRating,
    EstateScore,
    FeedbackItem,
    Forum,
    InformationEvent,
    ReviewRecommendation,
    ScrutinyReview,
    VolunteerSession,
)

ACCEPTING = ("accepted", "partly_accepted")


def _in(column, period: Period):
    return (column >= period.start) & (column <= period.end)


def _attendances(period: Period, activity_ids) -> int:
    return db.session.scalar(
        select(func.count(Participation.id))
        .join(Activity, Activity.id == Participation.activity_id)
        .where(held_in(period), Participation.attended.is_(True), Activity.id.in_(activity_ids))
    )


def forum_meetings(period: Period) -> int:
    return db.session.scalar(
        select(func.count(Activity.id)).where(held_in(period), Activity.body_id.in_(select(Forum.body_id)))
    )


def forum_attendance(period: Period) -> int:
    """Attendances (person × meeting) at forum meetings held in P."""
    forum_meetings_ = select(Activity.id).where(Activity.body_id.in_(select(Forum.body_id)))
    return _attendances(period, forum_meetings_)


def ik_events_held(period: Period) -> int:
    return db.session.scalar(
        select(func.count(Activity.id)).where(
            held_in(period), Activity.id.in_(select(InformationEvent.activity_id))
        )
    )


def ik_attendance(period: Period) -> int:
    return _attendances(period, select(InformationEvent.activity_id))


def chain_completed(period: Period) -> int:
    return db.session.scalar(
        select(func.count(ChainProject.id)).where(
            ChainProject.status == "completed", _in(ChainProject.completed_on, period)
        )
    )


def reviews_completed(period: Period) -> int:
    return db.session.scalar(
        select(func.count(ScrutinyReview.id)).where(
            ScrutinyReview.status == "closed", _in(ScrutinyReview.closed_on, period)
        )
    )


def recommendations_accepted(period: Period) -> float | None:
    """Of scrutiny recommendations Board responded to in P, those accepted in whole or in part."""
    accepted, responded = db.session.execute(
        select(
            func.count(Recommendation.id).filter(Recommendation.response.in_(ACCEPTING)),
            func.count(Recommendation.id),
        )
        .join(ReviewRecommendation, ReviewRecommendation.recommendation_id == Recommendation.id)
        .where(Recommendation.response.is_not(None), _in(Recommendation.responded_on, period))
    ).one()
    return percent(accepted, responded)


def recommendations_implemented(period: Period) -> int:
    return db.session.scalar(
        select(func.count(ReviewRecommendation.id)).where(_in(ReviewRecommendation.implemented_on, period))
    )


def volunteer_hours(period: Period) -> float:
    """Hours given at volunteering sessions held in P (every volunteering activity, not only ours)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Participation.hours), 0))
        .join(Activity, Activity.id == Participation.activity_id)
        .where(
            held_in(period),
            Participation.attended.is_(True),
            (Activity.kind == "volunteering") | Activity.id.in_(select(VolunteerSession.activity_id)),
        )
    )
    return float(Decimal(total or 0).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def estates_rated(period: Period) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(EstateRating.area_id))).where(_in(EstateRating.visited_on, period))
    )


def average_estate_rating(period: Period) -> float | None:
    """Mean score (1–5) over every criterion scored on visits in P."""
    mean = db.session.scalar(
        select(func.avg(EstateScore.score))
        .join(EstateRating, EstateRating.id == EstateScore.rating_id)
        .where(_in(EstateRating.visited_on, period))
    )
    if mean is None:
        return None
    return float(Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def feedback_items(period: Period) -> int:
    return db.session.scalar(select(func.count(FeedbackItem.id)).where(_in(FeedbackItem.received_on, period)))


def negative_feedback_share(period: Period) -> float | None:
    negative, total = db.session.execute(
        select(
            func.count(FeedbackItem.id).filter(FeedbackItem.sentiment == "negative"),
            func.count(FeedbackItem.id),
        ).where(_in(FeedbackItem.received_on, period))
    ).one()
    return percent(negative, total)


KPIS = [
    KPI("customer_voice_forum_meetings", "Community Engagement Forum meetings held", "count", forum_meetings),
    KPI("customer_voice_forum_attendance", "Attendances at forum meetings", "count", forum_attendance),
    KPI("customer_voice_ik_events", "Information & Knowledge events held", "count", ik_events_held),
    KPI(
        "customer_voice_ik_attendance",
        "Attendances at Information & Knowledge events",
        "count",
        ik_attendance,
    ),
    KPI("customer_voice_chain_completed", "CHAIN projects completed", "count", chain_completed),
    KPI("customer_voice_reviews_completed", "Scrutiny reviews completed", "count", reviews_completed),
    KPI(
        "customer_voice_recommendations_accepted",
        "Scrutiny recommendations accepted in whole or part",
        "percent",
        recommendations_accepted,
    ),
    KPI(
        "customer_voice_recommendations_implemented",
        "Scrutiny recommendations implemented",
        "count",
        recommendations_implemented,
    ),
    KPI("customer_voice_volunteer_hours", "Volunteer hours", "hours", volunteer_hours),
    KPI("customer_voice_estates_rated", "Estates rated by volunteers", "count", estates_rated),
    KPI(
        "customer_voice_average_estate_rating",
        "Average Rate Your Estate score (1–5)",
        "score",
        average_estate_rating,
    ),
    KPI("customer_voice_feedback_items", "Customer feedback items collated", "count", feedback_items),
    KPI(
        "customer_voice_negative_feedback",
        "Feedback items that were negative",
        "percent",
        negative_feedback_share,
        higher_is_better=False,
    ),
]
