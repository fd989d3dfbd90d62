"""The plugin's API blueprint, its URL parameters and the paging helper the resource modules share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, select

from core.api.blueprint import ApiBlueprint as Blueprint
from core.extensions import db
from core.models import Recommendation
from core.records import url_model
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

blp = Blueprint(
    "plugin_customer_voice",
    __name__,
    description="Customer Voice: forums and challenges, feedback and voice packs, I&K events, CHAIN "
    "projects, scrutiny reviews, volunteering, Rate Your Estate and standards reports",
)

url_model("cv_forum_id", Forum, "forum")
url_model("cv_challenge_id", Challenge, "challenge")
url_model("cv_feedback_id", FeedbackItem, "feedback item")
url_model("cv_event_id", InformationEvent, "Information & Knowledge event")
url_model("cv_session_id", VolunteerSession, "volunteering session")
url_model("cv_rating_id", EstateRating, "estate rating")
url_model("cv_project_id", ChainProject, "CHAIN project")
url_model("cv_review_id", ScrutinyReview, "scrutiny review")
url_model("cv_evidence_id", EvidenceRequest, "evidence request")
url_model("cv_report_id", StandardsReport, "standards report")
url_model("recommendation_id", Recommendation, "recommendation")


def page_of_rows(rows: list, args: dict[str, Any]) -> dict[str, Any]:
    """One page of a short list already in hand (forums, members, a review's requests)."""
    page, per_page = args.get("page", 1), args.get("per_page", 50)
    start = (page - 1) * per_page
    return {"items": rows[start : start + per_page], "total": len(rows), "page": page, "per_page": per_page}


def page_of(
    statement: Select, args: dict[str, Any], to_dict: Callable[..., dict] | None = None
) -> dict[str, Any]:
    """Like core ``paginate``, for statements returning several columns per row."""
    page, per_page = args.get("page", 1), args.get("per_page", 50)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    result = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    items = [to_dict(*row) for row in result] if to_dict else result.scalars().all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}
