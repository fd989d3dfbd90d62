"""Joining and leaving Your Voice, and the member's choice of voucher or charity.

Only members earn points (seed 6.1–6.2). A member has one row for as long as the scheme knows them:
leaving sets ``left_on`` (their points stay theirs and are still converted at the year end) and
rejoining starts a new ``joined_on``. Points are earned only for days inside the current
membership. The choice of retailer and charity is limited to the organisation's lists (6.3, 6.4).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Participant
from core.records import check_reference
from plugins.reward_points.ledger import current_settings, lock_member
from plugins.reward_points.models import RewardMember


def check_choice(settings: dict, reward_choice: str, retailer: str | None, charity: str | None) -> None:
    """422 naming the field unless the choice is one the organisation offers."""
    errors: dict[str, list[str]] = {}
    if reward_choice not in settings["reward_choices"]:
        errors["reward_choice"] = [f"Choose one of: {', '.join(settings['reward_choices'])}."]
    if retailer is not None and retailer not in settings["retailers"]:
        offered = ", ".join(settings["retailers"]) or "none yet"
        errors["retailer"] = [f"Not a retailer on the organisation's list (offered: {offered})."]
    if charity is not None and charity not in settings["charities"]:
        offered = ", ".join(settings["charities"]) or "none yet"
        errors["charity"] = [f"Not a charity on the organisation's list (offered: {offered})."]
    if reward_choice == "charity_donation" and charity is None and "charity" not in errors:
        errors["charity"] = ["A donation needs a nominated charity from the organisation's list."]
    if errors:
        raise ValidationFailed(errors)


def join(values: dict[str, Any]) -> RewardMember:
    settings = current_settings()
    participant_id = values["participant_id"]
    check_reference(Participant, participant_id, "participant_id")
    if db.session.scalar(select(Participant.erased_at).where(Participant.id == participant_id)) is not None:
        raise ValidationFailed({"participant_id": ["This person has been erased."]})
    existing = db.session.scalar(select(RewardMember).where(RewardMember.participant_id == participant_id))
    if existing is not None:
        if existing.left_on is None:
            raise Conflict("This person is already a Your Voice member.")
        raise Conflict("This person left Your Voice; rejoin them (POST …/members/<id>/rejoin) instead.")
    choice = values.get("reward_choice") or settings["default_reward_choice"]
    retailer = values.get("retailer") if choice == "shopping_voucher" else None
    charity = values.get("charity") if choice == "charity_donation" else None
    check_choice(settings, choice, values.get("retailer") if choice == "shopping_voucher" else None, charity)
    member = RewardMember(
        participant_id=participant_id,
        joined_on=values.get("joined_on") or plugin_kit.today(),
        reward_choice=choice,
        retailer=retailer,
        charity=charity,
    )
    db.session.add(member)
    db.session.flush()
    return member


def change_choice(member: RewardMember, values: dict[str, Any]) -> RewardMember:
    settings = current_settings()
    choice = values["reward_choice"]
    retailer = values.get("retailer") if choice == "shopping_voucher" else None
    charity = values.get("charity") if choice == "charity_donation" else None
    check_choice(settings, choice, retailer, charity)
    member = lock_member(member.id)
    member.reward_choice, member.retailer, member.charity = choice, retailer, charity
    member.updated_at = datetime.now(UTC)
    db.session.flush()
    return member


def leave(member: RewardMember, left_on: date | None) -> RewardMember:
    member = lock_member(member.id)
    if member.left_on is not None:
        raise Conflict("This member has already left Your Voice.")
    left_on = left_on or plugin_kit.today()
    if left_on < member.joined_on:
        raise ValidationFailed({"left_on": ["A member cannot leave before they joined."]})
    member.left_on = left_on
    member.updated_at = datetime.now(UTC)
    db.session.flush()
    return member


def rejoin(member: RewardMember, joined_on: date | None) -> RewardMember:
    member = lock_member(member.id)
    if member.left_on is None:
        raise Conflict("This person is already a Your Voice member.")
    joined_on = joined_on or plugin_kit.today()
    if joined_on <= member.left_on:
        raise ValidationFailed({"joined_on": ["Rejoining must be after the day the member left."]})
    member.joined_on, member.left_on = joined_on, None
    member.updated_at = datetime.now(UTC)
    db.session.flush()
    return member


def leave_on_erasure(participant_id: int) -> None:
    """An erased person leaves Your Voice (no more points, no voucher to send); the ledger stays, as
    the year's accounts need it, tied only to the anonymised participant."""
    member = db.session.scalar(select(RewardMember).where(RewardMember.participant_id == participant_id))
    if member is None or member.left_on is not None:
        return
    member = lock_member(member.id)
    member.left_on = max(plugin_kit.today(), member.joined_on)
    member.updated_at = datetime.now(UTC)
    db.session.flush()
