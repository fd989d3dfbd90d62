"""Households and participants: searching them, keeping references unique, changing and deleting
them safely; equality monitoring (recorded, objected to, summarised only in suppressed aggregates)
and the customer profile it is compared with. Views call these after checking permissions; every
function works in the organisation scope of the request.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import String, cast, delete, exists, func, select
from sqlalchemy.dialects.postgresql import JSONB

from core import audit, plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import (
    Area,
    BodyMembership,
    ConsultationResponse,
    CustomerProfileCount,
    EqualityMonitoring,
    Household,
    MonitoringObjection,
    Participant,
    Participation,
)
from core.models.base import utcnow
from core.models.vocab import EQUALITY_CATEGORIES, PREFER_NOT_TO_SAY
from core.records import check_reference
from core.services.events import announce, changed_fields

NOT_RECORDED = "not_recorded"
# Fewer people than this in a published cell could single someone out (KPIS.md profile_gap).
SMALL_NUMBER = 5
MAX_PROFILE_COUNT = 100_000_000


# -- searching ---------------------------------------------------------------------------------
def areas_within(area_id: int):
    """Ids of the area and every area inside it (a recursive CTE; UNION also stops any cycle)."""
    tree = select(Area.id).where(Area.id == area_id).cte("area_tree", recursive=True)
    tree = tree.union(select(Area.id).where(Area.parent_id == tree.c.id))
    return select(tree.c.id)


def list_contains(column, value: str):
    """A JSON list column holds ``value`` (JSONB containment on PostgreSQL, json_each on SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column, JSONB).contains([value])
    element = func.json_each(column).table_valued("value")
    return exists(select(element.c.value).where(element.c.value == value))


def _like_json_text(column, term: str):
    """Substring of a JSON column's text, escaped as JSON stores it (ASCII letters in any case)."""
    escaped = json.dumps(term)[1:-1].lower()
    return func.lower(cast(column, String)).contains(escaped, autoescape=True)


def household_query(args: dict[str, Any]):
    query = select(Household).order_by(Household.reference, Household.id)
    if "area_id" in args:
        query = query.where(Household.area_id.in_(areas_within(args["area_id"])))
    if "tenure" in args:
        query = query.where(Household.tenure == args["tenure"])
    if "active" in args:
        query = query.where(Household.active.is_(args["active"]))
    if args.get("postcode"):
        compact = "".join(args["postcode"].split()).upper()
        query = query.where(func.replace(Household.postcode, " ", "").startswith(compact, autoescape=True))
    if "q" in args:
        term = args["q"].strip()
        query = query.where(
            func.lower(Household.reference).contains(term.lower(), autoescape=True)
            | _like_json_text(Household.address_lines, term)
        )
    return query


def participant_query(args: dict[str, Any]):
    query = select(Participant).order_by(Participant.last_name, Participant.first_name, Participant.id)
    if not args.get("include_erased"):
        query = query.where(Participant.erased_at.is_(None))
    if "q" in args:
        term = " ".join(args["q"].split()).lower()
        full_name = func.lower(Participant.first_name + " " + Participant.last_name)
        query = query.where(
            full_name.contains(term, autoescape=True)
            | func.lower(Participant.last_name + " " + Participant.first_name).contains(term, autoescape=True)
            | (func.lower(Participant.reference) == term)
        )
    if "area_id" in args:
        homes = select(Household.id).where(Household.area_id.in_(areas_within(args["area_id"])))
        query = query.where(Participant.household_id.in_(homes))
    if "level" in args:
        query = query.where(Participant.preferred_level == args["level"])
    for arg, column in (
        ("interest", Participant.interests),
        ("format_need", Participant.formats),
        ("access_need", Participant.access_needs),
    ):
        if arg in args:
            query = query.where(list_contains(column, args[arg].strip()))
    if "household_id" in args:
        query = query.where(Participant.household_id == args["household_id"])
    if "is_tenancy_holder" in args:
        query = query.where(Participant.is_tenancy_holder.is_(args["is_tenancy_holder"]))
    if "contact_consent" in args:
        query = query.where(Participant.contact_consent.is_(args["contact_consent"]))
    if "body_id" in args:
        today = plugin_kit.today()
        seated = select(BodyMembership.participant_id).where(
            BodyMembership.body_id == args["body_id"],
            BodyMembership.starts_on <= today,
            (BodyMembership.ends_on.is_(None)) | (BodyMembership.ends_on >= today),
        )
        query = query.where(Participant.id.in_(seated))
    return query


