"""The core sections of the annual impact assessment (Circle Anglia 5.4, Boston Mayflower 9.2).

Each ``build(period)`` runs inside the organisation's scope and aggregates in SQL; the
shapes are those of :mod:`core.reports`. Plugins add their own sections between ``outcomes`` (40)
and ``kpis`` (100).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_, select

from core.extensions import db
from core.kpis.core_kpis import (
    _customer_profile,
    _merge_small,
    held_in,
    involved_count,
    involved_ids,
    profile_gaps,
    shared_aggregates,
)
from core.models import (
    ActionPlanItem,
    Activity,
    Area,
    Body,
    BodyMembership,
    Consultation,
    ConsultationFeedback,
    Household,
    Improvement,
    Opportunity,
    Participant,
    Participation,
    Recommendation,
    Spend,
)
from core.periods import Period
from core.reports import (
    SMALL_NUMBER,
    ReportSection,
    bar_chart,
    content,
    figure,
    leader_summary,
    suppress,
    suppress_kpi,
    table,
)
from core.services.monitoring import MINIMUM_BASE

LEVEL_LABELS = {
    "informed": "Kept informed",
    "consulted": "Consulted",
    "involved": "Actively involved",
    "decision_making": "Decision-making",
}


def _label(value: str | None) -> str:
    if not value:
        return "Not recorded"
    return LEVEL_LABELS.get(value, value.replace("_", " ").capitalize())


def _plural(count: int | None, one: str, many: str | None = None) -> str:
    if count is None:
        return f"fewer than 5 {many or one + 's'}"
    return f"{count} {one if count == 1 else (many or one + 's')}"


# -- what was achieved -------------------------------------------------------------------------


def achieved(period: Period) -> dict[str, Any]:
    by_source = db.session.execute(
        select(Improvement.source, func.count())
        .where(Improvement.implemented_on.between(period.start, period.end))
        .group_by(Improvement.source)
        .order_by(func.count().desc(), Improvement.source)
    ).all()
    improvements = sum(n for _, n in by_source)
    listed = db.session.execute(
        select(Improvement.title, Improvement.implemented_on, Improvement.source)
        .where(Improvement.implemented_on.between(period.start, period.end))
        .order_by(Improvement.implemented_on, Improvement.id)
    ).all()
    responses = dict(
        db.session.execute(
            select(Recommendation.response, func.count())
            .where(
                Recommendation.response.is_not(None),
                Recommendation.responded_on.between(period.start, period.end),
            )
            .group_by(Recommendation.response)
        ).all()
    )
    answered = sum(responses.values())
    accepted = responses.get("accepted", 0) + responses.get("partly_accepted", 0)
    done = db.session.scalar(
        select(func.count())
        .select_from(ActionPlanItem)
        .where(ActionPlanItem.status == "done", ActionPlanItem.completed_on.between(period.start, period.end))
    )
    summary = (
        f"{_plural(improvements, 'service improvement')} came from involvement in {period.label}; "
        f"{accepted} of {answered} recommendations answered were accepted in full or in part, "
        f"and {_plural(done, 'action')} were completed."
    )
    return content(
        summary,
        figures=[
            figure("Service improvements", improvements),
            figure("Recommendations accepted (in full or in part)", accepted, note=f"of {answered} answered"),
            figure("Actions completed", done),
        ],
        tables=[
            table(
                "improvements_by_source",
                "Service improvements by where they came from",
                ["Source", "Improvements"],
                [[_label(source), n] for source, n in by_source],
                summary=leader_summary(
                    [(_label(source).lower(), n) for source, n in by_source],
                    one="Most improvements came from {label}.",
                    tie="{labels} contributed equally ({value} each).",
                )
                or "No improvements were recorded.",
                chart=bar_chart(),
            ),
            table(
                "improvements",
                "Service improvements made",
                ["Improvement", "Implemented on", "Source"],
                [[title, day.isoformat(), _label(source)] for title, day, source in listed],
                units=["text", "date", "text"],
                summary=f"{_plural(len(listed), 'improvement')} listed by date.",
            ),
            table(
                "recommendation_responses",
                "Responses to recommendations",
                ["Response", "Recommendations"],
                [[_label(key), responses.get(key, 0)] for key in ("accepted", "partly_accepted", "rejected")],
                summary=f"{accepted} of {answered} recommendations were accepted in full or in part.",
                chart=bar_chart(),
            ),
        ],
    )


# -- who was involved --------------------------------------------------------------------------


def _attended_in(period: Period):
    return (
        select(Participation.participant_id, Activity.opportunity_id, Activity.area_id)
        .join(
            Activity,
            and_(
                Activity.id == Participation.activity_id,
                Activity.organisation_id == Participation.organisation_id,
            ),
        )
        .where(Participation.attended.is_(True), held_in(period))
        .subquery("attended")
    )


def involved(period: Period) -> dict[str, Any]:
    people = involved_ids(period)
    total = involved_count(period)
    attended = _attended_in(period)
    by_level = db.session.execute(
        select(Opportunity.level, func.count(func.distinct(attended.c.participant_id)))
        .select_from(attended)
        .outerjoin(Opportunity, Opportunity.id == attended.c.opportunity_id)
        .group_by(Opportunity.level)
        .order_by(Opportunity.level)
    ).all()
    overlaps = and_(
        BodyMembership.starts_on <= period.end,
        or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= period.start),
    )
    by_body = db.session.execute(
        select(Body.name, func.count(func.distinct(BodyMembership.participant_id)))
        .join(
            BodyMembership,
            and_(BodyMembership.body_id == Body.id, BodyMembership.organisation_id == Body.organisation_id),
        )
        .where(BodyMembership.participant_id.is_not(None), overlaps)
        .group_by(Body.id, Body.name)
        .order_by(Body.name)
    ).all()
    by_area = db.session.execute(
        select(Area.name, func.count(func.distinct(people.c.participant_id)))
        .select_from(people)
        .join(Participant, Participant.id == people.c.participant_id)
        .outerjoin(
            Household,
            and_(
                Household.id == Participant.household_id,
                Household.organisation_id == Participant.organisation_id,
            ),
        )
        .outerjoin(
            Area, and_(Area.id == Household.area_id, Area.organisation_id == Household.organisation_id)
        )
        .group_by(Area.name)
        .order_by(Area.name)
    ).all()
    shown_total = suppress(total)
    tables = [
        table(
            "involved_by_level",
            "People who attended, by level of involvement",
            ["Level", "People"],
            [[_label(level) if level else "No opportunity linked", suppress(n)] for level, n in by_level],
            summary="Each person is counted once per level at which they took part.",
            chart=bar_chart(),
        ),
        table(
            "involved_by_body",
            "Members of boards, panels and forums",
            ["Body", "Members"],
            [[name, suppress(n)] for name, n in by_body],
            summary=f"{_plural(len(by_body), 'body', 'bodies')} had resident members during the year.",
            chart=bar_chart(),
        ),
        table(
            "involved_by_area",
            "People involved, by the area they live in",
            ["Area", "People"],
            [[name or "No home recorded", suppress(n)] for name, n in by_area],
            summary="Where involved people live, so gaps in coverage show.",
            chart=bar_chart(),
        ),
        *_representativeness(period),
    ]
    return content(
        f"{_plural(shown_total, 'person', 'people')} took part in {period.label}.",
        figures=[figure("People involved", shown_total)],
        tables=tables,
    )


def _representativeness(period: Period) -> list[dict[str, Any]]:
    """Involved people vs all customers, per age band, from the published monitoring counts
    (``core.services.monitoring``); small categories merged into other, no share under 5 people,
    and in words why a figure is missing rather than a 0 that would read as "representative"."""
    gaps = profile_gaps(period)
    age = gaps["age_band"]
    rows = []
    if age["counts"] is not None:
        customers = _customer_profile().get("age_band", {})
        mine, theirs = _merge_small(age["counts"], customers)
        involved_total, customer_total = sum(mine.values()), sum(theirs.values())
        for category in sorted(set(mine) | set(theirs), key=lambda c: (c == "other", c)):
            share = round(100 * mine.get(category, 0) / involved_total, 1) if involved_total else None
            base = round(100 * theirs.get(category, 0) / customer_total, 1) if customer_total else None
            rows.append([_label(category), share, base])
    gap_rows = [[_label(name), gap["value"], gap["reason"] or "Compared"] for name, gap in gaps.items()]
    if age["value"] is not None:
        age_summary = f"The gap between involved people and customers by age band is {age['value']} points."
    else:
        age_summary = f"No comparison by age band: {_lower_first(age['reason'])}"
    missing = [_label(name).lower() for name, gap in gaps.items() if gap["value"] is None]
    gaps_summary = "0 means the involved people mirror the customers; higher means less representative."
    if missing:
        gaps_summary += f" No figure for {', '.join(missing)}: the reason is given beside each."
    return [
        table(
            "profile_by_age",
            "Involved people compared with all customers, by age band",
            ["Age band", "Involved people (%)", "All customers (%)"],
            rows,
            units=["text", "percent", "percent"],
            summary=age_summary,
            chart=bar_chart(label=0, value=1, unit="percent"),
            note=(
                f"Age bands with fewer than {SMALL_NUMBER} involved people are merged into 'Other'; "
                f"no comparison is made with fewer than {MINIMUM_BASE} involved people recorded."
            ),
        ),
        table(
            "profile_gaps",
            "Gap between involved people and customers (index of dissimilarity)",
            ["Characteristic", "Gap (points)", "Why there is no figure"],
            gap_rows,
            units=["text", "percent", "text"],
            summary=gaps_summary,
        ),
    ]


def _lower_first(text: str | None) -> str:
    text = text or "not enough equality information."
    return text[:1].lower() + text[1:]


# -- cost and value for money -------------------------------------------------------------------


def cost(period: Period) -> dict[str, Any]:
    by_category = db.session.execute(
        select(Spend.category, func.sum(Spend.amount_pence))
        .where(Spend.spent_on.between(period.start, period.end))
        .group_by(Spend.category)
        .order_by(func.sum(Spend.amount_pence).desc(), Spend.category)
    ).all()
    total = sum(int(n) for _, n in by_category)
    households = db.session.scalar(
        select(func.count()).select_from(Household).where(Household.active.is_(True))
    )
    involved_total = involved_count(period)
    per_household = _divide(total, households)
    per_person = _divide(total, involved_total)
    return content(
        f"Involvement cost {_pounds(total)} in {period.label}"
        + (f", {_pounds(per_household)} per household." if per_household is not None else "."),
        figures=[
            figure("Total involvement spend", total, "pence"),
            figure("Spend per household", per_household, "pence"),
            figure("Spend per person involved", per_person, "pence"),
        ],
        tables=[
            table(
                "spend_by_category",
                "Involvement spend by category",
                ["Category", "Spend"],
                [[_label(category), int(n)] for category, n in by_category],
                units=["text", "pence"],
                summary=leader_summary(
                    [(_label(category).lower(), int(n)) for category, n in by_category],
                    one="The largest share went on {label}.",
                    tie="{labels} had equal shares ({value} each).",
                    unit="pence",
                )
                or "No spend was recorded.",
                chart=bar_chart(unit="pence"),
            )
        ],
    )


def _divide(pence: int, count: int | None) -> int | None:
    if not count:
        return None
    return int((2 * pence + count) // (2 * count))  # rounded half up


def _pounds(pence: int | None) -> str:
    return "nothing" if pence is None else f"£{pence / 100:,.2f}"


# -- outcomes and satisfaction -------------------------------------------------------------------


def outcomes(period: Period) -> dict[str, Any]:
    from core.kpis.core_kpis import feedback_on_time, listened_to_details, satisfied_opportunities_details

    feedback = db.session.execute(
        select(
            Consultation.title,
            ConsultationFeedback.you_said,
            ConsultationFeedback.we_did,
            ConsultationFeedback.why_we_did_not,
        )
        .join(
            ConsultationFeedback,
            and_(
                ConsultationFeedback.consultation_id == Consultation.id,
                ConsultationFeedback.organisation_id == Consultation.organisation_id,
            ),
        )
        .where(ConsultationFeedback.published_on.between(period.start, period.end))
        .order_by(ConsultationFeedback.published_on, Consultation.id)
    ).all()
    on_time = feedback_on_time(period)
    tp06 = listened_to_details(period)
    opps = satisfied_opportunities_details(period)
    from core.kpis.core_kpis import listened_to, satisfied_opportunities

    listened, satisfied = listened_to(period), satisfied_opportunities(period)
    satisfaction_rows = [
        [
            "Listens to views and acts upon them (TP06)",
            listened,
            tp06["sample_size"],
            tp06["margin_of_error"],
        ],
        ["Opportunities to take part", satisfied, opps["sample_size"], opps["margin_of_error"]],
    ]
    return content(
        (
            f"{len(feedback)} consultations reported back to residents"
            + (f"; {on_time}% of feedback due was on time." if on_time is not None else ".")
        ),
        figures=[
            figure("Feedback published on time", on_time, "percent"),
            figure(
                "Satisfied we listen and act (TP06)",
                listened,
                "percent",
                note=f"{tp06['sample_size']} answers",
            ),
        ],
        tables=[
            table(
                "satisfaction",
                "Satisfaction",
                ["Question", "Satisfied (%)", "Answers", "Margin of error (± points)"],
                satisfaction_rows,
                units=["text", "percent", "count", "percent"],
                summary="Share of residents satisfied, with how many answered and the 95% margin of error.",
                chart=bar_chart(label=0, value=1, unit="percent"),
            ),
            table(
                "you_said_we_did",
                "You said, we did (or why we didn't)",
                ["Consultation", "You said", "We did", "Why we didn't"],
                [[title, said, did or "", why_not or ""] for title, said, did, why_not in feedback],
                summary=(
                    f"{len(feedback)} consultations published what residents said, what changed, "
                    "and why where nothing did."
                ),
            ),
        ],
    )


# -- KPIs ----------------------------------------------------------------------------------------


def kpis(period: Period) -> dict[str, Any]:
    from core.kpis.service import kpi_report
    from core.models import Organisation
    from core.tenancy import current_org_id

    organisation = db.session.get(Organisation, current_org_id())
    report = kpi_report(organisation, period)
    registry = current_app.extensions["involve"].kpis.kpis
    shown = []
    for row in report["kpis"]:
        # The one small-number rule, as in "Who was involved" and the group comparison.
        kpi = registry[row["code"]]
        value, hidden = suppress_kpi(kpi, row["value"], row.get("details"))
        previous, _ = suppress_kpi(kpi, row["previous"], row.pop("previous_details", None))
        shown.append({**row, "value": value, "previous": previous, "suppressed": hidden})
        if hidden:
            shown[-1]["met"] = None
            shown[-1].pop("details", None)
    report["kpis"] = shown
    rows = [
        [row["title"], row["value"], row["target"], row["previous"], _met_label(row["met"])]
        for row in report["kpis"]
    ]
    met = sum(1 for row in report["kpis"] if row["met"] is True)
    with_target = sum(1 for row in report["kpis"] if row["met"] is not None)
    return content(
        f"{met} of {with_target} KPIs with a target met it in {period.label}."
        if with_target
        else f"No KPI had a target set for {period.label}.",
        tables=[
            table(
                "kpis",
                "KPIs against targets and the previous year",
                ["KPI", "This year", "Target", "Previous year", "Target met"],
                rows,
                summary=f"{met} of {with_target} targets met." if with_target else "No targets were set.",
                row_units=[row["unit"] for row in report["kpis"]],
                missing=KPI_TABLE_MISSING,
            )
        ],
        kpis=report["kpis"],
    )


# What an empty cell of the KPI table means: no target set, no figure for the previous year.
KPI_TABLE_MISSING = [None, None, "no target", "not available", None]


def _met_label(met: bool | None) -> str:
    return {True: "Yes", False: "No", None: "No target"}[met]


CORE_SECTIONS = (
    ReportSection("achieved", "What was achieved", 10, build=achieved),
    ReportSection("involved", "Who was involved", 20, build=involved),
    ReportSection("cost", "Cost and value for money", 30, build=cost),
    ReportSection("outcomes", "Outcomes and satisfaction", 40, build=outcomes),
    ReportSection("kpis", "KPIs against targets", 100, build=kpis),
)


def register_core_sections(registry) -> None:
    for section in CORE_SECTIONS:
        registry.add(section)


def build_all(sections, period: Period) -> list[tuple[ReportSection, dict]]:
    with shared_aggregates():
        return [(section, section.build(period)) for section in sections]
