"""Demo records for Your Voice: members, a year and a bit of Your Voice activities, points, a conversion.

Built on the core demo (its participants and Scrutiny Panel); adds a Service Voice, the Your Voice
activities of the last fourteen months, members with their choices, awards through the same ledger
code the hooks use, a few contribution awards, and the conversion of the last full scheme year.
Deterministic for an organisation (``random.Random(slug)``); does nothing if members exist.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Activity, Body, Opportunity, Participant, Participation
from plugins.reward_points.conversion import convert_scheme_year
from plugins.reward_points.ledger import ManualEntry, record_manual_entry, settle_all_participations
from plugins.reward_points.models import RewardMember
from plugins.reward_points.settings import SchemeYears

CONTRIBUTIONS = (
    "Led the discussion of the repairs complaints review",
    "Brought residents' photos of the damp problem to the panel",
    "Ran the children's corner at the open event",
    "Summarised the survey comments for the Service Voice",
)


def load_demo(organisation, settings) -> None:
    if db.session.scalar(select(RewardMember.id).limit(1)) is not None:
        return
    people = db.session.scalars(
        select(Participant).where(Participant.erased_at.is_(None)).order_by(Participant.id)
    ).all()
    if len(people) < 8:
        return
    _DemoScheme(organisation, settings, people).build()


class _DemoScheme:
    def __init__(self, organisation, settings, people):
        self.org, self.settings, self.people = organisation, settings, people
        self.rng = random.Random(organisation.slug)
        self.today = plugin_kit.today()
        self.years = SchemeYears.of(settings)

    def add(self, record):
        db.session.add(record)
        db.session.flush()
        return record

    def at(self, day: date, hour: int = 18) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=UTC)

    def build(self) -> None:
        panel = db.session.scalar(select(Body).where(Body.kind == "scrutiny_panel").order_by(Body.id))
        if panel is None:
            panel = self.add(Body(name="Customer Scrutiny Panel", kind="scrutiny_panel", seats_total=10))
        voice = self.add(Body(name="Repairs Service Voice", kind="panel", seats_total=8))
        members = self.members()
        panel_people, voice_people = members[:6], members[4:10]
        self.series("Customer Scrutiny Panel meeting", "meeting", panel, panel_people, every=30, count=14)
        self.series("Repairs Service Voice meeting", "meeting", voice, voice_people, every=60, count=7)
        everyone = [m for m in members] + self.people[len(members) : len(members) + 6]
        self.series("Your Voice open event", "event", None, everyone, every=90, count=5, hour=11, take=10)
        self.series(
            "Estate inspection by customer monitors", "inspection", None, members[8:], every=75, count=6
        )
        settle_all_participations()
        self.contributions(members)
        last_year = self.years.year_of(self.today) - 1
        if self.today > self.years.end(last_year):
            convert_scheme_year(last_year, on=self.years.end(last_year) + timedelta(days=7), commit=False)

    def members(self) -> list[Participant]:
        chosen = self.people[: min(len(self.people), 14)]
        retailers, charities = self.settings["retailers"], self.settings["charities"]
        for n, person in enumerate(chosen):
            donate = bool(charities) and "charity_donation" in self.settings["reward_choices"] and n % 5 == 4
            self.add(
                RewardMember(
                    participant_id=person.id,
                    joined_on=self.today - timedelta(days=430 + 7 * n),
                    left_on=self.today - timedelta(days=40) if n == 13 else None,
                    reward_choice="charity_donation" if donate else "shopping_voucher",
                    retailer=None if donate or not retailers else retailers[n % len(retailers)],
                    charity=charities[n % len(charities)] if donate else None,
                )
            )
        return chosen

    def series(self, title, kind, body, people, *, every, count, hour=18, take=None) -> None:
        opportunity = self.add(
            Opportunity(
                name=f"Your Voice: {title.split(' meeting')[0]}",
                level="consulted" if kind == "event" else "involved",
                formal=body is not None,
                channel="face_to_face",
            )
        )
        for k in range(count):
            day = self.today - timedelta(days=10 + every * k)
            activity = self.add(
                Activity(
                    title=f"{title} {count - k}",
                    kind=kind,
                    status="held",
                    starts_at=self.at(day, hour),
                    body_id=body.id if body is not None else None,
                    opportunity_id=opportunity.id,
                    cost_pence=2500 if kind == "meeting" else 15000,
                )
            )
            attending = self.rng.sample(people, min(take, len(people))) if take else people
            for n, person in enumerate(attending):
                self.add(
                    Participation(
                        activity_id=activity.id,
                        participant_id=person.id,
                        role="chair" if body is not None and n == 0 else ("member" if body else "attendee"),
                        attended=self.rng.random() < 0.85,
                        hours=2,
                    )
                )

    def contributions(self, members) -> None:
        if not self.settings["contribution_awards"]:
            return
        from plugins.reward_points.ledger import OCCASION_KINDS, activity_day
        from plugins.reward_points.settings import contribution_maximum

        for n, person in enumerate(members[:4]):
            member = db.session.scalar(select(RewardMember).where(RewardMember.participant_id == person.id))
            applies_to = "open_event" if n == 2 else "meeting"
            # Points for input go to someone who was there: the latest such occasion they attended.
            attended = db.session.scalar(
                select(Activity)
                .join(Participation, Participation.activity_id == Activity.id)
                .where(
                    Participation.participant_id == person.id,
                    Participation.attended.is_(True),
                    Activity.kind == OCCASION_KINDS[applies_to],
                    Activity.status == "held",
                )
                .order_by(Activity.starts_at.desc(), Activity.id.desc())
                .offset(n % 2)
                .limit(1)
            )
            if attended is None:
                continue
            day = activity_day(attended)
            maximum = contribution_maximum(self.settings, applies_to, day)
            if maximum is None or not member.is_member_on(day):
                continue
            record_manual_entry(
                ManualEntry(
                    member_id=member.id,
                    kind="contribution",
                    points=min(maximum, 5 + n),
                    reason=CONTRIBUTIONS[n],
                    idempotency_key=f"demo-contribution-{n}",
                    occurred_on=day,
                    applies_to=applies_to,
                    activity_id=attended.id,
                ),
                user_id=None,
            )
