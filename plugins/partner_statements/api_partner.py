"""A partner's own routes: its statement versions, Customer First self-assessment, action plans,
involvement budget, RASP nominations and contact. Thin: each view checks the permission and hands
over to ``services``; the request lifecycle commits."""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import select

from core import plugin_kit
from core.errors import NotFound
from core.lifecycle import permission
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.partner_statements.blueprint import blp
from plugins.partner_statements.models import (
    InvolvementBudget,
    PartnerActionPlan,
    RaspNomination,
    StandardAssessment,
    Statement,
    Weakness,
    WeaknessAction,
)
from plugins.partner_statements.schemas import (
    BudgetListSchema,
    NominationListSchema,
    PlanListSchema,
    PsAssessmentSchema,
    PsAssessmentUpdateSchema,
    PsBudgetSchema,
    PsLinkSchema,
    PsNominationSchema,
    PsPeriodArgs,
    PsPlanCreateSchema,
    PsPlanSchema,
    PsSelfAssessmentSchema,
    PsStandardSchema,
    PsStatementCreateSchema,
    PsStatementSchema,
    PsStatementUpdateSchema,
    PsWeaknessSchema,
    StatementListSchema,
)
from plugins.partner_statements.services import budgets, plans, rasp, standard, statements
from plugins.partner_statements.services.common import (
    actor_id,
    settings_of,
    standard_for,
    weaknesses_must_be_answered,
)

# -- statements ------------------------------------------------------------------------------------


@blp.route("/statements")
class Statements(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, StatementListSchema)
    @permission("records.read")
    def get(self, args):
        """Every version of the statement, newest first."""
        return paginate(select(Statement).order_by(Statement.version.desc()), args)

    @blp.arguments(PsStatementCreateSchema)
    @blp.response(201, PsStatementSchema)
    @permission("partner_statements.write")
    def post(self, body):
        """Start a new draft version (``copy_current`` starts from the published text)."""
        return statements.start_version(body, g.organisation.name)


@blp.route("/statements/current")
class CurrentStatement(MethodView):
    @blp.response(200, PsStatementSchema)
    @permission("records.read")
    def get(self):
        """The published version residents read now."""
        current = statements.current_statement()
        if current is None:
            raise NotFound("No statement has been published yet.")
        return current


@blp.route("/statements/<int:ps_statement_id>")
class StatementDetail(MethodView):
    @blp.response(200, PsStatementSchema)
    @permission("records.read")
    def get(self, ps_statement_id):
        """One version."""
        return get_or_404(Statement, ps_statement_id, "statement version")

    @blp.arguments(PsStatementUpdateSchema)
    @blp.response(200, PsStatementSchema)
    @permission("partner_statements.write")
    def patch(self, changes, ps_statement_id):
        """Change a draft (approved and published versions are fixed: 409)."""
        return statements.edit(get_or_404(Statement, ps_statement_id), changes)

    @blp.response(204)
    @permission("partner_statements.write")
    def delete(self, ps_statement_id):
        """Delete a draft."""
        statements.delete(get_or_404(Statement, ps_statement_id))


@blp.route("/statements/<int:ps_statement_id>/approve")
class ApproveStatement(MethodView):
    @blp.response(200, PsStatementSchema)
    @permission("partner_statements.approve")
    def post(self, ps_statement_id):
        """Approve a complete draft."""
        return statements.approve(get_or_404(Statement, ps_statement_id), actor_id(), plugin_kit.today())


@blp.route("/statements/<int:ps_statement_id>/return-to-draft")
class ReturnStatement(MethodView):
    @blp.response(200, PsStatementSchema)
    @permission("partner_statements.approve")
    def post(self, ps_statement_id):
        """Send an approved, unpublished version back for changes."""
        return statements.return_to_draft(get_or_404(Statement, ps_statement_id))


@blp.route("/statements/<int:ps_statement_id>/publish")
class PublishStatement(MethodView):
    @blp.response(200, PsStatementSchema)
    @permission("partner_statements.approve")
    def post(self, ps_statement_id):
        """Publish an approved version; the previous published version is superseded."""
        return statements.publish(get_or_404(Statement, ps_statement_id))


# -- Customer First Standard -----------------------------------------------------------------------


