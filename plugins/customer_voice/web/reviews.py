"""Ustoo, the customer scrutiny group: its reviews from scope to implementation. The list, starting
a review (topic and scope), one review with its evidence requests and recommendations, and moving
it on a stage, publishing its report or closing it. The forms go through the API's schemas
(``CvReviewSchema``, ``CvReviewUpdateSchema``) and ``projects.save_review``, so closing before the
report is published, or while recommendations await Board or implementation, is refused here in
the API's words.

From the review's page: asking a service for evidence and recording its receipt
(``CvEvidenceSchema``, ``projects.save_evidence``); making a recommendation to Board from the
published report (``projects.add_review_recommendation``), recording Board's response and the
implementation (``CvResponseSchema``, ``projects.respond``: only an accepted recommendation is
implemented; a partial or rejected response gives reasons)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.extensions import db
from core.plugin_kit import today
from core.records import get_or_404
from core.web.toolkit import form_payload, listing, permission, query_args, render_page, save_form
from plugins.customer_voice.models import EvidenceRequest, ScrutinyReview
from plugins.customer_voice.schemas import (
    CvEvidenceSchema,
    CvEvidenceUpdateSchema,
    CvRecommendationInSchema,
    CvResponseSchema,
    CvReviewArgs,
    CvReviewSchema,
    CvReviewUpdateSchema,
)
from plugins.customer_voice.services import projects
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import (
    BoardResponseForm,
    EvidenceForm,
    ImplementationForm,
    ReceiptForm,
    RecommendationForm,
    ReviewForm,
    label,
)


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


def _open_review(cv_review_id: int) -> ScrutinyReview:
    return get_or_404(ScrutinyReview, cv_review_id, "review")


@web_bp.route("/reviews/<int:cv_review_id>/evidence/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def review_evidence_new(cv_review_id: int):
    """Ask a service for evidence by a due date."""
    record = _open_review(cv_review_id)
    form = EvidenceForm()
    done = save_form(
        form,
        CvEvidenceSchema(),
        lambda values: projects.save_evidence(EvidenceRequest(review_id=record.id), values),
        success=lambda e: f"Evidence asked of {e.service}.",
        next_url=_review_url(record) + "#evidence",
    )
    return done or render_page("customer_voice/evidence_form.html", form, review=record, evidence=None)


@web_bp.route("/evidence-requests/<int:cv_evidence_id>/receipt", methods=["GET", "POST"])
@permission("customer_voice.write")
def review_evidence_receipt(cv_evidence_id: int):
    """Record that the evidence arrived (and any notes on it)."""
    evidence = get_or_404(EvidenceRequest, cv_evidence_id, "evidence request")
    record = _open_review(evidence.review_id)
    form = ReceiptForm(obj=evidence)
    if not form.is_submitted() and evidence.received_on is None:
        form.received_on.process(None, today())
    done = save_form(
        form,
        CvEvidenceUpdateSchema(),
        lambda values: projects.save_evidence(evidence, values),
        payload=lambda f: form_payload(f, partial=True),
        partial=True,
        success=f"Evidence from {evidence.service} recorded as received.",
        next_url=_review_url(record) + "#evidence",
    )
    return done or render_page("customer_voice/evidence_form.html", form, review=record, evidence=evidence)


@web_bp.route("/reviews/<int:cv_review_id>/recommendations/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def review_recommendation_new(cv_review_id: int):
    """Make a recommendation to Board from the review's published report."""
    record = _open_review(cv_review_id)
    form = RecommendationForm()
    done = save_form(
        form,
        CvRecommendationInSchema(),
        lambda values: projects.add_review_recommendation(record, values),
        success=lambda r: f"Recommendation “{r['title']}” made to Board.",
        next_url=_review_url(record) + "#recommendations",
    )
    return done or render_page("customer_voice/recommendation_form.html", form, review=record)


def _recommendation(record: ScrutinyReview, recommendation_id: int):
    link = projects.review_link(record, recommendation_id)
    return link, next(r for r in projects.review_recommendations(record) if r["id"] == link.recommendation_id)


@web_bp.route(
    "/reviews/<int:cv_review_id>/recommendations/<int:recommendation_id>/response", methods=["GET", "POST"]
)
@permission("customer_voice.write")
def review_recommendation_response(cv_review_id: int, recommendation_id: int):
    """Board's response: accepted, partly accepted or rejected (the last two with reasons)."""
    record = _open_review(cv_review_id)
    link, row = _recommendation(record, recommendation_id)
    form = BoardResponseForm(data=row)
    done = save_form(
        form,
        CvResponseSchema(),
        lambda values: projects.respond(record, link, values),
        payload=lambda f: form_payload(f, partial=True),
        partial=True,
        success="Board's response recorded.",
        next_url=_review_url(record) + "#recommendations",
    )
    return done or render_page(
        "customer_voice/recommendation_step.html", form, review=record, recommendation=row, step="response"
    )


@web_bp.route(
    "/reviews/<int:cv_review_id>/recommendations/<int:recommendation_id>/implementation",
    methods=["GET", "POST"],
)
@permission("customer_voice.write")
def review_recommendation_implementation(cv_review_id: int, recommendation_id: int):
    """How far an accepted recommendation is implemented (implemented ones get today unless dated)."""
    record = _open_review(cv_review_id)
    link, row = _recommendation(record, recommendation_id)
    form = ImplementationForm(data=row)
    done = save_form(
        form,
        CvResponseSchema(),
        lambda values: projects.respond(record, link, values),
        payload=lambda f: form_payload(f),
        partial=True,
        success="Implementation recorded.",
        next_url=_review_url(record) + "#recommendations",
    )
    return done or render_page(
        "customer_voice/recommendation_step.html",
        form,
        review=record,
        recommendation=row,
        step="implementation",
    )
