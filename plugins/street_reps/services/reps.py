"""Street representatives: appointing, patches of households, the tenancy-holder limit, coverage.

Halton's rule: a representative speaks for at most N tenancy holders (the setting
``max_tenancy_holders_per_rep``, 30 for Halton), and a household has one representative at most.
A patch may take in leaseholders' homes too, but only tenancy-holding households count towards the
limit. Adding households locks the representative's row first, so two requests filling the same
patch at once cannot both slip under the limit on PostgreSQL; the unique
``(organisation_id, household_id)`` refuses a household given to two representatives at once.
Coverage and the uncovered streets are aggregates over the area tree (a recursive CTE).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import case, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Area, Household, Participant
from core.records import apply, check_reference
from plugins.street_reps.models import PatchHousehold, RepView, StreetRep
from plugins.street_reps.services.common import tenancy_household

STREET_KINDS = ("street", "block")


def tenancy_holders_in_patch(rep_id: int, tenures) -> int:
    return db.session.scalar(
        select(func.count(PatchHousehold.id))
        .join(Household, Household.id == PatchHousehold.household_id)
        .where(PatchHousehold.rep_id == rep_id, tenancy_household(tenures))
    )


def describe(reps: list[StreetRep], tenures) -> list[StreetRep]:
    """Set ``households`` and ``tenancy_holders`` (counts) and the person's name on each rep."""
    ids = [rep.id for rep in reps]
    if not ids:
        return reps
    rows = db.session.execute(
        select(
            PatchHousehold.rep_id,
            func.count(PatchHousehold.id),
            func.count(case((tenancy_household(tenures), Household.id))),
        )
        .join(Household, Household.id == PatchHousehold.household_id)
        .where(PatchHousehold.rep_id.in_(ids))
        .group_by(PatchHousehold.rep_id)
    ).all()
    counts = {rep_id: (total, holders) for rep_id, total, holders in rows}
    names = dict(
        db.session.execute(
            select(Participant.id, Participant.first_name + " " + Participant.last_name).where(
                Participant.id.in_([rep.participant_id for rep in reps])
            )
        ).all()
    )
    for rep in reps:
        rep.households, rep.tenancy_holders = counts.get(rep.id, (0, 0))
        rep.name = names.get(rep.participant_id)
    return reps


def appoint(values: dict[str, Any], settings: dict) -> StreetRep:
    household_ids = values.pop("household_ids", [])
    check_reference(Participant, values["participant_id"], "participant_id")
    taken = db.session.scalar(
        select(StreetRep.id).where(StreetRep.participant_id == values["participant_id"])
    )
    if taken is not None:
        raise Conflict("This person is already a street representative.")
    rep = StreetRep(**values)
    db.session.add(rep)
    db.session.flush()
    if household_ids:
        add_households(rep, household_ids, settings)
    return rep


