"""RASP, the group's Resident and Service User Panel: partners nominate, the group holds the panel.

Seed 9.1 and 12.4: the panel is made of nominees from across the group and scrutinises the group's
performance indicators. Personal data stays with the partner: the nomination (who, the consent
given and how) is a partner record; the group's panel row holds only a display name and the partner
organisation's id.

Writing that one row into the group's organisation from a partner's request is the only place this
plugin writes across organisations; :func:`_write_to_group_panel` and :func:`_remove_from_group_panel`
are that door, and nothing else uses them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Organisation, Participant
from core.tenancy import organisation_scope
from plugins.partner_statements.models import RaspMember, RaspNomination
from plugins.partner_statements.services.common import group_of


def _write_to_group_panel(group: Organisation, partner: Organisation, nomination: RaspNomination) -> int:
    """Insert the panel row in the group's organisation and return its id.

    Why a second scope here: the panel belongs to the group, but only the partner knows the
    resident and holds their consent, so the partner's nominate action is what must create the row.
    ``organisation_scope(group.id)`` is opened for exactly this one insert, after the consent check,
    and the row carries nothing but the display name and the partner's id.
    """
    with organisation_scope(group.id):
        member = RaspMember(
            partner_id=partner.id,
            nomination_ref=nomination.id,
            display_name=nomination.display_name,
            joined_on=nomination.nominated_on,
        )
        db.session.add(member)
        db.session.flush()
        return member.id


def _remove_from_group_panel(group: Organisation, partner: Organisation, nomination: RaspNomination) -> None:
    """Delete the partner's panel row from the group (consent withdrawn, nominee erased).

    The same narrow door as :func:`_write_to_group_panel`: one statement, in the group's scope,
    limited to this partner's row for this nomination.
    """
    with organisation_scope(group.id):
        db.session.execute(
            delete(RaspMember).where(
                RaspMember.partner_id == partner.id, RaspMember.nomination_ref == nomination.id
            )
        )


def display_name_for(person: Participant, wanted: str | None) -> str:
    return (wanted or f"{person.first_name} {person.last_name}").strip()[:120]


def nominate(partner: Organisation, values: dict, today: date) -> RaspNomination:
    """Record the nomination and put the nominee's name on the group's panel (consent first)."""
    db.session.flush()  # write the partner's pending changes in its own scope before any other opens
    group = group_of(partner)
    if group is None:
        raise Conflict("This organisation is not a partner of a group that runs RASP.")
    if values.get("consent_given") is not True:
        raise Conflict("The resident's consent to share their name with the group must be recorded first.")
    if values["consent_given_on"] > today:
        raise ValidationFailed({"consent_given_on": ["Cannot be in the future."]})
    person = db.session.get(Participant, values["participant_id"])
    if person is None:
        raise ValidationFailed({"participant_id": ["No participant with that id in this organisation."]})
    if person.erased_at is not None:
        raise Conflict("This person has been erased and cannot be nominated.")
    already = db.session.scalar(
        select(RaspNomination.id).where(
            RaspNomination.participant_id == person.id, RaspNomination.status == "nominated"
        )
    )
    if already is not None:
        raise Conflict("This resident is already nominated to RASP.")
    nomination = RaspNomination(
        participant_id=person.id,
        display_name=display_name_for(person, values.get("display_name")),
        consent_given_on=values["consent_given_on"],
        consent_method=values["consent_method"],
        nominated_on=today,
        status="nominated",
    )
    db.session.add(nomination)
    db.session.flush()
    nomination.panel_member_id = _write_to_group_panel(group, partner, nomination)
    db.session.flush()
    return nomination


def withdraw(partner: Organisation, nomination: RaspNomination, today: date) -> RaspNomination:
    """Consent withdrawn (or the nominee stands down): the group's row goes, the partner keeps a
    record that the nomination ended."""
    if nomination.status == "withdrawn":
        raise Conflict("This nomination has already been withdrawn.")
    db.session.flush()
    group = group_of(partner) or _parent_group(partner)
    if group is not None:
        _remove_from_group_panel(group, partner, nomination)
    nomination.status = "withdrawn"
    nomination.withdrawn_on = today
    nomination.panel_member_id = None
    db.session.flush()
    return nomination


def _parent_group(partner: Organisation) -> Organisation | None:
    """The parent group even when it has switched the plugin off: withdrawal must still remove the name."""
    parent = partner.parent()
    return parent if parent is not None and parent.is_group else None


def withdraw_all_for(partner: Organisation, participant_id: int, today: date) -> None:
    for nomination in db.session.scalars(
        select(RaspNomination).where(
            RaspNomination.participant_id == participant_id, RaspNomination.status == "nominated"
        )
    ).all():
        withdraw(partner, nomination, today)


def erase(partner: Organisation, participant_id: int, today: date) -> None:
    """An erased person leaves the panel and their display name is blanked at the partner too."""
    db.session.flush()
    withdraw_all_for(partner, participant_id, today)
    for nomination in db.session.scalars(
        select(RaspNomination).where(RaspNomination.participant_id == participant_id)
    ):
        nomination.display_name = "Erased"
    db.session.flush()


def panel_by_partner() -> dict[int, int]:
    """Group scope: partner id → number of panel members."""
    rows = db.session.execute(
        select(RaspMember.partner_id, func.count(RaspMember.id)).group_by(RaspMember.partner_id)
    )
    return {partner_id: int(n) for partner_id, n in rows}
