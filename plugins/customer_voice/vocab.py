"""Fixed vocabularies of the Customer Voice plugin, and the expectations of the regulator's standard.

The expectations are our short summaries of the Tenant Involvement and Empowerment Standard (the
seed's Appendix 1); each names the kinds of record that count as evidence for it, so the standards
report can gather that evidence from the records without the officer compiling it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

LISTENING_CHANNELS = ("survey", "complaint", "compliment", "satisfaction_data", "social_media")
SENTIMENTS = ("positive", "neutral", "negative")
SERVICE_AREAS = (
    "repairs",
    "planned_maintenance",
    "lettings",
    "neighbourhood_management",
    "anti_social_behaviour",
    "estate_services",
    "rent_and_income",
    "customer_service",
    "community_investment",
    "other",
)
CHALLENGE_STATUSES = ("open", "responded", "closed")
SCOPE_TYPES = ("service_area", "policy")
CHAIN_STATUSES = ("active", "completed", "abandoned")
REVIEW_STATUSES = ("scoping", "evidence_gathering", "reporting", "board_response", "implementing", "closed")
ASSESSMENT_RATINGS = ("met", "partly_met", "not_met", "not_applicable")
REPORT_STATUSES = ("draft", "presented")
SCORE_MIN, SCORE_MAX = 1, 5


@dataclass(frozen=True)
class Expectation:
    code: str
    label: str
    # Evidence kinds counted for the expectation (keys of services.standards.EVIDENCE).
    evidence: tuple[str, ...]


EXPECTATIONS = (
    Expectation(
        "policy_and_strategy",
        "Customers help shape housing policies and priorities",
        ("consultations_with_feedback", "chain_projects_policy"),
    ),
    Expectation(
        "service_delivery",
        "Customers help decide how services are delivered and their standards",
        ("chain_projects_service", "forum_meetings"),
    ),
    Expectation(
        "scrutiny",
        "Customers scrutinise performance and recommend improvements",
        ("scrutiny_reviews", "scrutiny_recommendations", "forum_challenges"),
    ),
    Expectation(
        "home_management",
        "Customers take part in managing their homes where it applies",
        ("estate_ratings", "volunteer_sessions"),
    ),
    Expectation(
        "repairs_management",
        "Customers take part in managing repairs and maintenance",
        ("repairs_feedback", "repairs_challenges"),
    ),
    Expectation("local_offers", "Local offers are agreed with customers", ("consultations_with_feedback",)),
    Expectation(
        "right_to_manage", "Customers are supported to take on management functions", ("volunteer_sessions",)
    ),
    Expectation(
        "panels_supported",
        "Tenant panels are supported and answered promptly",
        ("forum_meetings", "challenges_answered"),
    ),
    Expectation(
        "performance_information",
        "Customers get timely performance information, incl. an annual report",
        ("voice_feedback_items", "forum_meetings"),
    ),
    Expectation(
        "capacity_building",
        "Customers are supported to build their capacity to be involved",
        ("ik_events", "training_sessions"),
    ),
    Expectation(
        "local_offer_monitoring",
        "Customers are consulted on how local offers are monitored",
        ("consultations_with_feedback",),
    ),
    Expectation(
        "change_of_landlord",
        "Customers affected by a change of landlord or management are consulted",
        ("consultations_with_feedback",),
    ),
    Expectation(
        "approach_review",
        "Customers are consulted at least every three years on how they are involved",
        ("approach_review",),
    ),
)
EXPECTATION_CODES = tuple(e.code for e in EXPECTATIONS)
