"""What an officer has to do today, for the organisation's home page.

Overdue "you said, we did" feedback, action plan items and recommendations past their due date,
this week's activities, unread notifications addressed to the user or to their role, and the rows
each enabled plugin adds through the ``tpl_org_today`` hook. Each row links to its record's page
where that page exists (``href`` is None otherwise, and the row is plain text). The lists reuse
the services' own conditions (``overdue_condition`` and friends), so Today and the API agree on
what is overdue.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select

from core.extensions import db
from core.models import ActionPlanItem, Activity, Consultation, Notification, Recommendation
from core.permissions import can
from core.plugin_kit import today
from core.services import consultations, governance, notifications, outcomes
from core.services.involvement import starting_between

LIMIT = 20


def link(endpoint: str, **values: Any) -> str | None:
    """The URL of a page, or None while that page does not exist."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _row(label: str, href: str | None, due: date | None, kind: str) -> dict[str, Any]:
    return {"label": label, "href": href, "due": due, "kind": kind}


def overdue_feedback(day: date) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Consultation)
        .where(consultations.overdue_condition(day))
        .order_by(Consultation.feedback_due_on, Consultation.id)
        .limit(LIMIT)
    )
    return [
        _row(c.title, link("org_web.consultation", consultation_id=c.id), c.feedback_due_on, "Feedback")
        for c in rows
    ]


def overdue_items(day: date) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(ActionPlanItem)
        .where(outcomes.item_overdue_condition(day))
        .order_by(ActionPlanItem.due_on, ActionPlanItem.id)
        .limit(LIMIT)
    )
    return [
        _row(i.title, link("org_web.action_plan", plan_id=i.plan_id), i.due_on, "Action item") for i in rows
    ]


def overdue_recommendations(day: date) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Recommendation)
        .where(governance.overdue_condition(day))
        .order_by(Recommendation.due_on, Recommendation.id)
        .limit(LIMIT)
    )
    return [
        _row(r.title, link("org_web.recommendation", recommendation_id=r.id), r.due_on, "Recommendation")
        for r in rows
    ]


def this_week(day: date) -> list[dict[str, Any]]:
    """Activities starting Monday to Sunday of this week, not cancelled, earliest first."""
    monday = day - timedelta(days=day.weekday())
    rows = db.session.scalars(
        select(Activity)
        .where(*starting_between(monday, monday + timedelta(days=6)), Activity.status != "cancelled")
        .order_by(Activity.starts_at, Activity.id)
        .limit(LIMIT)
    )
    return [_row(a.title, link("org_web.activity", activity_id=a.id), a.starts_at, "Activity") for a in rows]


def unread_notifications(organisation, user) -> list[dict[str, Any]]:
    role = user.role_in(organisation.id)
    rows = db.session.scalars(
        select(Notification)
        .where(
            notifications.addressed_to(user.id, role),
            ~notifications.read_condition(user.id),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(LIMIT)
    )
    return [
        _row(n.subject, n.link if (n.link or "").startswith("/") else None, n.created_at, "Notification")
        for n in rows
    ]


def plugin_rows(organisation, user) -> list[dict[str, Any]]:
    """The rows enabled plugins add (``tpl_org_today``), earliest due first, undated last."""
    registry = current_app.extensions["involve"].plugins
    rows = []
    for result in registry.hook_for(organisation.id, "tpl_org_today")(organisation=organisation, user=user):
        for item in result or []:
            if isinstance(item, dict) and item.get("label"):
                rows.append(
                    _row(str(item["label"]), item.get("href"), item.get("due"), str(item.get("kind") or ""))
                )
    return sorted(rows, key=lambda r: (r["due"] is None, str(r["due"] or "")))


def today_sections(organisation, user) -> list[dict[str, Any]]:
    """The Today page's sections: ``{"key", "title", "rows", "empty"}``, those the user may see."""
    day = today()
    sections: list[dict[str, Any]] = []
    if not organisation.is_group and can(user, "records.read", organisation):
        sections += [
            {
                "key": "feedback",
                "title": "Feedback overdue",
                "rows": overdue_feedback(day),
                "empty": "No consultation is waiting for overdue feedback.",
            },
            {
                "key": "items",
                "title": "Action plan items past due",
                "rows": overdue_items(day),
                "empty": "No action plan item is past its due date.",
            },
            {
                "key": "recommendations",
                "title": "Recommendations past due",
                "rows": overdue_recommendations(day),
                "empty": "No recommendation is past its due date.",
            },
            {
                "key": "week",
                "title": "Activities this week",
                "rows": this_week(day),
                "empty": "No activities this week.",
            },
        ]
    sections.append(
        {
            "key": "notifications",
            "title": "Notifications",
            "rows": unread_notifications(organisation, user),
            "empty": "You have no unread notifications.",
        }
    )
    extra = plugin_rows(organisation, user)
    if extra:
        sections.append({"key": "plugins", "title": "Also to do", "rows": extra, "empty": ""})
    return sections
