"""CHAIN projects and Ustoo scrutiny reviews: customers' task-and-finish work and independent scrutiny.

A CHAIN project owns a core body of kind ``task_group`` (members are its core memberships, its
recommendations core recommendations); the improvements it led to are linked core improvements.
A scrutiny review's recommendations to Board are core recommendations of the scrutiny group's
body, linked to the review. The rules: a project ends no earlier than it starts and is completed
with a date; a review recommends only from its published report; a partial or rejected response
gives reasons (core rule); only an accepted recommendation is implemented; and a review closes only
once every recommendation has a response and every accepted one is implemented or closed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from core import plugin_kit
from core.errors import Conflict, NotFound, ValidationFailed
from core.extensions import db
from core.models import Body, BodyMembership, Improvement, Recommendation
from core.records import apply, check_reference
from core.services.governance import save_recommendation
from plugins.customer_voice.models import (
    ChainImprovement,
    ChainProject,
    EvidenceRequest,
    ReviewRecommendation,
    ScrutinyReview,
)
from plugins.customer_voice.services.forums import scrutiny_body_id
from plugins.customer_voice.settings import current_settings

ACCEPTING = ("accepted", "partly_accepted")
DONE = ("implemented", "closed")


# -- CHAIN projects ----------------------------------------------------------------------------------


def save_project(project: ChainProject, changes: dict[str, Any]) -> ChainProject:
    merged = {
        k: changes.get(k, getattr(project, k))
        for k in ("starts_on", "planned_end_on", "status", "completed_on")
    }
    if merged["planned_end_on"] < merged["starts_on"]:
        raise ValidationFailed({"planned_end_on": ["A project cannot be planned to end before it starts."]})
    if merged["status"] == "completed":
        if merged["completed_on"] is None:
            changes = {**changes, "completed_on": plugin_kit.today()}
            merged["completed_on"] = changes["completed_on"]
        if merged["completed_on"] < merged["starts_on"]:
            raise ValidationFailed({"completed_on": ["Cannot be before the project started."]})
    elif merged["completed_on"] is not None and "status" in changes:
        changes = {**changes, "completed_on": None}
    elif merged["completed_on"] is not None:
        raise ValidationFailed({"completed_on": ["Only a completed project has a completion date."]})
    label = current_settings()["task_and_finish_label"]
    if project.id is None:
        body = Body(name=f"{label}: {changes['title']}", kind="task_group", decision_making=False)
        db.session.add(body)
        db.session.flush()
        project.body_id = body.id
    elif "title" in changes:
        db.session.get(Body, project.body_id).name = f"{label}: {changes['title']}"
    apply(project, changes)
    if project.id is None:
        db.session.add(project)
    db.session.flush()
    return project


def overdue_condition(day: date | None = None):
    return (ChainProject.status == "active") & (ChainProject.planned_end_on < (day or plugin_kit.today()))


def project_rows(statement):
    members = (
        select(func.count(BodyMembership.id))
        .where(BodyMembership.body_id == ChainProject.body_id)
        .correlate(ChainProject)
        .scalar_subquery()
    )
    recommendations = (
        select(func.count(Recommendation.id))
        .where(Recommendation.body_id == ChainProject.body_id)
        .correlate(ChainProject)
        .scalar_subquery()
    )
    improvements = (
        select(func.count(ChainImprovement.id))
        .where(ChainImprovement.project_id == ChainProject.id)
        .correlate(ChainProject)
        .scalar_subquery()
    )
    return statement.add_columns(members, recommendations, improvements)


def project_dict(
    project: ChainProject, members: int, recommendations: int, improvements: int
) -> dict[str, Any]:
    return {
        **{
            c: getattr(project, c)
            for c in (
                "id",
                "body_id",
                "title",
                "scope_type",
                "scope",
                "starts_on",
                "planned_end_on",
                "status",
                "completed_on",
                "summary",
            )
        },
        "overdue": project.status == "active" and project.planned_end_on < plugin_kit.today(),
        "members": members,
        "recommendations": recommendations,
        "improvements": improvements,
    }


def one_project(project: ChainProject) -> dict[str, Any]:
    row = db.session.execute(project_rows(select(ChainProject).where(ChainProject.id == project.id))).one()
    return project_dict(*row)


def add_project_recommendation(project: ChainProject, values: dict[str, Any]) -> Recommendation:
    return save_recommendation(Recommendation(), {**values, "body_id": project.body_id})


def link_improvement(project: ChainProject, improvement_id: int) -> ChainImprovement:
    check_reference(Improvement, improvement_id, "improvement_id")
    exists = db.session.scalar(
        select(ChainImprovement).where(
            ChainImprovement.project_id == project.id, ChainImprovement.improvement_id == improvement_id
        )
    )
    if exists is not None:
        raise Conflict("This improvement is already linked to the project.")
    link = ChainImprovement(project_id=project.id, improvement_id=improvement_id)
    db.session.add(link)
    db.session.flush()
    return link


# -- scrutiny reviews --------------------------------------------------------------------------------


def _unresolved(review_id: int) -> tuple[int, int]:
    """(recommendations without a response, accepted ones not implemented or closed)."""
    rows = db.session.execute(
        select(
            func.count(Recommendation.id).filter(Recommendation.response.is_(None)),
            func.count(Recommendation.id).filter(
                Recommendation.response.in_(ACCEPTING), Recommendation.status.not_in(DONE)
            ),
        )
        .join(ReviewRecommendation, ReviewRecommendation.recommendation_id == Recommendation.id)
        .where(ReviewRecommendation.review_id == review_id)
    ).one()
    return rows[0], rows[1]


def save_review(review: ScrutinyReview, changes: dict[str, Any]) -> ScrutinyReview:
    merged = {
        k: changes.get(k, getattr(review, k))
        for k in (
            "starts_on",
            "report_due_on",
            "report_published_on",
            "status",
            "closed_on",
            "report_summary",
        )
    }
    for later in ("report_due_on", "report_published_on", "closed_on"):
        if merged[later] is not None and merged[later] < merged["starts_on"]:
            raise ValidationFailed({later: ["Cannot be before the review started."]})
    if merged["report_published_on"] is not None and not (merged["report_summary"] or "").strip():
        raise ValidationFailed({"report_summary": ["Summarise the report when publishing it."]})
    if merged["status"] == "closed" and review.status != "closed":
        if merged["report_published_on"] is None:
            raise Conflict("A review closes only after its report is published.")
        if review.id is not None:
            waiting, open_ = _unresolved(review.id)
            if waiting or open_:
                raise Conflict(
                    f"The review cannot close: {waiting} recommendation(s) await Board's response and "
                    f"{open_} accepted recommendation(s) are not yet implemented."
                )
        if merged["closed_on"] is None:
            changes = {**changes, "closed_on": plugin_kit.today()}
    apply(review, changes)
    if review.id is None:
        db.session.add(review)
    db.session.flush()
    return review


def save_evidence(request: EvidenceRequest, changes: dict[str, Any]) -> EvidenceRequest:
    merged = {k: changes.get(k, getattr(request, k)) for k in ("requested_on", "due_on", "received_on")}
    if merged["requested_on"] is None:
        merged["requested_on"] = changes["requested_on"] = plugin_kit.today()
    if merged["due_on"] < merged["requested_on"]:
        raise ValidationFailed({"due_on": ["The due date cannot be before the request was made."]})
    if merged["received_on"] is not None and merged["received_on"] < merged["requested_on"]:
        raise ValidationFailed({"received_on": ["Cannot be before the request was made."]})
    apply(request, changes)
    if request.id is None:
        db.session.add(request)
    db.session.flush()
    return request


def evidence_overdue(day: date | None = None):
    return EvidenceRequest.received_on.is_(None) & (EvidenceRequest.due_on < (day or plugin_kit.today()))


def add_review_recommendation(review: ScrutinyReview, values: dict[str, Any]) -> dict[str, Any]:
    if review.report_published_on is None:
        raise Conflict("Recommendations to Board come from the review's report: publish the report first.")
    if review.status == "closed":
        raise Conflict("This review is closed.")
    made_on = values.get("made_on") or review.report_published_on
    recommendation = save_recommendation(
        Recommendation(), {**values, "made_on": made_on, "body_id": scrutiny_body_id()}
    )
    link = ReviewRecommendation(review_id=review.id, recommendation_id=recommendation.id)
    db.session.add(link)
    db.session.flush()
    return review_recommendation_dict(link, recommendation)


def review_link(review: ScrutinyReview, recommendation_id: int) -> ReviewRecommendation:
    """The review's link to one of its recommendations (404 for any other recommendation)."""
    link = db.session.scalar(
        select(ReviewRecommendation).where(
            ReviewRecommendation.review_id == review.id,
            ReviewRecommendation.recommendation_id == recommendation_id,
        )
    )
    if link is None:
        raise NotFound("No such recommendation of this review.")
    return link


