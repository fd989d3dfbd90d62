"""``/reps``: street representatives and their patches, ``/coverage``, ``/uncovered-streets`` and
the views representatives put forward (``/reps/<id>/views``, ``/views``)."""

from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.lifecycle import permission
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.street_reps.api import blp
from plugins.street_reps.api.common import current_settings
from plugins.street_reps.models import RepView, StreetRep
from plugins.street_reps.schemas import records as s
from plugins.street_reps.services import reps as service


def _rep(rep_id: int) -> StreetRep:
    rep = get_or_404(StreetRep, rep_id, "street representative")
    return service.describe([rep], current_settings()["tenancy_tenures"])[0]


@blp.route("/reps")
class Reps(MethodView):
    @blp.arguments(s.SrRepArgs, location="query")
    @blp.response(200, s.SrRepListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Street representatives with how many households and tenancy holders each speaks for."""
        query = select(StreetRep).order_by(StreetRep.patch_name, StreetRep.id)
        if args.get("current") is not None:
            condition = StreetRep.stood_down_on.is_(None)
            query = query.where(condition if args["current"] else ~condition)
        page = paginate(query, args)
        service.describe(page["items"], current_settings()["tenancy_tenures"])
        return page

    @blp.arguments(s.SrRepSchema)
    @blp.response(201, s.SrRepSchema)
    @permission("street_reps.write")
    def post(self, body):
        """Appoint a representative, optionally with the households of their patch (limit applies)."""
        rep = service.appoint(body, current_settings())
        return _rep(rep.id)


@blp.route("/reps/<int:sr_rep_id>")
class RepDetail(MethodView):
    @blp.response(200, s.SrRepSchema)
    @permission("street_reps.read")
    def get(self, sr_rep_id):
        """One representative."""
        return _rep(sr_rep_id)

    @blp.arguments(s.SrRepUpdateSchema)
    @blp.response(200, s.SrRepSchema)
    @permission("street_reps.write")
    def patch(self, changes, sr_rep_id):
        """Rename the patch, keep notes, or record standing down (frees the patch's households)."""
        rep = service.change_rep(get_or_404(StreetRep, sr_rep_id), changes)
        return _rep(rep.id)


@blp.route("/reps/<int:sr_rep_id>/households")
class RepHouseholds(MethodView):
    @blp.response(200, s.SrPatchSchema)
    @permission("street_reps.read")
    def get(self, sr_rep_id):
        """The households of the representative's patch."""
        rep = _rep(sr_rep_id)
        return {"rep": rep, "households": service.patch_households(rep)}

    @blp.arguments(s.SrHouseholdIdsSchema)
    @blp.response(200, s.SrPatchSchema)
    @permission("street_reps.write")
    def post(self, body, sr_rep_id):
        """Add households to the patch: 409 past the tenancy-holder limit or if one has a representative."""
        rep = get_or_404(StreetRep, sr_rep_id)
        service.add_households(rep, body["household_ids"], current_settings())
        rep = _rep(rep.id)
        return {"rep": rep, "households": service.patch_households(rep)}


@blp.route("/reps/<int:sr_rep_id>/households/<int:household_id>")
class RepHousehold(MethodView):
    @blp.response(204)
    @permission("street_reps.write")
    def delete(self, sr_rep_id, household_id):
        """Take a household out of the patch."""
        service.remove_household(get_or_404(StreetRep, sr_rep_id), household_id)


@blp.route("/reps/<int:sr_rep_id>/households/<int:household_id>/move")
class RepHouseholdMove(MethodView):
    @blp.arguments(s.SrMoveSchema)
    @blp.response(200, s.SrPatchSchema)
    @permission("street_reps.write")
    def post(self, body, sr_rep_id, household_id):
        """Move a household to another representative's patch (that patch's limit applies)."""
        to_rep = service.move_household(
            get_or_404(StreetRep, sr_rep_id), household_id, body["to_rep_id"], current_settings()
        )
        rep = _rep(to_rep.id)
        return {"rep": rep, "households": service.patch_households(rep)}


@blp.route("/coverage")
class Coverage(MethodView):
    @blp.response(200, s.SrCoverageSchema)
    @permission("street_reps.read")
    def get(self):
        """Tenancy-holding households with a representative, overall and per area (sub-areas included)."""
        return service.coverage(current_settings())


@blp.route("/uncovered-streets")
class UncoveredStreets(MethodView):
    @blp.response(200, s.SrUncoveredListSchema)
    @permission("street_reps.read")
    def get(self):
        """Streets and blocks where tenancy-holding households have no representative, most first."""
        items = service.uncovered_streets(current_settings())
        return {"items": items, "total": len(items)}


def _described_views(views):
    day = plugin_kit.today()
    for view in views:
        view.overdue = (
            view.status == "submitted" and view.answer_due_on is not None and view.answer_due_on < day
        )
    return views


@blp.route("/reps/<int:sr_rep_id>/views")
class RepViews(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, s.SrViewListSchema)
    @permission("street_reps.read")
    def get(self, args, sr_rep_id):
        """Views this representative put forward, latest first."""
        query = (
            select(RepView)
            .where(RepView.rep_id == sr_rep_id)
            .order_by(RepView.submitted_on.desc(), RepView.id)
        )
        page = paginate(query, args)
        _described_views(page["items"])
        return page

    @blp.arguments(s.SrViewSchema)
    @blp.response(201, s.SrViewSchema)
    @permission("street_reps.write")
    def post(self, body, sr_rep_id):
        """Record a view on a housing-policy issue; its answer falls due after the set number of days."""
        view = service.submit_view(get_or_404(StreetRep, sr_rep_id), body, current_settings())
        return _described_views([view])[0]


@blp.route("/views")
class Views(MethodView):
    @blp.arguments(s.SrViewArgs, location="query")
    @blp.response(200, s.SrViewListSchema)
    @permission("street_reps.read")
    def get(self, args):
        """Every representative's views; filter by status or ``overdue=true`` (answer past due)."""
        query = select(RepView).order_by(RepView.answer_due_on, RepView.id)
        if "status" in args:
            query = query.where(RepView.status == args["status"])
        if args.get("overdue") is not None:
            condition = service.view_overdue(plugin_kit.today())
            query = query.where(condition if args["overdue"] else ~condition)
        page = paginate(query, args)
        _described_views(page["items"])
        return page


@blp.route("/views/<int:sr_view_id>")
class ViewDetail(MethodView):
    @blp.response(200, s.SrViewSchema)
    @permission("street_reps.read")
    def get(self, sr_view_id):
        """One view with its answer."""
        return _described_views([get_or_404(RepView, sr_view_id)])[0]

    @blp.arguments(s.SrViewAnswerSchema)
    @blp.response(200, s.SrViewSchema)
    @permission("street_reps.write")
    def patch(self, changes, sr_view_id):
        """Answer the view (status answered), or close it once answered."""
        view = service.answer_view(get_or_404(RepView, sr_view_id), changes)
        return _described_views([view])[0]
