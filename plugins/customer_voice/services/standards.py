"""The six-monthly standards report to Board, and the reminders for it and for the approach review.

Reporting windows start in April and run ``standards_report_interval_months`` (6: April–September
and October–March). For each expectation of the involvement standard, the report counts evidence
from the records of its window (consultations with published feedback, scrutiny reviews, forum
meetings, training…) and stores the officer's assessment. The customers' review of the involvement
approach falls due ``approach_review_interval_years`` after ``last_approach_review``; the daily job
notifies the organisation's administrators from 90 days before it is due, and when a finished
window has no report yet. Notifications are keyed, so the job can run any number of times.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import (
    Activity,
    Consultation,
    ConsultationFeedback,
    Membership,
    User,
)
from core.records import apply
from core.services.consultations import add_months
from core.services.involvement import starting_between
from core.services.notifications import notify_users
from plugins.customer_voice.models import (
    ChainProject,
    Challenge,
    EstateRating,
    FeedbackItem,
    Forum,
    InformationEvent,
    ReviewRecommendation,
    ScrutinyReview,
    StandardsAssessment,
    StandardsReport,
    VolunteerSession,
)
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.vocab import EXPECTATION_CODES, EXPECTATIONS

REMIND_DAYS_BEFORE = 90


# -- windows and due dates ---------------------------------------------------------------------------


def window_containing(day: date, months: int) -> tuple[date, date]:
    """The reporting window holding ``day``: windows start on 1 April and follow each other."""
    start = date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    while add_months(start, months) <= day:
        start = add_months(start, months)
    return start, add_months(start, months) - timedelta(days=1)


def window_starting(start: date, months: int) -> tuple[date, date]:
    if start.day != 1 or (start.month - 4) % months:
        raise ValidationFailed(
            {"period_start": [f"A reporting window starts on the 1st, every {months} months from April."]}
        )
    return start, add_months(start, months) - timedelta(days=1)


def approach_review_due(settings: dict) -> date | None:
    last = settings.get("last_approach_review")
    if not last:
        return None
    year, month = (int(part) for part in last.split("-"))
    return date(year + settings["approach_review_interval_years"], month, 1)


def status(day: date) -> dict[str, Any]:
    """What is due: the approach review and the report on the last finished window."""
    settings = current_settings()
    months = settings["standards_report_interval_months"]
    current_start, _ = window_containing(day, months)
    previous_start, previous_end = window_containing(current_start - timedelta(days=1), months)
    report = db.session.scalar(select(StandardsReport).where(StandardsReport.period_start == previous_start))
    review_due = approach_review_due(settings)
    return {
        "approach_review_due_on": review_due,
        "approach_review_overdue": review_due is not None and review_due < day,
        "approach_review_reminder": review_due is not None
        and review_due - timedelta(days=REMIND_DAYS_BEFORE) <= day,
        "last_approach_review": settings.get("last_approach_review"),
        "report_window_start": previous_start,
        "report_window_end": previous_end,
        "report_due": report is None or report.status != "presented",
        "report_id": report.id if report is not None else None,
    }


# -- evidence ----------------------------------------------------------------------------------------


def _count(statement) -> int:
    return int(db.session.scalar(statement) or 0)


def _held_between(start: date, end: date, *conditions):
    return _count(
        select(func.count(Activity.id)).where(
            Activity.status == "held", *starting_between(start, end), *conditions
        )
    )


def _between(column, start: date, end: date):
    return (column >= start) & (column <= end)


def _evidence(start: date, end: date, settings: dict) -> dict[str, int]:
    forum_bodies = select(Forum.body_id)
    chain_live = (ChainProject.starts_on <= end) & (
        ChainProject.completed_on.is_(None) | (ChainProject.completed_on >= start)
    )
    review_due = approach_review_due(settings)
    last = settings.get("last_approach_review")
    return {
        "consultations_with_feedback": _count(
            select(func.count(Consultation.id))
            .join(ConsultationFeedback, ConsultationFeedback.consultation_id == Consultation.id)
            .where(_between(ConsultationFeedback.published_on, start, end))
        ),
        "chain_projects_policy": _count(
            select(func.count(ChainProject.id)).where(chain_live, ChainProject.scope_type == "policy")
        ),
        "chain_projects_service": _count(
            select(func.count(ChainProject.id)).where(chain_live, ChainProject.scope_type == "service_area")
        ),
        "forum_meetings": _held_between(start, end, Activity.body_id.in_(forum_bodies)),
        "scrutiny_reviews": _count(
            select(func.count(ScrutinyReview.id)).where(
                ScrutinyReview.starts_on <= end,
                ScrutinyReview.closed_on.is_(None) | (ScrutinyReview.closed_on >= start),
            )
        ),
        "scrutiny_recommendations": _count(
            select(func.count(ReviewRecommendation.id))
            .join(ScrutinyReview, ScrutinyReview.id == ReviewRecommendation.review_id)
            .where(_between(ScrutinyReview.report_published_on, start, end))
        ),
        "forum_challenges": _count(
            select(func.count(Challenge.id)).where(_between(Challenge.raised_on, start, end))
        ),
        "challenges_answered": _count(
            select(func.count(Challenge.id)).where(_between(Challenge.responded_on, start, end))
        ),
        "estate_ratings": _count(
            select(func.count(EstateRating.id)).where(_between(EstateRating.visited_on, start, end))
        ),
        "volunteer_sessions": _held_between(
            start, end, Activity.id.in_(select(VolunteerSession.activity_id))
        ),
        "repairs_feedback": _count(
            select(func.count(FeedbackItem.id)).where(
                _between(FeedbackItem.received_on, start, end),
                FeedbackItem.service_area.in_(("repairs", "planned_maintenance")),
            )
        ),
        "repairs_challenges": _count(
            select(func.count(Challenge.id)).where(
                _between(Challenge.raised_on, start, end),
                Challenge.service_area.in_(("repairs", "planned_maintenance")),
            )
        ),
        "voice_feedback_items": _count(
            select(func.count(FeedbackItem.id)).where(_between(FeedbackItem.received_on, start, end))
        ),
        "ik_events": _held_between(start, end, Activity.id.in_(select(InformationEvent.activity_id))),
        "training_sessions": _held_between(start, end, Activity.kind == "training"),
        # 1 when the customers' review of the approach is not overdue at the end of the window.
        "approach_review": int(bool(last) and review_due is not None and review_due >= end),
    }


EVIDENCE_LABELS = {
    "consultations_with_feedback": "Consultations with feedback published",
    "chain_projects_policy": "CHAIN projects on policy",
    "chain_projects_service": "CHAIN projects on a service",
    "forum_meetings": "Forum meetings held",
    "scrutiny_reviews": "Scrutiny reviews under way or finished",
    "scrutiny_recommendations": "Scrutiny recommendations to Board",
    "forum_challenges": "Challenges raised by forums",
    "challenges_answered": "Challenges answered by the landlord",
    "estate_ratings": "Rate Your Estate visits",
    "volunteer_sessions": "Volunteering sessions held",
    "repairs_feedback": "Feedback items about repairs and maintenance",
    "repairs_challenges": "Forum challenges about repairs and maintenance",
    "voice_feedback_items": "Feedback items collated for forums",
    "ik_events": "Information & Knowledge events held",
    "training_sessions": "Training sessions held",
    "approach_review": "Approach reviewed with customers within the interval (1 yes, 0 no)",
}


def report_dict(report: StandardsReport) -> dict[str, Any]:
    evidence = _evidence(report.period_start, report.period_end, current_settings())
    assessed = {
        a.expectation: a
        for a in db.session.scalars(
            select(StandardsAssessment).where(StandardsAssessment.report_id == report.id)
        )
    }
    expectations = []
    for expectation in EXPECTATIONS:
        assessment = assessed.get(expectation.code)
        items = [
            {"kind": kind, "label": EVIDENCE_LABELS[kind], "count": evidence[kind]}
            for kind in expectation.evidence
        ]
        expectations.append(
            {
                "code": expectation.code,
                "label": expectation.label,
                "evidence": items,
                "evidence_total": sum(item["count"] for item in items),
                "rating": assessment.rating if assessment else None,
                "commentary": assessment.commentary if assessment else None,
            }
        )
    return {
        "id": report.id,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "status": report.status,
        "presented_on": report.presented_on,
        "expectations": expectations,
        "assessed": len(assessed),
        "unassessed": len(EXPECTATIONS) - len(assessed),
    }


def create_report(period_start: date | None, day: date) -> StandardsReport:
    months = current_settings()["standards_report_interval_months"]
    if period_start is None:
        current, _ = window_containing(day, months)
        start, end = window_containing(current - timedelta(days=1), months)
    else:
        start, end = window_starting(period_start, months)
    if db.session.scalar(select(StandardsReport.id).where(StandardsReport.period_start == start)) is not None:
        raise Conflict(f"There is already a standards report for the window starting {start.isoformat()}.")
    report = StandardsReport(period_start=start, period_end=end)
    db.session.add(report)
    db.session.flush()
    return report


def update_report(report: StandardsReport, changes: dict[str, Any]) -> StandardsReport:
    """Store assessments (by expectation code) and present the report once every one is assessed."""
    if report.status == "presented" and changes.get("assessments"):
        raise Conflict("This report has been presented to Board; it can no longer be changed.")
    for code, judgement in (changes.get("assessments") or {}).items():
        if code not in EXPECTATION_CODES:
            raise ValidationFailed(
                {f"assessments.{code}": [f"Not an expectation: {', '.join(EXPECTATION_CODES)}."]}
            )
        row = db.session.scalar(
            select(StandardsAssessment).where(
                StandardsAssessment.report_id == report.id, StandardsAssessment.expectation == code
            )
        )
        if row is None:
            row = StandardsAssessment(report_id=report.id, expectation=code)
            db.session.add(row)
        row.rating = judgement["rating"]
        row.commentary = judgement.get("commentary")
    db.session.flush()
    if changes.get("status") == "presented" and report.status != "presented":
        assessed = db.session.scalar(
            select(func.count(StandardsAssessment.id)).where(StandardsAssessment.report_id == report.id)
        )
        if assessed < len(EXPECTATIONS):
            raise Conflict(
                f"{len(EXPECTATIONS) - assessed} expectation(s) have no assessment: assess every one "
                "before presenting the report to Board."
            )
        apply(
            report, {"status": "presented", "presented_on": changes.get("presented_on") or plugin_kit.today()}
        )
    db.session.flush()
    return report


# -- reminders ---------------------------------------------------------------------------------------


def send_reminders(organisation, day: date) -> int:
    """Notify each active administrator of a due approach review or standards report (keyed, idempotent)."""
    due = status(day)
    admins = db.session.scalars(
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id == organisation.id,
            Membership.role == "org_admin",
            User.active.is_(True),
        )
        .order_by(Membership.user_id)
    ).all()
    messages = []
    if due["approach_review_reminder"]:
        when = due["approach_review_due_on"]
        verb = "was due" if due["approach_review_overdue"] else "is due"
        messages.append(
            (
                f"customer_voice:approach-review:{when.isoformat()}",
                f"The review of the involvement approach with customers {verb} in {when:%B %Y}",
                "The regulator expects customers to be consulted on how they are involved at least every "
                f"{current_settings()['approach_review_interval_years']} years.",
            )
        )
    if due["report_due"]:
        start, end = due["report_window_start"], due["report_window_end"]
        messages.append(
            (
                f"customer_voice:standards-report:{start.isoformat()}",
                f"Standards report to Board due for {start:%B %Y} – {end:%B %Y}",
                "Assess each expectation of the involvement standard against the evidence gathered.",
            )
        )
    return notify_users(admins, messages, link=f"/o/{organisation.slug}/plugins/customer_voice/standards")
