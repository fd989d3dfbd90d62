"""``/activities``: meetings, events, walkabouts, inspections… with who took part and an access plan.

Participations are recorded under their activity (one per person); recording or changing one
fires the ``on_participation_recorded`` hook for the organisation's enabled plugins. The access
plan lists what the activity must provide for the people registered and what its venue lacks.
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.errors import NotFound
from core.lifecycle import permission
from core.models import Activity, Participation
from core.permissions import can
from core.records import get_or_404, paginate, url_model
from core.schemas.involvement import (
    AccessPlanSchema,
    ActivityArgs,
    ActivityListSchema,
    ActivitySchema,
    ActivityUpdateSchema,
    ParticipationArgs,
    ParticipationListSchema,
    ParticipationSchema,
    ParticipationUpdateSchema,
)
from core.services import involvement
from core.services.access_plans import access_plan

blp = org_blueprint(
    "activities", "activities", "Activities: meetings, events, walkabouts, inspections and who took part"
)
url_model("activity_id", Activity, "activity")
url_model("participation_id", Participation, "participation")


@blp.route("")
class Activities(MethodView):
    @blp.arguments(ActivityArgs, location="query")
    @blp.response(200, ActivityListSchema)
    @permission("records.read")
    def get(self, args):
        """Activities, latest first; filter by kind, status, body, area, opportunity, venue, dates."""
        query = select(Activity).order_by(Activity.starts_at.desc(), Activity.id.desc())
        for name in ("kind", "status", "body_id", "area_id", "opportunity_id", "venue_id"):
            if name in args:
                query = query.where(getattr(Activity, name) == args[name])
        query = query.where(*involvement.starting_between(args.get("date_from"), args.get("date_to")))
        return paginate(query, args)

    @blp.arguments(ActivitySchema)
    @blp.response(201, ActivitySchema)
    @permission("records.write")
    def post(self, body):
        """Create an activity (a meeting of a body has ``body_id``)."""
        return involvement.create_activity(body)


@blp.route("/<int:activity_id>")
class ActivityDetail(MethodView):
    @blp.response(200, ActivitySchema)
    @permission("records.read")
    def get(self, activity_id):
        """One activity."""
        return get_or_404(Activity, activity_id)

    @blp.arguments(ActivityUpdateSchema)
    @blp.response(200, ActivitySchema)
    @permission("records.write")
    def patch(self, changes, activity_id):
        """Change an activity (mark it held or cancelled with ``status``)."""
        return involvement.update_activity(get_or_404(Activity, activity_id), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, activity_id):
        """Delete an activity and its participations (409 if spend is recorded against it)."""
        involvement.delete_activity(g.organisation, get_or_404(Activity, activity_id))


@blp.route("/<int:activity_id>/participations")
class Participations(MethodView):
    @blp.arguments(ParticipationArgs, location="query")
    @blp.response(200, ParticipationListSchema)
    @permission("records.read")
    def get(self, args, activity_id):
        """Who is registered for or took part in the activity."""
        query = (
            select(Participation).where(Participation.activity_id == activity_id).order_by(Participation.id)
        )
        for name in ("attended", "role"):
            if name in args:
                query = query.where(getattr(Participation, name) == args[name])
        return paginate(query, args)

    @blp.arguments(ParticipationSchema)
    @blp.response(201, ParticipationSchema)
    @permission("records.write")
    def post(self, body, activity_id):
        """Record a participation (409 if the person is already recorded for this activity)."""
        activity = get_or_404(Activity, activity_id)
        return involvement.record_participation(g.organisation, activity, body)


def _participation(activity_id: int, participation_id: int) -> Participation:
    participation = get_or_404(Participation, participation_id)
    if participation.activity_id != activity_id:
        raise NotFound("No such participation.")
    return participation


@blp.route("/<int:activity_id>/participations/<int:participation_id>")
class ParticipationDetail(MethodView):
    @blp.response(200, ParticipationSchema)
    @permission("records.read")
    def get(self, activity_id, participation_id):
        """One participation."""
        return _participation(activity_id, participation_id)

    @blp.arguments(ParticipationUpdateSchema)
    @blp.response(200, ParticipationSchema)
    @permission("records.write")
    def patch(self, changes, activity_id, participation_id):
        """Change a participation (e.g. ``attended``, ``hours``, ``expenses_pence``)."""
        participation = _participation(activity_id, participation_id)
        activity = get_or_404(Activity, activity_id)
        return involvement.change_participation(g.organisation, activity, participation, changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, activity_id, participation_id):
        """Remove a participation recorded by mistake."""
        participation = _participation(activity_id, participation_id)
        involvement.remove_participation(g.organisation, get_or_404(Activity, activity_id), participation)


@blp.route("/<int:activity_id>/access-plan")
class AccessPlan(MethodView):
    @blp.response(200, AccessPlanSchema)
    @permission("records.read")
    def get(self, activity_id):
        """What the activity must provide for the people registered, and what its venue lacks.

        Each provision says how many people need it and, for those who may read personal
        details (staff), which participants, so someone can act on it.
        """
        with_people = can(g.get("api_user"), "people.read", g.organisation)
        return access_plan(get_or_404(Activity, activity_id), with_people=with_people)
