"""The one public toolkit plugins use to reach core: their own settings, today and now in
Europe/London, periods and percentages, spreadsheet-safe CSV/XLSX cells and responses, and
iCalendar feeds. Everything here is stable API; a plugin importing anything else from core is
reaching into internals that may change. See ``docs/plugin-kit.md``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response

from core.periods import Period, PeriodError

__all__ = [
    "LONDON",
    "CalendarEvent",
    "Period",
    "PeriodError",
    "calendar_response",
    "csv_response",
    "csv_text",
    "icalendar_feed",
    "in_london",
    "now",
    "percent",
    "plugin_settings",
    "plugin_settings_by_organisation",
    "save_plugin_settings",
    "stored_plugin_settings",
    "spreadsheet_safe",
    "today",
    "utc",
]

LONDON = ZoneInfo("Europe/London")

# -- settings -----------------------------------------------------------------------------------


def plugin_settings(plugin_name: str, organisation_id: int | None = None) -> dict[str, Any]:
    """The plugin's settings for the organisation in scope (or ``organisation_id``), validated by
    the schema the plugin registered (``register_settings_schema``), so every default is filled in.

    ``plugin_settings("street_reps")`` → ``{"walkabout_timetable_public": True, ...}``. Reading
    another organisation's settings (a group's, from a partner) must happen inside the audited
    ``group_read_scope`` that names it.
    """
    from flask import current_app

    raw = stored_plugin_settings(plugin_name, organisation_id)
    return current_app.extensions["involve"].plugins.get(plugin_name).load_settings(raw)


def stored_plugin_settings(plugin_name: str, organisation_id: int | None = None) -> dict[str, Any]:
    """The settings as stored, without defaults (e.g. to compare a change with what was saved)."""
    from core.services.plugin_state import plugin_settings as stored
    from core.tenancy import current_org_id

    return stored(organisation_id if organisation_id is not None else current_org_id(), plugin_name)


def plugin_settings_by_organisation(plugin_name: str) -> dict[int, dict[str, Any]]:
    """Organisation id → the plugin's settings (defaults filled in) for every organisation the
    scope open now can read and that has settings stored: inside a group's ``group_read_scope``
    naming its partners, each partner's. One query, whatever the number of organisations."""
    from flask import current_app
    from sqlalchemy import select

    from core.extensions import db
    from core.models import OrganisationPlugin

    info = current_app.extensions["involve"].plugins.get(plugin_name)
    rows = db.session.execute(
        select(OrganisationPlugin.organisation_id, OrganisationPlugin.settings).where(
            OrganisationPlugin.plugin_name == plugin_name
        )
    ).all()
    return {org_id: info.load_settings(raw) for org_id, raw in rows}


def save_plugin_settings(
    plugin_name: str, changes: dict[str, Any], organisation_id: int | None = None
) -> dict[str, Any]:
    """Change some of the plugin's settings for the organisation in scope (or ``organisation_id``)
    and return them with defaults. The stored settings with ``changes`` applied are checked as any
    change is (the plugin's schema, then its ``validate_plugin_settings``: ``ValidationFailed``
    naming ``settings.<key>``); the plugin stays enabled or disabled as it was. Never commits."""
    from flask import current_app

    from core.extensions import db
    from core.models import Organisation, OrganisationPlugin
    from core.models.base import utcnow
    from core.services.plugin_state import plugin_row, validated_settings
    from core.tenancy import current_org_id

    organisation = db.session.get(Organisation, organisation_id or current_org_id())
    merged = {**stored_plugin_settings(plugin_name, organisation.id), **changes}
    registry = current_app.extensions["involve"].plugins
    clean = validated_settings(registry, organisation, plugin_name, merged)
    row = plugin_row(organisation, plugin_name)
    if row is None:
        row = OrganisationPlugin(organisation_id=organisation.id, plugin_name=plugin_name, enabled=False)
        db.session.add(row)
    row.settings, row.updated_at = clean, utcnow()
    db.session.flush()
    return clean


# -- dates and times ----------------------------------------------------------------------------


def N_(text: str) -> str:  # noqa: N802  (the usual name of a gettext marker)
    """Mark ``text`` for the residents' site's translations without translating it here.

    A public page's title is its view's first docstring line; the residents' site lists it and
    translates it where it is shown, so the plugin lists its titles once with this marker
    (``PAGE_TITLES = (plugin_kit.N_("…"),)``) for ``pybabel extract`` to find them."""
    return text


