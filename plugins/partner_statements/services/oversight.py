"""The group's view of its partners: statements, standard compliance, assessments, action plans,
regulatory checks and the involvement LPIs, for the Head of Sustainable Communities and the Group
Policy Forum.

Everything about partners is read inside one ``group_read_scope`` naming the partners (audited,
read-only) and comes back as statuses, counts and rates per partner; no partner's personal records
leave it. The KPI figures come from core's ``comparison.compare`` (itself audited, one partner at a
time, small numbers suppressed). Rows the group holds itself (reviews, the RASP panel) are read in
the group's own scope.

The 250-homes rule (seed 4.4): a partner owning at least the threshold of homes (its
``homes_owned`` setting, or else its active households) must have at least the required number of
resident board members, i.e. resident seats current today on a body of kind ``board``; the dashboard
flags every partner that falls short.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from core import plugin_kit
from core.extensions import db
from core.models import (
    ActionPlanItem,
    Body,
    BodyMembership,
    Household,
    Organisation,
    Spend,
)
from core.periods import Period
from core.reports import suppress
from core.tenancy import group_read_scope
from plugins.partner_statements.models import (
    AssessmentReview,
    InvolvementBudget,
    PartnerActionPlan,
    StandardAssessment,
    Statement,
)
from plugins.partner_statements.services.common import PLUGIN, partners_of, settings_of
from plugins.partner_statements.services.rasp import panel_by_partner

RATING_SCORE = {"met": 1.0, "partly": 0.5, "not_met": 0.0}


def _iso(value) -> str | None:
    """Dates and datetimes as ISO 8601 (a stored naive datetime is UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _group_by(statement) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(statement).all()]


def resident_board_members(today: date):
    """Per organisation: resident seats on a board current on ``today``."""
    return (
        select(BodyMembership.organisation_id, func.count(func.distinct(BodyMembership.id)))
        .join(
            Body,
            and_(Body.id == BodyMembership.body_id, Body.organisation_id == BodyMembership.organisation_id),
        )
        .where(
            Body.kind == "board",
            BodyMembership.seat_type == "resident",
            BodyMembership.starts_on <= today,
            or_(BodyMembership.ends_on.is_(None), BodyMembership.ends_on >= today),
        )
        .group_by(BodyMembership.organisation_id)
    )


