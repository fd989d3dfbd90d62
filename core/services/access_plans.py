"""The access plan of an activity: what it must provide so the people registered can take part.

Gentoo (10.3) provides transport and accessible venues, Circle Anglia (13.3–13.6) the right
language and format, accessible places and suitable times, Boston Mayflower (1.3) translation,
Braille and a loop system. From the access needs, formats and language of everyone with a
participation in the activity this lists each provision with how many need it and who, and
compares the venue-related ones with the venue's features (no venue: unknown) and the meeting
time preferences with the activity's local start time. One SQL statement unnests the people's
needs; the rest is arranging its rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal, select, true, union_all

from core.extensions import db
from core.models import Activity, Participant, Participation, Venue
from core.models.vocab import ACCESS_NEEDS
from core.services.involvement import json_elements

LOCAL_TIME = ZoneInfo("Europe/London")
EVENING_FROM_HOUR = 17  # a meeting starting at 17:00 local time or later is an evening meeting

# Access need → the venue feature that meets it.
VENUE_NEEDS = {
    "hearing_loop": "hearing_loop",
    "step_free_access": "step_free_access",
    "accessible_toilet": "accessible_toilet",
}
TIME_NEEDS = ("daytime_meetings", "evening_meetings")
# Format → the papers to prepare ("standard" needs nothing).
FORMAT_PAPERS = {
    "large_print": "large_print_papers",
    "braille": "braille_papers",
    "audio": "audio_papers",
    "easy_read": "easy_read_papers",
}
ENGLISH = {"english", "en", "en-gb", "en_gb", "en-us", "british english"}
# Order of the plan: people first (getting there, communicating), then papers, venue, time.
PLAN_ORDER = (
    "transport",
    "carer_or_assistant",
    "childcare",
    "bsl_interpreter",
    "language_interpreter",
    "translated_papers",
    *FORMAT_PAPERS.values(),
    *VENUE_NEEDS,
    *TIME_NEEDS,
)


def _needs_of_registered(activity_id: int) -> list[tuple[str, str | None, int]]:
    """``(kind, value, participant_id)`` for every access need, format and language of the
    people registered for the activity (erased people hold nothing)."""

    def registered(*columns):
        return (
            select(*columns)
            .select_from(Participation)
            .join(Participant, Participant.id == Participation.participant_id)
            .where(Participation.activity_id == activity_id, Participant.erased_at.is_(None))
        )

    needs = json_elements(Participant.access_needs)
    formats = json_elements(Participant.formats)
    rows = union_all(
        registered(
            literal("need").label("kind"),
            needs.c.value.label("value"),
            Participant.id.label("participant_id"),
        ).join(needs, true()),
        registered(literal("format"), formats.c.value, Participant.id).join(formats, true()),
        registered(literal("language"), Participant.language, Participant.id).where(
            Participant.language.is_not(None)
        ),
    ).subquery()
    statement = select(rows.c.kind, rows.c.value, rows.c.participant_id).distinct()
    return list(db.session.execute(statement.order_by(rows.c.kind, rows.c.value, rows.c.participant_id)))


def _is_english(language: str) -> bool:
    return language.strip().lower() in ENGLISH or language.strip().lower().startswith("english")


def _languages(people: dict[str, set[int]]) -> list[dict]:
    return [
        {"language": language, "count": len(ids), "participant_ids": sorted(ids)}
        for language, ids in sorted(people.items())
    ]


def _is_evening(activity: Activity) -> bool:
    starts_at = activity.starts_at
    if starts_at.tzinfo is None:  # SQLite hands back naive UTC
        starts_at = starts_at.replace(tzinfo=UTC)
    return starts_at.astimezone(LOCAL_TIME).hour >= EVENING_FROM_HOUR


def _status(item: str, venue: Venue | None, evening: bool) -> tuple[str, str | None]:
    if item in VENUE_NEEDS:
        feature = VENUE_NEEDS[item]
        if venue is None:
            return "venue_unknown", feature
        return ("venue_has" if feature in (venue.features or []) else "venue_lacks"), feature
    if item in TIME_NEEDS:
        suits = evening == (item == "evening_meetings")
        return ("time_suits" if suits else "time_clashes"), None
    return "to_arrange", None


def access_plan(activity: Activity, *, with_people: bool = True) -> dict:
    """The plan for one activity; ``with_people=False`` leaves out who needs what (counts only)."""
    registered = db.session.scalar(
        select(func.count(Participation.id)).where(Participation.activity_id == activity.id)
    )
    venue = db.session.get(Venue, activity.venue_id) if activity.venue_id is not None else None
    needed: dict[str, set[int]] = defaultdict(set)
    languages: dict[int, str] = {}
    for kind, value, participant_id in _needs_of_registered(activity.id):
        if kind == "need" and value in ACCESS_NEEDS:
            needed[value].add(participant_id)
        elif kind == "format" and value in FORMAT_PAPERS:
            needed[FORMAT_PAPERS[value]].add(participant_id)
        elif kind == "language" and value and value.strip():
            languages[participant_id] = value.strip()
    interpreted: dict[str, set[int]] = defaultdict(set)
    for participant_id in needed.get("language_interpreter", set()):
        interpreted[languages.get(participant_id, "not recorded")].add(participant_id)
    translated: dict[str, set[int]] = defaultdict(set)
    for participant_id, language in languages.items():
        if not _is_english(language):
            translated[language].add(participant_id)
            needed["translated_papers"].add(participant_id)
    evening = _is_evening(activity)
    provisions = []
    for item in PLAN_ORDER:
        if not needed.get(item):
            continue
        status, feature = _status(item, venue, evening)
        by_language = {"language_interpreter": interpreted, "translated_papers": translated}.get(item)
        provisions.append(
            {
                "item": item,
                "count": len(needed[item]),
                "participant_ids": sorted(needed[item]) if with_people else [],
                "status": status,
                "venue_feature": feature,
                "languages": _languages(by_language) if by_language is not None else None,
            }
        )
    if not with_people:
        for provision in provisions:
            for language in provision["languages"] or []:
                language["participant_ids"] = []
    return {
        "activity_id": activity.id,
        "venue_id": activity.venue_id,
        "registered": registered,
        "provisions": provisions,
        "venue_lacks": [p["item"] for p in provisions if p["status"] == "venue_lacks"],
        "venue_unknown": [p["item"] for p in provisions if p["status"] == "venue_unknown"],
        "time_clashes": [p["item"] for p in provisions if p["status"] == "time_clashes"],
    }