def now() -> datetime:
    """The current instant, as an aware datetime in Europe/London (BST in summer, GMT in winter)."""
    return datetime.now(LONDON)


def today() -> date:
    """Today's date for a UK landlord: the calendar day in London, which in summer starts at
    23:00 UTC the evening before (never ``date.today()``, the server's own zone)."""
    return now().date()


def utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime; a naive value (SQLite hands those back) is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def in_london(moment: datetime) -> datetime:
    """``moment`` as London wall-clock time (naive values are read as UTC)."""
    return utc(moment).astimezone(LONDON)


# -- numbers ------------------------------------------------------------------------------------


def percent(
    numerator: int | Decimal | None, denominator: int | Decimal | None, places: int = 1
) -> float | None:
    """numerator ÷ denominator × 100, rounded half up to ``places`` decimals; None when there is
    nothing to divide by (a missing or zero denominator); a missing numerator counts as 0."""
    if not denominator:
        return None
    exponent = Decimal(1).scaleb(-places)
    value = (Decimal(numerator or 0) * 100 / Decimal(denominator)).quantize(exponent, rounding=ROUND_HALF_UP)
    return float(value)


# -- CSV and XLSX -------------------------------------------------------------------------------

# A spreadsheet opening a cell that starts with one of these may run it as a formula (OWASP "CSV
# injection"); tab and carriage return can hide the formula behind leading white space.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV or XLSX cell that no spreadsheet will run: text starting with ``= + - @``, tab or
    carriage return gets a leading apostrophe; numbers (negative ones too) and other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[Any] | None, rows: Iterable[Sequence[Any]]) -> str:
    """CSV (CRLF line ends, RFC 4180) with every cell neutralised; ``None`` is an empty cell.
    An empty row (``[]``) separates blocks."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow([_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    return "" if value is None else spreadsheet_safe(value)


def csv_response(
    filename: str, header: Sequence[Any] | None = None, rows: Iterable[Sequence[Any]] = ()
) -> Response:
    """A ``text/csv; charset=utf-8`` download named ``filename``, built with :func:`csv_text`."""
    response = Response(csv_text(header, rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- iCalendar ----------------------------------------------------------------------------------

DEFAULT_EVENT_LENGTH = timedelta(hours=2)
# UIDs name the product, never the host the feed was fetched through: a calendar that subscribed
# through one host name must see the same events, not duplicates, through another.
UID_DOMAIN = "involve.calendar"


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a feed. ``key`` names the record for good and is unique on the instance
    (e.g. ``walkabout-<organisation slug>-12``); the UID is ``<key>@involve.calendar``.
    ``starts_at``/``ends_at`` are instants (naive values are read as UTC)."""

    key: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    location: str | None = None
    description: str | None = None


def icalendar_feed(
    calendar_name: str,
    events: Iterable[CalendarEvent],
    product: str = "Involve",
    stamp: datetime | None = None,
) -> bytes:
    """An RFC 5545 calendar built by the ``icalendar`` library: times in Europe/London with the
    VTIMEZONE included, one stable UID per event (``<key>@involve.calendar``); ``stamp`` (default
    now) is every event's DTSTAMP."""
    from icalendar import Calendar, Event, Timezone

    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//Involve//{product}//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", "Europe/London")
    listed = list(events)
    if listed:
        first = min(utc(e.starts_at) for e in listed)
        last = max(utc(e.ends_at or e.starts_at + DEFAULT_EVENT_LENGTH) for e in listed)
        zone = Timezone.from_tzinfo(
            LONDON, tzid="Europe/London", first_date=first.date() - timedelta(days=1), last_date=last.date()
        )
        calendar.add_component(zone)
    stamp = utc(stamp or datetime.now(UTC))
    for item in listed:
        event = Event()
        event.add("uid", f"{item.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", in_london(item.starts_at))
        event.add("dtend", in_london(item.ends_at or item.starts_at + DEFAULT_EVENT_LENGTH))
        event.add("summary", item.title)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_response(body: bytes, filename: str) -> Response:
    """A ``text/calendar`` response residents can subscribe to."""
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def signed_in_resident():
    """The participant signed in to a resident account on this request (``plugin_<name>_resident``
    pages always have one: core sends anyone else to the landlord's sign-in page)."""
    from flask import g

    return g.get("resident")
