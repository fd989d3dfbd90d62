"""The yearly action plan: it must answer every weakness of the year before it is approved.

Seed 5.5: the plan says what involvement is planned for the coming year, addresses the weaknesses
raised in the impact assessment, and has a timetable and outputs that can be monitored. Here a
weakness is each Customer First commitment the partner rated "not met" or "partly met" for the
assessed year, each KPI below its target that year (``met`` is False in ``kpi_report``), and any
weakness the group raised in its review. The actions are items of a core ``ActionPlan``; a link
from a weakness to an item carries the outputs that action will deliver, and the item's due date is
its timetable.

Rule (409): a plan is approved only when every current weakness has at least one linked action of
this plan that is not dropped, has a due date and states its outputs. After approval, unlinking the
last action of a weakness is refused for the same reason; dropping or deleting that action (through
the core action plan, which tells the plugin by ``on_action_item_changed``) reopens the plan, which
must then be approved again. Progress is read from the items' status.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.kpis.service import kpi_report
from core.models import ActionPlan, ActionPlanItem
from core.periods import Period
from plugins.partner_statements.models import PartnerActionPlan, StandardAssessment, Weakness, WeaknessAction

FINISHED = ("done", "dropped")
SHORT_OF_MET = {"not_met": "not met", "partly": "partly met"}


def next_year(label: str) -> str:
    first = int(label[:4]) + 1
    return f"{first}-{(first + 1) % 100:02d}"


def create(values: dict, organisation) -> PartnerActionPlan:
    period = values["assessed_period"]
    if db.session.scalar(select(PartnerActionPlan.id).where(PartnerActionPlan.assessed_period == period)):
        raise Conflict(f"There is already an action plan answering {period}.")
    core_plan_id = values.get("action_plan_id")
    if core_plan_id is not None:
        if db.session.scalar(select(ActionPlan.id).where(ActionPlan.id == core_plan_id)) is None:
            raise ValidationFailed({"action_plan_id": [f"No action plan with id {core_plan_id} here."]})
        if db.session.scalar(
            select(PartnerActionPlan.id).where(PartnerActionPlan.action_plan_id == core_plan_id)
        ):
            raise Conflict("That action plan already answers another year's assessment.")
    else:
        core = ActionPlan(
            title=values.get("title") or f"{organisation.name} involvement action plan {next_year(period)}",
            period=next_year(period),
            description=f"Answers the weaknesses raised in the {period} impact assessment.",
        )
        db.session.add(core)
        db.session.flush()
        core_plan_id = core.id
    plan = PartnerActionPlan(assessed_period=period, action_plan_id=core_plan_id, status="draft")
    db.session.add(plan)
    db.session.flush()
    sync_weaknesses(plan, organisation)
    return plan


def found_weaknesses(plan: PartnerActionPlan, organisation) -> dict[tuple[str, str], tuple[str, str]]:
    """(source, key) → (title, detail) of what the records show for the assessed year."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    short = db.session.scalars(
        select(StandardAssessment)
        .where(
            StandardAssessment.period == plan.assessed_period,
            StandardAssessment.rating.in_(list(SHORT_OF_MET)),
        )
        .order_by(StandardAssessment.commitment_ref)
    )
    for row in short:
        found[("commitment", row.commitment_key)] = (
            f"Customer First {row.commitment_ref} {SHORT_OF_MET[row.rating]}: {row.commitment_title}"[:300],
            (row.evidence or "")[:500],
        )
    report = kpi_report(organisation, Period.parse(plan.assessed_period))
    for kpi in report["kpis"]:
        if kpi["met"] is False:
            found[("kpi", kpi["code"])] = (
                f"Below target: {kpi['title']}",
                f"{kpi['value']} against a target of {kpi['target']} in {plan.assessed_period}",
            )
    return found


def sync_weaknesses(plan: PartnerActionPlan, organisation) -> None:
    """Bring the plan's weaknesses in line with the records (idempotent; review ones are kept)."""
    found = found_weaknesses(plan, organisation)
    stored = {
        (w.source, w.key): w for w in db.session.scalars(select(Weakness).where(Weakness.plan_id == plan.id))
    }
    for (source, key), (title, detail) in found.items():
        weakness = stored.get((source, key))
        if weakness is None:
            db.session.add(Weakness(plan_id=plan.id, source=source, key=key, title=title, detail=detail))
        else:
            weakness.title, weakness.detail, weakness.current = title, detail, True
    for (source, key), weakness in stored.items():
        if source != "review" and (source, key) not in found:
            weakness.current = False
    db.session.flush()


def add_review_weakness(plan: PartnerActionPlan, values: dict) -> Weakness:
    count = db.session.scalar(
        select(func.count(Weakness.id)).where(Weakness.plan_id == plan.id, Weakness.source == "review")
    )
    weakness = Weakness(
        plan_id=plan.id,
        source="review",
        key=f"review-{count + 1}",
        title=values["title"],
        detail=values.get("detail"),
    )
    db.session.add(weakness)
    db.session.flush()
    return weakness


def _valid_links(plan: PartnerActionPlan):
    """Links that count as answering a weakness: an item of this plan, not dropped, with outputs."""
    return (
        select(WeaknessAction.weakness_id, func.count(WeaknessAction.id))
        .join(ActionPlanItem, ActionPlanItem.id == WeaknessAction.action_item_id)
        .where(
            ActionPlanItem.plan_id == plan.action_plan_id,
            ActionPlanItem.status != "dropped",
            ActionPlanItem.due_on.is_not(None),
            func.length(func.trim(WeaknessAction.outputs)) > 0,
        )
        .group_by(WeaknessAction.weakness_id)
    )