@blp.route("/standard")
class Standard(MethodView):
    @blp.response(200, PsStandardSchema)
    @permission("records.read")
    def get(self):
        """The Customer First Standard this organisation is assessed against (its group's)."""
        defined_by, commitments = standard_for(g.organisation)
        return {"defined_by": defined_by, "commitments": commitments}


@blp.route("/standard/self-assessment")
class SelfAssessment(MethodView):
    @blp.arguments(PsPeriodArgs, location="query")
    @blp.response(200, PsSelfAssessmentSchema)
    @permission("records.read")
    def get(self, args):
        """Every commitment with this year's rating and its indicators from the records."""
        _, commitments = standard_for(g.organisation)
        return standard.self_assessment(commitments, args["period"])


@blp.route("/standard/assessments")
class Assessments(MethodView):
    @blp.arguments(PsAssessmentSchema)
    @blp.response(201, PsAssessmentSchema)
    @permission("partner_statements.write")
    def post(self, body):
        """Rate one commitment for a year (replaces an earlier rating of the same commitment: 200)."""
        _, commitments = standard_for(g.organisation)
        row, created = standard.record(commitments, body, actor_id(), plugin_kit.today())
        return row, 201 if created else 200


@blp.route("/standard/assessments/<int:ps_assessment_id>")
class AssessmentDetail(MethodView):
    @blp.response(200, PsAssessmentSchema)
    @permission("records.read")
    def get(self, ps_assessment_id):
        """One rating."""
        return get_or_404(StandardAssessment, ps_assessment_id)

    @blp.arguments(PsAssessmentUpdateSchema)
    @blp.response(200, PsAssessmentSchema)
    @permission("partner_statements.write")
    def patch(self, changes, ps_assessment_id):
        """Change a rating or its evidence (indicators are taken again from the records)."""
        row = get_or_404(StandardAssessment, ps_assessment_id)
        return standard.update(row, changes, actor_id(), plugin_kit.today())


# -- action plans ----------------------------------------------------------------------------------


def _plan(ps_plan_id: int) -> PartnerActionPlan:
    return get_or_404(PartnerActionPlan, ps_plan_id, "partner action plan")


def _weakness_of(plan: PartnerActionPlan, ps_weakness_id: int) -> Weakness:
    weakness = get_or_404(Weakness, ps_weakness_id)
    if weakness.plan_id != plan.id:
        raise NotFound("No such weakness.")
    return weakness


def _enforced() -> bool:
    return weaknesses_must_be_answered(g.organisation)


@blp.route("/action-plans")
class ActionPlans(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PlanListSchema)
    @permission("records.read")
    def get(self, args):
        """Action plans, latest assessed year first, each with its weaknesses and progress."""
        page = paginate(select(PartnerActionPlan).order_by(PartnerActionPlan.assessed_period.desc()), args)
        page["items"] = [plans.describe(p, plugin_kit.today()) for p in page["items"]]
        return page

    @blp.arguments(PsPlanCreateSchema)
    @blp.response(201, PsPlanSchema)
    @permission("partner_statements.write")
    def post(self, body):
        """Start the plan answering a year's assessment (creates the core action plan unless given)."""
        return plans.describe(plans.create(body, g.organisation), plugin_kit.today())


@blp.route("/action-plans/<int:ps_plan_id>")
class ActionPlanDetail(MethodView):
    @blp.response(200, PsPlanSchema)
    @permission("records.read")
    def get(self, ps_plan_id):
        """One plan: weaknesses, the actions answering each, and progress."""
        return plans.describe(_plan(ps_plan_id), plugin_kit.today())


@blp.route("/action-plans/<int:ps_plan_id>/refresh")
class RefreshWeaknesses(MethodView):
    @blp.response(200, PsPlanSchema)
    @permission("partner_statements.write")
    def post(self, ps_plan_id):
        """Take the weaknesses again from the self-assessment and KPI targets."""
        plan = _plan(ps_plan_id)
        plans.sync_weaknesses(plan, g.organisation)
        return plans.describe(plan, plugin_kit.today())


@blp.route("/action-plans/<int:ps_plan_id>/approve")
class ApprovePlan(MethodView):
    @blp.response(200, PsPlanSchema)
    @permission("partner_statements.approve")
    def post(self, ps_plan_id):
        """Approve the plan; 409 listing every weakness still without an action, timetable and outputs."""
        plan = plans.approve(_plan(ps_plan_id), g.organisation, _enforced(), actor_id(), plugin_kit.today())
        return plans.describe(plan, plugin_kit.today())


