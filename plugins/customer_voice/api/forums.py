"""Forums, their members and challenges; feedback items, their CSV import and the forums' voice packs."""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.api.households import CSV_UPLOAD, IMPORT_REFUSED, NOT_CSV, uploaded_csv
from core.lifecycle import permission
from core.records import get_or_404
from core.schemas.common import PageArgs
from plugins.customer_voice.api.blueprint import blp, page_of, page_of_rows
from plugins.customer_voice.models import Challenge, FeedbackItem, Forum
from plugins.customer_voice.schemas import (
    CvChallengeArgs,
    CvChallengeListSchema,
    CvChallengeSchema,
    CvChallengeUpdateSchema,
    CvFeedbackArgs,
    CvFeedbackListSchema,
    CvFeedbackSchema,
    CvFeedbackUpdateSchema,
    CvForumListSchema,
    CvForumMemberListSchema,
    CvForumMemberSchema,
    CvForumMemberViewSchema,
    CvForumSchema,
    CvForumUpdateSchema,
    CvImportResultSchema,
    CvPeriodArgs,
    CvVoicePackSchema,
)
from plugins.customer_voice.services import forums, voice


@blp.route("/forums")
class Forums(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CvForumListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """The Community Engagement Forums, one per management area, with their current members."""
        rows = forums.forum_rows()
        return page_of_rows(rows, args)


@blp.route("/forums/<int:cv_forum_id>")
class ForumDetail(MethodView):
    @blp.response(200, CvForumSchema)
    @permission("customer_voice.read")
    def get(self, cv_forum_id):
        """One forum."""
        return forums.forum_row(get_or_404(Forum, cv_forum_id, "forum"))

    @blp.arguments(CvForumUpdateSchema)
    @blp.response(200, CvForumSchema)
    @blp.alt_response(409, description="The management area already has its forum")
    @permission("customer_voice.write")
    def patch(self, changes, cv_forum_id):
        """Rename a forum, describe it, or link it to its management area."""
        return forums.update_forum(get_or_404(Forum, cv_forum_id, "forum"), changes)


@blp.route("/forums/<int:cv_forum_id>/members")
class ForumMembers(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CvForumMemberListSchema)
    @permission("people.read")
    def get(self, args, cv_forum_id):
        """Everyone who holds or held a seat, with the reason for any member from another area."""
        rows = forums.member_rows(get_or_404(Forum, cv_forum_id, "forum"))
        return page_of_rows(rows, args)

    @blp.arguments(CvForumMemberSchema)
    @blp.response(201, CvForumMemberViewSchema)
    @blp.alt_response(
        409, description="A forum rule refuses the seat (chair not a resident, other area without reason…)"
    )
    @permission("customer_voice.write")
    def post(self, values, cv_forum_id):
        """Give a resident a seat; a resident of another management area needs ``other_area_reason``."""
        forum = get_or_404(Forum, cv_forum_id, "forum")
        membership = forums.add_member(g.organisation, forum, values)
        return next(row for row in forums.member_rows(forum) if row["membership_id"] == membership.id)


@blp.route("/forums/<int:cv_forum_id>/challenges")
class ForumChallenges(MethodView):
    @blp.arguments(CvChallengeArgs, location="query")
    @blp.response(200, CvChallengeListSchema)
    @permission("customer_voice.read")
    def get(self, args, cv_forum_id):
        """The forum's challenges, newest first."""
        get_or_404(Forum, cv_forum_id, "forum")
        statement = (
            select(Challenge)
            .where(Challenge.forum_id == cv_forum_id)
            .order_by(Challenge.raised_on.desc(), Challenge.id.desc())
        )
        if "status" in args:
            statement = statement.where(Challenge.status == args["status"])
        return page_of(statement, args)

    @blp.arguments(CvChallengeSchema)
    @blp.response(201, CvChallengeSchema)
    @permission("customer_voice.write")
    def post(self, values, cv_forum_id):
        """Raise a challenge to a service."""
        get_or_404(Forum, cv_forum_id, "forum")
        return forums.save_challenge(Challenge(forum_id=cv_forum_id), values)


@blp.route("/challenges/<int:cv_challenge_id>")
class ChallengeDetail(MethodView):
    @blp.response(200, CvChallengeSchema)
    @permission("customer_voice.read")
    def get(self, cv_challenge_id):
        """One challenge."""
        return get_or_404(Challenge, cv_challenge_id, "challenge")

    @blp.arguments(CvChallengeUpdateSchema)
    @blp.response(200, CvChallengeSchema)
    @blp.alt_response(409, description="Closed before the landlord responded")
    @permission("customer_voice.write")
    def patch(self, changes, cv_challenge_id):
        """Record the landlord's response, the outcome, or close the challenge."""
        return forums.save_challenge(get_or_404(Challenge, cv_challenge_id, "challenge"), changes)


@blp.route("/forums/<int:cv_forum_id>/voice-pack")
class VoicePack(MethodView):
    @blp.arguments(CvPeriodArgs, location="query")
    @blp.response(200, CvVoicePackSchema)
    @permission("customer_voice.read")
    def get(self, args, cv_forum_id):
        """What the forum's area said in the period, by channel, service and sentiment, against the
        previous period (``/voice-pack.csv`` gives the same as CSV)."""
        return voice.voice_pack(get_or_404(Forum, cv_forum_id, "forum"), voice.period_from(args))


@blp.route("/forums/<int:cv_forum_id>/voice-pack.csv")
class VoicePackCsv(MethodView):
    @blp.arguments(CvPeriodArgs, location="query")
    @blp.response(200, content_type="text/csv")
    @permission("customer_voice.read")
    def get(self, args, cv_forum_id):
        """The voice pack as CSV: dimension, value, this period, previous period, change."""
        pack = voice.voice_pack(get_or_404(Forum, cv_forum_id, "forum"), voice.period_from(args))
        filename = f"voice-pack-{cv_forum_id}-{pack['period']}.csv"
        return plugin_kit.csv_response(filename, *voice.voice_pack_table(pack))


@blp.route("/feedback")
class Feedback(MethodView):
    @blp.arguments(CvFeedbackArgs, location="query")
    @blp.response(200, CvFeedbackListSchema)
    @permission("customer_voice.read")
    def get(self, args):
        """Feedback items, newest first; filter by channel, sentiment, service area, area, dates."""
        statement = select(FeedbackItem).order_by(FeedbackItem.received_on.desc(), FeedbackItem.id.desc())
        for name in ("channel", "sentiment", "service_area", "area_id"):
            if name in args:
                statement = statement.where(getattr(FeedbackItem, name) == args[name])
        if "date_from" in args:
            statement = statement.where(FeedbackItem.received_on >= args["date_from"])
        if "date_to" in args:
            statement = statement.where(FeedbackItem.received_on <= args["date_to"])
        return page_of(statement, args)

    @blp.arguments(CvFeedbackSchema)
    @blp.response(201, CvFeedbackSchema)
    @permission("customer_voice.write")
    def post(self, values):
        """Record one feedback item."""
        return voice.save_feedback(FeedbackItem(), values)


@blp.route("/feedback/import")
class FeedbackImport(MethodView):
    @blp.doc(requestBody=CSV_UPLOAD)
    @blp.response(200, CvImportResultSchema)
    @blp.alt_response(422, description=IMPORT_REFUSED)
    @blp.alt_response(415, description=NOT_CSV)
    @permission("customer_voice.import")
    def post(self):
        """Import feedback items from CSV.

        Columns: reference (optional, unique), channel, received_on, service_area, sentiment
        (required), area (management area name), summary. All or nothing: any problem answers 422
        naming every bad cell as ``"row N.column"`` and nothing is written."""
        return voice.import_feedback(uploaded_csv())


@blp.route("/feedback/<int:cv_feedback_id>")
class FeedbackDetail(MethodView):
    @blp.response(200, CvFeedbackSchema)
    @permission("customer_voice.read")
    def get(self, cv_feedback_id):
        """One feedback item."""
        return get_or_404(FeedbackItem, cv_feedback_id, "feedback item")

    @blp.arguments(CvFeedbackUpdateSchema)
    @blp.response(200, CvFeedbackSchema)
    @permission("customer_voice.write")
    def patch(self, changes, cv_feedback_id):
        """Correct a feedback item."""
        return voice.save_feedback(get_or_404(FeedbackItem, cv_feedback_id, "feedback item"), changes)

    @blp.response(204)
    @permission("customer_voice.write")
    def delete(self, cv_feedback_id):
        """Delete a feedback item recorded by mistake."""
        voice.delete_feedback(get_or_404(FeedbackItem, cv_feedback_id, "feedback item"))
