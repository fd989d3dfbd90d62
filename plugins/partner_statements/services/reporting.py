"""The plugin's KPIs and its section of the impact assessment.

KPIs are single aggregate queries in the organisation's scope. The report section tells a partner's
residents where its statement, Customer First self-assessment and action plan stand; for the group
it is the group-wide compliance picture the seed asks for (7.2), read through the audited scope
(statuses and counts only).
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, select

from core.extensions import db
from core.kpis.core_kpis import percent
from core.models import ActionPlan, ActionPlanItem, Organisation
from core.periods import Period
from core.reports import bar_chart, content, figure, table
from core.tenancy import current_org_id
from plugins.partner_statements.models import PartnerActionPlan, RaspNomination, StandardAssessment, Statement

RATING_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}


def year_of(period: Period) -> str:
    return Period.financial_year_of(period.start).label


def standard_met(period: Period) -> float | None:
    """Share of the year's self-assessed commitments rated met."""
    rated, met = db.session.execute(
        select(
            func.count(StandardAssessment.id),
            func.coalesce(func.sum(case((StandardAssessment.rating == "met", 1), else_=0)), 0),
        ).where(StandardAssessment.period == year_of(period))
    ).one()
    return percent(int(met), int(rated))


def plan_progress(period: Period) -> float | None:
    """Share of the year's action-plan actions done (dropped ones left out)."""
    done, live = db.session.execute(
        select(
            func.coalesce(func.sum(case((ActionPlanItem.status == "done", 1), else_=0)), 0),
            func.count(ActionPlanItem.id),
        )
        .join(
            ActionPlan,
            and_(
                ActionPlan.id == ActionPlanItem.plan_id,
                ActionPlan.organisation_id == ActionPlanItem.organisation_id,
            ),
        )
        .join(
            PartnerActionPlan,
            and_(
                PartnerActionPlan.action_plan_id == ActionPlan.id,
                PartnerActionPlan.organisation_id == ActionPlan.organisation_id,
            ),
        )
        .where(ActionPlan.period == year_of(period), ActionPlanItem.status != "dropped")
    ).one()
    return percent(int(done), int(live))


def rasp_nominees(period: Period) -> int:
    """Residents nominated to RASP and not withdrawn during or before the period's end."""
    return db.session.scalar(
        select(func.count(RaspNomination.id)).where(
            RaspNomination.nominated_on <= period.end,
            (RaspNomination.withdrawn_on.is_(None)) | (RaspNomination.withdrawn_on > period.end),
        )
    )


def section(period: Period) -> dict:
    organisation = db.session.get(Organisation, current_org_id())
    if organisation is not None and organisation.is_group:
        return _group_section(organisation, period)
    return _partner_section(period)


def _partner_section(period: Period) -> dict:
    year = year_of(period)
    current = db.session.scalar(select(Statement).where(Statement.status == "published"))
    ratings = db.session.scalars(
        select(StandardAssessment)
        .where(StandardAssessment.period == year)
        .order_by(StandardAssessment.commitment_ref)
    ).all()
    counts = {key: sum(1 for r in ratings if r.rating == key) for key in RATING_LABELS}
    progress = plan_progress(period)
    statement_text = (
        f"Version {current.version} of our involvement statement is published."
        if current
        else "No statement published yet."
    )
    tables = []
    if ratings:
        tables.append(
            table(
                "partner_statements_standard",
                f"Customer First Standard self-assessment {year}",
                ["Commitment", "Rating"],
                [[f"{r.commitment_ref} {r.commitment_title}", RATING_LABELS[r.rating]] for r in ratings],
                summary=f"{counts['met']} of {len(ratings)} commitments assessed were met.",
                units=["text", "text"],
            )
        )
    return content(
        f"{statement_text} {counts['met']} Customer First commitments met, {counts['partly']} partly and "
        f"{counts['not_met']} not met in {year}.",
        figures=[
            figure("Statement version published", current.version if current else None, "count"),
            figure("Commitments met", counts["met"], "count"),
            figure("Action plan actions done", progress, "percent"),
        ],
        tables=tables,
    )


def _group_section(group: Organisation, period: Period) -> dict:
    from plugins.partner_statements.services.common import partners_of, settings_of
    from plugins.partner_statements.services.oversight import compliance, partner_facts

    commitments = settings_of(group)["customer_first_commitments"]
    partners = partners_of(group)
    facts = partner_facts(partners, Period.parse(year_of(period)), None, period.end)
    rows = []
    for partner in partners:
        summary = compliance(facts[partner.id].get("ratings", {}), commitments)
        rows.append(
            [
                partner.name,
                summary["met"],
                summary["partly"],
                summary["not_met"],
                summary["score_percent"],
                "yes" if facts[partner.id].get("statement") else "no",
            ]
        )
    complete = sum(1 for p in partners if len(facts[p.id].get("ratings", {})) >= len(commitments))
    with_statement = sum(1 for p in partners if facts[p.id].get("statement"))
    return content(
        f"{complete} of {len(partners)} partners completed their Customer First self-assessment for "
        f"{year_of(period)}; {with_statement} have a published statement.",
        figures=[
            figure("Partners", len(partners), "count"),
            figure("Self-assessments complete", complete, "count"),
            figure("Partners with a published statement", with_statement, "count"),
        ],
        tables=[
            table(
                "partner_statements_compliance",
                "Customer First compliance by partner",
                ["Partner", "Met", "Partly met", "Not met", "Score %", "Statement published"],
                rows,
                summary="Each partner's ratings of the group's commitments (partly met counts as half).",
                units=["text", "count", "count", "count", "percent", "text"],
                chart=bar_chart(label=0, value=4, unit="percent"),
            )
        ],
    )
