"""CHAIN projects (with recommendations and improvements) and scrutiny reviews (evidence requests,
recommendations to Board and Board's responses)."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import not_, select

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission
from core.models import Recommendation
from core.records import get_or_404
from core.schemas.common import PageArgs
from plugins.customer_voice.api.blueprint import blp, page_of, page_of_rows
from plugins.customer_voice.models import ChainProject, EvidenceRequest, ScrutinyReview
from plugins.customer_voice.schemas import (
    CvEvidenceListSchema,
    CvEvidenceSchema,
    CvEvidenceUpdateSchema,
    CvImprovementLinkOutSchema,
    CvImprovementLinkSchema,
    CvProjectArgs,
    CvProjectListSchema,
    CvProjectSchema,
    CvProjectUpdateSchema,
    CvRecommendationInSchema,
    CvRecommendationListSchema,
    CvRecommendationOutSchema,
    CvResponseSchema,
    CvReviewArgs,
    CvReviewListSchema,
    CvReviewSchema,
    CvReviewUpdateSchema,
)
from plugins.customer_voice.services import projects


@blp.route("/chain-projects")
class Projects(MethodView):
    @blp.arguments(CvProjectArgs, location="query")
    @blp.response(200, CvProjectListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """CHAIN projects, by planned end; ``overdue=true`` lists active ones past their planned end."""
        statement = select(ChainProject).order_by(ChainProject.planned_end_on, ChainProject.id)
        if "status" in args:
            statement = statement.where(ChainProject.status == args["status"])
        if "overdue" in args:
            overdue = projects.overdue_condition()
            statement = statement.where(overdue if args["overdue"] else not_(overdue))
        return page_of(projects.project_rows(statement), args, projects.project_dict)

    @blp.arguments(CvProjectSchema)
    @blp.response(201, CvProjectSchema)
    @permission("customer_voice.write")
    def post(self, values):
        """Start a CHAIN project (its task group body is created for its members)."""
        return projects.one_project(projects.save_project(ChainProject(), values))


@blp.route("/chain-projects/<int:cv_project_id>")
class ProjectDetail(MethodView):
    @blp.response(200, CvProjectSchema)
    @permission("customer_voice.read")
    def get(self, cv_project_id):
        """One project with its numbers of members, recommendations and improvements."""
        return projects.one_project(get_or_404(ChainProject, cv_project_id, "project"))

    @blp.arguments(CvProjectUpdateSchema)
    @blp.response(200, CvProjectSchema)
    @permission("customer_voice.write")
    def patch(self, changes, cv_project_id):
        """Change the plan, or complete or abandon the project."""
        project = get_or_404(ChainProject, cv_project_id, "project")
        return projects.one_project(projects.save_project(project, changes))


@blp.route("/chain-projects/<int:cv_project_id>/recommendations")
class ProjectRecommendations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CvRecommendationListSchema)
    @permission("records.read")
    def get(self, args, cv_project_id):
        """The project's recommendations (core recommendations of its body)."""
        project = get_or_404(ChainProject, cv_project_id, "project")
        rows = db.session.scalars(
            select(Recommendation)
            .where(Recommendation.body_id == project.body_id)
            .order_by(Recommendation.id)
        ).all()
        return page_of_rows(rows, args)

    @blp.arguments(CvRecommendationInSchema)
    @blp.response(201, CvRecommendationOutSchema)
    @permission("customer_voice.write")
    def post(self, values, cv_project_id):
        """Record a recommendation of the project (respond to it through core ``recommendations``)."""
        return projects.add_project_recommendation(get_or_404(ChainProject, cv_project_id, "project"), values)


@blp.route("/chain-projects/<int:cv_project_id>/improvements")
class ProjectImprovements(MethodView):
    @blp.arguments(CvImprovementLinkSchema)
    @blp.response(201, CvImprovementLinkOutSchema)
    @blp.alt_response(409, description="Already linked")
    @permission("customer_voice.write")
    def post(self, values, cv_project_id):
        """Link a service improvement (a core improvement) the project led to."""
        project = get_or_404(ChainProject, cv_project_id, "project")
        return projects.link_improvement(project, values["improvement_id"])


