"""Demo records for the Customer Voice model (``flask --app wsgi demo``), built on the core demo year.

Idempotent: an organisation that already has feedback items is left alone. Deterministic: seeded by
the organisation's slug. Dates are relative to today and span the last year. Every forum covers a
management area and has residents of that area on it, and the approach review is a recent one
(``demo_forums``).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Activity, Area, Body, BodyMembership, Participant, Participation
from core.periods import Period
from plugins.customer_voice import demo_forums
from plugins.customer_voice.models import ChainProject, Challenge, FeedbackItem, Forum, ScrutinyReview
from plugins.customer_voice.services import events, forums, projects, standards

SUMMARIES = {
    "positive": ["Repair done first time", "Friendly caretaker", "Estate looks tidy"],
    "neutral": ["Asked about the rent statement", "Query about parking permits"],
    "negative": ["Appointment missed", "Fly-tipping not cleared", "Slow reply to email"],
}


def load(organisation, settings) -> None:
    today = plugin_kit.today()
    # Before the early return: re-running the demo re-syncs the configuration's 2018 review.
    settings = demo_forums.review_up_to_date(settings, today)
    if db.session.scalar(select(FeedbackItem.id).limit(1)) is not None:
        return
    rng = random.Random(organisation.slug)
    forums.ensure_structures(settings)
    _link_forums()
    demo_forums.give_every_forum_an_area()
    members = demo_forums.seat_residents(rng, organisation, today)
    areas = db.session.scalars(select(Area.id).where(Area.kind == "management_area")).all()
    people = db.session.scalars(select(Participant.id).order_by(Participant.id)).all()
    channels, services = settings["listening_channels"], settings["service_areas"]
    for n in range(160):
        sentiment = rng.choice(["positive", "neutral", "negative", "negative"])
        db.session.add(
            FeedbackItem(
                reference=f"CV{n:04d}",
                channel=rng.choice(channels),
                received_on=today - timedelta(days=rng.randint(0, 360)),
                service_area=rng.choice(services),
                area_id=rng.choice(areas) if areas else None,
                sentiment=sentiment,
                summary=rng.choice(SUMMARIES[sentiment]),
            )
        )
    for forum in db.session.scalars(select(Forum).order_by(Forum.slot)):
        body = db.session.get(Body, forum.body_id)
        for months_ago in (9, 6, 3):
            meeting = Activity(
                title=f"{body.name} meeting",
                kind="meeting",
                body_id=body.id,
                status="held",
                starts_at=datetime.combine(today - timedelta(days=30 * months_ago), time(18), tzinfo=UTC),
            )
            db.session.add(meeting)
            db.session.flush()
            for person in members.get(body.id) or rng.sample(people, min(6, len(people))):
                db.session.add(
                    Participation(activity_id=meeting.id, participant_id=person, attended=rng.random() > 0.2)
                )
        forums.save_challenge(
            Challenge(forum_id=forum.id),
            {
                "service_area": "repairs",
                "title": "Repairs appointments missed",
                "raised_on": today - timedelta(days=80),
                "response": "Text reminders the day before each appointment.",
            },
        )
    year = Period.financial_year_of(today)
    events.generate_schedule(year, ["Repairs and maintenance", "Damp and mould", "Rent and welfare reform"])
    project = projects.save_project(
        ChainProject(),
        {
            "title": "Void standard",
            "scope_type": "policy",
            "scope": "The lettable standard for empty homes",
            "starts_on": today - timedelta(days=150),
            "planned_end_on": today - timedelta(days=20),
        },
    )
    for person in people[:4]:
        db.session.add(
            BodyMembership(
                body_id=project.body_id,
                participant_id=person,
                seat_type="resident",
                starts_on=project.starts_on,
            )
        )
    review = projects.save_review(
        ScrutinyReview(),
        {
            "topic": "Complaints handling",
            "scope": "How stage 1 complaints are answered",
            "service_area": "customer_service",
            "starts_on": today - timedelta(days=200),
            "report_published_on": today - timedelta(days=60),
            "report_summary": "Replies are late and unclear.",
            "status": "board_response",
        },
    )
    first = projects.add_review_recommendation(review, {"title": "Reply within 10 working days"})
    projects.add_review_recommendation(review, {"title": "Plain-English reply template"})
    link = projects.ReviewRecommendation
    projects.respond(
        review,
        db.session.scalar(select(link).where(link.recommendation_id == first["id"])),
        {"response": "accepted", "responded_on": today - timedelta(days=30)},
    )
    criteria = settings["rate_your_estate_criteria"]
    estates = db.session.scalars(select(Area.id).where(Area.kind.in_(events.RATEABLE))).all()
    if criteria and estates:
        for visit in range(8):
            events.record_rating(
                {
                    "area_id": estates[visit % len(estates)],
                    "participant_id": people[visit] if people else None,
                    "visited_on": today - timedelta(days=40 * visit + 5),
                    "scores": {c: rng.randint(2, 5) for c in criteria},
                }
            )
    if settings["volunteering_roles"]:
        session = events.add_session(
            {
                "role": settings["volunteering_roles"][-1],
                "title": "Community clean up",
                "starts_at": datetime.combine(today - timedelta(days=45), time(10), tzinfo=UTC),
                "status": "held",
            }
        )
        for person in people[:5]:
            db.session.add(
                Participation(
                    activity_id=session.activity_id, participant_id=person, role="volunteer", hours=3
                )
            )
    standards.create_report(None, today)
    db.session.flush()


def _link_forums() -> None:
    """Forums created before the demo's areas existed are linked to areas with no forum yet."""
    linked = set(db.session.scalars(select(Body.area_id).join(Forum, Forum.body_id == Body.id)))
    free = [
        a
        for a in db.session.scalars(select(Area).where(Area.kind == "management_area").order_by(Area.id))
        if a.id not in linked
    ]
    for forum in db.session.scalars(select(Forum).order_by(Forum.slot)):
        body = db.session.get(Body, forum.body_id)
        if body.area_id is None and free:
            area = free.pop(0)
            body.area_id = area.id
            body.name = f"{area.name} Community Engagement Forum"
    db.session.flush()
