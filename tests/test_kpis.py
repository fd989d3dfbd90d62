"""The core KPIs of KPIS.md against hand-worked examples: boundaries of the period, null for an
empty denominator, cancelled and planned activities, external members, erased people, and another
organisation's identical records never counted. Records are made with the ORM inside the scope."""

from datetime import UTC, date, datetime

import pytest

from core.kpis.core_kpis import CORE_KPIS, dissimilarity
from core.models import (
    Activity,
    Body,
    BodyMembership,
    Consultation,
    ConsultationFeedback,
    ConsultationResponse,
    CustomerProfileCount,
    EqualityMonitoring,
    Household,
    Improvement,
    MonitoringObjection,
    Opportunity,
    Participant,
    Participation,
    Spend,
)
from core.models.surveys import Survey, SurveyAnswer, SurveyResponse
from core.periods import Period
from core.tenancy import organisation_scope

YEAR = Period.parse("2025-26")
Q1 = Period.parse("2025-26-Q1")


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Recorder:
    """Adds records to one organisation inside its scope."""

    def __init__(self, session, org):
        self.session, self.org = session, org

    def add(self, *records):
        with organisation_scope(self.org.id):
            self.session.add_all(records)
            self.session.flush()
        return records[0] if len(records) == 1 else records

    def person(self, name="Pat", **fields):
        return self.add(Participant(first_name=name, last_name="Resident", **fields))

    def activity(self, day, status="held", kind="meeting", opportunity=None, hour=12):
        return self.add(
            Activity(
                title="Meeting",
                kind=kind,
                starts_at=at(day, hour),
                status=status,
                opportunity_id=opportunity.id if opportunity else None,
            )
        )

    def attend(self, activity, person, attended=True):
        return self.add(Participation(activity_id=activity.id, participant_id=person.id, attended=attended))

    def survey_answers(self, code, counts, day=date(2025, 6, 1)):
        survey = self.add(Survey(title="STAR"))
        for value, number in counts.items():
            for _ in range(number):
                response = self.add(SurveyResponse(survey_id=survey.id, responded_on=day))
                self.add(SurveyAnswer(response_id=response.id, question_code=code, value=value))

    def count_monitoring(self, today=date(2026, 1, 10)):
        """The daily count of equality monitoring (the only source of profile_gap)."""
        from core.services.monitoring import take_snapshots

        with organisation_scope(self.org.id):
            take_snapshots(today)

    def compute(self, app, period=YEAR):
        return app.extensions["involve"].kpis.compute(self.org.id, period)

    def details(self, code, period=YEAR):
        kpi = next(k for k in CORE_KPIS if k.code == code)
        with organisation_scope(self.org.id):
            return kpi.details(period)


@pytest.fixture
def orgs(db_session, make_org):
    """Two organisations; tests record the same things in B to prove A never counts them."""
    return Recorder(db_session, make_org()), Recorder(db_session, make_org())


def both(orgs, build):
    for recorder in orgs:
        build(recorder)


def test_an_empty_organisation_has_zero_counts_and_null_ratios(app, orgs):
    values = orgs[0].compute(app)
    for code in ("opportunities", "involved_total", "improvements", "survey_responses"):
        assert values[code] == 0
    for code in (
        "spend_per_household",
        "feedback_on_time",
        "listened_to",
        "satisfied_opportunities",
        "profile_gap",
    ):
        assert values[code] is None
    assert orgs[0].details("listened_to") == {"sample_size": 0, "margin_of_error": None}