# -- changing records --------------------------------------------------------------------------
def ensure_reference_free(model, reference: str | None, record_id: int | None = None) -> None:
    """409 naming the reference when another record of the organisation already uses it."""
    if reference is None:
        return
    taken = db.session.scalar(select(model.id).where(model.reference == reference))
    if taken is not None and taken != record_id:
        what = "household" if model is Household else "participant"
        raise Conflict(
            f"Another {what} already has the reference {reference!r}.",
            {"reference": [f"{reference!r} is already used."]},
        )


def change(record, changes: dict[str, Any]) -> bool:
    """Set the values that differ (unchanged fields are not rewritten, so not audited)."""
    changed = False
    for key, value in changes.items():
        if getattr(record, key) != value:
            setattr(record, key, value)
            changed = True
    if changed:
        record.updated_at = utcnow()
    return changed


def save_household(household: Household | None, values: dict[str, Any]) -> Household:
    if "area_id" in values:
        check_reference(Area, values["area_id"], "area_id")
    if "reference" in values:
        ensure_reference_free(Household, values["reference"], household.id if household else None)
    changed = changed_fields(household, values)
    if household is None:
        household = Household(**values)
        db.session.add(household)
    else:
        change(household, values)
    db.session.flush()
    if changed:
        announce("on_households_changed", households=[household], changed_fields=changed)
    return household


def delete_household(household: Household) -> None:
    if db.session.scalar(select(Participant.id).where(Participant.household_id == household.id).limit(1)):
        raise Conflict("People are recorded at this household; move or erase them first.")
    db.session.delete(household)


def save_participant(participant: Participant | None, values: dict[str, Any]) -> Participant:
    if participant is not None and participant.erased_at is not None:
        raise Conflict("This participant was erased; their record can no longer be changed.")
    if "household_id" in values:
        check_reference(Household, values["household_id"], "household_id")
    if values.get("reference") is not None:
        ensure_reference_free(Participant, values["reference"], participant.id if participant else None)
    changed = changed_fields(participant, values)
    if participant is None:
        participant = Participant(**values)
        db.session.add(participant)
    else:
        change(participant, values)
    db.session.flush()
    if changed:
        announce("on_participants_changed", participants=[participant], changed_fields=changed)
    return participant


def delete_participant(participant: Participant) -> None:
    """Delete someone recorded by mistake; anyone with a history is erased instead, so counts stay."""
    for model in (Participation, BodyMembership, ConsultationResponse):
        if db.session.scalar(select(model.id).where(model.participant_id == participant.id).limit(1)):
            raise Conflict(
                "This person has taken part (activities, seats or responses); erase them instead "
                "so that the counts stay correct."
            )
    for model in (EqualityMonitoring, MonitoringObjection):
        for row in db.session.scalars(select(model).where(model.participant_id == participant.id)):
            db.session.delete(row)
    db.session.delete(participant)


# -- equality monitoring -----------------------------------------------------------------------
def objection_of(participant: Participant) -> MonitoringObjection | None:
    return db.session.scalar(
        select(MonitoringObjection).where(MonitoringObjection.participant_id == participant.id)
    )


def monitoring_of(participant: Participant) -> EqualityMonitoring | None:
    return db.session.scalar(
        select(EqualityMonitoring).where(EqualityMonitoring.participant_id == participant.id)
    )


def record_equality(participant: Participant, answers: dict[str, str | None]) -> None:
    """Replace the person's answers (the audit log notes which questions changed, not the answers)."""
    if participant.erased_at is not None:
        raise Conflict("This participant was erased.")
    if objection_of(participant) is not None:
        raise Conflict("This person objected in writing to equality monitoring; nothing may be recorded.")
    monitoring = monitoring_of(participant)
    answers = {name: answers.get(name) for name in EQUALITY_CATEGORIES}
    if monitoring is None:
        db.session.add(EqualityMonitoring(participant_id=participant.id, **answers))
    else:
        change(monitoring, answers)
    db.session.flush()


def record_objection(participant: Participant, objected_on: date) -> MonitoringObjection:
    """A written objection: delete the answers and refuse any later ones (idempotent)."""
    objection = objection_of(participant)
    monitoring = monitoring_of(participant)
    if monitoring is not None:
        db.session.delete(monitoring)
    if objection is None:
        objection = MonitoringObjection(participant_id=participant.id, objected_on=objected_on)
        db.session.add(objection)
        audit.record("update", participant, ["monitoring_objection"])
    db.session.flush()
    return objection


