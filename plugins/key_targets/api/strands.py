"""``/strands``: the organisation's levels of involvement, their mapping to core records, and growth."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.lifecycle import permission
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.key_targets.api import blp, parse_period
from plugins.key_targets.models import Strand
from plugins.key_targets.schemas import (
    KtGrowthSchema,
    KtImportResultSchema,
    KtPeriodArgs,
    KtStrandLinksSchema,
    KtStrandSchema,
    KtStrandUpdateSchema,
    StrandListSchema,
)
from plugins.key_targets.services.common import same_period_last_year, settings
from plugins.key_targets.services.strands import (
    delete_strand,
    describe_strands,
    ensure_strands,
    growth,
    save_strand,
    set_links,
)


@blp.route("/strands")
class Strands(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, StrandListSchema)
    @permission("key_targets.read")
    def get(self, args):
        """The levels of involvement, in the organisation's order."""
        page = paginate(select(Strand).order_by(Strand.position, Strand.id), args)
        describe_strands(page["items"])
        return page

    @blp.arguments(KtStrandSchema)
    @blp.response(201, KtStrandSchema)
    @blp.alt_response(409, description="Another strand has this key")
    @permission("key_targets.write")
    def post(self, values):
        """Add a strand (its key is unique in the organisation)."""
        strand = save_strand(None, values)
        describe_strands([strand])
        return strand


@blp.route("/strands/sync")
class StrandSync(MethodView):
    @blp.response(200, KtImportResultSchema)
    @permission("key_targets.write")
    def post(self):
        """Add the strands of the plugin settings that the catalogue does not have yet (matched on
        key; strands already there, and officers' edits to them, are left alone). Enabling the
        plugin does this too."""
        return {"created": ensure_strands(settings()["strands"]), "updated": 0}


@blp.route("/strands/growth")
class StrandGrowth(MethodView):
    @blp.arguments(KtPeriodArgs, location="query")
    @blp.response(200, KtGrowthSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Participants per strand in the period against the same period a year earlier, the growth
        % and whether each strand meets the organisation's growth target (``below_target``)."""
        period = parse_period(args["period"])
        return {
            "period": period.label,
            "compared_with": same_period_last_year(period).label,
            "target_percent": settings()["strand_growth_target_percent"],
            "strands": growth(period),
        }


@blp.route("/strands/<int:kt_strand_id>")
class StrandDetail(MethodView):
    @blp.response(200, KtStrandSchema)
    @permission("key_targets.read")
    def get(self, kt_strand_id):
        """One strand with its mapped opportunities and bodies."""
        strand = get_or_404(Strand, kt_strand_id, "strand")
        describe_strands([strand])
        return strand

    @blp.arguments(KtStrandUpdateSchema)
    @blp.response(200, KtStrandSchema)
    @blp.alt_response(409, description="Another strand has this key")
    @permission("key_targets.write")
    def patch(self, values, kt_strand_id):
        """Change a strand (its name, outcome, order, or stop counting it with ``active: false``)."""
        strand = save_strand(get_or_404(Strand, kt_strand_id, "strand"), values)
        describe_strands([strand])
        return strand

    @blp.response(204)
    @permission("key_targets.write")
    def delete(self, kt_strand_id):
        """Remove a strand and its mapping (the core records are untouched)."""
        delete_strand(get_or_404(Strand, kt_strand_id, "strand"))


@blp.route("/strands/<int:kt_strand_id>/links")
class StrandLinks(MethodView):
    @blp.arguments(KtStrandLinksSchema)
    @blp.response(200, KtStrandSchema)
    @permission("key_targets.write")
    def put(self, values, kt_strand_id):
        """Map a strand to core opportunities and bodies: their activities count towards it. Each
        list given replaces the current one; ids must be of this organisation, and at least one
        list is given (422)."""
        strand = get_or_404(Strand, kt_strand_id, "strand")
        set_links(strand, values.get("opportunity_ids"), values.get("body_ids"))
        describe_strands([strand])
        return strand
