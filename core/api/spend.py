"""``/spend``: involvement spend by category in integer pence (grants, expenses, training, events,
rewards, staff, other), optionally tied to an activity, and ``spend/summary?period=`` with the
totals per category for a financial year or quarter (the numerator of spend per household).

A refund or correction is a negative amount with a description of what it corrects; 0 is refused.
"""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.models import Spend
from core.periods import Period
from core.records import get_or_404, paginate, url_model
from core.schemas.outcomes import (
    SpendArgs,
    SpendListSchema,
    SpendSchema,
    SpendSummaryArgs,
    SpendSummarySchema,
    SpendUpdateSchema,
)
from core.services.outcomes import delete_spend, save_spend, spend_summary

blp = org_blueprint("spend", "spend", "Involvement spend in pence, by category")
url_model("spend_id", Spend, "spend record")


@blp.route("")
class SpendRecords(MethodView):
    @blp.arguments(SpendArgs, location="query")
    @blp.response(200, SpendListSchema)
    @permission("records.read")
    def get(self, args):
        """Spend, latest first; filter by category, activity and spent_on from/to."""
        query = select(Spend).order_by(Spend.spent_on.desc(), Spend.id.desc())
        if "category" in args:
            query = query.where(Spend.category == args["category"])
        if "activity_id" in args:
            query = query.where(Spend.activity_id == args["activity_id"])
        if "date_from" in args:
            query = query.where(Spend.spent_on >= args["date_from"])
        if "date_to" in args:
            query = query.where(Spend.spent_on <= args["date_to"])
        return paginate(query, args)

    @blp.arguments(SpendSchema)
    @blp.response(201, SpendSchema)
    @permission("records.write")
    def post(self, body):
        """Record spend (not 0; negative only as a described correction)."""
        return save_spend(None, body)


@blp.route("/summary")
class SpendSummary(MethodView):
    @blp.arguments(SpendSummaryArgs, location="query")
    @blp.response(200, SpendSummarySchema)
    @permission("records.read")
    def get(self, args):
        """Total pence per category for a period (``period=2025-26`` or ``2025-26-Q1``)."""
        return spend_summary(Period.parse(args["period"]))


@blp.route("/<int:spend_id>")
class SpendDetail(MethodView):
    @blp.response(200, SpendSchema)
    @permission("records.read")
    def get(self, spend_id):
        """One spend record."""
        return get_or_404(Spend, spend_id, "spend record")

    @blp.arguments(SpendUpdateSchema)
    @blp.response(200, SpendSchema)
    @permission("records.write")
    def patch(self, changes, spend_id):
        """Change a spend record (the rules apply to the record as it will be)."""
        return save_spend(get_or_404(Spend, spend_id, "spend record"), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, spend_id):
        """Delete a spend record."""
        delete_spend(get_or_404(Spend, spend_id, "spend record"))
