"""The shared domain's models, one module per concept; importing this package registers them all."""

from core.models.account import AccountToken, ApiToken, LoginThrottle, Membership, User, UserSession
from core.models.audit import CrossOrgRead
from core.models.consultations import Consultation, ConsultationFeedback, ConsultationResponse
from core.models.governance import Body, BodyMembership, Recommendation
from core.models.involvement import Activity, Opportunity, Participation, Venue
from core.models.organisation import Organisation, OrganisationPlugin
from core.models.outbox import JobOutbox
from core.models.outcomes import (
    ActionPlan,
    ActionPlanItem,
    AuditEvent,
    Improvement,
    Notification,
    NotificationRead,
    Spend,
)
from core.models.people import (
    CustomerProfileCount,
    EqualityMonitoring,
    EqualitySnapshot,
    MonitoringObjection,
    Participant,
)
from core.models.places import Area, Household
from core.models.public import InvolvementRequest, ResidentSignInLink
from core.models.reports import ImpactAssessment, ImpactAssessmentNarrative, StoredAssessment
from core.models.surveys import KpiSnapshot, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

__all__ = [
    "AccountToken",
    "InvolvementRequest",
    "ResidentSignInLink",
    "ActionPlan",
    "ActionPlanItem",
    "Activity",
    "ApiToken",
    "Area",
    "AuditEvent",
    "Body",
    "BodyMembership",
    "Consultation",
    "ConsultationFeedback",
    "ConsultationResponse",
    "CustomerProfileCount",
    "EqualityMonitoring",
    "EqualitySnapshot",
    "Household",
    "KpiSnapshot",
    "ImpactAssessment",
    "ImpactAssessmentNarrative",
    "StoredAssessment",
    "JobOutbox",
    "Improvement",
    "MonitoringObjection",
    "Notification",
    "NotificationRead",
    "Opportunity",
    "Participant",
    "Participation",
    "Recommendation",
    "Spend",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "Venue",
    "CrossOrgRead",
    "LoginThrottle",
    "Membership",
    "Organisation",
    "OrganisationPlugin",
    "User",
    "UserSession",
]
