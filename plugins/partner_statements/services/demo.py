"""Demo records for a Circle Anglia partner: statement versions, two years of Customer First
self-assessment, an action plan answering last year's weaknesses, a budget and RASP nominees.

Deterministic (``random.Random(slug)``), dated relative to today, and added once: a partner that
already has a statement is left alone. The group itself gets nothing of its own here: its RASP
panel fills from the partners' nominations.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import ActionPlanItem, Participant
from core.periods import Period
from plugins.partner_statements.models import InvolvementBudget, Statement, Weakness
from plugins.partner_statements.services import plans, rasp, standard
from plugins.partner_statements.services.common import standard_for

EVIDENCE = {
    "met": "Checked at the Resident Involvement Benchmarking group; examples kept on file.",
    "partly": "Done in most areas but not yet in supported schemes; see the action plan.",
    "not_met": "Residents told us at the annual review that this is not happening reliably.",
}
ACTIONS = [
    "Publish a 'get involved' leaflet in large print and easy read",
    "Train two new resident inspectors",
    "Send 'you said, we did' feedback within three months of every consultation",
    "Hold an evening drop-in for service users who cannot attend daytime meetings",
    "Thank-you certificates and an annual recognition event",
]


def load(organisation, settings: dict) -> None:
    if organisation.is_group or db.session.scalar(select(Statement.id).limit(1)) is not None:
        return
    rng = random.Random(organisation.slug)
    today = plugin_kit.today()
    this_year = Period.financial_year_of(today)
    last_year = this_year.previous()
    _statements(organisation, rng, today)
    _self_assessments(organisation, rng, [last_year, this_year], today)
    _action_plan(organisation, last_year, today)
    db.session.add(
        InvolvementBudget(
            period=this_year.label,
            amount_pence=rng.choice([250_000, 400_000, 600_000]),
            notes="Agreed by the partner board with the local involvement plan.",
        )
    )
    _nominees(organisation, rng, today)
    db.session.flush()


def _statements(organisation, rng: random.Random, today: date) -> None:
    first = Statement(
        version=1,
        status="superseded",
        title=f"{organisation.name}: how you can get involved",
        introduction="This statement tells you how to take part and what happens to your views.",
        encouraging_involvement="Residents' meetings, surveys and a panel that reviews our services.",
        using_feedback="Panel recommendations go to the board, and we report back what changed.",
        ways_to_get_involved=["Board membership", "Resident associations", "Surveys"],
        approved_on=today - timedelta(days=500),
        published_at=datetime.combine(today - timedelta(days=490), datetime.min.time(), tzinfo=UTC),
        superseded_at=datetime.combine(today - timedelta(days=120), datetime.min.time(), tzinfo=UTC),
    )
    current = Statement(
        version=2,
        status="published" if rng.random() < 0.8 else "approved",
        title=f"{organisation.name}: how you can get involved",
        introduction="Your views shape our services. Here is how to have your say and how we use it.",
        encouraging_involvement=(
            "We offer many ways to take part, from a quick survey to a seat on the board, at times and "
            "places that suit you, with training, expenses and support so anyone can join in."
        ),
        using_feedback=(
            "Every consultation gets a 'you said, we did' reply within three months. Panel and forum "
            "recommendations go to the board, and the yearly impact assessment shows what changed."
        ),
        ways_to_get_involved=[
            "Board membership",
            "Resident steering group",
            "Have your say consultations",
            "Resident associations",
            "Surveys",
        ],
        change_summary="Adds the three-month feedback promise and more ways to take part.",
        approved_on=today - timedelta(days=130),
    )
    if current.status == "published":
        current.published_at = datetime.combine(today - timedelta(days=120), datetime.min.time(), tzinfo=UTC)
    else:
        first.status, first.superseded_at = "published", None
    db.session.add_all([first, current])
    db.session.flush()


def _self_assessments(organisation, rng: random.Random, years: list[Period], today: date) -> None:
    _, commitments = standard_for(organisation)
    for year in years:
        for commitment in commitments:
            rating = rng.choices(["met", "partly", "not_met"], weights=[6, 3, 1])[0]
            standard.record(
                commitments,
                {
                    "period": year.label,
                    "commitment_key": commitment["key"],
                    "rating": rating,
                    "evidence": EVIDENCE[rating],
                },
                None,
                min(today, year.end),
            )


def _action_plan(organisation, last_year: Period, today: date) -> None:
    plan = plans.create({"assessed_period": last_year.label}, organisation)
    weaknesses = db.session.scalars(
        select(Weakness).where(Weakness.plan_id == plan.id, Weakness.current.is_(True))
    ).all()
    for n, weakness in enumerate(weaknesses):
        due = today + timedelta(days=30 * (n + 1) - 60)
        status = (
            "done"
            if due < today - timedelta(days=10)
            else ("in_progress" if due < today + timedelta(days=60) else "not_started")
        )
        item = ActionPlanItem(
            plan_id=plan.action_plan_id,
            title=ACTIONS[n % len(ACTIONS)],
            owner="Resident Involvement Officer",
            due_on=due,
            status=status,
            completed_on=due if status == "done" else None,
        )
        db.session.add(item)
        db.session.flush()
        plans.link(plan, weakness, {"action_item_id": item.id, "outputs": f"Answers: {weakness.title[:200]}"})
    plans.approve(plan, organisation, True, None, today - timedelta(days=100))


def _nominees(organisation, rng: random.Random, today: date) -> None:
    people = db.session.scalars(
        select(Participant)
        .where(Participant.contact_consent.is_(True), Participant.erased_at.is_(None))
        .order_by(Participant.id)
    ).all()
    if not people or rasp.group_of(organisation) is None:
        return
    for person in rng.sample(people, min(2, len(people))):
        rasp.nominate(
            organisation,
            {
                "participant_id": person.id,
                "display_name": f"{person.first_name} {person.last_name[:1]}.",
                "consent_given": True,
                "consent_given_on": today - timedelta(days=40),
                "consent_method": "written",
            },
            today - timedelta(days=30),
        )
