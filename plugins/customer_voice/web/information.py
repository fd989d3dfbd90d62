"""Information & Knowledge: the bi-monthly events open to all customers. The year's list (a
financial year, the current one by default), planning the year's schedule, adding an extra event,
one event with its attendance, changing it and marking it held. The forms go through the API's
schemas (``CvScheduleSchema``, ``CvEventSchema``, ``CvEventUpdateSchema``) and ``services.events``,
so a page refuses what the API refuses in the same words. An event's day and start time are typed
in UK time and sent as an ISO datetime with its offset, as on core's activity pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import request, url_for

from core.extensions import db
from core.periods import Period, PeriodError
from core.plugin_kit import LONDON, in_london, today
from core.records import get_or_404
from core.services.involvement import starting_between
from core.web.forms import EmptyForm
from core.web.toolkit import form_payload, permission, render_page, save_form
from plugins.customer_voice.models import InformationEvent
from plugins.customer_voice.schemas import CvEventSchema, CvEventUpdateSchema, CvScheduleSchema
from plugins.customer_voice.services import events
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import EventForm, ScheduleForm, label

DEFAULT_START = time(18, 0)


def moment(day: date | None, at: time | None) -> str | None:
    """A day and time typed in the UK as the API's ISO datetime in UTC (18:00 when no time is
    given). UTC, because SQLite keeps the wall-clock time and drops any other offset."""
    if day is None:
        return None
    return datetime.combine(day, at or DEFAULT_START, tzinfo=LONDON).astimezone(UTC).isoformat()


def _event_page(event) -> str:
    return url_for("plugin_customer_voice_web.information_event", cv_event_id=event.id)


def _year_shown() -> Period:
    try:
        return Period.parse(request.args.get("year", "")[:10])
    except PeriodError:
        return Period.financial_year_of(today())


@web_bp.route("/information-events")
@permission("customer_voice.read")
def information_events():
    """The financial year's I&K events in date order, with attendance."""
    year = _year_shown()
    if year.is_quarter:
        year = Period.financial_year_of(year.start)
    statement = events.event_rows(lambda s: s.where(*starting_between(year.start, year.end)))
    rows = [events.event_dict(*row) for row in db.session.execute(statement)]
    return render_page(
        "customer_voice/information_events.html",
        events=rows,
        year=year,
        previous=year.previous(),
        following=Period.financial_year_of(year.end + timedelta(days=1)),
        in_london=in_london,
        label=label,
    )


@web_bp.route("/information-events/schedule", methods=["GET", "POST"])
@permission("customer_voice.write")
def information_schedule():
    """Plan a financial year's events, one every N months (setting) on the second Wednesday;
    topics fill the places in order. Planning the year again adds only the places not yet planned."""
    form = ScheduleForm()
    if not form.is_submitted():
        form.year.data = request.args.get("year", "")[:10] or Period.financial_year_of(today()).label

    def payload(f: ScheduleForm) -> dict:
        body = form_payload(f, ["year"])
        body["topics"] = [line.strip() for line in (f.topics.data or "").splitlines() if line.strip()]
        return body

    def plan(values: dict) -> dict:
        return events.generate_schedule(events.financial_year(values["year"]), values["topics"])

    done = save_form(
        form,
        CvScheduleSchema(),
        plan,
        payload=payload,
        success=lambda r: f"{r['created']} event(s) planned for {r['year']}.",
        next_url=lambda r: url_for("plugin_customer_voice_web.information_events", year=r["year"]),
    )
    interval = current_settings()["information_event_interval_months"]
    return done or render_page("customer_voice/information_schedule.html", form, interval=interval)


def _event_body(form: EventForm, partial: bool = False) -> dict:
    body = form_payload(form, ["topic", "status"], partial=partial)
    when = moment(form.starts_at.data, form.start_time.data)
    if when is not None or partial:
        body["starts_at"] = when
    return body


@web_bp.route("/information-events/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def information_event_new():
    """Add an extra event outside the schedule."""
    form = EventForm()
    done = save_form(
        form,
        CvEventSchema(),
        events.add_event,
        payload=_event_body,
        success=lambda e: f"Event “{e.topic}” added.",
        next_url=_event_page,
    )
    return done or render_page("customer_voice/information_event_form.html", form, event=None)


@web_bp.route("/information-events/<int:cv_event_id>")
@permission("customer_voice.read")
def information_event(cv_event_id: int):
    """One event: topic, when, status and how many customers attended."""
    event = events.one_event(get_or_404(InformationEvent, cv_event_id, "event"))
    return render_page(
        "customer_voice/information_event.html",
        event=event,
        starts=in_london(event["starts_at"]),
        form=EmptyForm(),
        label=label,
    )


@web_bp.route("/information-events/<int:cv_event_id>/edit", methods=["GET", "POST"])
@permission("customer_voice.write")
def information_event_edit(cv_event_id: int):
    """Set the topic, move the event, or mark it held or cancelled."""
    record = get_or_404(InformationEvent, cv_event_id, "event")
    event = events.one_event(record)
    form = EventForm(data={"topic": event["topic"], "status": event["status"]})
    if not form.is_submitted():
        starts = in_london(event["starts_at"])
        form.starts_at.process(None, starts.date())
        form.start_time.data = starts.time()
    done = save_form(
        form,
        CvEventUpdateSchema(),
        lambda values: events.update_event(record, values),
        payload=lambda f: _event_body(f, partial=True),
        partial=True,
        success="Event updated.",
        next_url=_event_page(record),
    )
    return done or render_page("customer_voice/information_event_form.html", form, event=event)


@web_bp.route("/information-events/<int:cv_event_id>/held", methods=["POST"])
@permission("customer_voice.write")
def information_event_held(cv_event_id: int):
    """Mark the event held (one button on its page)."""
    record = get_or_404(InformationEvent, cv_event_id, "event")
    form = EmptyForm()
    done = save_form(
        form,
        CvEventUpdateSchema(),
        lambda values: events.update_event(record, values),
        payload=lambda f: {"status": "held"},
        partial=True,
        success="Event marked as held.",
        next_url=_event_page(record),
    )
    if done:
        return done
    event = events.one_event(record)
    return render_page(
        "customer_voice/information_event.html",
        form,
        event=event,
        starts=in_london(event["starts_at"]),
        label=label,
    )
