"""The walkabout timetable as iCalendar (RFC 5545): CRLF line ends, text escaped, long lines folded
at 75 octets, a stable UID per walkabout and a DTSTAMP on every event; cancelled walkabouts are
left out of the feed (they are not on the published timetable)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

DEFAULT_LENGTH = timedelta(hours=2)


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon, comma escaped; newlines as ``\\n`` (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets, continuations starting with a space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not pieces else 74
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return [pieces[0], *(" " + piece for piece in pieces[1:])]


def _stamp(moment: datetime) -> str:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def walkabout_calendar(organisation, walkabouts: Iterable, host: str, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Involve//Estate walkabouts//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(organisation.name + ' estate walkabouts')}",
    ]
    domain = (host or "involve.invalid").split(":")[0]
    for walkabout in walkabouts:
        ends_at = walkabout.ends_at or walkabout.starts_at + DEFAULT_LENGTH
        agencies = ", ".join(walkabout.agencies or [])
        description = f"Estate walkabout in {getattr(walkabout, 'area_name', None) or 'the area'}."
        if agencies:
            description += f"\nAttending: {agencies}."
        lines += [
            "BEGIN:VEVENT",
            f"UID:walkabout-{organisation.slug}-{walkabout.id}@{domain}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(walkabout.starts_at)}",
            f"DTEND:{_stamp(ends_at)}",
            f"SUMMARY:{escape_text(walkabout.title)}",
            f"LOCATION:{escape_text(walkabout.meeting_point)}",
            f"DESCRIPTION:{escape_text(description)}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    folded = [piece for line in lines for piece in fold(line)]
    return "\r\n".join(folded) + "\r\n"
