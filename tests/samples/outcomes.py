"""Consultations (in an area, with an easy-read version), responses (one online, naming its
respondent), improvements, action plans and items, spend and a notification of ``org``."""

from datetime import date

from core.models import (
    ActionPlan,
    ActionPlanItem,
    Area,
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
    area = Area(name=f"{SECRET} consultation area", kind="estate")
    db_session.add(area)
    db_session.flush()
    consultation = Consultation(
        area_id=area.id,
        easy_read_url=f"https://bravo.example/{SECRET}-easy-read.pdf",
        easy_read_description=f"{SECRET} PDF",
        title=f"{SECRET} rent review",
        topic="rent_and_service_charges",
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 4, 30),
        feedback_due_on=date(2025, 7, 30),
    )
    db_session.add(consultation)
    db_session.flush()
    response = ConsultationResponse(
        consultation_id=consultation.id,
        channel="online",
        answer=SECRET,
        responded_on=date(2025, 4, 2),
        respondent_name=f"{SECRET} respondent",
        respondent_contact="bravo.respondent@example.org",
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
