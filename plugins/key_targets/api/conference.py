"""``/conferences``: the annual tenants' and leaseholders' conference and its decisions, which may
change the key-targets plan."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.lifecycle import permission
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.key_targets.api import blp
from plugins.key_targets.models import Conference
from plugins.key_targets.schemas import (
    ConferenceListSchema,
    KtConferenceSchema,
    KtConferenceUpdateSchema,
    KtDecisionSchema,
)
from plugins.key_targets.services.conference import describe_conferences, record_decision, save_conference


@blp.route("/conferences")
class Conferences(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ConferenceListSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Conferences, latest first, each with its due date, whether it was on time, and decisions."""
        page = paginate(select(Conference).order_by(Conference.year.desc()), args)
        describe_conferences(page["items"])
        return page

    @blp.arguments(KtConferenceSchema)
    @blp.response(201, KtConferenceSchema)
    @blp.alt_response(409, description="The year already has a conference")
    @permission("key_targets.write")
    def post(self, values):
        """Record the year's conference (one a year, held in that year)."""
        conference = save_conference(None, values)
        describe_conferences([conference])
        return conference


@blp.route("/conferences/<int:kt_conference_id>")
class ConferenceDetail(MethodView):
    @blp.response(200, KtConferenceSchema)
    @permission("key_targets.read")
    def get(self, kt_conference_id):
        """One conference with its decisions."""
        conference = get_or_404(Conference, kt_conference_id, "conference")
        describe_conferences([conference])
        return conference

    @blp.arguments(KtConferenceUpdateSchema)
    @blp.response(200, KtConferenceSchema)
    @permission("key_targets.write")
    def patch(self, values, kt_conference_id):
        """Change a conference's details."""
        conference = save_conference(get_or_404(Conference, kt_conference_id, "conference"), values)
        describe_conferences([conference])
        return conference


@blp.route("/conferences/<int:kt_conference_id>/decisions")
class ConferenceDecisions(MethodView):
    @blp.arguments(KtDecisionSchema)
    @blp.response(201, KtDecisionSchema)
    @blp.alt_response(409, description="The conference has not taken place yet")
    @permission("key_targets.write")
    def post(self, values, kt_conference_id):
        """Record a decision. With ``target_id`` and ``set_status`` and/or ``add_deadline`` it changes
        that target; with ``new_target`` it adds one to the plan. Either way the change is written in
        the target's progress log, dated the day of the conference."""
        return record_decision(get_or_404(Conference, kt_conference_id, "conference"), values)