def test_worked_example_of_kpis_md(app, orgs):
    def build(r):
        r.add(*[Household(reference=f"H{n}") for n in range(200)])
        r.add(Household(reference="gone", active=False))
        r.add(Spend(spent_on=date(2025, 4, 1), category="events", amount_pence=100000))
        r.add(Spend(spent_on=date(2026, 3, 31), category="grants", amount_pence=23456))
        r.add(Spend(spent_on=date(2026, 4, 1), category="grants", amount_pence=999999))  # next year
        r.survey_answers(
            "TP06",
            {
                "very_satisfied": 40,
                "fairly_satisfied": 30,
                "neither": 10,
                "fairly_dissatisfied": 10,
                "dont_know": 10,
            },
        )

    both(orgs, build)
    values = orgs[0].compute(app)
    assert values["spend_per_household"] == 617  # 123456 ÷ 200 = 617.28
    assert values["listened_to"] == 77.8  # 70 ÷ 90
    assert values["survey_responses"] == 100
    # 1.96 × √(0.7778 × 0.2222 ÷ 90) × 100 = 8.59 points
    assert orgs[0].details("listened_to") == {"sample_size": 90, "margin_of_error": 8.6}


def test_spend_per_household_rounds_half_up_and_is_zero_with_homes_but_no_spend(app, orgs):
    r = orgs[0]
    r.add(Household(reference="A"), Household(reference="B"))
    assert r.compute(app)["spend_per_household"] == 0
    r.add(Spend(spent_on=date(2025, 5, 1), category="events", amount_pence=1))
    assert r.compute(app)["spend_per_household"] == 1  # 0.5 → 1 (half up, not to even)


def test_activities_held_in_the_period_boundaries_and_statuses(app, orgs):
    def build(r):
        panel, forum = (
            r.add(Opportunity(name="Panel", level="involved")),
            r.add(Opportunity(name="Forum", level="involved")),
        )
        r.activity(date(2025, 4, 1), opportunity=panel, hour=0)  # first instant of the year
        r.activity(date(2026, 3, 31), opportunity=panel, kind="training", hour=23)  # last day
        r.activity(date(2025, 3, 31), opportunity=forum, hour=23)  # the year before
        r.activity(date(2026, 4, 1), opportunity=forum, hour=0)  # the year after
        r.activity(date(2025, 6, 1), status="planned", kind="training", opportunity=forum)
        r.activity(date(2025, 6, 2), status="cancelled", opportunity=forum)
        r.activity(date(2025, 6, 30), kind="training")  # no opportunity

    both(orgs, build)
    year = orgs[0].compute(app)
    assert (year["opportunities"], year["opportunity_types"], year["training_sessions"]) == (3, 1, 2)
    quarter = orgs[0].compute(app, Q1)
    assert (quarter["opportunities"], quarter["opportunity_types"], quarter["training_sessions"]) == (2, 1, 1)
    q4 = orgs[0].compute(app, Period.parse("2025-26-Q4"))
    assert (q4["opportunities"], q4["training_sessions"]) == (1, 1)


def test_involved_total_is_a_union_of_distinct_people(app, orgs):
    def build(r):
        everywhere, attendee, member, responder, surveyed = (r.person(n) for n in "ABCDE")
        absent, at_planned, old_member, erased = (r.person(n) for n in "FGHI")
        erased.erased_at = at(date(2025, 9, 1))
        held, planned = r.activity(date(2025, 5, 1)), r.activity(date(2025, 5, 2), status="planned")
        for person in (everywhere, attendee, erased):
            r.attend(held, person)
        r.attend(held, absent, attended=False)
        r.attend(planned, at_planned)
        body = r.add(Body(name="Panel", kind="panel"))
        for person, starts, ends in (
            (everywhere, date(2024, 1, 1), None),
            (member, date(2026, 3, 31), None),  # starts on the last day
            (old_member, date(2023, 1, 1), date(2025, 3, 31)),  # ended the day before
        ):
            r.add(
                BodyMembership(
                    body_id=body.id,
                    participant_id=person.id,
                    seat_type="resident",
                    starts_on=starts,
                    ends_on=ends,
                )
            )
        r.add(
            BodyMembership(
                body_id=body.id,
                external_name="Cllr Smith",
                seat_type="councillor",
                starts_on=date(2025, 1, 1),
            )
        )
        consultation = r.add(
            Consultation(
                title="Rents",
                topic="rent",
                opens_on=date(2025, 4, 1),
                closes_on=date(2025, 5, 1),
                feedback_due_on=date(2025, 8, 1),
            )
        )
        for person in (everywhere, responder):
            r.add(
                ConsultationResponse(
                    consultation_id=consultation.id,
                    participant_id=person.id,
                    channel="online",
                    responded_on=date(2025, 4, 2),
                )
            )
        r.add(
            ConsultationResponse(
                consultation_id=consultation.id, channel="post", responded_on=date(2025, 4, 3)
            )
        )  # anonymous
        survey = r.add(Survey(title="STAR"))
        r.add(SurveyResponse(survey_id=survey.id, participant_id=surveyed.id, responded_on=date(2026, 3, 31)))
        r.add(
            SurveyResponse(survey_id=survey.id, participant_id=everywhere.id, responded_on=date(2026, 4, 1))
        )

    both(orgs, build)
    values = orgs[0].compute(app)
    # everyone, attendee, erased (erasure keeps counts), member, responder, surveyed
    assert values["involved_total"] == 6
    assert values["survey_responses"] == 4  # 3 consultation responses + 1 survey response in the year
    assert orgs[0].compute(app, Period.parse("2024-25"))["involved_total"] == 2  # everywhere, old member


