"""Demo records: a believable year of involvement for each demo landlord.

Made up (no real people), deterministic (seeded by the organisation's slug) and added once: an
organisation that already has households is left alone, so ``flask demo`` can run again safely.
Each landlord gets areas, households, residents with their involvement preferences, a few
equality monitoring answers and a customer profile, opportunities, a board and a panel with
members, meetings with attendance, events and training, consultations (one with published
feedback, one overdue), improvements, an action plan, spend and a satisfaction survey.

The records cover the last two years, so the previous financial year (what the group comparison
shows first) is as full as the current one. Each landlord's size and pace come from its own
:class:`_Pace`, drawn from the same seed: Circle Anglia's ten partners differ the way real
landlords do (more or fewer homes and meetings, feedback on time or late, happier or less happy
residents) instead of ten identical years that all rank first.
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


class _Pace:
    """How big and how busy one landlord's involvement is; drawn once from its seeded generator."""

    def __init__(self, rng: random.Random):
        self.households = rng.randrange(36, 73)
        self.people = rng.randrange(20, 37)
        self.board_residents = rng.randrange(3, 7)
        self.board_meetings_a_year = rng.choice((4, 6, 6, 8, 10))
        self.events_a_year = rng.choice((2, 3, 4, 6))
        self.event_turnout = rng.randrange(6, 15)
        self.training_a_year = rng.choice((1, 2, 2, 3, 4))
        self.extra_improvements = rng.randrange(0, 5)
        self.spend_scale = rng.choice((60, 75, 90, 100, 115, 130, 150))  # per cent of the base budget
        self.feedback_days = rng.choice((30, 45, 60, 75, 120, 150))  # after the close; >92 is late
        self.late_share = rng.choice((0.0, 0.15, 0.3, 0.5, 0.7))  # of consultations reported back late
        self.survey_responses = rng.randrange(60, 151)
        self.satisfaction_tilt = rng.randrange(-12, 13)  # moves answers towards or away from satisfied


