"""Grants to residents' groups: application, assessment, award, payment, monitoring return.

Halton offers start-up, annual and development grants to customers' groups (seed 001). The
applicant is a core governance body of kind ``residents_association``. Rules:
* a group receives a start-up grant once: a second start-up application while one is pending,
  awarded or paid is refused (a refused one frees the group to apply again). The unique
  ``start_up_body_id`` column makes the database refuse a racing duplicate too;
* a grant moves applied → awarded or refused → paid, never backwards;
* the payment is core spend in category ``grants``; the monitoring return falls due
  ``grant_monitoring_return_months`` after the award, and a daily job notifies staff of overdue ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Body, Notification, Spend
from core.services.notifications import least_role
from plugins.street_reps.models import Grant
from plugins.street_reps.services.common import add_months, pounds

GRANT_STATUSES = ("applied", "awarded", "refused", "paid")
GROUP_KIND = "residents_association"


def apply_for(values: dict[str, Any], settings: dict) -> Grant:
    body = db.session.get(Body, values["body_id"])
    if body is None:
        raise ValidationFailed({"body_id": [f"No record with id {values['body_id']} in this organisation."]})
    if body.kind != GROUP_KIND:
        raise ValidationFailed(
            {"body_id": ["Grants are for residents' groups (a body of kind residents_association)."]}
        )
    if values["grant_type"] not in settings["grant_types"]:
        raise ValidationFailed(
            {"grant_type": [f"This organisation offers {', '.join(settings['grant_types'])} grants."]}
        )
    grant = Grant(**values)
    if grant.grant_type == "start_up" and settings["start_up_grant_once_per_group"]:
        earlier = db.session.scalar(select(Grant).where(Grant.start_up_body_id == body.id))
        if earlier is not None:
            raise Conflict(
                f"{body.name} already has a start-up grant ({earlier.status}, applied {earlier.applied_on}); "
                "a group receives a start-up grant only once."
            )
        grant.start_up_body_id = body.id
    try:
        with db.session.begin_nested():
            db.session.add(grant)
    except IntegrityError:
        raise Conflict(f"{body.name} already has a start-up grant; a group receives one only once.") from None
    return grant


def decide(grant: Grant, values: dict[str, Any], settings: dict) -> Grant:
    """Record the assessment and the decision: award (with the amount) or refuse."""
    if grant.status != "applied":
        raise Conflict(f"This grant was already {grant.status}; a decision is made once.")
    decided_on = values.get("decided_on") or plugin_kit.today()
    if decided_on < grant.applied_on:
        raise ValidationFailed({"decided_on": ["Cannot be before the application."]})
    grant.assessment = values["assessment"]
    grant.assessed_on = decided_on
    if values["decision"] == "refuse":
        grant.status = "refused"
        grant.start_up_body_id = None
        return grant
    amount = values.get("awarded_pence")
    if amount is None:
        raise ValidationFailed({"awarded_pence": ["Give the amount awarded."]})
    if amount > grant.requested_pence:
        raise ValidationFailed(
            {"awarded_pence": [f"Cannot be more than the {pounds(grant.requested_pence)} asked for."]}
        )
    grant.status = "awarded"
    grant.awarded_pence = amount
    grant.awarded_on = decided_on
    grant.monitoring_due_on = add_months(decided_on, settings["grant_monitoring_return_months"])
    return grant


def pay(grant: Grant, paid_on: date) -> Grant:
    """Pay an awarded grant: the payment is written to core spend, category grants."""
    if grant.status != "awarded":
        raise Conflict(f"Only an awarded grant can be paid; this one is {grant.status}.")
    if paid_on < grant.awarded_on:
        raise ValidationFailed({"paid_on": ["Cannot be before the award."]})
    body = db.session.get(Body, grant.body_id)
    spend = Spend(
        spent_on=paid_on,
        category="grants",
        amount_pence=grant.awarded_pence,
        description=f"{grant.grant_type.replace('_', '-')} grant to {body.name}"[:500],
    )
    db.session.add(spend)
    db.session.flush()
    grant.spend_id = spend.id
    grant.paid_on = paid_on
    grant.status = "paid"
    return grant


def receive_monitoring(grant: Grant, received_on: date, notes: str | None) -> Grant:
    if grant.status not in ("awarded", "paid"):
        raise Conflict("A monitoring return is due only on an awarded grant.")
    if received_on < grant.awarded_on:
        raise ValidationFailed({"received_on": ["Cannot be before the award."]})
    grant.monitoring_received_on = received_on
    grant.monitoring_notes = notes
    return grant


def monitoring_overdue(day: date):
    return and_(
        Grant.status.in_(("awarded", "paid")),
        Grant.monitoring_due_on < day,
        Grant.monitoring_received_on.is_(None),
    )


def flag_overdue_monitoring(day: date) -> int:
    """Notify the officers who own grants once per overdue monitoring return (keyed by grant and
    due date). The message is addressed to the least role allowed to manage grants
    (``street_reps.grants``), so every officer with that role or a higher one sees it."""
    overdue = db.session.execute(
        select(Grant, Body.name).join(Body, Body.id == Grant.body_id).where(monitoring_overdue(day))
    ).all()
    known = set(
        db.session.scalars(
            select(Notification.key).where(Notification.key.like("street_reps:grant-monitoring:%"))
        )
    )
    officers = least_role("street_reps.grants")
    added = 0
    for grant, group in overdue:
        key = f"street_reps:grant-monitoring:{grant.id}:{grant.monitoring_due_on.isoformat()}"
        if key in known:
            continue
        db.session.add(
            Notification(
                key=key,
                role=officers,
                subject=f"Grant monitoring return overdue: {group}"[:300],
                body=(
                    f"The monitoring return for the {grant.grant_type.replace('_', '-')} grant to {group} "
                    f"was due on {grant.monitoring_due_on:%d %B %Y} and has not arrived."
                ),
                link=f"/api/v1/orgs/{_slug()}/plugins/street_reps/grants/{grant.id}",
            )
        )
        added += 1
    db.session.flush()
    return added


def _slug() -> str:
    from core.models import Organisation
    from core.tenancy import current_org_id

    return db.session.get(Organisation, current_org_id()).slug


def flag_overdue_monitoring_job(organisation, today: str | None = None) -> int:
    """Job body (``street_reps.flag_overdue_monitoring``), run daily; ``today`` for re-runs and tests."""
    from datetime import date as date_type

    return flag_overdue_monitoring(date_type.fromisoformat(today) if today else plugin_kit.today())
