"""Community Engagement Forums: one customer-led forum per management area, their seats and challenges.

A forum is a core ``Body`` of kind ``forum`` (so meetings, attendance and memberships use the core
records) with a plugin row giving its slot. The seat rules live in :func:`check_forum_seat`, which
core calls through ``validate_membership`` for every seat change, whichever endpoint made it: a
chair must be a resident, and a resident of another management area needs a recorded reason. That
reason can only be given through the plugin's member endpoint, which hands it to the check through
a context variable for the length of one call and then stores it with the seat.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import func, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Area, Body, BodyMembership, Household, Participant
from core.records import apply, check_reference
from plugins.customer_voice.models import Challenge, Forum, ForumMemberReason, ScrutinyGroup
from plugins.customer_voice.settings import current_settings

_pending_reason: ContextVar[str | None] = ContextVar("customer_voice_other_area_reason", default=None)


# -- creating the forums and the scrutiny group ------------------------------------------------------


def ensure_structures(settings: dict) -> None:
    """Create the missing forums (one per management area, at least ``management_area_count``) and
    the scrutiny group body. Idempotent: existing slots and bodies are left as officers named them."""
    areas = db.session.scalars(
        select(Area).where(Area.kind == "management_area").order_by(Area.name, Area.id)
    ).all()
    existing = {forum.slot: forum for forum in db.session.scalars(select(Forum))}
    linked = set(
        db.session.scalars(
            select(Body.area_id).join(Forum, Forum.body_id == Body.id).where(Body.area_id.is_not(None))
        )
    )
    free_areas = [area for area in areas if area.id not in linked]
    wanted = max(settings["management_area_count"], len(areas))
    for slot in range(1, wanted + 1):
        if slot in existing:
            continue
        area = free_areas.pop(0) if free_areas else None
        name = f"{area.name} Community Engagement Forum" if area else f"Area {slot} forum"
        body = Body(name=name, kind="forum", decision_making=False, area_id=area.id if area else None)
        db.session.add(body)
        db.session.flush()
        db.session.add(Forum(body_id=body.id, slot=slot))
    if db.session.scalar(select(ScrutinyGroup.id).limit(1)) is None:
        body = Body(name=settings["scrutiny_group_name"], kind="scrutiny_panel", decision_making=False)
        db.session.add(body)
        db.session.flush()
        db.session.add(ScrutinyGroup(body_id=body.id))
    db.session.flush()


def scrutiny_body_id() -> int:
    body_id = db.session.scalar(select(ScrutinyGroup.body_id).limit(1))
    if body_id is None:  # enabled before this table existed, or removed by hand
        ensure_structures(current_settings())
        body_id = db.session.scalar(select(ScrutinyGroup.body_id).limit(1))
    return body_id


# -- reading forums ----------------------------------------------------------------------------------


def forum_rows(forum_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Forums with their body, area and number of current members (one statement)."""
    members = (
        select(func.count(BodyMembership.id))
        .where(
            BodyMembership.body_id == Forum.body_id,
            BodyMembership.starts_on <= plugin_kit.today(),
            (BodyMembership.ends_on.is_(None)) | (BodyMembership.ends_on >= plugin_kit.today()),
        )
        .correlate(Forum)
        .scalar_subquery()
    )
    # The area's name by subquery: the tenancy criteria would turn an outer join into an inner one.
    area_name = select(Area.name).where(Area.id == Body.area_id).correlate(Body).scalar_subquery()
    statement = (
        select(Forum, Body, area_name, members).join(Body, Body.id == Forum.body_id).order_by(Forum.slot)
    )
    if forum_ids is not None:
        statement = statement.where(Forum.id.in_(forum_ids))
    return [
        {
            "id": forum.id,
            "slot": forum.slot,
            "body_id": body.id,
            "name": body.name,
            "area_id": body.area_id,
            "area_name": area_name,
            "description": body.description,
            "current_members": count,
        }
        for forum, body, area_name, count in db.session.execute(statement)
    ]


def forum_row(forum: Forum) -> dict[str, Any]:
    return forum_rows([forum.id])[0]


def update_forum(forum: Forum, changes: dict[str, Any]) -> dict[str, Any]:
    """Rename a forum, describe it or link it to its management area (one forum per area)."""
    body = db.session.get(Body, forum.body_id)
    if "area_id" in changes and changes["area_id"] is not None:
        check_reference(Area, changes["area_id"], "area_id")
        area = db.session.get(Area, changes["area_id"])
        if area.kind != "management_area":
            raise ValidationFailed(
                {"area_id": ["A forum covers a management area; this area is a " + area.kind]}
            )
        taken = db.session.scalar(
            select(Forum.id)
            .join(Body, Body.id == Forum.body_id)
            .where(Body.area_id == area.id, Forum.id != forum.id)
        )
        if taken is not None:
            raise Conflict(f"{area.name} already has its Community Engagement Forum.")
    apply(body, changes)
    db.session.flush()
    return forum_row(forum)


# -- who lives where ---------------------------------------------------------------------------------


def management_area_of_area(area_id: int | None) -> int | None:
    """The management area an area lies in (itself, or the nearest ancestor of that kind)."""
    seen = set()
    while area_id is not None and area_id not in seen:
        seen.add(area_id)
        row = db.session.execute(select(Area.kind, Area.parent_id).where(Area.id == area_id)).first()
        if row is None:
            return None
        if row.kind == "management_area":
            return area_id
        area_id = row.parent_id
    return None


