"""Ustoo, the customer scrutiny group: its reviews from scope to implementation. The list, starting
a review (topic and scope), one review with its evidence requests and recommendations, and moving
it on a stage, publishing its report or closing it. The forms go through the API's schemas
(``CvReviewSchema``, ``CvReviewUpdateSchema``) and ``projects.save_review``, so closing before the
report is published, or while recommendations await Board or implementation, is refused here in
the API's words."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.extensions import db
from core.plugin_kit import today
from core.records import get_or_404
from core.web.toolkit import form_payload, listing, permission, query_args, render_page, save_form
from plugins.customer_voice.models import EvidenceRequest, ScrutinyReview
from plugins.customer_voice.schemas import CvReviewArgs, CvReviewSchema, CvReviewUpdateSchema
from plugins.customer_voice.services import projects
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import ReviewForm, label


def _review_url(review: ScrutinyReview) -> str:
    return url_for("plugin_customer_voice_web.review", cv_review_id=review.id)


@web_bp.route("/reviews")
@permission("customer_voice.read")
def reviews():
    """Ustoo's reviews, newest first, filtered by stage (the API's list arguments)."""
    args = query_args(CvReviewArgs())
    statement = select(ScrutinyReview).order_by(ScrutinyReview.starts_on.desc(), ScrutinyReview.id.desc())
    if "status" in args:
        statement = statement.where(ScrutinyReview.status == args["status"])
    return render_page("customer_voice/reviews.html", listing=listing(statement, keep=args), label=label)


@web_bp.route("/reviews/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def review_new():
    """Start a review: its topic and scope."""
    form = ReviewForm(data={"status": "scoping"})
    done = save_form(
        form,
        CvReviewSchema(),
        lambda values: projects.save_review(ScrutinyReview(), values),
        success=lambda r: f"Review “{r.topic}” started.",
        next_url=_review_url,
    )
    return done or render_page("customer_voice/review_form.html", form, review=None)


@web_bp.route("/reviews/<int:cv_review_id>")
@permission("customer_voice.read")
def review(cv_review_id: int):
    """One review: its scope, stage, evidence requests and recommendations."""
    record = get_or_404(ScrutinyReview, cv_review_id, "review")
    evidence = db.session.scalars(
        select(EvidenceRequest)
        .where(EvidenceRequest.review_id == record.id)
        .order_by(EvidenceRequest.due_on, EvidenceRequest.id)
    ).all()
    return render_page(
        "customer_voice/review.html",
        review=record,
        evidence=evidence,
        recommendations=projects.review_recommendations(record),
        today=today(),
        label=label,
    )


@web_bp.route("/reviews/<int:cv_review_id>/edit", methods=["GET", "POST"])
@permission("customer_voice.write")
def review_edit(cv_review_id: int):
    """Move the review on a stage, publish its report or close it."""
    record = get_or_404(ScrutinyReview, cv_review_id, "review")
    form = ReviewForm(obj=record)
    done = save_form(
        form,
        CvReviewUpdateSchema(),
        lambda values: projects.save_review(record, values),
        payload=lambda f: form_payload(f, partial=True),
        partial=True,
        success="Review updated.",
        next_url=_review_url(record),
    )
    return done or render_page("customer_voice/review_form.html", form, review=record)
