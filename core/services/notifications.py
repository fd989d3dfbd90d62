"""Notifications inside Involve: to one user, or to a role in the organisation.

A notification to a role reaches every member of the organisation whose role is that one or a
higher one (``viewer`` < ``staff`` < ``org_admin``), the same ranking permissions use, so a
message to the officers who may act on something can name the least role that may act
(``notify_role(..., role=least_role("street_reps.grants"))``). Each reader of a message to a role
marks it read for themselves only (``notification_reads``); a message to one user keeps its own
``read_at``. Keys keep repeated jobs idempotent: a key already stored is not stored again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, exists, or_, select

from core.extensions import db
from core.models import Notification, NotificationRead
from core.permissions import ROLE_RANK


def least_role(action: str) -> str:
    """The least role that may perform a named action (the role to notify about it)."""
    from core.permissions import registry

    return registry().get(action).min_role


def roles_up_to(role: str | None) -> list[str]:
    """The roles a user holding ``role`` receives messages for (their own and those below it)."""
    rank = ROLE_RANK.get(role or "", 0)
    return [name for name, value in ROLE_RANK.items() if value <= rank]


def addressed_to(user_id: int, role: str | None):
    """SQL condition: notifications for this user, directly or through their role."""
    return or_(
        Notification.user_id == user_id,
        and_(Notification.user_id.is_(None), Notification.role.in_(roles_up_to(role))),
    )


def _read_by(user_id: int):
    return exists().where(
        NotificationRead.notification_id == Notification.id, NotificationRead.user_id == user_id
    )


def read_condition(user_id: int):
    """SQL condition: the notification is read, as far as this user is concerned."""
    return or_(Notification.read_at.is_not(None), and_(Notification.role.is_not(None), _read_by(user_id)))


def with_read_state(notifications: list[Notification], user_id: int) -> list[Notification]:
    """Set ``seen_at`` on each: when this user read it (a role's message: their own reading)."""
    role_ids = [n.id for n in notifications if n.role is not None and n.user_id is None]
    reads = dict(
        db.session.execute(
            select(NotificationRead.notification_id, NotificationRead.read_at).where(
                NotificationRead.user_id == user_id, NotificationRead.notification_id.in_(role_ids)
            )
        ).all()
    )
    for notification in notifications:
        if notification.id in role_ids:
            notification.seen_at = reads.get(notification.id)
        else:
            notification.seen_at = notification.read_at
    return notifications


def mark_read(notification: Notification, user_id: int) -> Notification:
    """Mark read for this user (idempotent: the first reading time is kept)."""
    now = datetime.now(UTC)
    if notification.user_id is None and notification.role is not None:
        known = db.session.scalar(
            select(NotificationRead.id).where(
                NotificationRead.notification_id == notification.id, NotificationRead.user_id == user_id
            )
        )
        if known is None:
            db.session.add(NotificationRead(notification_id=notification.id, user_id=user_id, read_at=now))
            db.session.flush()
    elif notification.read_at is None:
        notification.read_at = now
    return with_read_state([notification], user_id)[0]


def notify_role(key: str, role: str, subject: str, body: str | None = None, link: str | None = None) -> bool:
    """Store a notification to everyone holding ``role`` (or higher) once per key; True if new."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")
    if db.session.scalar(select(Notification.id).where(Notification.key == key)) is not None:
        return False
    db.session.add(Notification(key=key, role=role, subject=subject[:300], body=body, link=link))
    db.session.flush()
    return True


def notify_users(
    user_ids: list[int], messages: list[tuple[str, str, str | None]], link: str | None = None
) -> int:
    """Store each message ``(key, subject, body)`` for each user once (key ``<key>:<user id>``);
    returns how many were new, so a daily job that runs twice notifies nobody twice."""
    wanted = {
        f"{key}:{user_id}": Notification(
            user_id=user_id, key=f"{key}:{user_id}", subject=subject[:300], body=body, link=link
        )
        for key, subject, body in messages
        for user_id in user_ids
    }
    if not wanted:
        return 0
    existing = set(db.session.scalars(select(Notification.key).where(Notification.key.in_(list(wanted)))))
    new = [notification for key, notification in wanted.items() if key not in existing]
    db.session.add_all(new)
    db.session.flush()
    return len(new)