def partner_facts(partners: list[Organisation], period: Period, actor_id: int | None, today: date) -> dict:
    """Statuses and counts per partner id, read through one audited scope."""
    ids = [p.id for p in partners]
    facts: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if not ids:
        return facts
    purpose = f"partner statements oversight for {period.label}"
    with group_read_scope(ids, actor_id=actor_id, purpose=purpose):
        for org_id, version, published_at in _group_by(
            select(Statement.organisation_id, Statement.version, Statement.published_at).where(
                Statement.status == "published"
            )
        ):
            facts[org_id]["statement"] = {"version": version, "published_at": published_at}
        for org_id, n in _group_by(
            select(Statement.organisation_id, func.count(Statement.id))
            .where(Statement.status.in_(("draft", "approved")))
            .group_by(Statement.organisation_id)
        ):
            facts[org_id]["draft_in_progress"] = n > 0
        ratings = _group_by(
            select(
                StandardAssessment.organisation_id,
                StandardAssessment.commitment_key,
                StandardAssessment.rating,
            ).where(StandardAssessment.period == period.label)
        )
        for org_id, key, rating in ratings:
            facts[org_id].setdefault("ratings", {})[key] = rating
        plans = _group_by(
            select(
                PartnerActionPlan.organisation_id,
                PartnerActionPlan.status,
                PartnerActionPlan.approved_on,
                PartnerActionPlan.action_plan_id,
            ).where(PartnerActionPlan.assessed_period == period.label)
        )
        for org_id, status, approved_on, core_id in plans:
            facts[org_id]["plan"] = {"status": status, "approved_on": approved_on, "core_id": core_id}
        core_ids = [row[3] for row in plans]
        if core_ids:
            for org_id, status, n, late in _group_by(
                select(
                    ActionPlanItem.organisation_id,
                    ActionPlanItem.status,
                    func.count(ActionPlanItem.id),
                    func.sum(
                        case(
                            (
                                and_(
                                    ActionPlanItem.due_on < today,
                                    ActionPlanItem.status.not_in(("done", "dropped")),
                                ),
                                1,
                            ),
                            else_=0,
                        )
                    ),
                )
                .where(ActionPlanItem.plan_id.in_(core_ids))
                .group_by(ActionPlanItem.organisation_id, ActionPlanItem.status)
            ):
                plan = facts[org_id]["plan"]
                plan.setdefault("by_status", {})[status] = int(n)
                plan["overdue"] = plan.get("overdue", 0) + int(late or 0)
        for org_id, n in _group_by(
            select(Household.organisation_id, func.count(Household.id))
            .where(Household.active.is_(True))
            .group_by(Household.organisation_id)
        ):
            facts[org_id]["households"] = int(n)
        for org_id, n in _group_by(resident_board_members(today)):
            facts[org_id]["resident_board_members"] = int(n)
        for org_id, amount in _group_by(
            select(InvolvementBudget.organisation_id, InvolvementBudget.amount_pence).where(
                InvolvementBudget.period == period.label
            )
        ):
            facts[org_id]["budget_pence"] = int(amount)
        for org_id, spent in _group_by(
            select(Spend.organisation_id, func.sum(Spend.amount_pence))
            .where(Spend.spent_on.between(period.start, period.end))
            .group_by(Spend.organisation_id)
        ):
            facts[org_id]["spent_pence"] = int(spent or 0)
        for org_id, settings in plugin_kit.plugin_settings_by_organisation(PLUGIN).items():
            if org_id in facts:
                facts[org_id]["contact_role"] = settings.get("involvement_contact_role")
    return facts


def compliance(ratings: dict[str, str], commitments: list[dict]) -> dict[str, Any]:
    counts = {r: 0 for r in RATING_SCORE}
    for c in commitments:
        rating = ratings.get(c["key"])
        if rating:
            counts[rating] += 1
    assessed = sum(counts.values())
    score = sum(RATING_SCORE[r] * n for r, n in counts.items())
    return {
        **counts,
        "assessed": assessed,
        "commitments": len(commitments),
        "complete": assessed == len(commitments),
        "score_percent": round(score * 100 / len(commitments), 1) if commitments and assessed else None,
    }


def homes_owned(partner: Organisation, households: int | None) -> int:
    setting = partner.setting("homes_owned")
    if isinstance(setting, int) and not isinstance(setting, bool):
        return setting
    return households or 0


def board_check(partner: Organisation, facts: dict, settings: dict) -> dict[str, Any]:
    homes = homes_owned(partner, facts.get("households"))
    members = facts.get("resident_board_members", 0)
    threshold = settings["resident_board_member_threshold_homes"]
    required = settings["resident_board_members_required"]
    applies = homes >= threshold
    return {
        "homes": homes,
        "homes_source": "setting" if partner.setting("homes_owned") is not None else "households",
        "applies": applies,
        "required": required if applies else 0,
        # The exact count is a count of people: suppressed; the yes/no is the regulatory fact.
        "resident_board_members": suppress(members),
        "met": (members >= required) if applies else None,
    }


def kpi_figures(
    group: Organisation, period: Period, actor_id: int | None, partners, codes
) -> tuple[dict, str]:
    """partner id → {code: cell} from core's comparison (or our own audited fallback)."""
    try:
        from core.services.comparison import compare
    except ImportError:  # an older core without the comparison service
        compare = None
    if compare is not None:
        result = compare(group, period, actor_id=actor_id)
        return {row["id"]: {c: row["kpis"].get(c) for c in codes} for row in result["partners"]}, "comparison"
    from core.kpis.service import kpi_report

    figures = {}
    for partner in partners:
        with group_read_scope(
            [partner.id], actor_id=actor_id, purpose=f"LPIs of {partner.slug} for {period.label}"
        ):
            rows = {r["code"]: r for r in kpi_report(partner, period)["kpis"]}
        figures[partner.id] = {
            c: {"value": rows[c]["value"], "target": rows[c]["target"], "met": rows[c]["met"], "rank": None}
            for c in codes
            if c in rows
        }
    return figures, "kpi_report"


