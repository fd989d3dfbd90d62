"""``/comparison``: a group's partners side by side on the same KPIs (``?period=2025-26``).

Only for groups (any other organisation: 404) and only for the group's staff; a partner's staff are
not members of the group, so the route is 404 to them as well. Figures are aggregates read through
audited read scopes, with small numbers suppressed (``core.services.comparison``).
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from flask_login import current_user

from core.api.context import require
from core.api.resources import org_blueprint
from core.errors import NotFound
from core.periods import Period
from core.schemas.kpis import ComparisonSchema, PeriodArgs
from core.services.comparison import compare

blp = org_blueprint("comparison", "comparison", "Group comparison: partners side by side on the same KPIs")


def group_comparison(period_label: str) -> dict:
    if not g.organisation.is_group:
        raise NotFound("Only a group has partners to compare.")
    require("group.compare")
    user = g.get("api_user") or current_user
    return compare(g.organisation, Period.parse(period_label), actor_id=user.id)


@blp.route("")
class Comparison(MethodView):
    @blp.arguments(PeriodArgs, location="query")
    @blp.response(200, ComparisonSchema)
    def get(self, args):
        """Every partner's KPIs for a period, with rank, target met or missed, group totals and
        medians, and each partner's impact assessment status for the year."""
        return group_comparison(args["period"])