def participant_home_area(participant: Participant) -> int | None:
    """The management area of the participant's home, or None when no home is recorded."""
    if participant.household_id is None:
        return None
    area_id = db.session.scalar(select(Household.area_id).where(Household.id == participant.household_id))
    return management_area_of_area(area_id)


# -- seat rules (called by core's validate_membership) ----------------------------------------------


@contextmanager
def other_area_reason(reason: str | None):
    token = _pending_reason.set(reason)
    try:
        yield
    finally:
        _pending_reason.reset(token)


def check_forum_seat(body: Body, membership: BodyMembership) -> None:
    """Refuse a forum seat that breaks the forum's rules (409, saying which)."""
    if db.session.scalar(select(Forum.id).where(Forum.body_id == body.id)) is None:
        return
    settings = current_settings()
    if membership.participant_id is None or membership.seat_type != "resident":
        raise Conflict(
            "Forums are customer-led: every member holds a resident seat as a recorded participant."
        )
    participant = db.session.get(Participant, membership.participant_id)
    home_area = participant_home_area(participant) if participant is not None else None
    no_home = participant is None or participant.household_id is None
    if membership.role == "chair" and settings["forum_chair_must_be_resident"] and no_home:
        raise Conflict("A forum's chair must be a resident: record the chair's home (household) first.")
    if not settings["forum_member_from_other_area_needs_reason"] or body.area_id is None:
        return
    if home_area == body.area_id:
        return
    has_reason = (_pending_reason.get() or "").strip() or (
        membership.id is not None
        and db.session.scalar(
            select(ForumMemberReason.id).where(ForumMemberReason.membership_id == membership.id)
        )
    )
    if not has_reason:
        raise Conflict(
            "This person does not live in the forum's management area: add them through the forum's "
            "members endpoint with other_area_reason recorded."
        )


def add_member(organisation, forum: Forum, values: dict[str, Any]) -> BodyMembership:
    """Give a resident a seat on the forum, recording why when they live in another area."""
    from core.services.governance import add_membership

    body = db.session.get(Body, forum.body_id)
    reason = (values.pop("other_area_reason", None) or "").strip() or None
    with other_area_reason(reason):
        membership = add_membership(organisation, body, {**values, "seat_type": "resident"})
    participant = db.session.get(Participant, membership.participant_id)
    if reason and participant_home_area(participant) != body.area_id:
        db.session.add(ForumMemberReason(membership_id=membership.id, reason=reason))
        db.session.flush()
    return membership


def member_rows(forum: Forum) -> list[dict[str, Any]]:
    name = (
        select(Participant.first_name + " " + Participant.last_name)
        .where(Participant.id == BodyMembership.participant_id)
        .correlate(BodyMembership)
        .scalar_subquery()
    )
    reason = (
        select(ForumMemberReason.reason)
        .where(ForumMemberReason.membership_id == BodyMembership.id)
        .correlate(BodyMembership)
        .scalar_subquery()
    )
    statement = (
        select(BodyMembership, name, reason)
        .where(BodyMembership.body_id == forum.body_id)
        .order_by(BodyMembership.starts_on, BodyMembership.id)
    )
    return [
        {
            "membership_id": m.id,
            "participant_id": m.participant_id,
            "name": full_name or m.external_name,
            "role": m.role,
            "starts_on": m.starts_on,
            "ends_on": m.ends_on,
            "other_area_reason": reason,
        }
        for m, full_name, reason in db.session.execute(statement)
    ]


# -- challenges --------------------------------------------------------------------------------------


def save_challenge(challenge: Challenge, changes: dict[str, Any]) -> Challenge:
    """Raise or progress a challenge: a response needs its text, closing needs the response and an outcome."""
    settings = current_settings()
    area = changes.get("service_area")
    if area is not None and area not in settings["service_areas"]:
        raise ValidationFailed({"service_area": [f"Not one of: {', '.join(settings['service_areas'])}."]})
    merged = {
        name: changes.get(name, getattr(challenge, name))
        for name in (
            "raised_on",
            "response",
            "responded_on",
            "outcome",
            "status",
            "closed_on",
            "response_due_on",
        )
    }
    for later in ("responded_on", "closed_on", "response_due_on"):
        if (
            merged[later] is not None
            and merged["raised_on"] is not None
            and merged[later] < merged["raised_on"]
        ):
            raise ValidationFailed({later: ["Cannot be before the challenge was raised."]})
    if (merged["response"] or "").strip() and merged["responded_on"] is None:
        changes = {**changes, "responded_on": plugin_kit.today()}
        if merged["status"] == "open":
            changes["status"] = "responded"
    if merged["status"] == "closed":
        if not (merged["response"] or "").strip():
            raise Conflict("A challenge is closed only after the landlord has responded to it.")
        if not (merged["outcome"] or "").strip():
            raise ValidationFailed({"outcome": ["Say what the challenge led to before closing it."]})
        if merged["closed_on"] is None:
            changes = {**changes, "closed_on": plugin_kit.today()}
    elif merged["status"] == "responded" and not (merged["response"] or "").strip():
        raise ValidationFailed({"response": ["Record the landlord's response."]})
    apply(challenge, changes)
    if challenge.id is None:
        db.session.add(challenge)
    db.session.flush()
    return challenge