def test_involved_formal_counts_people_on_decision_making_bodies(app, orgs):
    def build(r):
        board, forum = r.add(
            Body(name="Board", kind="board", decision_making=True), Body(name="Forum", kind="forum")
        )
        a, b, c = r.person("A"), r.person("B"), r.person("C")
        for body, person, starts, ends in (
            (board, a, date(2025, 1, 1), date(2025, 4, 1)),  # overlaps the first day
            (board, a, date(2025, 9, 1), None),  # a second term counts once
            (board, b, date(2026, 4, 1), None),  # starts after the year
            (forum, c, date(2025, 1, 1), None),  # not decision-making
        ):
            r.add(
                BodyMembership(
                    body_id=body.id,
                    participant_id=person.id,
                    seat_type="resident",
                    starts_on=starts,
                    ends_on=ends,
                )
            )
        r.add(
            BodyMembership(
                body_id=board.id,
                external_name="Ms Independent",
                seat_type="independent",
                starts_on=date(2025, 1, 1),
            )
        )

    both(orgs, build)
    assert orgs[0].compute(app)["involved_formal"] == 1
    assert orgs[0].compute(app, Period.parse("2026-27"))["involved_formal"] == 2


def test_improvements_implemented_in_the_period(app, orgs):
    both(
        orgs,
        lambda r: r.add(
            *[
                Improvement(title=f"I{d}", implemented_on=d)
                for d in (date(2025, 4, 1), date(2026, 3, 31), date(2026, 4, 1))
            ]
        ),
    )
    assert orgs[0].compute(app)["improvements"] == 2
    assert orgs[0].compute(app, Q1)["improvements"] == 1


def test_feedback_on_time_leaves_out_cancelled_consultations(app, orgs):
    def build(r):
        def consultation(due, published=None, cancelled=False):
            c = r.add(
                Consultation(
                    title="C",
                    topic="repairs",
                    opens_on=date(2025, 1, 1),
                    closes_on=date(2025, 2, 1),
                    feedback_due_on=due,
                    cancelled=cancelled,
                )
            )
            if published is not False:
                r.add(
                    ConsultationFeedback(
                        consultation_id=c.id, you_said="x", we_did="y", published_on=published
                    )
                )

        consultation(date(2025, 4, 1), date(2025, 4, 1))  # on the due date: on time
        consultation(date(2025, 6, 1), date(2025, 6, 2))  # a day late
        consultation(date(2025, 7, 1), published=False)  # nothing published
        consultation(date(2026, 3, 31), published=None)  # drafted, never published
        consultation(date(2025, 8, 1), date(2025, 7, 1), cancelled=True)
        consultation(date(2026, 4, 1), date(2026, 3, 1))  # due next year

    both(orgs, build)
    assert orgs[0].compute(app)["feedback_on_time"] == 25.0
    assert orgs[0].compute(app, Q1)["feedback_on_time"] == 50.0
    assert orgs[0].compute(app, Period.parse("2024-25"))["feedback_on_time"] is None