def dashboard(group: Organisation, period: Period, actor_id: int | None, today: date) -> dict[str, Any]:
    settings = settings_of(group)
    commitments = settings["customer_first_commitments"]
    partners = partners_of(group)
    facts = partner_facts(partners, period, actor_id, today)
    codes = list(dict.fromkeys([*settings["lpis"], "feedback_on_time"]))
    figures, source = kpi_figures(group, period, actor_id, partners, codes)
    panel = panel_by_partner()
    reviews = {
        r.partner_id: r
        for r in db.session.scalars(select(AssessmentReview).where(AssessmentReview.period == period.label))
    }
    assessments = _assessment_statuses(partners, period, actor_id)
    rows = []
    for partner in partners:
        f = facts[partner.id]
        plan = f.get("plan")
        by_status = (plan or {}).get("by_status", {})
        live = sum(n for s, n in by_status.items() if s != "dropped")
        kpis = figures.get(partner.id, {})
        rows.append(
            {
                "id": partner.id,
                "slug": partner.slug,
                "name": partner.name,
                "contact_role": f.get("contact_role"),
                "statement": {
                    "current_version": (f.get("statement") or {}).get("version"),
                    "published_at": _iso((f.get("statement") or {}).get("published_at")),
                    "draft_in_progress": f.get("draft_in_progress", False),
                },
                "standard": compliance(f.get("ratings", {}), commitments),
                "impact_assessment": _assessment(assessments.get(partner.id)),
                "review": {
                    "outcome": reviews[partner.id].outcome,
                    "reviewed_on": _iso(reviews[partner.id].reviewed_on),
                }
                if partner.id in reviews
                else None,
                "action_plan": {
                    "status": plan["status"],
                    "approved_on": _iso(plan["approved_on"]),
                    "items": live,
                    "done": by_status.get("done", 0),
                    "overdue": plan.get("overdue", 0),
                    "percent_done": round(by_status.get("done", 0) * 100 / live, 1) if live else None,
                }
                if plan
                else None,
                "feedback_on_time": (kpis.get("feedback_on_time") or {}).get("value"),
                "lpis": {c: kpis.get(c) for c in settings["lpis"]},
                "board": board_check(partner, f, settings),
                "budget": {"budget_pence": f.get("budget_pence"), "spent_pence": f.get("spent_pence", 0)},
                "rasp_members": panel.get(partner.id, 0),
            }
        )
    _rank(rows)
    return {
        "period": period.label,
        "policy_forum": settings["policy_forum_name"],
        "lpis": [{"code": c} for c in settings["lpis"]],
        "lpi_source": source,
        "partners": rows,
        "flags": flags(rows),
    }


def _assessment(status: dict | None) -> dict:
    status = dict(status or {"status": "not_started", "published_at": None})
    status["published_at"] = _iso(status.get("published_at"))
    return status


def _assessment_statuses(partners, period: Period, actor_id):
    try:
        from core.services.comparison import assessment_statuses
    except ImportError:
        assessment_statuses = None
    if assessment_statuses is not None:
        return assessment_statuses(partners, period, actor_id=actor_id)
    from core.models import ImpactAssessment

    found = {p.id: {"period": period.label, "status": "not_started", "published_at": None} for p in partners}
    if partners:
        with group_read_scope([p.id for p in partners], actor_id=actor_id, purpose="assessment status"):
            for org_id, status, published_at in db.session.execute(
                select(
                    ImpactAssessment.organisation_id, ImpactAssessment.status, ImpactAssessment.published_at
                ).where(ImpactAssessment.period == period.label)
            ):
                found[org_id] = {"period": period.label, "status": status, "published_at": published_at}
    return found


