"""The group's pages beyond the oversight dashboard: the Customer First compliance matrix (each
partner's rating of each commitment for a year, read through the audited oversight reads) and the
RASP panel (each nominee's display name and partner, nothing else). Both exist only on a group."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from core.extensions import db
from core.models import Organisation
from core.web.toolkit import listing, permission, render_page
from plugins.partner_statements.models import RaspMember
from plugins.partner_statements.services import oversight
from plugins.partner_statements.services.common import actor_id, require_group, settings_of
from plugins.partner_statements.web import web_bp
from plugins.partner_statements.web.overview import chosen_year, year_links


@web_bp.route("/compliance")
@permission("group.compare")
def compliance():
    require_group(g.organisation)
    period = chosen_year()
    matrix = oversight.compliance_matrix(g.organisation, period, actor_id())
    return render_page(
        "partner_statements/compliance.html", matrix=matrix, period=period, years=year_links(period)
    )


@web_bp.route("/panel")
@permission("group.compare")
def panel():
    require_group(g.organisation)
    page = listing(
        select(RaspMember),
        sorts={"name": RaspMember.display_name, "joined": RaspMember.joined_on},
        default_sort="name",
    )
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    return render_page(
        "partner_statements/panel.html",
        listing=page,
        partner_names=names,
        rasp_name=settings_of(g.organisation)["rasp_name"],
    )