def test_satisfaction_leaves_out_dont_know_and_blank(app, orgs):
    def build(r):
        r.survey_answers(
            "OPPS",
            {
                "very_satisfied": 1,
                "fairly_satisfied": 1,
                "very_dissatisfied": 1,
                "dont_know": 4,
                "": 2,
                " ": 1,
            },
        )
        r.survey_answers("OPPS", {"very_satisfied": 5}, day=date(2026, 4, 1))
        r.survey_answers("TP06", {"dont_know": 3})

    both(orgs, build)
    values = orgs[0].compute(app)
    assert values["satisfied_opportunities"] == 66.7  # 2 ÷ 3
    assert values["listened_to"] is None  # only "don't know": nothing to measure
    assert orgs[0].details("listened_to") == {"sample_size": 0, "margin_of_error": None}


def test_dissimilarity_merges_small_categories_into_other():
    # 16-24 and 75+ have fewer than 5 people: merged with each other into "other".
    participants = {"25-44": 10, "45-64": 6, "16-24": 3, "75+": 2}
    customers = {"25-44": 400, "45-64": 400, "16-24": 100, "75+": 100}
    # p = 10/21, 6/21, 5/21; c = 0.4, 0.4, 0.2 → ½(0.0762 + 0.1143 + 0.0381) = 11.4
    assert dissimilarity(participants, customers) == 11.4
    assert dissimilarity({}, customers) is None
    assert dissimilarity(participants, {}) is None


def test_profile_gap_per_characteristic(app, orgs):
    def build(r):
        r.add(
            CustomerProfileCount(characteristic="age_band", category="25-44", count=50),
            CustomerProfileCount(characteristic="age_band", category="45-64", count=50),
            CustomerProfileCount(characteristic="sex", category="female", count=60),
            CustomerProfileCount(characteristic="sex", category="male", count=40),
        )
        meeting = r.activity(date(2025, 5, 1))
        bands = ["25-44"] * 16 + ["45-64"] * 2 + ["18-24"] * 3 + ["prefer_not_to_say"] * 3
        for n, band in enumerate(bands):
            person = r.person(f"P{n}")
            r.attend(meeting, person)
            r.add(
                EqualityMonitoring(participant_id=person.id, age_band=band, sex="female" if n < 20 else None)
            )
        objector = r.person("Objector")
        r.attend(meeting, objector)
        r.add(EqualityMonitoring(participant_id=objector.id, age_band="45-64"))
        r.add(MonitoringObjection(participant_id=objector.id, objected_on=date(2025, 6, 1)))
        outsider = r.person("Not involved")
        r.add(EqualityMonitoring(participant_id=outsider.id, age_band="45-64"))
        r.count_monitoring()

    both(orgs, build)
    # age: 45-64 (2) and 18-24 (3) → "other" = 5 vs 50 customers: p = 16/21, 5/21, c = ½, ½ → 26.2
    assert orgs[0].compute(app)["profile_gap"] == 26.2
    details = orgs[0].details("profile_gap")
    gaps = details["by_characteristic"]
    assert gaps["age_band"] == 26.2
    assert gaps["sex"] == 40.0  # 20 female of 20 recorded vs 60% of customers
    assert gaps["ethnicity"] is None  # nobody recorded
    assert details["reasons"]["ethnicity"] == "Fewer than 20 involved people have this recorded."
    assert orgs[0].compute(app, Period.parse("2024-25"))["profile_gap"] is None  # never counted


def test_profile_gap_never_counts_another_organisations_people(app, orgs):
    a, b = orgs
    for recorder, band in ((a, "25-44"), (b, "45-64")):
        recorder.add(
            CustomerProfileCount(characteristic="age_band", category="25-44", count=50),
            CustomerProfileCount(characteristic="age_band", category="45-64", count=50),
        )
        meeting = recorder.activity(date(2025, 5, 1))
        for n in range(20):
            person = recorder.person(f"P{n}")
            recorder.attend(meeting, person)
            recorder.add(EqualityMonitoring(participant_id=person.id, age_band=band))
        recorder.count_monitoring()
    assert a.compute(app)["profile_gap"] == 50.0  # 0 if B's people were counted too
