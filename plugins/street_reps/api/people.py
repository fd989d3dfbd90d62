"""``/panel`` (Customer Panel members, waves, responses and rates), ``/inspectors`` and
``/inspections`` (customer inspectors), ``/trust-members`` with AGM attendance and votes, and
``/board-pis`` (the quarterly PIs to Board)."""

from flask.views import MethodView
from sqlalchemy import select

from core.lifecycle import permission
from core.periods import Period
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.street_reps.api import blp
from plugins.street_reps.api.common import current_settings
from plugins.street_reps.models import (
    AgmVote,
    Inspection,
    Inspector,
    InspectorTraining,
    PanelMember,
    PanelWave,
    TrustMember,
)
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.compliance import SrComplianceSchema
from plugins.street_reps.services import compliance, inspectors, membership, panel
from plugins.street_reps.services.measures import board_pis

# -- Customer Panel ---------------------------------------------------------------------------


@blp.route("/panel/members")
class PanelMembers(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrPanelMemberListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """The Customer Panel pool."""
        return paginate(select(PanelMember).order_by(PanelMember.joined_on, PanelMember.id), args)

    @blp.arguments(s.SrPanelMemberSchema)
    @blp.response(201, s.SrPanelMemberSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Add a resident to the pool with the channel they are asked by (post or telephone)."""
        return panel.add_member(body, current_settings())


@blp.route("/panel/members/<int:sr_member_id>")
class PanelMemberDetail(MethodView):
    @blp.arguments(s.SrPanelMemberUpdateSchema)
    @blp.response(200, s.SrPanelMemberSchema)
    @permission("street_reps.write")
    def patch(self, changes, sr_member_id):
        """Change the channel, or record leaving the panel."""
        member = get_or_404(PanelMember, sr_member_id, "panel member")
        return panel.change_member(member, changes, current_settings())


@blp.route("/panel/waves")
class Waves(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrWaveListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Panel waves, latest first, each with its response rate overall and per channel."""
        page = paginate(select(PanelWave).order_by(PanelWave.sent_on.desc(), PanelWave.id.desc()), args)
        panel.describe_waves(page["items"])
        return page

    @blp.arguments(s.SrWaveSchema)
    @blp.response(201, s.SrWaveSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Send a wave to every member in the pool that day, each by their channel."""
        return panel.describe_waves([panel.send_wave(body)])[0]


@blp.route("/panel/waves/<int:sr_wave_id>")
class WaveDetail(MethodView):
    @blp.response(200, s.SrWaveSchema)
    @permission("street_reps.read")
    def get(self, sr_wave_id):
        """One wave with its response rates."""
        return panel.describe_waves([get_or_404(PanelWave, sr_wave_id, "panel wave")])[0]


@blp.route("/panel/waves/<int:sr_wave_id>/responses")
class WaveResponses(MethodView):
    @blp.arguments(s.SrWaveResponseSchema)
    @blp.response(200, s.SrWaveSchema)
    @permission("street_reps.write")
    def post(self, body, sr_wave_id):
        """Record that a member answered the wave."""
        wave = get_or_404(PanelWave, sr_wave_id, "panel wave")
        panel.record_response(wave, body["member_id"], body)
        return panel.describe_waves([wave])[0]


# -- customer inspectors ----------------------------------------------------------------------


@blp.route("/inspectors")
class Inspectors(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrInspectorListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """The customer inspectors' pool with their training."""
        page = paginate(select(Inspector).order_by(Inspector.joined_on, Inspector.id), args)
        inspectors.describe_inspectors(page["items"])
        return page

    @blp.arguments(s.SrInspectorSchema)
    @blp.response(201, s.SrInspectorSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Add a resident to the pool."""
        return inspectors.describe_inspectors([inspectors.add_inspector(body)])[0]


@blp.route("/inspectors/<int:sr_inspector_id>")
class InspectorDetail(MethodView):
    @blp.response(200, s.SrInspectorSchema)
    @permission("street_reps.read")
    def get(self, sr_inspector_id):
        """One inspector with their training."""
        inspector = get_or_404(Inspector, sr_inspector_id, "customer inspector")
        return inspectors.describe_inspectors([inspector])[0]

    @blp.arguments(s.SrInspectorLeavingSchema)
    @blp.response(200, s.SrInspectorSchema)
    @permission("street_reps.write")
    def patch(self, body, sr_inspector_id):
        """Record the day the inspector left the pool (once, not before joining); later
        inspections cannot name them."""
        inspector = get_or_404(Inspector, sr_inspector_id, "customer inspector")
        return inspectors.describe_inspectors([inspectors.record_leaving(inspector, body["left_on"])])[0]


@blp.route("/inspectors/<int:sr_inspector_id>/training")
class Training(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrTrainingListSchema)
    @permission("street_reps.read")
    def get(self, args, sr_inspector_id):
        """The inspector's training record."""
        query = (
            select(InspectorTraining)
            .where(InspectorTraining.inspector_id == sr_inspector_id)
            .order_by(InspectorTraining.completed_on)
        )
        return paginate(query, args)

    @blp.arguments(s.SrTrainingSchema)
    @blp.response(201, s.SrTrainingSchema)
    @permission("street_reps.write")
    def post(self, body, sr_inspector_id):
        """Record a course the inspector completed."""
        return inspectors.record_training(sr_inspector_id, body)


@blp.route("/inspections")
class Inspections(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrInspectionListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Reality checks, latest first."""
        return paginate(
            select(Inspection).order_by(Inspection.inspected_on.desc(), Inspection.id.desc()), args
        )

    @blp.arguments(s.SrInspectionSchema)
    @blp.response(201, s.SrInspectionSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Record an inspection by trained inspectors (untrained ones are refused, 409)."""
        return inspectors.record_inspection(body, current_settings())


@blp.route("/inspections/<int:sr_inspection_id>/improvement")
class InspectionImprovement(MethodView):
    @blp.arguments(s.SrAcceptSuggestionSchema)
    @blp.response(201, s.SrInspectionSchema)
    @permission("street_reps.write")
    def post(self, body, sr_inspection_id):
        """Put the inspectors' suggestion on the core register of service improvements."""
        return inspectors.accept_suggestion(get_or_404(Inspection, sr_inspection_id, "inspection"), body)


# -- Trust membership -------------------------------------------------------------------------


@blp.route("/trust-members")
class TrustMembers(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrTrustMemberListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Members of the Trust."""
        return paginate(select(TrustMember).order_by(TrustMember.joined_on, TrustMember.id), args)

    @blp.arguments(s.SrTrustMemberSchema)
    @blp.response(201, s.SrTrustMemberSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Register a tenancy holder as a Member (others are refused, 409)."""
        return membership.register_member(body, current_settings())


@blp.route("/trust-members/<int:sr_trust_member_id>")
class TrustMemberDetail(MethodView):
    @blp.response(200, s.SrTrustMemberSchema)
    @permission("street_reps.read")
    def get(self, sr_trust_member_id):
        """One Member."""
        return get_or_404(TrustMember, sr_trust_member_id, "Trust member")

    @blp.arguments(s.SrTrustLeavingSchema)
    @blp.response(200, s.SrTrustMemberSchema)
    @permission("street_reps.write")
    def patch(self, body, sr_trust_member_id):
        """Record the day the Member left the Trust (once, not before joining)."""
        member = get_or_404(TrustMember, sr_trust_member_id, "Trust member")
        return membership.record_leaving(member, body["left_on"])


@blp.route("/agm/attendance")
class AgmAttendance(MethodView):
    @blp.arguments(s.SrAttendanceSchema)
    @blp.response(200, s.SrAttendanceResultSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Record Members attending an AGM (a core activity)."""
        count = membership.record_attendance(body["activity_id"], body["member_ids"])
        return {"activity_id": body["activity_id"], "attended": count}


@blp.route("/agm/votes")
class AgmVotes(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrVoteListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Votes on Independent Board Member appointments."""
        return paginate(select(AgmVote).order_by(AgmVote.id.desc()), args)

    @blp.arguments(s.SrVoteSchema)
    @blp.response(201, s.SrVoteSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Record the vote on one appointment (no more votes than Members present)."""
        return membership.record_vote(body)


# -- quarterly PIs to Board --------------------------------------------------------------------


@blp.route("/board-pis")
class BoardPis(MethodView):
    @blp.arguments(s.SrQuarterArgs, location="query")
    @blp.response(200, s.SrBoardPisSchema)
    @permission("street_reps.read")
    def get(self, args):
        """The PIs reported to Board for a quarter (``period=2025-26-Q1``), with the quarter before."""
        return board_pis(Period.parse(args["period"]), current_settings())


# -- standing rules ------------------------------------------------------------------------------


@blp.route("/compliance")
class Compliance(MethodView):
    @blp.response(200, SrComplianceSchema)
    @permission("street_reps.read")
    def get(self):
        """Halton's standing rules checked today: the Board's tenancy-holder third and each street
        representative's limit of tenancy holders, with every breach in words."""
        return compliance.check(current_settings())
