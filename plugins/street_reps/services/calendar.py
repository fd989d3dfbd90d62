"""The walkabout timetable as an iCalendar feed, built by the plugin kit (the ``icalendar``
library): times in Europe/London, a UID per walkabout that does not depend on the host name the
feed was fetched through, a DTSTAMP on every event. Cancelled walkabouts are left out of the feed
(they are not on the published timetable)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from core.plugin_kit import CalendarEvent, icalendar_feed


def walkabout_events(organisation, walkabouts: Iterable) -> list[CalendarEvent]:
    events = []
    for walkabout in walkabouts:
        agencies = ", ".join(walkabout.agencies or [])
        description = f"Estate walkabout in {getattr(walkabout, 'area_name', None) or 'the area'}."
        if agencies:
            description += f"\nAttending: {agencies}."
        events.append(
            CalendarEvent(
                key=f"walkabout-{organisation.slug}-{walkabout.id}",
                title=walkabout.title,
                starts_at=walkabout.starts_at,
                ends_at=walkabout.ends_at,
                location=walkabout.meeting_point,
                description=description,
            )
        )
    return events


def walkabout_calendar(organisation, walkabouts: Iterable, now: datetime | None = None) -> bytes:
    return icalendar_feed(
        f"{organisation.name} estate walkabouts",
        walkabout_events(organisation, walkabouts),
        product="Estate walkabouts",
        stamp=now,
    )
