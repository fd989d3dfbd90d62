"""Trust membership: tenancy holders may join the Trust, attend its AGM and vote on appointing
Independent Board Members. An AGM is a core activity (kind ``meeting``); attendance here is of
Members only, and each appointment vote is recorded as totals that cannot exceed those present.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Activity, Participant
from core.records import check_reference
from plugins.street_reps.models import AgmAttendance, AgmVote, TrustMember
from plugins.street_reps.services.common import is_tenancy_holder


def register_member(values: dict[str, Any], settings: dict) -> TrustMember:
    check_reference(Participant, values["participant_id"], "participant_id")
    if settings["trust_membership_requires_tenancy"] and not is_tenancy_holder(
        values["participant_id"], settings["tenancy_tenures"]
    ):
        raise Conflict(
            "Membership of the Trust is open to customers who hold a tenancy; this person does not."
        )
    if db.session.scalar(
        select(TrustMember.id).where(TrustMember.participant_id == values["participant_id"])
    ):
        raise Conflict("This person is already a Member of the Trust.")
    member = TrustMember(**values)
    db.session.add(member)
    db.session.flush()
    return member


def record_leaving(member: TrustMember, left_on) -> TrustMember:
    """Record the day a Member left the Trust (once; not before they joined)."""
    if member.left_on is not None:
        raise Conflict(f"This Member already left the Trust on {member.left_on.isoformat()}.")
    if left_on < member.joined_on:
        raise ValidationFailed({"left_on": ["Cannot be before the Member joined the Trust."]})
    member.left_on = left_on
    db.session.flush()
    return member


def _agm(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise ValidationFailed({"activity_id": [f"No activity with id {activity_id} in this organisation."]})
    if activity.kind != "meeting":
        raise ValidationFailed(
            {"activity_id": ["An AGM is a meeting: choose an activity of the kind meeting."]}
        )
    return activity


def record_attendance(activity_id: int, member_ids: list[int]) -> int:
    activity = _agm(activity_id)
    day = plugin_kit.in_london(activity.starts_at).date()  # the AGM's day in the UK, not in UTC
    members = db.session.scalars(select(TrustMember).where(TrustMember.id.in_(member_ids))).all()
    if len(members) != len(set(member_ids)):
        raise ValidationFailed({"member_ids": ["Every id must be a Member of the Trust."]})
    for member in members:
        if member.joined_on > day or (member.left_on is not None and member.left_on < day):
            raise Conflict(f"Member {member.id} was not a Member of the Trust on the day of the AGM.")
    present = set(
        db.session.scalars(select(AgmAttendance.member_id).where(AgmAttendance.activity_id == activity_id))
    )
    for member in members:
        if member.id not in present:
            db.session.add(AgmAttendance(activity_id=activity_id, member_id=member.id))
    db.session.flush()
    return attendance_count(activity_id)


def attendance_count(activity_id: int) -> int:
    return db.session.scalar(
        select(func.count(AgmAttendance.id)).where(AgmAttendance.activity_id == activity_id)
    )


def record_vote(values: dict[str, Any]) -> AgmVote:
    _agm(values["activity_id"])
    present = attendance_count(values["activity_id"])
    cast = values["votes_for"] + values["votes_against"] + values.get("abstentions", 0)
    if cast > present:
        raise Conflict(f"{cast} votes recorded but only {present} Members attended this AGM.")
    if db.session.scalar(
        select(AgmVote.id).where(
            AgmVote.activity_id == values["activity_id"], AgmVote.candidate == values["candidate"]
        )
    ):
        raise Conflict("The vote on this appointment at this AGM is already recorded.")
    vote = AgmVote(appointed=values["votes_for"] > values["votes_against"], **values)
    db.session.add(vote)
    db.session.flush()
    return vote