def _rank(rows: list[dict]) -> None:
    """Best first: Customer First score, then feedback on time; unassessed partners rank last."""

    def key(row):
        score = row["standard"]["score_percent"]
        feedback = row["feedback_on_time"]
        return (score is None, -(score or 0), feedback is None, -(feedback or 0), row["name"])

    rows.sort(key=key)
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        mark = (row["standard"]["score_percent"], row["feedback_on_time"])
        if row["standard"]["score_percent"] is None:
            row["rank"] = None
            continue
        rank = rank if mark == previous else position
        row["rank"], previous = rank, mark


def flags(rows: list[dict]) -> list[dict]:
    """What needs the group's attention, each with a plain reason (never colour alone)."""
    out = []
    for row in rows:
        board = row["board"]
        if board["applies"] and not board["met"]:
            out.append(
                {
                    "partner": row["name"],
                    "rule": "resident_board_member",
                    "message": f"Owns {board['homes']} homes but has fewer than {board['required']} "
                    "resident board member(s).",
                }
            )
        if row["statement"]["current_version"] is None:
            out.append({"partner": row["name"], "rule": "statement", "message": "No published statement."})
        if not row["standard"]["complete"]:
            out.append(
                {
                    "partner": row["name"],
                    "rule": "standard",
                    "message": f"Customer First self-assessment {row['standard']['assessed']} of "
                    f"{row['standard']['commitments']} commitments.",
                }
            )
        if (row["action_plan"] or {}).get("status") != "approved":
            out.append(
                {"partner": row["name"], "rule": "action_plan", "message": "Action plan not approved."}
            )
    return out


def compliance_matrix(group: Organisation, period: Period, actor_id: int | None) -> dict[str, Any]:
    commitments = settings_of(group)["customer_first_commitments"]
    partners = partners_of(group)
    facts = partner_facts(partners, period, actor_id, plugin_kit.today())
    return {
        "period": period.label,
        "commitments": commitments,
        "partners": [
            {
                "id": p.id,
                "slug": p.slug,
                "name": p.name,
                "ratings": {c["key"]: facts[p.id].get("ratings", {}).get(c["key"]) for c in commitments},
                "summary": compliance(facts[p.id].get("ratings", {}), commitments),
            }
            for p in partners
        ],
    }


def statement_statuses(group: Organisation, actor_id: int | None) -> dict[str, Any]:
    partners = partners_of(group)
    facts = partner_facts(
        partners, Period.financial_year_of(plugin_kit.today()), actor_id, plugin_kit.today()
    )
    rows = [
        {
            "partner_id": p.id,
            "slug": p.slug,
            "name": p.name,
            "current_version": (facts[p.id].get("statement") or {}).get("version"),
            "published_at": (facts[p.id].get("statement") or {}).get("published_at"),
            "draft_in_progress": facts[p.id].get("draft_in_progress", False),
        }
        for p in partners
    ]
    return {
        "partners": rows,
        "with_current_statement": sum(1 for r in rows if r["current_version"] is not None),
        "total": len(rows),
    }


def partner_plan(group: Organisation, slug: str, period: Period, actor_id: int | None, today: date) -> dict:
    """One partner's action plan answering ``period``, read by the group (audited, read-only): the
    weaknesses, the actions answering them with their due dates and outputs, and progress. These
    are the plan's own words and figures, never a person's record. An unknown slug, another
    group's partner or a partner not running the plugin is not found."""
    from core.errors import NotFound
    from plugins.partner_statements.services import plans

    partner = next((p for p in partners_of(group) if p.slug == slug), None)
    if partner is None:
        raise NotFound("No such partner.")
    purpose = f"action plan answering {period.label} of partner {partner.slug} for group {group.slug}"
    with group_read_scope([partner.id], actor_id=actor_id, purpose=purpose):
        plan = db.session.scalar(
            select(PartnerActionPlan).where(PartnerActionPlan.assessed_period == period.label)
        )
        described = plans.describe(plan, today) if plan is not None else None
    return {
        "partner": {"name": partner.name, "slug": partner.slug},
        "period": period.label,
        "plan": described,
    }