def respond(review: ScrutinyReview, link: ReviewRecommendation, changes: dict[str, Any]) -> dict[str, Any]:
    """Board's response and the implementation's progress, checked against the response."""
    recommendation = db.session.get(Recommendation, link.recommendation_id)
    response = changes.get("response", recommendation.response)
    status = changes.get("status", recommendation.status)
    if status in ("in_progress", "implemented") and response not in ACCEPTING:
        raise Conflict("Only a recommendation Board accepted (in whole or in part) is implemented.")
    if response == "rejected" and "status" not in changes:
        changes = {**changes, "status": "closed"}
    elif response in ACCEPTING and status == "awaiting_response":
        changes = {**changes, "status": "in_progress"}
    implemented_on = changes.pop("implemented_on", None)
    save_recommendation(recommendation, changes)
    if recommendation.status == "implemented" and link.implemented_on is None:
        link.implemented_on = implemented_on or plugin_kit.today()
    elif recommendation.status != "implemented":
        link.implemented_on = None
    db.session.flush()
    return review_recommendation_dict(link, recommendation)


def review_recommendation_dict(link: ReviewRecommendation, recommendation: Recommendation) -> dict[str, Any]:
    return {
        "id": recommendation.id,
        "review_id": link.review_id,
        "title": recommendation.title,
        "description": recommendation.description,
        "made_on": recommendation.made_on,
        "due_on": recommendation.due_on,
        "response": recommendation.response,
        "response_reason": recommendation.response_reason,
        "responded_on": recommendation.responded_on,
        "status": recommendation.status,
        "implemented_on": link.implemented_on,
    }


def review_recommendations(review: ScrutinyReview) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ReviewRecommendation, Recommendation)
        .join(Recommendation, Recommendation.id == ReviewRecommendation.recommendation_id)
        .where(ReviewRecommendation.review_id == review.id)
        .order_by(Recommendation.id)
    )
    return [review_recommendation_dict(link, rec) for link, rec in rows]
