"""Demo records: a believable year of involvement for each demo landlord.

Made up (no real people), deterministic (seeded by the organisation's slug) and added once: an
organisation that already has households is left alone, so ``flask demo`` can run again safely.
Each landlord gets areas, households, residents with their involvement preferences, a few
equality monitoring answers and a customer profile, opportunities, a board and a panel with
members, meetings with attendance, events and training, consultations (one with published
feedback, one overdue), an improvement, an action plan and spend for the current financial year.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import (
    ActionPlan,
    ActionPlanItem,
    Activity,
    Area,
    Body,
    BodyMembership,
    Consultation,
    ConsultationFeedback,
    ConsultationResponse,
    CustomerProfileCount,
    EqualityMonitoring,
    Household,
    Improvement,
    Opportunity,
    Participant,
    Participation,
    Recommendation,
    Spend,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    Venue,
)
from core.models.surveys import BUILT_IN_QUESTIONS
from core.periods import Period
from core.services.consultations import add_months
from core.tenancy import organisation_scope

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Carys",
    "Dev",
    "Elaine",
    "Femi",
    "Grace",
    "Harun",
    "Iris",
    "Jack",
    "Kasia",
    "Liam",
    "Maya",
    "Nadia",
    "Owen",
    "Priya",
    "Rory",
    "Sian",
    "Tomasz",
    "Una",
]
LAST_NAMES = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
]
STREETS = ["Ash Grove", "Beech Road", "Cedar Close", "Dale View", "Elm Walk", "Foundry Lane"]
INTERESTS = ["repairs", "anti_social_behaviour", "rents", "estate_services", "energy", "digital"]
AGE_BANDS = ["25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"]


def load_demo_records(organisation) -> bool:
    """Add the demo year to ``organisation``; False if it already has records."""
    with organisation_scope(organisation.id):
        if db.session.scalar(select(Household.id).limit(1)) is not None:
            return False
        _DemoYear(organisation).build()
        return True


class _DemoYear:
    def __init__(self, organisation):
        self.org = organisation
        self.rng = random.Random(organisation.slug)
        self.today = plugin_kit.today()
        self.year = Period.financial_year_of(self.today)

    def add(self, record):
        db.session.add(record)
        db.session.flush()
        return record

    def at(self, day: date, hour: int = 18):
        return datetime.combine(day, time(hour, 0), tzinfo=UTC)

    def build(self) -> None:
        areas = self.areas()
        households = self.households(areas)
        people = self.participants(households)
        self.monitoring(people)
        board, panel = self.bodies(people)
        self.activities(board, panel, people, areas)
        consultation = self.consultations(people)
        self.outcomes(consultation, panel)
        self.survey(people)

    def areas(self) -> list[Area]:
        region = self.add(Area(name=f"{self.org.name} North", kind="management_area"))
        south = self.add(Area(name=f"{self.org.name} South", kind="management_area"))
        return [
            self.add(Area(name="Riverside Estate", kind="estate", parent_id=region.id)),
            self.add(Area(name="Hillcrest", kind="neighbourhood", parent_id=south.id)),
        ]

    def households(self, areas) -> list[Household]:
        tenures = ["general_needs"] * 6 + ["sheltered", "leasehold", "shared_ownership", "supported"]
        rows = []
        for n in range(48):
            street = STREETS[n % len(STREETS)]
            rows.append(
                self.add(
                    Household(
                        reference=f"{self.org.slug[:3].upper()}{1000 + n}",
                        address_lines=[f"{n + 1} {street}"],
                        postcode=f"AB{n % 9 + 1} {n % 7 + 1}CD",
                        area_id=areas[n % len(areas)].id,
                        tenure=self.rng.choice(tenures),
                    )
                )
            )
        return rows

    def participants(self, households) -> list[Participant]:
        levels = ["informed", "consulted", "consulted", "involved", "involved", "decision_making"]
        people = []
        for n in range(28):
            needs = []
            if n % 6 == 0:
                needs.append("hearing_loop")
            if n % 9 == 0:
                needs.append("transport")
            if n % 11 == 0:
                needs.append("step_free_access")
            people.append(
                self.add(
                    Participant(
                        reference=f"P{self.org.id:02d}{n:03d}",
                        first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                        last_name=LAST_NAMES[(n * 7) % len(LAST_NAMES)],
                        household_id=households[n].id,
                        is_tenancy_holder=n % 4 != 3,
                        email=f"resident{n}@example.org" if n % 3 else None,
                        preferred_level=levels[n % len(levels)],
                        channels=["email", "online"] if n % 3 else ["post", "phone"],
                        formats=["large_print"] if n % 7 == 0 else ["standard"],
                        language="Polish" if n % 13 == 0 else None,
                        access_needs=needs,
                        interests=self.rng.sample(INTERESTS, 2),
                        contact_consent=True,
                        consent_given_on=self.today - timedelta(days=300 - n),
                        consent_method="written" if n % 2 else "online",
                    )
                )
            )
        return people

    def monitoring(self, people) -> None:
        for n, person in enumerate(people[:20]):
            self.add(
                EqualityMonitoring(
                    participant_id=person.id,
                    age_band=AGE_BANDS[n % len(AGE_BANDS)] if n % 8 else "prefer_not_to_say",
                    sex="female" if n % 2 else "male",
                    disability="yes" if n % 5 == 0 else "no",
                )
            )
        profile = {"25_34": 700, "35_44": 820, "45_54": 900, "55_64": 760, "65_74": 540, "75_plus": 380}
        for category, count in profile.items():
            self.add(
                CustomerProfileCount(
                    characteristic="age_band", category=category, count=count, as_of=self.year.start
                )
            )

    def bodies(self, people):
        board = self.add(
            Body(name="Board", kind="board", decision_making=True, seats_total=12, reserved_resident_seats=4)
        )
        panel = self.add(Body(name="Scrutiny Panel", kind="scrutiny_panel", seats_total=8))
        term = self.year.start - timedelta(days=200)
        for n, person in enumerate(people[:4]):
            self.add(
                BodyMembership(
                    body_id=board.id,
                    participant_id=person.id,
                    seat_type="resident",
                    role="chair" if n == 0 else "member",
                    starts_on=term,
                )
            )
        self.add(
            BodyMembership(
                body_id=board.id, external_name="Independent member", seat_type="independent", starts_on=term
            )
        )
        for n, person in enumerate(people[4:10]):
            self.add(
                BodyMembership(
                    body_id=panel.id,
                    participant_id=person.id,
                    seat_type="resident",
                    role="chair" if n == 0 else "member",
                    starts_on=term,
                )
            )
        return board, panel

    def activities(self, board, panel, people, areas) -> None:
        venue = self.add(
            Venue(
                name="Community Hub",
                address="Market Street",
                features=["step_free_access", "accessible_toilet"],
            )
        )
        voice = self.add(
            Opportunity(name="Residents' Voice", level="involved", formal=False, channel="face_to_face")
        )
        self.add(Opportunity(name="Online panel", level="consulted", formal=False, channel="online"))
        governance = self.add(Opportunity(name="Board and panels", level="decision_making", formal=True))
        # The last twelve months, so on any date there are figures for this year or the last.
        held_days = sorted(self.today - timedelta(days=14 + 30 * k) for k in range(12))
        for k, day in enumerate(held_days[:6]):
            meeting = self.add(
                Activity(
                    title=f"Board meeting {k + 1}",
                    kind="meeting",
                    status="held",
                    starts_at=self.at(day),
                    body_id=board.id,
                    opportunity_id=governance.id,
                    venue_id=venue.id,
                    cost_pence=4500,
                )
            )
            for n, person in enumerate(people[:4]):
                self.add(
                    Participation(
                        activity_id=meeting.id,
                        participant_id=person.id,
                        role="member",
                        attended=(n + k) % 5 != 0,
                        hours=2,
                    )
                )
        for k, day in enumerate(held_days[1::3]):
            event = self.add(
                Activity(
                    title=f"Estate fun day {k + 1}",
                    kind="event",
                    status="held",
                    starts_at=self.at(day, 11),
                    area_id=areas[k % len(areas)].id,
                    opportunity_id=voice.id,
                    venue_id=venue.id,
                    cost_pence=32000,
                )
            )
            for person in self.rng.sample(people, 10):
                self.add(Participation(activity_id=event.id, participant_id=person.id, attended=True))
        if held_days:
            training = self.add(
                Activity(
                    title="Scrutiny skills training",
                    kind="training",
                    status="held",
                    starts_at=self.at(held_days[0], 10),
                    body_id=panel.id,
                    cost_pence=60000,
                )
            )
            for person in people[4:10]:
                self.add(
                    Participation(
                        activity_id=training.id,
                        participant_id=person.id,
                        role="attendee",
                        attended=True,
                        hours=3,
                        expenses_pence=450,
                    )
                )
        self.add(
            Activity(
                title="Board meeting (next)",
                kind="meeting",
                status="planned",
                starts_at=self.at(self.today + timedelta(days=21)),
                body_id=board.id,
                venue_id=venue.id,
            )
        )

    def consultations(self, people) -> Consultation:
        months = self.org.setting("feedback_period_months", 3)
        closed = self.today - timedelta(days=150)
        done = self.add(
            Consultation(
                title="Repairs appointments",
                topic="repairs",
                opens_on=closed - timedelta(days=28),
                closes_on=closed,
                feedback_due_on=add_months(closed, months),
            )
        )
        for n, person in enumerate(people[:14]):
            self.add(
                ConsultationResponse(
                    consultation_id=done.id,
                    participant_id=person.id,
                    channel=["online", "phone", "post", "face_to_face"][n % 4],
                    answer="agree" if n % 3 else "disagree",
                    responded_on=closed - timedelta(days=n % 20),
                )
            )
        self.add(
            ConsultationFeedback(
                consultation_id=done.id,
                you_said="Appointments were hard to get outside working hours.",
                we_did="We added evening and Saturday morning appointments.",
                published_on=closed + timedelta(days=40),
            )
        )
        late_close = self.today - timedelta(days=120)
        late = self.add(
            Consultation(
                title="Service charges review",
                topic="rent_and_service_charges",
                opens_on=late_close - timedelta(days=21),
                closes_on=late_close,
                feedback_due_on=add_months(late_close, months),
            )
        )
        for n, person in enumerate(people[10:18]):
            self.add(
                ConsultationResponse(
                    consultation_id=late.id,
                    participant_id=person.id,
                    channel="post",
                    responded_on=late_close - timedelta(days=n),
                )
            )
        self.add(
            Consultation(
                title="Tenancy agreement refresh",
                topic="tenancy_conditions",
                opens_on=self.today - timedelta(days=5),
                closes_on=self.today + timedelta(days=23),
                feedback_due_on=add_months(self.today + timedelta(days=23), months),
            )
        )
        return done

    def outcomes(self, consultation, panel) -> None:
        self.add(
            Improvement(
                title="Evening and Saturday repair appointments",
                source="consultation",
                source_id=consultation.id,
                implemented_on=self.today - timedelta(days=60),
                description="Follows the repairs appointments consultation.",
            )
        )
        recommendation = self.add(
            Recommendation(
                title="Publish repair response times every quarter",
                body_id=panel.id,
                made_on=self.today - timedelta(days=90),
                response="accepted",
                responded_on=self.today - timedelta(days=70),
                due_on=self.today + timedelta(days=30),
                status="in_progress",
            )
        )
        self.add(
            Improvement(
                title="Quarterly repair times on the website",
                source="scrutiny",
                source_id=recommendation.id,
                implemented_on=self.today - timedelta(days=20),
            )
        )
        plan = self.add(ActionPlan(title="Resident involvement action plan", period=self.year.label))
        items = [
            ("Recruit two more resident Board members", 60, "in_progress"),
            ("Publish the annual impact assessment", 120, "not_started"),
            ("Run accessible-venue audit", -20, "in_progress"),
            ("Launch the online panel", -90, "done"),
        ]
        for title, offset, status in items:
            due = self.today + timedelta(days=offset)
            self.add(
                ActionPlanItem(
                    plan_id=plan.id,
                    title=title,
                    due_on=due,
                    status=status,
                    owner="Resident Involvement Officer",
                    completed_on=due if status == "done" else None,
                )
            )
        spend = [("events", 64000), ("training", 60000), ("expenses", 8600), ("grants", 150000)]
        for n, (category, pence) in enumerate(spend):
            self.add(
                Spend(
                    category=category,
                    amount_pence=pence,
                    spent_on=self.today - timedelta(days=25 * (n + 1)),
                )
            )

    def survey(self, people) -> None:
        """A perception survey by an external supplier: TP06 and OPPS, mostly anonymous."""
        survey = self.add(
            Survey(
                title="Tenant satisfaction survey",
                conducted_by="Example Research Ltd",
                opens_on=self.today - timedelta(days=121),
                closes_on=self.year.end,
            )
        )
        for position, (code, (text, scale)) in enumerate(BUILT_IN_QUESTIONS.items()):
            self.add(
                SurveyQuestion(survey_id=survey.id, code=code, text=text, scale=scale, position=position)
            )
        weights = {
            "very_satisfied": 30,
            "fairly_satisfied": 34,
            "neither": 12,
            "fairly_dissatisfied": 9,
            "very_dissatisfied": 7,
            "dont_know": 8,
        }
        values, counts = list(weights), list(weights.values())
        for n in range(120):
            response = self.add(
                SurveyResponse(
                    survey_id=survey.id,
                    participant_id=people[n].id if n < 8 else None,
                    channel=["online", "phone", "post"][n % 3],
                    responded_on=self.today - timedelta(days=1 + n % 120),
                    external_ref=f"ER-{n:05d}",
                )
            )
            for code in BUILT_IN_QUESTIONS:
                db.session.add(
                    SurveyAnswer(
                        response_id=response.id, question_code=code, value=self.rng.choices(values, counts)[0]
                    )
                )
