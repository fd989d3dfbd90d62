"""``/phases``, ``/targets``: the key-targets plan, its deadlines, progress log, overdue and due-soon
lists, and the CSV import of a whole plan."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.households import CSV_UPLOAD, NOT_CSV, uploaded_csv
from core.errors import NotFound
from core.extensions import db
from core.lifecycle import permission
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.key_targets.api import blp
from plugins.key_targets.models import Deadline, Phase, ProgressEntry, Target
from plugins.key_targets.schemas import (
    KtDeadlineSchema,
    KtImportResultSchema,
    KtPhaseSchema,
    KtPhaseUpdateSchema,
    KtProgressSchema,
    KtTargetArgs,
    KtTargetSchema,
    KtTargetUpdateSchema,
    PhaseListSchema,
    TargetListSchema,
)
from plugins.key_targets.services import plan
from plugins.key_targets.services.plan_import import import_plan

IMPORT_REFUSED = 'Nothing imported; `fields` names every bad cell ("row 3.deadlines") or "header".'


@blp.route("/phases")
class Phases(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PhaseListSchema)
    @permission("key_targets.read")
    def get(self, args):
        """The plan's phases, earliest first."""
        return paginate(select(Phase).order_by(Phase.starts_on), args)

    @blp.arguments(KtPhaseSchema)
    @blp.response(201, KtPhaseSchema)
    @blp.alt_response(409, description="The phase overlaps another")
    @permission("key_targets.write")
    def post(self, values):
        """Add a phase ("Year 1 – 1 April 2006 to 31 March 2007"); phases do not overlap."""
        return plan.save_phase(None, values)


@blp.route("/phases/<int:kt_phase_id>")
class PhaseDetail(MethodView):
    @blp.response(200, KtPhaseSchema)
    @permission("key_targets.read")
    def get(self, kt_phase_id):
        """One phase."""
        return get_or_404(Phase, kt_phase_id, "phase")

    @blp.arguments(KtPhaseUpdateSchema)
    @blp.response(200, KtPhaseSchema)
    @blp.alt_response(409, description="The phase would overlap another")
    @permission("key_targets.write")
    def patch(self, values, kt_phase_id):
        """Change a phase."""
        return plan.save_phase(get_or_404(Phase, kt_phase_id, "phase"), values)

    @blp.response(204)
    @blp.alt_response(409, description="The phase has targets")
    @permission("key_targets.write")
    def delete(self, kt_phase_id):
        """Delete an empty phase."""
        plan.delete_phase(get_or_404(Phase, kt_phase_id, "phase"))


@blp.route("/targets")
class Targets(MethodView):
    @blp.arguments(KtTargetArgs, location="query")
    @blp.response(200, TargetListSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Targets by phase; ``due=overdue`` lists targets with a deadline passed and not met,
        ``due=due_soon`` those with one in the next ``due_soon_days`` (done and dropped never)."""
        page = paginate(plan.target_query(args), args)
        plan.describe_targets(page["items"])
        return page

    @blp.arguments(KtTargetSchema)
    @blp.response(201, KtTargetSchema)
    @blp.alt_response(409, description="The phase already has a target with this reference")
    @permission("key_targets.write")
    def post(self, values):
        """Add a target; give ``deadlines`` (dates) or ``continuous_review: true``, or both."""
        target = plan.save_target(None, values)
        plan.describe_targets([target], with_progress=True)
        return target


@blp.route("/targets/import")
class TargetImport(MethodView):
    @blp.doc(requestBody=CSV_UPLOAD)
    @blp.response(200, KtImportResultSchema)
    @blp.alt_response(422, description=IMPORT_REFUSED)
    @blp.alt_response(415, description=NOT_CSV)
    @permission("key_targets.write")
    def post(self):
        """Import a plan from CSV, all or nothing.

        Columns: phase (title or id of an existing phase), ref, action (required); strategic_aims,
        responsibility, core_values, kloe_tags (separated by ``;``); deadlines (dates separated by
        ``;``, and/or "continuous review"); status; outcome; progress and progress_date (a note for
        the log). Rows are matched on phase and ref: new targets are created, others updated."""
        return import_plan(uploaded_csv())


@blp.route("/targets/<int:kt_target_id>")
class TargetDetail(MethodView):
    @blp.response(200, KtTargetSchema)
    @permission("key_targets.read")
    def get(self, kt_target_id):
        """One target with its deadlines and whole progress log."""
        target = get_or_404(Target, kt_target_id, "target")
        plan.describe_targets([target], with_progress=True)
        return target

    @blp.arguments(KtTargetUpdateSchema)
    @blp.response(200, KtTargetSchema)
    @blp.alt_response(409, description="The phase already has a target with this reference")
    @permission("key_targets.write")
    def patch(self, values, kt_target_id):
        """Change a target; a new status is written to the progress log."""
        target = plan.save_target(get_or_404(Target, kt_target_id, "target"), values)
        plan.describe_targets([target], with_progress=True)
        return target

    @blp.response(204)
    @permission("key_targets.write")
    def delete(self, kt_target_id):
        """Delete a target with its deadlines and log (409 while a conference decision names it)."""
        plan.delete_target(get_or_404(Target, kt_target_id, "target"))


@blp.route("/targets/<int:kt_target_id>/progress")
class TargetProgress(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, KtProgressSchema(many=True))
    @permission("key_targets.read")
    def get(self, args, kt_target_id):
        """The target's progress log, oldest first (``page`` and ``per_page`` page through it)."""
        get_or_404(Target, kt_target_id, "target")
        page, per_page = args.get("page", 1), args.get("per_page", 50)
        return db.session.scalars(
            select(ProgressEntry)
            .where(ProgressEntry.target_id == kt_target_id)
            .order_by(ProgressEntry.recorded_on, ProgressEntry.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()

    @blp.arguments(KtProgressSchema)
    @blp.response(201, KtProgressSchema)
    @permission("key_targets.write")
    def post(self, values, kt_target_id):
        """Add a dated progress note (not in the future); a status given with it changes the target."""
        return plan.record_progress(get_or_404(Target, kt_target_id, "target"), values)


@blp.route("/targets/<int:kt_target_id>/deadlines/<int:kt_deadline_id>")
class TargetDeadline(MethodView):
    @blp.arguments(KtDeadlineSchema)
    @blp.response(200, KtDeadlineSchema)
    @permission("key_targets.write")
    def patch(self, values, kt_target_id, kt_deadline_id):
        """Record that a deadline was met (``met_on``), or clear it with null."""
        deadline = get_or_404(Deadline, kt_deadline_id, "deadline")
        if deadline.target_id != kt_target_id:
            raise NotFound("No such deadline.")
        return plan.mark_deadline(deadline, values["met_on"])
