"""The Customer Panel: a pool of residents consulted several times a year by post and telephone.

A wave is sent to every member in the pool on the day it goes out, each by their own channel
(one of the ``customer_panel_channels`` setting). Response rates per wave and per channel are
one GROUP BY each.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, or_, select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.kpis.core_kpis import percent
from core.models import Participant
from core.records import apply, check_reference
from plugins.street_reps.models import PanelContact, PanelMember, PanelWave


def add_member(values: dict[str, Any], settings: dict) -> PanelMember:
    check_reference(Participant, values["participant_id"], "participant_id")
    if values["channel"] not in settings["customer_panel_channels"]:
        raise ValidationFailed(
            {"channel": [f"The panel is asked by {', '.join(settings['customer_panel_channels'])}."]}
        )
    if db.session.scalar(
        select(PanelMember.id).where(PanelMember.participant_id == values["participant_id"])
    ):
        raise Conflict("This person is already on the Customer Panel.")
    member = PanelMember(**values)
    db.session.add(member)
    db.session.flush()
    return member


def change_member(member: PanelMember, changes: dict[str, Any], settings: dict) -> PanelMember:
    if "channel" in changes and changes["channel"] not in settings["customer_panel_channels"]:
        raise ValidationFailed({"channel": ["The panel is not asked by that channel."]})
    left_on = changes.get("left_on", member.left_on)
    if left_on is not None and left_on < changes.get("joined_on", member.joined_on):
        raise ValidationFailed({"left_on": ["Cannot be before the member joined the panel."]})
    apply(member, changes)
    db.session.flush()
    return member


def send_wave(values: dict[str, Any]) -> PanelWave:
    """Create a wave and address it to every member in the pool on ``sent_on``."""
    if values["closes_on"] < values["sent_on"]:
        raise ValidationFailed({"closes_on": ["Cannot be before the wave is sent."]})
    members = db.session.execute(
        select(PanelMember.id, PanelMember.channel).where(
            PanelMember.joined_on <= values["sent_on"],
            or_(PanelMember.left_on.is_(None), PanelMember.left_on >= values["sent_on"]),
        )
    ).all()
    if not members:
        raise Conflict("The Customer Panel has no members on that day; add members before sending a wave.")
    wave = PanelWave(**values)
    db.session.add(wave)
    db.session.flush()
    db.session.add_all(PanelContact(wave_id=wave.id, member_id=i, channel=channel) for i, channel in members)
    db.session.flush()
    return wave


def record_response(wave: PanelWave, member_id: int, values: dict[str, Any]) -> PanelContact:
    contact = db.session.scalar(
        select(PanelContact).where(PanelContact.wave_id == wave.id, PanelContact.member_id == member_id)
    )
    if contact is None:
        raise ValidationFailed({"member_id": ["This wave was not sent to that panel member."]})
    if values["responded_on"] < wave.sent_on:
        raise ValidationFailed({"responded_on": ["Cannot be before the wave was sent."]})
    contact.responded_on = values["responded_on"]
    contact.comment = values.get("comment")
    db.session.flush()
    return contact


def response_rates(wave_ids: list[int] | None = None) -> dict[str, Any]:
    """Sent and answered per wave and per (wave, channel)."""
    answered = func.count(case((PanelContact.responded_on.is_not(None), PanelContact.id)))
    conditions = [PanelContact.wave_id.in_(wave_ids)] if wave_ids is not None else []
    per_channel = db.session.execute(
        select(PanelContact.wave_id, PanelContact.channel, func.count(PanelContact.id), answered)
        .where(*conditions)
        .group_by(PanelContact.wave_id, PanelContact.channel)
        .order_by(PanelContact.wave_id, PanelContact.channel)
    ).all()
    waves: dict[int, dict[str, Any]] = {}
    for wave_id, channel, sent, replied in per_channel:
        wave = waves.setdefault(wave_id, {"sent": 0, "responded": 0, "channels": []})
        wave["sent"] += sent
        wave["responded"] += replied
        wave["channels"].append(
            {"channel": channel, "sent": sent, "responded": replied, "response_rate": percent(replied, sent)}
        )
    for wave in waves.values():
        wave["response_rate"] = percent(wave["responded"], wave["sent"])
    return waves


def describe_waves(waves: list[PanelWave]) -> list[PanelWave]:
    rates = response_rates([wave.id for wave in waves])
    for wave in waves:
        figures = rates.get(wave.id, {"sent": 0, "responded": 0, "channels": [], "response_rate": None})
        wave.sent = figures["sent"]
        wave.responded = figures["responded"]
        wave.response_rate = figures["response_rate"]
        wave.channels = figures["channels"]
    return waves