@blp.route("/action-plans/<int:ps_plan_id>/weaknesses")
class ReviewWeaknesses(MethodView):
    @blp.arguments(PsWeaknessSchema)
    @blp.response(201, PsWeaknessSchema)
    @permission("partner_statements.write")
    def post(self, body, ps_plan_id):
        """Add a weakness the group raised in its review of the impact assessment."""
        return plans.add_review_weakness(_plan(ps_plan_id), body)


@blp.route("/action-plans/<int:ps_plan_id>/weaknesses/<int:ps_weakness_id>/actions")
class WeaknessActions(MethodView):
    @blp.arguments(PsLinkSchema)
    @blp.response(201, PsLinkSchema)
    @permission("partner_statements.write")
    def post(self, body, ps_plan_id, ps_weakness_id):
        """Link an action of the plan to the weakness, with the outputs it will deliver."""
        plan = _plan(ps_plan_id)
        return plans.link(plan, _weakness_of(plan, ps_weakness_id), body)


@blp.route("/action-plans/<int:ps_plan_id>/weakness-actions/<int:ps_link_id>")
class WeaknessActionDetail(MethodView):
    @blp.response(204)
    @permission("partner_statements.write")
    def delete(self, ps_plan_id, ps_link_id):
        """Unlink an action (refused on an approved plan if the weakness would be left unanswered)."""
        plan = _plan(ps_plan_id)
        link_row = get_or_404(WeaknessAction, ps_link_id)
        _weakness_of(plan, link_row.weakness_id)
        plans.unlink(plan, link_row)


# -- budget, RASP nominations, contact ------------------------------------------------------------


@blp.route("/budgets")
class Budgets(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, BudgetListSchema)
    @permission("records.read")
    def get(self, args):
        """Involvement budget per year, beside what was spent (core spend records)."""
        page = paginate(select(InvolvementBudget).order_by(InvolvementBudget.period.desc()), args)
        for budget in page["items"]:
            budget.spent_pence = budgets.spent(budget.period)
        return page

    @blp.arguments(PsBudgetSchema)
    @blp.response(200, PsBudgetSchema)
    @permission("partner_statements.write")
    def post(self, body):
        """Record (or replace) the involvement budget of a year."""
        return budgets.record(body)


@blp.route("/rasp/nominations")
class Nominations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, NominationListSchema)
    @permission("partner_statements.nominate")
    def get(self, args):
        """This partner's RASP nominations, current first."""
        query = select(RaspNomination).order_by(RaspNomination.status, RaspNomination.id.desc())
        return paginate(query, args)

    @blp.arguments(PsNominationSchema)
    @blp.response(201, PsNominationSchema)
    @permission("partner_statements.nominate")
    def post(self, body):
        """Nominate a resident to RASP with their recorded consent; only the name reaches the group."""
        return rasp.nominate(g.organisation, body, plugin_kit.today())


@blp.route("/rasp/nominations/<int:ps_nomination_id>")
class NominationDetail(MethodView):
    @blp.response(200, PsNominationSchema)
    @permission("partner_statements.nominate")
    def get(self, ps_nomination_id):
        """One nomination."""
        return get_or_404(RaspNomination, ps_nomination_id)


@blp.route("/rasp/nominations/<int:ps_nomination_id>/withdraw")
class WithdrawNomination(MethodView):
    @blp.response(200, PsNominationSchema)
    @permission("partner_statements.nominate")
    def post(self, ps_nomination_id):
        """Consent withdrawn: the name is removed from the group's panel."""
        return rasp.withdraw(g.organisation, get_or_404(RaspNomination, ps_nomination_id), plugin_kit.today())


class PsContactSchema(Schema):
    organisation = fields.String()
    job_title = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


@blp.route("/contact")
class Contact(MethodView):
    @blp.response(200, PsContactSchema)
    @permission("records.read")
    def get(self):
        """The involvement specialist residents can contact (seed 10.3), by job title."""
        settings = settings_of(g.organisation)
        return {
            "organisation": g.organisation.name,
            "job_title": settings["involvement_contact_role"],
            "phone": settings["involvement_contact_phone"],
            "email": settings["involvement_contact_email"],
        }