@blp.route("/scrutiny-reviews")
class Reviews(MethodView):
    @blp.arguments(CvReviewArgs, location="query")
    @blp.response(200, CvReviewListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """Scrutiny reviews, newest first."""
        statement = select(ScrutinyReview).order_by(ScrutinyReview.starts_on.desc(), ScrutinyReview.id.desc())
        if "status" in args:
            statement = statement.where(ScrutinyReview.status == args["status"])
        return page_of(statement, args)

    @blp.arguments(CvReviewSchema)
    @blp.response(201, CvReviewSchema)
    @permission("customer_voice.write")
    def post(self, values):
        """Start a review: its topic and scope."""
        return projects.save_review(ScrutinyReview(), values)


@blp.route("/scrutiny-reviews/<int:cv_review_id>")
class ReviewDetail(MethodView):
    @blp.response(200, CvReviewSchema)
    @permission("customer_voice.read")
    def get(self, cv_review_id):
        """One review."""
        return get_or_404(ScrutinyReview, cv_review_id, "review")

    @blp.arguments(CvReviewUpdateSchema)
    @blp.response(200, CvReviewSchema)
    @blp.alt_response(409, description="Closing before every recommendation is answered and implemented")
    @permission("customer_voice.write")
    def patch(self, changes, cv_review_id):
        """Progress the review, publish its report, or close it."""
        return projects.save_review(get_or_404(ScrutinyReview, cv_review_id, "review"), changes)


def _evidence_dict(request: EvidenceRequest) -> dict:
    return {
        **{
            c: getattr(request, c)
            for c in (
                "id",
                "review_id",
                "service",
                "request",
                "requested_on",
                "due_on",
                "received_on",
                "notes",
            )
        },
        "overdue": request.received_on is None and request.due_on < plugin_kit.today(),
    }


@blp.route("/scrutiny-reviews/<int:cv_review_id>/evidence-requests")
class EvidenceRequests(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CvEvidenceListSchema)
    @permission("customer_voice.read")
    def get(self, args, cv_review_id):
        """What the review asked services for, oldest due first, with any overdue."""
        get_or_404(ScrutinyReview, cv_review_id, "review")
        rows = db.session.scalars(
            select(EvidenceRequest)
            .where(EvidenceRequest.review_id == cv_review_id)
            .order_by(EvidenceRequest.due_on, EvidenceRequest.id)
        ).all()
        return page_of_rows([_evidence_dict(r) for r in rows], args)

    @blp.arguments(CvEvidenceSchema)
    @blp.response(201, CvEvidenceSchema)
    @permission("customer_voice.write")
    def post(self, values, cv_review_id):
        """Ask a service for evidence by a due date."""
        get_or_404(ScrutinyReview, cv_review_id, "review")
        return _evidence_dict(projects.save_evidence(EvidenceRequest(review_id=cv_review_id), values))


@blp.route("/evidence-requests/<int:cv_evidence_id>")
class EvidenceDetail(MethodView):
    @blp.response(200, CvEvidenceSchema)
    @permission("customer_voice.read")
    def get(self, cv_evidence_id):
        """One evidence request."""
        return _evidence_dict(get_or_404(EvidenceRequest, cv_evidence_id, "evidence request"))

    @blp.arguments(CvEvidenceUpdateSchema)
    @blp.response(200, CvEvidenceSchema)
    @permission("customer_voice.write")
    def patch(self, changes, cv_evidence_id):
        """Record the evidence as received, or change the request."""
        request = get_or_404(EvidenceRequest, cv_evidence_id, "evidence request")
        return _evidence_dict(projects.save_evidence(request, changes))


@blp.route("/scrutiny-reviews/<int:cv_review_id>/recommendations")
class ReviewRecommendations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CvRecommendationListSchema)
    @permission("customer_voice.read")
    def get(self, args, cv_review_id):
        """The review's recommendations to Board with Board's responses and their implementation."""
        rows = projects.review_recommendations(get_or_404(ScrutinyReview, cv_review_id, "review"))
        return page_of_rows(rows, args)

    @blp.arguments(CvRecommendationInSchema)
    @blp.response(201, CvRecommendationOutSchema)
    @blp.alt_response(409, description="The review's report is not published yet")
    @permission("customer_voice.write")
    def post(self, values, cv_review_id):
        """Make a recommendation to Board from the published report."""
        return projects.add_review_recommendation(get_or_404(ScrutinyReview, cv_review_id, "review"), values)


@blp.route("/scrutiny-reviews/<int:cv_review_id>/recommendations/<int:recommendation_id>")
class ReviewRecommendationDetail(MethodView):
    @blp.arguments(CvResponseSchema)
    @blp.response(200, CvRecommendationOutSchema)
    @blp.alt_response(409, description="Implementing a recommendation Board did not accept")
    @permission("customer_voice.write")
    def patch(self, changes, cv_review_id, recommendation_id):
        """Board's response (a partial or rejected one with reasons) and the implementation's progress."""
        review = get_or_404(ScrutinyReview, cv_review_id, "review")
        return projects.respond(review, projects.review_link(review, recommendation_id), changes)