def _locked(rep: StreetRep) -> StreetRep:
    """Re-read the representative's row with a lock held to the end of the transaction."""
    return db.session.scalars(
        select(StreetRep)
        .where(StreetRep.id == rep.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def add_households(rep: StreetRep, household_ids: list[int], settings: dict) -> StreetRep:
    """Add households to the patch; refused (409) past the limit or when one has a representative."""
    if rep.stood_down_on is not None:
        raise Conflict("This representative has stood down; their patch cannot grow.")
    wanted = sorted(set(household_ids))
    found = set(db.session.scalars(select(Household.id).where(Household.id.in_(wanted))))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationFailed(
            {"household_ids": [f"No household with id {', '.join(map(str, missing))} in this organisation."]}
        )
    _locked(rep)
    represented = db.session.execute(
        select(Household.reference, PatchHousehold.rep_id)
        .join(PatchHousehold, PatchHousehold.household_id == Household.id)
        .where(Household.id.in_(wanted))
        .order_by(Household.reference)
    ).all()
    others = [reference for reference, rep_id in represented if rep_id != rep.id]
    if others:
        raise Conflict(
            f"A household has one street representative at most: {', '.join(others)} already "
            "has one. Remove it from that patch first."
        )
    already_ids = set(
        db.session.scalars(select(PatchHousehold.household_id).where(PatchHousehold.rep_id == rep.id))
    )
    new = [i for i in wanted if i not in already_ids]
    tenures = settings["tenancy_tenures"]
    adding = db.session.scalar(
        select(func.count(Household.id)).where(Household.id.in_(new), tenancy_household(tenures))
    )
    current = tenancy_holders_in_patch(rep.id, tenures)
    limit = settings["max_tenancy_holders_per_rep"]
    if current + adding > limit:
        raise Conflict(
            f"A street representative speaks for at most {limit} tenancy holders: this patch has "
            f"{current} and these households would bring it to {current + adding}."
        )
    try:
        with db.session.begin_nested():
            for household_id in new:
                db.session.add(
                    PatchHousehold(rep_id=rep.id, household_id=household_id, added_on=plugin_kit.today())
                )
    except IntegrityError:
        raise Conflict(
            "A household has one street representative at most: another patch took one of these "
            "households meanwhile."
        ) from None
    db.session.flush()
    return rep


def remove_household(rep: StreetRep, household_id: int) -> None:
    row = db.session.scalar(
        select(PatchHousehold).where(
            PatchHousehold.rep_id == rep.id, PatchHousehold.household_id == household_id
        )
    )
    if row is None:
        raise ValidationFailed({"household_id": ["This household is not in the representative's patch."]})
    db.session.delete(row)


def change_rep(rep: StreetRep, changes: dict[str, Any]) -> StreetRep:
    """Rename the patch, keep notes, or record standing down (frees the patch's households)."""
    changes = dict(changes)
    if "stood_down_on" in changes:
        stand_down(rep, changes.pop("stood_down_on"))
    apply(rep, changes)
    db.session.flush()
    return rep


def stand_down(rep: StreetRep, on_date) -> StreetRep:
    """The representative stands down: their households are freed for a new representative."""
    if on_date < rep.appointed_on:
        raise ValidationFailed({"stood_down_on": ["Cannot be before the appointment."]})
    rep.stood_down_on = on_date
    db.session.execute(delete(PatchHousehold).where(PatchHousehold.rep_id == rep.id))
    return rep


def move_household(rep: StreetRep, household_id: int, to_rep_id: int, settings: dict) -> StreetRep:
    """Move a household from ``rep``'s patch to another representative's, in one step: the new
    patch's limit and standing apply as when adding it; on a refusal nothing changes (the caller
    rolls back)."""
    check_reference(StreetRep, to_rep_id, "to_rep_id")
    if to_rep_id == rep.id:
        raise ValidationFailed({"to_rep_id": ["Choose another representative's patch."]})
    to_rep = db.session.get(StreetRep, to_rep_id)
    remove_household(rep, household_id)
    db.session.flush()
    return add_households(to_rep, [household_id], settings)


def patch_households(rep: StreetRep) -> list[Household]:
    return db.session.scalars(
        select(Household)
        .join(PatchHousehold, PatchHousehold.household_id == Household.id)
        .where(PatchHousehold.rep_id == rep.id)
        .order_by(Household.reference)
    ).all()


# -- coverage -------------------------------------------------------------------------------


def _area_tree():
    """(ancestor_id, area_id) for every area and each of its descendants, itself included."""
    tree = select(Area.id.label("ancestor_id"), Area.id.label("area_id")).cte("sr_area_tree", recursive=True)
    child = select(tree.c.ancestor_id, Area.id).join(Area, Area.parent_id == tree.c.area_id)
    return tree.union_all(child)


def _covered():
    return exists().where(PatchHousehold.household_id == Household.id)


def coverage(settings: dict) -> dict[str, Any]:
    """Per area (its sub-areas included), tenancy-holding households and how many have a rep."""
    tenures = settings["tenancy_tenures"]
    tree = _area_tree()
    covered = func.count(case((_covered(), Household.id)))
    rows = db.session.execute(
        select(Area.id, Area.name, Area.kind, Area.parent_id, func.count(Household.id), covered)
        .join(tree, tree.c.ancestor_id == Area.id)
        .join(Household, Household.area_id == tree.c.area_id)
        .where(tenancy_household(tenures))
        .group_by(Area.id, Area.name, Area.kind, Area.parent_id)
        .order_by(Area.name, Area.id)
    ).all()
    total, with_rep = db.session.execute(
        select(func.count(Household.id), func.count(case((_covered(), Household.id)))).where(
            tenancy_household(tenures)
        )
    ).one()
    return {
        "tenancy_households": total,
        "covered": with_rep,
        "percent": _percent(with_rep, total),
        "areas": [
            {
                "area_id": area_id,
                "name": name,
                "kind": kind,
                "parent_id": parent_id,
                "tenancy_households": households,
                "covered": covered_count,
                "percent": _percent(covered_count, households),
            }
            for area_id, name, kind, parent_id, households, covered_count in rows
        ],
    }


def uncovered_streets(settings: dict) -> list[dict[str, Any]]:
    """Streets and blocks with tenancy-holding households that no representative speaks for."""
    tenures = settings["tenancy_tenures"]
    uncovered = func.count(case((~_covered(), Household.id)))
    parent = aliased(Area, name="sr_parent_area")
    rows = db.session.execute(
        select(Area.id, Area.name, Area.kind, parent.name, func.count(Household.id), uncovered)
        .join(Household, Household.area_id == Area.id)
        .outerjoin(parent, parent.id == Area.parent_id)
        .where(Area.kind.in_(STREET_KINDS), tenancy_household(tenures))
        .group_by(Area.id, Area.name, Area.kind, parent.name)
        .having(uncovered > 0)
        .order_by(uncovered.desc(), Area.name)
    ).all()
    return [
        {
            "area_id": area_id,
            "name": name,
            "kind": kind,
            "within": within,
            "tenancy_households": households,
            "uncovered": count,
        }
        for area_id, name, kind, within, households, count in rows
    ]


def _percent(part: int, whole: int) -> float | None:
    from core.kpis.core_kpis import percent

    return percent(part, whole)


# -- views on housing-policy issues ----------------------------------------------------------


def submit_view(rep: StreetRep, values: dict[str, Any], settings: dict) -> RepView:
    """A representative puts forward a view; the answer falls due ``view_answer_days`` later."""
    if values["topic"] not in settings["consultation_topics"]:
        raise ValidationFailed(
            {"topic": ["Not one of the housing-policy topics this organisation consults on."]}
        )
    if values["submitted_on"] < rep.appointed_on:
        raise ValidationFailed({"submitted_on": ["Cannot be before the representative was appointed."]})
    view = RepView(
        rep_id=rep.id,
        answer_due_on=values["submitted_on"] + timedelta(days=settings["view_answer_days"]),
        **values,
    )
    db.session.add(view)
    db.session.flush()
    return view


def answer_view(view: RepView, changes: dict[str, Any]) -> RepView:
    """Record the answer (status becomes answered) or close a view after it was answered."""
    if "answer" in changes:
        if not (changes["answer"] or "").strip():
            raise ValidationFailed({"answer": ["Write the answer given to the representative."]})
        view.answer = changes["answer"]
        view.answered_on = changes.get("answered_on") or plugin_kit.today()
        if view.answered_on < view.submitted_on:
            raise ValidationFailed({"answered_on": ["Cannot be before the view was put forward."]})
        view.status = "answered"
    if changes.get("status") == "closed":
        if view.answer is None:
            raise Conflict("A view is answered before it is closed.")
        view.status = "closed"
    db.session.flush()
    return view


def view_overdue(day):
    from sqlalchemy import and_

    return and_(RepView.status == "submitted", RepView.answer_due_on < day)