def unaddressed(plan: PartnerActionPlan) -> list[Weakness]:
    answered = dict(db.session.execute(_valid_links(plan)).all())
    weaknesses = db.session.scalars(
        select(Weakness).where(Weakness.plan_id == plan.id, Weakness.current.is_(True)).order_by(Weakness.id)
    )
    return [w for w in weaknesses if not answered.get(w.id)]


def reopen_if_unanswered(core_plan_id: int) -> PartnerActionPlan | None:
    """An approved plan whose weakness has lost its last valid action goes back for approval.

    Called when an item of the core action plan ``core_plan_id`` was dropped or deleted; returns
    the reopened plan, or None when nothing changed (no plan, not approved, every weakness still
    answered)."""
    plan = db.session.scalar(
        select(PartnerActionPlan).where(PartnerActionPlan.action_plan_id == core_plan_id)
    )
    if plan is None or plan.status != "approved" or not unaddressed(plan):
        return None
    plan.status, plan.approved_on, plan.approved_by_id = "reopened", None, None
    db.session.flush()
    return plan


def approve(plan: PartnerActionPlan, organisation, enforce: bool, user_id: int | None, today: date):
    if plan.status == "approved":
        raise Conflict("This action plan is already approved.")
    sync_weaknesses(plan, organisation)
    missing = unaddressed(plan)
    if enforce and missing:
        raise Conflict(
            f"{len(missing)} weakness(es) have no action with a timetable and outputs yet: "
            + "; ".join(w.title for w in missing),
            {"weaknesses": [f"{w.id}: {w.title}" for w in missing]},
        )
    plan.status, plan.approved_on, plan.approved_by_id = "approved", today, user_id
    db.session.flush()
    return plan


def link(plan: PartnerActionPlan, weakness: Weakness, values: dict) -> WeaknessAction:
    item = db.session.get(ActionPlanItem, values["action_item_id"])
    if item is None or item.plan_id != plan.action_plan_id:
        raise ValidationFailed({"action_item_id": ["Must be an item of this plan's action plan."]})
    if item.status == "dropped":
        raise Conflict("A dropped action cannot answer a weakness.")
    exists = db.session.scalar(
        select(WeaknessAction).where(
            WeaknessAction.weakness_id == weakness.id, WeaknessAction.action_item_id == item.id
        )
    )
    if exists is not None:
        raise Conflict("That action is already linked to this weakness.")
    link_row = WeaknessAction(
        weakness_id=weakness.id, action_item_id=item.id, outputs=values["outputs"].strip()
    )
    db.session.add(link_row)
    db.session.flush()
    return link_row


def unlink(plan: PartnerActionPlan, link_row: WeaknessAction) -> None:
    db.session.delete(link_row)
    db.session.flush()
    if plan.status == "approved":
        weakness = db.session.get(Weakness, link_row.weakness_id)
        if weakness is not None and weakness.current and weakness in unaddressed(plan):
            raise Conflict("The plan is approved: every weakness must keep at least one action with outputs.")


def progress(plan: PartnerActionPlan, today: date) -> dict:
    """Items by status, overdue items and the share done (dropped items left out), in one query."""
    rows = db.session.execute(
        select(ActionPlanItem.status, func.count(ActionPlanItem.id))
        .where(ActionPlanItem.plan_id == plan.action_plan_id)
        .group_by(ActionPlanItem.status)
    ).all()
    counts = {status: int(n) for status, n in rows}
    overdue = db.session.scalar(
        select(func.count(ActionPlanItem.id)).where(
            ActionPlanItem.plan_id == plan.action_plan_id,
            ActionPlanItem.due_on < today,
            ActionPlanItem.status.not_in(FINISHED),
        )
    )
    live = sum(n for s, n in counts.items() if s != "dropped")
    done = counts.get("done", 0)
    return {
        "by_status": counts,
        "items": live,
        "done": done,
        "overdue": int(overdue or 0),
        "percent_done": round(done * 100 / live, 1) if live else None,
    }


def describe(plan: PartnerActionPlan, today: date) -> dict:
    core = db.session.get(ActionPlan, plan.action_plan_id)
    weaknesses = db.session.scalars(
        select(Weakness).where(Weakness.plan_id == plan.id).order_by(Weakness.id)
    ).all()
    links = db.session.execute(
        select(WeaknessAction, ActionPlanItem)
        .join(ActionPlanItem, ActionPlanItem.id == WeaknessAction.action_item_id)
        .where(WeaknessAction.weakness_id.in_([w.id for w in weaknesses] or [0]))
        .order_by(WeaknessAction.id)
    ).all()
    missing = {w.id for w in unaddressed(plan)}
    by_weakness: dict[int, list] = {}
    for link_row, item in links:
        by_weakness.setdefault(link_row.weakness_id, []).append(
            {
                "link_id": link_row.id,
                "action_item_id": item.id,
                "title": item.title,
                "due_on": item.due_on.isoformat(),
                "status": item.status,
                "outputs": link_row.outputs,
            }
        )
    return {
        "id": plan.id,
        "assessed_period": plan.assessed_period,
        "action_plan_id": plan.action_plan_id,
        "action_plan_title": core.title if core else None,
        "action_plan_period": core.period if core else None,
        "status": plan.status,
        "approved_on": plan.approved_on,
        "weaknesses": [
            {
                "id": w.id,
                "source": w.source,
                "key": w.key,
                "title": w.title,
                "detail": w.detail,
                "current": w.current,
                "actions": by_weakness.get(w.id, []),
                "addressed": w.id not in missing,
            }
            for w in weaknesses
        ],
        "unaddressed": len(missing),
        "progress": progress(plan, today),
    }
