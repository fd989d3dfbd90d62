"""Consultations, responses, improvements, action plans and items, spend and a notification of ``org``."""

from datetime import date

from core.models import (
    ActionPlan,
    ActionPlanItem,
    Consultation,
    ConsultationFeedback,
    ConsultationResponse,
    Improvement,
    Notification,
    Spend,
    StoredAssessment,
)
from tests.samples import SECRET


def samples(db_session, org):
    consultation = Consultation(
        title=f"{SECRET} rent review",
        topic="rent_and_service_charges",
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 4, 30),
        feedback_due_on=date(2025, 7, 30),
    )
    db_session.add(consultation)
    db_session.flush()
    response = ConsultationResponse(
        consultation_id=consultation.id, channel="post", answer=SECRET, responded_on=date(2025, 4, 2)
    )
    feedback = ConsultationFeedback(consultation_id=consultation.id, you_said=SECRET, we_did=SECRET)
    improvement = Improvement(
        title=f"{SECRET} improvement",
        implemented_on=date(2025, 6, 1),
        source="consultation",
        source_id=consultation.id,
    )
    plan = ActionPlan(title=f"{SECRET} plan", period="2025-26")
    spend = Spend(spent_on=date(2025, 5, 1), category="grants", amount_pence=1234, description=SECRET)
    notification = Notification(key=f"sample:{SECRET}", subject=f"{SECRET} reminder")
    # A stored impact assessment (served with ?stored=true): its routes take only the year.
    stored = StoredAssessment(
        period="2025-26",
        audience="everyone",
        document={"title": f"{SECRET} assessment", "sections": [], "assembled_at": "2026-01-01T00:00"},
    )
    db_session.add_all([response, feedback, improvement, plan, spend, notification, stored])
    db_session.flush()
    item = ActionPlanItem(plan_id=plan.id, title=f"{SECRET} item", due_on=date(2025, 5, 1))
    db_session.add(item)
    db_session.flush()
    return {
        "consultation_id": consultation.id,
        "response_id": response.id,
        "improvement_id": improvement.id,
        "plan_id": plan.id,
        "item_id": item.id,
        "spend_id": spend.id,
        "notification_id": notification.id,
    }
