"""The audit log of personal records: who created, changed, deleted, exported or erased what, when.

Models marked ``__audited__ = True`` are logged automatically on flush (the names of the changed
fields, never their values, so equality monitoring answers do not leak into the log). Exports and
erasures are logged explicitly by their services. The actor is the signed-in user or the API
token's user of the current request (None for jobs and the command line).
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from core.models.outcomes import AuditEvent
from core.tenancy import OrgOwned


def current_actor_id() -> int | None:
    from flask import g, has_request_context

    if not has_request_context():
        return None
    user = g.get("api_user")
    if user is None:
        from flask_login import current_user

        user = current_user if getattr(current_user, "is_authenticated", False) else None
    return getattr(user, "id", None)


def record(action: str, instance, fields: list[str] | None = None) -> None:
    """Log an action on a record explicitly (exports, erasures)."""
    from core.extensions import db

    db.session.add(AuditEvent(**_row(action, instance, fields)))


def _row(action: str, instance, fields: list[str] | None) -> dict:
    from core.models.base import utcnow

    return {
        "organisation_id": instance.organisation_id,
        "actor_id": current_actor_id(),
        "action": action,
        "record_type": type(instance).__tablename__,
        "record_id": instance.id,
        "fields": ",".join(sorted(fields))[:500] if fields else None,
        "created_at": utcnow(),
    }


def _audited(instance) -> bool:
    return isinstance(instance, OrgOwned) and getattr(type(instance), "__audited__", False)


@event.listens_for(Session, "after_flush")
def _log_changes(session: Session, flush_context) -> None:
    # new/dirty/deleted still describe what was just flushed, with ids assigned.
    rows = []
    for instance in session.new:
        if _audited(instance):
            rows.append(_row("create", instance, None))
    for instance in session.dirty:
        if _audited(instance) and session.is_modified(instance, include_collections=False):
            state = inspect(instance)
            changed = [a.key for a in state.attrs if a.history.has_changes()]
            if changed:
                rows.append(_row("update", instance, changed))
    for instance in session.deleted:
        if _audited(instance):
            rows.append(_row("delete", instance, None))
    if rows:
        # Written on the flush's own connection: adding ORM objects mid-flush is not allowed.
        session.connection().execute(AuditEvent.__table__.insert(), rows)
