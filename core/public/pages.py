"""The residents' site's reading pages: a landlord's home, "you said, we did", events and their
calendar feed, and how the landlord is doing against its targets. Read-only; every query comes from
``core.services.public_site`` and shows only what is published."""

from __future__ import annotations

from flask import g, render_template, request

from core import plugin_kit
from core.periods import Period
from core.plugin_kit import CalendarEvent, calendar_response, icalendar_feed
from core.public import plugin_pages, public
from core.services import public_site

HOME_ITEMS = 3


@public.route("/")
def home():
    """A landlord's home: what is on, how to have a say and get involved, the latest feedback."""
    organisation = g.organisation
    today = plugin_kit.today()
    return render_template(
        "public/home.html",
        consultations=public_site.open_consultations(today)[:HOME_ITEMS],
        feedback=public_site.published_feedback(today)[:HOME_ITEMS],
        events=public_site.upcoming_events(plugin_kit.now(), limit=HOME_ITEMS),
        plugin_pages=plugin_pages(organisation),
        partners=[p for p in organisation.partners() if p.is_active],
        parent=organisation.parent(),
    )


@public.route("/you-said-we-did")
def feedback():
    """Every published "you said, we did", newest first, filterable by topic and by area."""
    today = plugin_kit.today()
    topics = public_site.feedback_topics(today)
    topic = request.args.get("topic") or None
    if topic not in topics:
        topic = None
    areas = public_site.feedback_areas(today)
    # Only an area offered in the filter counts; anything else (another landlord's) shows everything.
    chosen = request.args.get("area", "")
    area_id = next((area for area, _name in areas if str(area) == chosen), None)
    return render_template(
        "public/feedback.html",
        consultations=public_site.published_feedback(today, topic, area_id),
        topics=topics,
        topic=topic,
        areas=areas,
        area_id=area_id,
    )


@public.route("/events")
def events():
    return render_template("public/events.html", events=public_site.upcoming_events(plugin_kit.now()))


@public.route("/events/<int:activity_id>")
def event(activity_id):
    return render_template("public/event.html", event=public_site.public_event(activity_id))


@public.route("/events.ics")
def events_feed():
    """Every upcoming public event as one iCalendar feed (Europe/London)."""
    organisation = g.organisation
    events = [
        CalendarEvent(
            key=f"activity-{organisation.slug}-{event.id}",
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            location=", ".join(part for part in (event.venue_name, event.venue_address) if part) or None,
            description=event.description,
        )
        for event in public_site.upcoming_events(plugin_kit.now())
    ]
    body = icalendar_feed(f"{organisation.name}: events", events)
    return calendar_response(body, f"{organisation.slug}-events.ics")


@public.route("/how-we-are-doing")
def performance():
    """How the landlord is doing against its targets, in the last full financial year."""
    year = Period.financial_year_of(plugin_kit.today()).previous()
    return render_template(
        "public/performance.html", report=public_site.kpis_against_targets(g.organisation, year), year=year
    )
