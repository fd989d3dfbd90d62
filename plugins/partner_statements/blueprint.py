"""The plugin's API blueprint and the URL parameters it resolves (before any body is validated)."""

from core.api.blueprint import ApiBlueprint as Blueprint
from core.records import url_model
from plugins.partner_statements.models import (
    AssessmentReview,
    PartnerActionPlan,
    RaspNomination,
    StandardAssessment,
    Statement,
    Weakness,
    WeaknessAction,
)

blp = Blueprint(
    "plugin_partner_statements",
    __name__,
    description="Partner statements, the Customer First Standard, action plans, RASP and group oversight",
)

url_model("ps_statement_id", Statement, "statement version")
url_model("ps_assessment_id", StandardAssessment, "self-assessment")
url_model("ps_plan_id", PartnerActionPlan, "partner action plan")
url_model("ps_weakness_id", Weakness, "weakness")
url_model("ps_link_id", WeaknessAction, "weakness action")
url_model("ps_nomination_id", RaspNomination, "RASP nomination")
url_model("ps_review_id", AssessmentReview, "assessment review")