class _DemoYear:
    def __init__(self, organisation):
        self.org = organisation
        self.rng = random.Random(organisation.slug)
        self.pace = _Pace(self.rng)
        self.today = plugin_kit.today()
        self.year = Period.financial_year_of(self.today)

    def spread(self, per_year: int, first: int = 14) -> list[date]:
        """``per_year`` days a year, evenly spaced back over the last two years, oldest first."""
        step = 365 / per_year
        return sorted(self.today - timedelta(days=first + round(step * k)) for k in range(2 * per_year))

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
        consultation = self.consultations(people, areas)
        self.outcomes(consultation, panel)
        self.survey(people)
        # The day's count of equality monitoring, as the daily job would take it tonight.
        from core.services.monitoring import take_snapshots

        take_snapshots(self.today)

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
        for n in range(self.pace.households):
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
        for n in range(self.pace.people):
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
                        consent_given_on=self.today - timedelta(days=800 - n),
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
        term = self.year.start - timedelta(days=600)
        for n, person in enumerate(people[: self.pace.board_residents]):
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
        for n, person in enumerate(people[6:12]):
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
        # The last two years, so the current financial year and the last both have figures.
        board_members = people[: self.pace.board_residents]
        for k, day in enumerate(self.spread(self.pace.board_meetings_a_year)):
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
            for n, person in enumerate(board_members):
                self.add(
                    Participation(
                        activity_id=meeting.id,
                        participant_id=person.id,
                        role="member",
                        attended=(n + k) % 5 != 0,
                        hours=2,
                    )
                )
        for k, day in enumerate(self.spread(self.pace.events_a_year, first=40)):
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
            for person in self.rng.sample(people, self.pace.event_turnout):
                self.add(Participation(activity_id=event.id, participant_id=person.id, attended=True))
        for k, day in enumerate(self.spread(self.pace.training_a_year, first=20)):
            training = self.add(
                Activity(
                    title=f"Scrutiny skills training {k + 1}",
                    kind="training",
                    status="held",
                    starts_at=self.at(day, 10),
                    body_id=panel.id,
                    cost_pence=60000,
                )
            )
            for person in people[6:12]:
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

    def consultation(
        self, title: str, topic: str, opens_on: date, closes_on: date, area: Area | None = None
    ) -> Consultation:
        """A consultation whose feedback is due on the organisation's guarantee (no extension)."""
        due = add_months(closes_on, self.org.setting("feedback_period_months", 3))
        return self.add(
            Consultation(
                title=title,
                topic=topic,
                area_id=area.id if area else None,
                opens_on=opens_on,
                closes_on=closes_on,
                feedback_due_on=due,
                feedback_guaranteed_by=due,
            )
        )

    def consultations(self, people, areas) -> Consultation:
        closed = self.today - timedelta(days=150)
        done = self.consultation(
            "Repairs appointments",
            "regeneration_redevelopment_and_repairs",
            closed - timedelta(days=28),
            closed,
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
                published_on=closed + timedelta(days=self.pace.feedback_days),
            )
        )
        # Consultations of the last two years, reported back at this landlord's own pace: some late.
        earlier = [
            ("Rent and service charge setting", "rent_and_service_charges"),
            ("Community safety priorities", "community_safety"),
            ("Estate services standards", "service_standards_and_targets"),
            ("Annual business plan", "business_planning"),
            ("Complaints procedure review", "complaints_procedure"),
            ("Neighbourhood investment priorities", "investment_priorities"),
        ]
        for n, (title, topic) in enumerate(earlier):
            closes_on = self.today - timedelta(days=250 + 85 * n)
            # Some are about one estate or neighbourhood, the rest about the whole landlord.
            area = areas[n % len(areas)] if n % 3 != 1 else None
            past = self.consultation(title, topic, closes_on - timedelta(days=35), closes_on, area)
            for k, person in enumerate(self.rng.sample(people, 12)):
                self.add(
                    ConsultationResponse(
                        consultation_id=past.id,
                        participant_id=person.id,
                        channel=["online", "post", "phone"][k % 3],
                        responded_on=closes_on - timedelta(days=k),
                    )
                )
            late = self.rng.random() < self.pace.late_share
            self.add(
                ConsultationFeedback(
                    consultation_id=past.id,
                    you_said="Residents asked for clearer information and earlier notice.",
                    we_did="The letters were rewritten with residents and sent a month earlier.",
                    published_on=closes_on
                    + timedelta(days=self.rng.randrange(100, 140) if late else self.rng.randrange(20, 85)),
                )
            )
        late_close = self.today - timedelta(days=120)
        late = self.consultation(
            "Service charges review", "rent_and_service_charges", late_close - timedelta(days=21), late_close
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
        self.consultation(
            "Tenancy agreement refresh",
            "tenancy_conditions",
            self.today - timedelta(days=5),
            self.today + timedelta(days=23),
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
        ideas = [
            "Bin store on the Riverside Estate",
            "Large-print repair leaflets",
            "Saturday drop-in surgery",
            "Clearer service charge statements",
        ]
        for n in range(self.pace.extra_improvements):
            self.add(
                Improvement(
                    title=ideas[n], source="forum", implemented_on=self.today - timedelta(days=100 + 150 * n)
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
        for year_back in (0, 1):
            for n, (category, pence) in enumerate(spend):
                self.add(
                    Spend(
                        category=category,
                        amount_pence=pence * self.pace.spend_scale // 100,
                        spent_on=self.today - timedelta(days=25 * (n + 1) + 365 * year_back),
                    )
                )

    def survey(self, people) -> None:
        """A perception survey by an external supplier each year: TP06 and OPPS, mostly anonymous."""
        for year_back in (0, 1):
            self.one_survey(people, year_back)

    def one_survey(self, people, year_back: int) -> None:
        back = timedelta(days=365 * year_back)
        survey = self.add(
            Survey(
                title="Tenant satisfaction survey" + (" (last year)" if year_back else ""),
                conducted_by="Example Research Ltd",
                opens_on=self.today - timedelta(days=121) - back,
                closes_on=self.year.end - back,
            )
        )
        for position, (code, (text, scale)) in enumerate(BUILT_IN_QUESTIONS.items()):
            self.add(
                SurveyQuestion(survey_id=survey.id, code=code, text=text, scale=scale, position=position)
            )
        tilt = self.pace.satisfaction_tilt
        weights = {
            "very_satisfied": 30 + tilt,
            "fairly_satisfied": 34,
            "neither": 12,
            "fairly_dissatisfied": 9 - tilt // 2,
            "very_dissatisfied": 7 - tilt // 2,
            "dont_know": 8,
        }
        values, counts = list(weights), list(weights.values())
        for n in range(self.pace.survey_responses):
            response = self.add(
                SurveyResponse(
                    survey_id=survey.id,
                    participant_id=people[n].id if n < 8 else None,
                    channel=["online", "phone", "post"][n % 3],
                    responded_on=self.today - timedelta(days=1 + n % 120) - back,
                    external_ref=f"ER-{year_back}{n:05d}",
                )
            )
            for code in BUILT_IN_QUESTIONS:
                db.session.add(
                    SurveyAnswer(
                        response_id=response.id, question_code=code, value=self.rng.choices(values, counts)[0]
                    )
                )
