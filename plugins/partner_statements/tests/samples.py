"""Organisation B's partner-statements records: a statement version, a self-assessment, an action plan
with a weakness linked to an action, a RASP nomination and an assessment review."""

from datetime import date

from core.models import ActionPlan, ActionPlanItem, Participant
from core.testing import MATRIX_MARKER as SECRET
from plugins.partner_statements.models import (
    AssessmentReview,
    PartnerActionPlan,
    RaspNomination,
    StandardAssessment,
    Statement,
    Weakness,
    WeaknessAction,
)


def samples(db_session, org):
    statement = Statement(
        version=1,
        title=f"{SECRET} statement",
        introduction=SECRET,
        encouraging_involvement=SECRET,
        using_feedback=SECRET,
        ways_to_get_involved=[SECRET],
    )
    assessment = StandardAssessment(
        period="2025-26",
        commitment_key="how_to_get_involved",
        commitment_ref="11.1",
        commitment_title=f"{SECRET} commitment",
        rating="not_met",
        evidence=f"{SECRET} evidence",
        indicators={},
        assessed_on=date(2025, 6, 1),
    )
    core_plan = ActionPlan(title=f"{SECRET} plan", period="2026-27")
    person = Participant(first_name=SECRET, last_name=f"{SECRET} nominee")
    db_session.add_all([statement, assessment, core_plan, person])
    db_session.flush()
    item = ActionPlanItem(plan_id=core_plan.id, title=f"{SECRET} action", due_on=date(2026, 6, 1))
    plan = PartnerActionPlan(assessed_period="2025-26", action_plan_id=core_plan.id)
    nomination = RaspNomination(
        participant_id=person.id,
        display_name=f"{SECRET} nominee",
        consent_given_on=date(2025, 5, 1),
        consent_method="written",
        nominated_on=date(2025, 5, 2),
    )
    review = AssessmentReview(
        partner_id=org.id, period="2025-26", outcome="accepted", comments=SECRET, reviewed_on=date(2025, 7, 1)
    )
    db_session.add_all([item, plan, nomination, review])
    db_session.flush()
    weakness = Weakness(
        plan_id=plan.id, source="commitment", key="how_to_get_involved", title=f"{SECRET} weakness"
    )
    db_session.add(weakness)
    db_session.flush()
    link = WeaknessAction(weakness_id=weakness.id, action_item_id=item.id, outputs=f"{SECRET} outputs")
    db_session.add(link)
    db_session.flush()
    return {
        "ps_statement_id": statement.id,
        "ps_assessment_id": assessment.id,
        "ps_plan_id": plan.id,
        "ps_weakness_id": weakness.id,
        "ps_link_id": link.id,
        "ps_nomination_id": nomination.id,
        "ps_review_id": review.id,
    }
