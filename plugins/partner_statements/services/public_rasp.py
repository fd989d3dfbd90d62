"""What the public RASP page publishes. On the group: the panel's name and, for each active partner
running the plugin, how many of its residents sit on the panel. On a partner: how many of its
residents are nominated, and its group. Counts only: a nominee consented to share their name with
the group, not to be named in public, so no display name is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core.errors import NotFound
from core.extensions import db
from core.models import Organisation
from plugins.partner_statements.models import RaspNomination
from plugins.partner_statements.services.common import group_of, partners_of, settings_of
from plugins.partner_statements.services.rasp import panel_by_partner


@dataclass
class PartnerSeats:
    name: str
    slug: str
    members: int


@dataclass
class PublicRasp:
    panel_name: str
    is_group: bool
    group: Organisation | None
    partners: list[PartnerSeats]
    own_nominees: int


def public_rasp(organisation: Organisation) -> PublicRasp:
    """The group's panel by partner, or a partner's share of it; 404 for a landlord outside a group."""
    if organisation.is_group:
        seats = panel_by_partner()
        partners = [PartnerSeats(p.name, p.slug, seats.get(p.id, 0)) for p in partners_of(organisation)]
        return PublicRasp(settings_of(organisation)["rasp_name"], True, None, partners, sum(seats.values()))
    group = group_of(organisation)
    if group is None:
        raise NotFound("This landlord is not part of a group's resident panel.")
    nominees = db.session.scalar(
        select(func.count(RaspNomination.id)).where(RaspNomination.status == "nominated")
    )
    return PublicRasp(settings_of(organisation)["rasp_name"], False, group, [], int(nominees or 0))