def equality_summary(characteristic: str) -> dict[str, Any]:
    """The register's published counts (``core.services.monitoring``: taken once a day, moving only
    when at least 5 answers changed), with small numbers merged into "other" or suppressed (None)."""
    from core.services.monitoring import NOT_TAKEN, register_summary

    published = register_summary(characteristic)
    if published is None:
        return {
            "characteristic": characteristic,
            "threshold": SMALL_NUMBER,
            "counts": {},
            PREFER_NOT_TO_SAY: None,
            NOT_RECORDED: None,
            "as_of": None,
            "reason": NOT_TAKEN,
        }
    by_category = dict(published["counts"])
    prefer_not = by_category.pop(PREFER_NOT_TO_SAY, 0)
    not_recorded = by_category.pop(NOT_RECORDED, 0)
    counts = suppress_small_numbers(characteristic, by_category, prefer_not, not_recorded)
    return {
        "characteristic": characteristic,
        "threshold": SMALL_NUMBER,
        **counts,
        "as_of": published["as_of"],
        "reason": None,
    }


def suppress_small_numbers(
    characteristic: str, by_category: dict[str, int], prefer_not: int, not_recorded: int
) -> dict[str, Any]:
    """Merge categories under the threshold into "other"; hide every cell of 1–4 people (None),
    and when only one cell is hidden hide the next smallest too, so that it cannot be worked out
    by subtracting the others from the number of participants."""
    counts: dict[str, int] = {}
    other = by_category.get("other", 0)
    for category in EQUALITY_CATEGORIES[characteristic]:
        people = by_category.get(category, 0)
        if category == "other":
            continue
        if people >= SMALL_NUMBER:
            counts[category] = people
        else:
            other += people
    if other:
        counts["other"] = other
    cells = {**counts, PREFER_NOT_TO_SAY: prefer_not, NOT_RECORDED: not_recorded}
    hidden = {name for name, people in cells.items() if 0 < people < SMALL_NUMBER}
    if len(hidden) == 1:
        # Even a 0 is hidden then: "the rest are all in the hidden cell" would give it away.
        shown = sorted((people, name) for name, people in cells.items() if name not in hidden)
        if shown:
            hidden.add(shown[0][1])
    published = {name: (None if name in hidden else people) for name, people in cells.items()}
    return {
        "counts": {name: published[name] for name in counts},
        PREFER_NOT_TO_SAY: published[PREFER_NOT_TO_SAY],
        NOT_RECORDED: published[NOT_RECORDED],
    }


# -- customer profile --------------------------------------------------------------------------
def replace_customer_profile(characteristic: str, as_of: date, counts: dict[str, Any]) -> dict[str, Any]:
    """Replace all customers' counts for one characteristic (categories checked against it)."""
    allowed = (*EQUALITY_CATEGORIES[characteristic], PREFER_NOT_TO_SAY, NOT_RECORDED)
    problems = {}
    for category, number in counts.items():
        if category not in allowed:
            problems[f"counts.{category}"] = [
                f"Not a category of {characteristic}: one of {', '.join(allowed)}."
            ]
        elif not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= MAX_PROFILE_COUNT:
            problems[f"counts.{category}"] = ["Must be a whole number, 0 or more."]
    if problems:
        raise ValidationFailed(problems)
    db.session.execute(
        delete(CustomerProfileCount).where(CustomerProfileCount.characteristic == characteristic)
    )
    for category, number in counts.items():
        db.session.add(
            CustomerProfileCount(characteristic=characteristic, category=category, count=number, as_of=as_of)
        )
    db.session.flush()
    return customer_profile(characteristic)


def customer_profile(characteristic: str | None = None) -> list[dict[str, Any]] | dict[str, Any]:
    """The stored profile of one characteristic, or of every characteristic (vocabulary order)."""
    query = select(CustomerProfileCount)
    if characteristic is not None:
        query = query.where(CustomerProfileCount.characteristic == characteristic)
    rows = db.session.scalars(query).all()
    profiles = []
    for name, categories in EQUALITY_CATEGORIES.items():
        if characteristic not in (None, name):
            continue
        order = {c: i for i, c in enumerate((*categories, PREFER_NOT_TO_SAY, NOT_RECORDED))}
        mine = sorted((r for r in rows if r.characteristic == name), key=lambda r: order.get(r.category, 99))
        profiles.append(
            {
                "characteristic": name,
                "as_of": max((r.as_of for r in mine if r.as_of), default=None),
                "counts": {r.category: r.count for r in mine},
                "total": sum(r.count for r in mine),
            }
        )
    return profiles[0] if characteristic is not None else profiles
