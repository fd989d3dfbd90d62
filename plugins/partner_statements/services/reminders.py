"""The daily reminders of a partner's yearly duties: its Customer First self-assessment (seed 7.2)
and its published Impact Assessment (seed 5.4, 12.1).

The group sets how often each is due (``standard_assessment_interval_months`` and
``impact_assessment_interval_months``, 12 by default); a partner follows its group's figures, a
landlord outside a group its own. A duty falls due that many months after it was last done: the
latest rating saved against the standard, the latest impact assessment published. One that was
never done is due at once. From ``REMIND_DAYS_BEFORE`` days before the due date, the daily job
notifies the organisation's active administrators; notifications are keyed by duty, due date and
user, so running the job again adds nothing. A group does not assess itself, so it gets none.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from core import plugin_kit
from core.extensions import db
from core.models import ImpactAssessment, Membership, User
from core.services.consultations import add_months
from core.services.notifications import notify_users
from plugins.partner_statements.models import StandardAssessment
from plugins.partner_statements.services.common import group_of, group_settings, settings_of

REMIND_DAYS_BEFORE = 30


def intervals(organisation) -> dict[str, int]:
    """Months between self-assessments and between impact assessments, from the group if any."""
    group = group_of(organisation)
    source = group_settings(group) if group is not None else settings_of(organisation)
    return {
        "standard": source["standard_assessment_interval_months"],
        "impact": source["impact_assessment_interval_months"],
    }


def _due(last: date | None, months: int, today: date) -> dict[str, Any]:
    due_on = add_months(last, months) if last is not None else today
    return {
        "last_done_on": last,
        "due_on": due_on,
        "overdue": due_on < today,
        "remind": due_on - timedelta(days=REMIND_DAYS_BEFORE) <= today,
    }


def duties(organisation, today: date) -> dict[str, dict[str, Any]]:
    """When the self-assessment and the impact assessment were last done and fall due next."""
    months = intervals(organisation)
    last_rating = db.session.scalar(select(func.max(StandardAssessment.assessed_on)))
    last_published = db.session.scalar(
        select(func.max(ImpactAssessment.published_at)).where(ImpactAssessment.status == "published")
    )
    return {
        "standard": {**_due(last_rating, months["standard"], today), "interval_months": months["standard"]},
        "impact": {
            **_due(last_published.date() if last_published else None, months["impact"], today),
            "interval_months": months["impact"],
        },
    }


WORDS = {
    "standard": ("Customer First self-assessment", "Rate each commitment of the Customer First Standard"),
    "impact": ("Impact Assessment", "Publish the yearly Impact Assessment and report it to residents"),
}


def _message(kind: str, duty: dict[str, Any]) -> tuple[str, str, str]:
    name, what = WORDS[kind]
    due_on = duty["due_on"]
    if duty["last_done_on"] is None:
        subject = f"No {name} recorded yet: it is due now"
    elif duty["overdue"]:
        subject = f"{name} overdue since {due_on:%d %B %Y}"
    else:
        subject = f"{name} due by {due_on:%d %B %Y}"
    body = f"{what}: due every {duty['interval_months']} months, set by the group."
    return f"partner_statements:{kind}:{due_on.isoformat()}", subject, body


def send_reminders(organisation, today: date) -> int:
    """Notify each active administrator of a duty due within the reminder window (idempotent)."""
    if organisation.is_group:
        return 0
    due = duties(organisation, today)
    messages = [_message(kind, duty) for kind, duty in due.items() if duty["remind"]]
    if not messages:
        return 0
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
    return notify_users(admins, messages, link=f"/o/{organisation.slug}/plugins/partner_statements/")


def remind_duties(organisation, today: str | None = None) -> int:
    """Job body (daily). ``today`` (ISO date) is for tests and re-runs of a missed day."""
    return send_reminders(organisation, date.fromisoformat(today) if today else plugin_kit.today())
