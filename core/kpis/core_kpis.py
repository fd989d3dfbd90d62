"""The core KPIs of KPIS.md, each one aggregate query for (organisation in scope, period).

Every function runs inside the organisation scope the registry opens, so the tenancy layer adds
``organisation_id = …`` to every table named; counts, sums and distinct unions happen in the
database, and Python only divides and rounds the few numbers that come back. "Held in P" means
status ``held`` and ``starts_at`` (stored in UTC) on a day of P. Percentages are rounded half up to
one decimal and pence half up to whole pence, with ``Decimal``; no denominator means ``None``.
Cancelled consultations are left out of ``feedback_on_time``; households are counted by their
current ``active`` flag (there is no history of it), which is "active at the end of P" for a
current or recent period.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ARRAY, Integer, String, and_, bindparam, case, cast, func, or_, select, union

from core.extensions import db
from core.kpis import KPI
from core.models import (
    Activity,
    Body,
    BodyMembership,
    Consultation,
    ConsultationFeedback,
    ConsultationResponse,
    CustomerProfileCount,
    Household,
    Improvement,
    Participation,
    Spend,
)
from core.models.surveys import SurveyAnswer, SurveyResponse
from core.periods import Period
from core.tenancy import current_scope

CHARACTERISTICS = ("age_band", "sex", "ethnicity", "disability", "religion", "sexual_orientation")
SATISFIED = ("very_satisfied", "fairly_satisfied")
SMALL_GROUP = 5  # categories with fewer people than this are merged into "other"
ONE_DECIMAL = Decimal("0.1")


_shared: ContextVar[dict | None] = ContextVar("kpi_shared_aggregates", default=None)


@contextmanager
def shared_aggregates() -> Iterator[None]:
    """Inside the block, a KPI's value and its details reuse one query (nothing is written there),
    and the people involved in a period are found once (:func:`involved_ids`). Blocks nest: an
    inner block (a report section computing the KPI table) shares the outer block's figures."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _once(key: tuple, compute):
    memo = _shared.get()
    if memo is None:
        return compute()
    key = (current_scope(), *key)  # never shared between organisations
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def percent(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    share = Decimal(numerator) * 100 / Decimal(denominator)
    return float(share.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The first instant of P and of the day after it, in UTC (index-friendly, both backends)."""
    start = datetime.combine(period.start, time.min, tzinfo=UTC)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC)


def held_in(period: Period):
    start, after = _bounds(period)
    return and_(Activity.status == "held", Activity.starts_at >= start, Activity.starts_at < after)


def _overlaps(period: Period):
    return and_(
        BodyMembership.starts_on <= period.end,
        or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= period.start),
    )


def involved_ids(period: Period):
    """Distinct participant ids involved in P (attended, sat on a body, responded), as a subquery
    with one column, ``participant_id``.

    Outside :func:`shared_aggregates` it is the UNION itself. Inside, the UNION runs once per
    organisation scope and period and its ids are kept; every later use (``involved_total``, the
    report's sections, plugins' KPIs, the previous period's figures) reads that list instead of
    rebuilding the union over every participation of the year.
    """
    if _shared.get() is None:
        return _involved_union(period)
    return id_list_subquery(involved_list(period), "involved")


def involved_list(period: Period) -> list[int]:
    """The ids of :func:`involved_ids`, read once per scope and period inside
    :func:`shared_aggregates` (every time outside it)."""

    def read() -> list[int]:
        return list(db.session.scalars(select(_involved_union(period).c.participant_id)))

    return _once(("involved", period.label), read)


def involved_count(period: Period) -> int:
    """How many people were involved in P (the size of :func:`involved_ids`)."""
    if _shared.get() is None:
        return db.session.scalar(select(func.count()).select_from(_involved_union(period)))
    return len(involved_list(period))


def id_list_subquery(ids: list[int], name: str):
    """A subquery of ``ids`` (one row each, column ``participant_id``) sent as one parameter: an
    array unnested on PostgreSQL, a JSON array read by ``json_each`` on SQLite. Its size does not
    change the statement, so the compiled statement is cached whatever the number of ids."""
    if db.session.get_bind().dialect.name == "postgresql":
        array = bindparam(f"{name}_ids", ids, type_=ARRAY(Integer), unique=True)
        return select(func.unnest(cast(array, ARRAY(Integer))).label("participant_id")).subquery(name)
    text_ids = bindparam(f"{name}_ids", json.dumps(ids), type_=String, unique=True)
    rows = func.json_each(text_ids).table_valued("value")
    return select(cast(rows.c.value, Integer).label("participant_id")).subquery(name)


def _involved_union(period: Period):
    attended = (
        select(Participation.participant_id.label("participant_id"))
        .join(
            Activity,
            and_(
                Activity.id == Participation.activity_id,
                Activity.organisation_id == Participation.organisation_id,
            ),
        )
        .where(Participation.attended.is_(True), held_in(period))
    )
    members = select(BodyMembership.participant_id).where(
        BodyMembership.participant_id.is_not(None), _overlaps(period)
    )
    consulted = select(ConsultationResponse.participant_id).where(
        ConsultationResponse.participant_id.is_not(None),
        ConsultationResponse.responded_on.between(period.start, period.end),
    )
    surveyed = select(SurveyResponse.participant_id).where(
        SurveyResponse.participant_id.is_not(None),
        SurveyResponse.responded_on.between(period.start, period.end),
    )
    return union(attended, members, consulted, surveyed).subquery("involved")


def opportunities(period: Period) -> int:
    return db.session.scalar(select(func.count(Activity.id)).where(held_in(period)))


def opportunity_types(period: Period) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Activity.opportunity_id))).where(held_in(period))
    )


def involved_total(period: Period) -> int:
    return involved_count(period)


def involved_formal(period: Period) -> int:
    statement = (
        select(func.count(func.distinct(BodyMembership.participant_id)))
        .join(
            Body,
            and_(Body.id == BodyMembership.body_id, Body.organisation_id == BodyMembership.organisation_id),
        )
        .where(Body.decision_making.is_(True), BodyMembership.participant_id.is_not(None), _overlaps(period))
    )
    return db.session.scalar(statement)


def improvements(period: Period) -> int:
    statement = select(func.count(Improvement.id)).where(
        Improvement.implemented_on.between(period.start, period.end)
    )
    return db.session.scalar(statement)


def training_sessions(period: Period) -> int:
    return db.session.scalar(
        select(func.count(Activity.id)).where(held_in(period), Activity.kind == "training")
    )


def survey_responses(period: Period) -> int:
    # Two plain counts rather than one SELECT of two scalar subqueries: a table named inside a
    # subquery makes the organisation scope copy the whole statement to filter it.
    consulted = db.session.scalar(
        select(func.count(ConsultationResponse.id)).where(
            ConsultationResponse.responded_on.between(period.start, period.end)
        )
    )
    surveyed = db.session.scalar(
        select(func.count(SurveyResponse.id)).where(
            SurveyResponse.responded_on.between(period.start, period.end)
        )
    )
    return int(consulted) + int(surveyed)


def spend_per_household(period: Period) -> int | None:
    total = db.session.scalar(
        select(func.coalesce(func.sum(Spend.amount_pence), 0)).where(
            Spend.spent_on.between(period.start, period.end)
        )
    )
    homes = db.session.scalar(select(func.count(Household.id)).where(Household.active.is_(True)))
    if not homes:
        return None
    return int((Decimal(int(total)) / Decimal(homes)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _feedback_counts(period: Period) -> tuple[int, int, int, int]:
    """(due, on time, extended, published within an extension) for consultations whose deadline is in P.

    The deadline is the due date capped by the organisation's guarantee (``feedback_guaranteed_by``),
    so moving a due date later moves neither the year it counts in nor what counts as on time."""

    def compute():
        from core.services.consultations import deadline_condition

        deadline = deadline_condition()
        published = ConsultationFeedback.published_on
        extended = and_(
            Consultation.feedback_guaranteed_by.is_not(None),
            Consultation.feedback_due_on > Consultation.feedback_guaranteed_by,
        )
        on_time = and_(published.is_not(None), published <= deadline)
        in_extension = and_(extended, published > deadline, published <= Consultation.feedback_due_on)

        def tally(condition):
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        statement = (
            select(func.count(Consultation.id), tally(on_time), tally(extended), tally(in_extension))
            .outerjoin(
                ConsultationFeedback,
                and_(
                    ConsultationFeedback.consultation_id == Consultation.id,
                    ConsultationFeedback.organisation_id == Consultation.organisation_id,
                ),
            )
            .where(Consultation.cancelled.is_(False), deadline.between(period.start, period.end))
        )
        return tuple(int(n) for n in db.session.execute(statement).one())

    return _once(("feedback", period.start, period.end), compute)


def feedback_on_time(period: Period) -> float | None:
    due, kept, _extended, _late_in_extension = _feedback_counts(period)
    return percent(kept, due)


def feedback_on_time_details(period: Period) -> dict:
    """Extensions shown apart: how many due dates were extended, and feedback inside an extension."""
    due, kept, extended, in_extension = _feedback_counts(period)
    return {"due": due, "on_time": kept, "extended": extended, "published_within_extension": in_extension}


def satisfaction_counts(question_code: str, period: Period) -> tuple[int, int]:
    """(satisfied, answered) for a satisfaction question: answered leaves out dont_know and blank."""
    return _once(("satisfaction", question_code, period.label), lambda: _satisfaction(question_code, period))


def _satisfaction(question_code: str, period: Period) -> tuple[int, int]:
    value = func.trim(func.coalesce(SurveyAnswer.value, ""))
    statement = (
        select(
            func.coalesce(func.sum(case((value.in_(SATISFIED), 1), else_=0)), 0),
            func.coalesce(func.sum(case((value.not_in(("", "dont_know")), 1), else_=0)), 0),
        )
        .join(
            SurveyResponse,
            and_(
                SurveyResponse.id == SurveyAnswer.response_id,
                SurveyResponse.organisation_id == SurveyAnswer.organisation_id,
            ),
        )
        .where(
            SurveyAnswer.question_code == question_code,
            SurveyResponse.responded_on.between(period.start, period.end),
        )
    )
    satisfied, answered = db.session.execute(statement).one()
    return int(satisfied), int(answered)


def margin_of_error(satisfied: int, answered: int) -> float | None:
    """The 95% margin of error of a proportion, in percentage points: 1.96·√(p(1−p)/n)."""
    if not answered:
        return None
    share = Decimal(satisfied) / Decimal(answered)
    margin = Decimal("1.96") * (share * (1 - share) / answered).sqrt() * 100
    return float(margin.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def listened_to(period: Period) -> float | None:
    return percent(*satisfaction_counts("TP06", period))


def listened_to_details(period: Period) -> dict:
    satisfied, answered = satisfaction_counts("TP06", period)
    return {"sample_size": answered, "margin_of_error": margin_of_error(satisfied, answered)}


def satisfied_opportunities(period: Period) -> float | None:
    return percent(*satisfaction_counts("OPPS", period))


def satisfied_opportunities_details(period: Period) -> dict:
    satisfied, answered = satisfaction_counts("OPPS", period)
    return {"sample_size": answered, "margin_of_error": margin_of_error(satisfied, answered)}


def _customer_profile() -> dict[str, dict[str, int]]:
    statement = select(
        CustomerProfileCount.characteristic, CustomerProfileCount.category, CustomerProfileCount.count
    ).where(
        CustomerProfileCount.category.not_in(("prefer_not_to_say", "not_recorded")),
        CustomerProfileCount.count > 0,
    )
    profile: dict[str, dict[str, int]] = {}
    for characteristic, category, count in db.session.execute(statement):
        profile.setdefault(characteristic, {})[category] = int(count)
    return profile


def _merge_small(participants: dict[str, int], customers: dict[str, int]) -> tuple[dict, dict]:
    """Merge every category with fewer than 5 involved people into "other", on both sides.

    Secondary suppression: when "other" then holds 1–4 people, the smallest category kept is
    merged into it too, so that no share shown rests on fewer than 5 people.
    """
    kept = {c for c, n in participants.items() if n >= SMALL_GROUP and c != "other"}
    other = sum(n for c, n in participants.items() if c not in kept)
    while 0 < other < SMALL_GROUP and kept:
        smallest = min(kept, key=lambda c: (participants[c], c))
        kept.discard(smallest)
        other += participants[smallest]

    def merged(counts: dict[str, int]) -> dict[str, int]:
        result: dict[str, int] = {}
        for category, count in counts.items():
            key = category if category in kept else "other"
            result[key] = result.get(key, 0) + count
        return result

    return merged(participants), merged(customers)


NOTHING_TO_COMPARE = "No category has 5 or more involved people, so there is nothing to compare."
NO_CUSTOMER_PROFILE = "No customer profile has been uploaded for this characteristic."


def gap_with_reason(
    participants: dict[str, int], customers: dict[str, int]
) -> tuple[float | None, str | None]:
    """½ Σ |p_i − c_i| × 100 over the merged categories, or None with the reason there is none.

    Everything merged into "other" would read 0 ("the involved mirror the customers") when it
    only means no category was big enough to show: that is None, never 0.
    """
    merged_people, merged_customers = _merge_small(participants, customers)
    involved, everyone = sum(merged_people.values()), sum(merged_customers.values())
    if not everyone:
        return None, NO_CUSTOMER_PROFILE
    if not involved:
        return None, "Nobody involved has this recorded."
    if set(merged_people) <= {"other"}:
        return None, NOTHING_TO_COMPARE
    categories = set(merged_people) | set(merged_customers)
    gap = sum(
        abs(Decimal(merged_people.get(c, 0)) / involved - Decimal(merged_customers.get(c, 0)) / everyone)
        for c in categories
    )
    return float((gap * 50).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)), None


def dissimilarity(participants: dict[str, int], customers: dict[str, int]) -> float | None:
    """The index of dissimilarity alone (see ``gap_with_reason``)."""
    return gap_with_reason(participants, customers)[0]


def profile_gaps(period: Period) -> dict[str, dict]:
    """Per characteristic: ``value`` (or None), ``reason`` when None, ``as_of`` (published day)."""
    from core.services.monitoring import monitoring_released

    # Keyed by whether monitoring is released: a block building a withheld and a released copy
    # (the stored assessment job) must not hand one copy's figures to the other.
    return _once(("profile", period.label, monitoring_released()), lambda: _profile_gaps(period))


def _profile_gaps(period: Period) -> dict[str, dict]:
    from core.services.monitoring import involved_profile

    profile, customers = involved_profile(period), _customer_profile()
    gaps = {}
    for name in CHARACTERISTICS:
        published = profile[name]
        if published["counts"] is None:
            value, reason = None, published["reason"]
        else:
            value, reason = gap_with_reason(published["counts"], customers.get(name, {}))
        gaps[name] = {
            "value": value,
            "reason": reason,
            "as_of": published["as_of"],
            "counts": published["counts"],
        }
    return gaps


def profile_gap(period: Period) -> float | None:
    return profile_gaps(period)["age_band"]["value"]


def profile_gap_details(period: Period) -> dict:
    gaps = profile_gaps(period)
    as_of = gaps["age_band"]["as_of"]
    return {
        "by_characteristic": {name: gap["value"] for name, gap in gaps.items()},
        "reasons": {name: gap["reason"] for name, gap in gaps.items() if gap["reason"]},
        "reason": gaps["age_band"]["reason"],
        "as_of": as_of.isoformat() if as_of else None,
    }


CORE_KPIS = (
    KPI("opportunities", "Involvement activities held", "count", opportunities),
    KPI("opportunity_types", "Opportunities with an activity held", "count", opportunity_types),
    KPI("involved_total", "People involved", "count", involved_total, counts_people=True),
    KPI("involved_formal", "People in decision-making bodies", "count", involved_formal, counts_people=True),
    KPI("improvements", "Service improvements from involvement", "count", improvements),
    KPI("training_sessions", "Training sessions held", "count", training_sessions),
    KPI("survey_responses", "Consultation and survey responses", "count", survey_responses),
    KPI("spend_per_household", "Involvement spend per household", "pence", spend_per_household, False),
    KPI(
        "feedback_on_time",
        "Consultation feedback published on time",
        "percent",
        feedback_on_time,
        details=feedback_on_time_details,
    ),
    KPI(
        "listened_to",
        "Satisfied the landlord listens to views and acts upon them (TP06)",
        "percent",
        listened_to,
        details=listened_to_details,
    ),
    KPI(
        "satisfied_opportunities",
        "Satisfied with opportunities to take part",
        "percent",
        satisfied_opportunities,
        details=satisfied_opportunities_details,
    ),
    KPI(
        "profile_gap",
        "Gap between involved people and customers (age band)",
        "percent",
        profile_gap,
        False,
        details=profile_gap_details,
        special_category=True,
    ),
)


def register_core_kpis(registry) -> None:
    for kpi in CORE_KPIS:
        registry.add(kpi)
