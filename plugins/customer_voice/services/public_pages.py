"""What the Customer Voice public pages publish: the Community Engagement Forums (name, management
area, description, how many seats are filled and whether the chair is, and their meetings staff
marked public) and the upcoming Information & Knowledge events (public activities, with topic and
venue). Members are counted, never named: no seat records a consent to be named in public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core import plugin_kit
from core.extensions import db
from core.models import Activity, BodyMembership
from core.services import public_site
from core.services.public_site import PublicEvent
from plugins.customer_voice.models import InformationEvent
from plugins.customer_voice.services.forums import forum_rows

MEETINGS_SHOWN = 3


@dataclass
class PublicForum:
    name: str
    area_name: str | None
    description: str | None
    members: int
    has_chair: bool
    meetings: list[PublicEvent] = field(default_factory=list)


def _upcoming(now: datetime, condition) -> list[PublicEvent]:
    """Public, not cancelled activities matching ``condition`` from today (London) for a year."""
    start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    query = (
        public_site._public_events_query()
        .where(
            condition,
            Activity.starts_at >= start_of_today,
            Activity.starts_at <= now + timedelta(days=public_site.EVENTS_AHEAD_DAYS),
        )
        .order_by(Activity.starts_at, Activity.id)
    )
    return [public_site._event(*row) for row in db.session.execute(query)]


def _chaired_bodies(body_ids: list[int]) -> set[int]:
    today = plugin_kit.today()
    return set(
        db.session.scalars(
            select(BodyMembership.body_id)
            .where(
                BodyMembership.body_id.in_(body_ids),
                BodyMembership.role == "chair",
                BodyMembership.starts_on <= today,
                (BodyMembership.ends_on.is_(None)) | (BodyMembership.ends_on >= today),
            )
            .group_by(BodyMembership.body_id)
            .having(func.count(BodyMembership.id) > 0)
        )
    )


def public_forums(now: datetime) -> list[PublicForum]:
    """Every forum in slot order with its next public meetings."""
    rows = forum_rows()
    body_ids = [row["body_id"] for row in rows]
    chaired = _chaired_bodies(body_ids)
    meetings: dict[int, list[PublicEvent]] = {body_id: [] for body_id in body_ids}
    if body_ids:
        upcoming = _upcoming(now, Activity.body_id.in_(body_ids))
        ids = [event.id for event in upcoming]
        body_of = dict(
            db.session.execute(select(Activity.id, Activity.body_id).where(Activity.id.in_(ids))).all()
        )
        for event in upcoming:
            meetings[body_of[event.id]].append(event)
    return [
        PublicForum(
            name=row["name"],
            area_name=row["area_name"],
            description=row["description"],
            members=row["current_members"],
            has_chair=row["body_id"] in chaired,
            meetings=meetings[row["body_id"]][:MEETINGS_SHOWN],
        )
        for row in rows
    ]


def information_events(now: datetime) -> list[tuple[PublicEvent, str]]:
    """(event, topic) of the upcoming public Information & Knowledge events, soonest first."""
    topics = dict(db.session.execute(select(InformationEvent.activity_id, InformationEvent.topic)).all())
    events = _upcoming(now, Activity.id.in_(select(InformationEvent.activity_id)))
    return [(event, topics.get(event.id, event.title)) for event in events]
