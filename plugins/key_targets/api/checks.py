"""``/inspections`` (tenant inspectors' checks of empty homes) and ``/scenarios``, ``/shops`` and
``/mystery-shopping/trend`` (mystery shopping)."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from core.lifecycle import permission
from core.records import get_or_404, paginate
from core.schemas.common import PageArgs
from plugins.key_targets.api import blp, parse_period
from plugins.key_targets.models import Inspection, Scenario, Shop
from plugins.key_targets.schemas import (
    InspectionListSchema,
    KtFindingSchema,
    KtInspectionArgs,
    KtInspectionKpisSchema,
    KtInspectionSchema,
    KtPeriodArgs,
    KtScenarioSchema,
    KtScenarioUpdateSchema,
    KtShopArgs,
    KtShopSchema,
    KtTrendSchema,
    ScenarioListSchema,
    ShopListSchema,
)
from plugins.key_targets.services import inspections, shopping
from plugins.key_targets.services.common import settings


@blp.route("/inspections")
class Inspections(MethodView):
    @blp.arguments(KtInspectionArgs, location="query")
    @blp.response(200, InspectionListSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Inspections of empty homes, latest first."""
        statement = select(Inspection).order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
        if args.get("household_id") is not None:
            statement = statement.where(Inspection.household_id == args["household_id"])
        if args.get("passed") is not None:
            statement = statement.where(Inspection.passed.is_(args["passed"]))
        page = paginate(statement, args)
        inspections.describe_inspections(page["items"])
        return page

    @blp.arguments(KtInspectionSchema)
    @blp.response(201, KtInspectionSchema)
    @blp.alt_response(
        409, description="No checklist configured, or a re-inspection that does not follow a failure"
    )
    @permission("key_targets.write")
    def post(self, values):
        """Record an inspection: ``results`` gives every checklist item once with ``passed`` (and a
        ``comment`` when failed). Each failure becomes an item of the core action plan
        "Tenant inspector actions <year>" (its id is returned as ``action_item_id``)."""
        inspection = inspections.record_inspection(values)
        inspections.describe_inspections([inspection])
        return inspection


@blp.route("/inspections/summary")
class InspectionSummary(MethodView):
    @blp.arguments(KtPeriodArgs, location="query")
    @blp.response(200, KtInspectionKpisSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Homes inspected in the period and the % of first inspections passing, with the checklist."""
        period = parse_period(args["period"])
        return {
            "period": period.label,
            "homes_inspected": inspections.homes_inspected(period),
            "passed_first_time_percent": inspections.first_time_pass_rate(period),
            "checklist": settings()["relet_standard_checklist"],
        }


@blp.route("/inspections/<int:kt_inspection_id>")
class InspectionDetail(MethodView):
    @blp.response(200, KtInspectionSchema)
    @permission("key_targets.read")
    def get(self, kt_inspection_id):
        """One inspection with its results."""
        inspection = get_or_404(Inspection, kt_inspection_id, "inspection")
        inspections.describe_inspections([inspection])
        return inspection


@blp.route("/scenarios")
class Scenarios(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ScenarioListSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Mystery-shopping scenarios."""
        return paginate(select(Scenario).order_by(Scenario.channel, Scenario.id), args)

    @blp.arguments(KtScenarioSchema)
    @blp.response(201, KtScenarioSchema)
    @permission("key_targets.write")
    def post(self, values):
        """Add a scenario on one of the organisation's channels, with the criteria it is scored on."""
        return shopping.save_scenario(None, values)


@blp.route("/scenarios/<int:kt_scenario_id>")
class ScenarioDetail(MethodView):
    @blp.response(200, KtScenarioSchema)
    @permission("key_targets.read")
    def get(self, kt_scenario_id):
        """One scenario."""
        return get_or_404(Scenario, kt_scenario_id, "scenario")

    @blp.arguments(KtScenarioUpdateSchema)
    @blp.response(200, KtScenarioSchema)
    @blp.alt_response(409, description="The criteria of a shopped scenario cannot change")
    @permission("key_targets.write")
    def patch(self, values, kt_scenario_id):
        """Change a scenario, or retire it with ``active: false``."""
        return shopping.save_scenario(get_or_404(Scenario, kt_scenario_id, "scenario"), values)


@blp.route("/shops")
class Shops(MethodView):
    @blp.arguments(KtShopArgs, location="query")
    @blp.response(200, ShopListSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Mystery shops, latest first."""
        statement = select(Shop).order_by(Shop.shopped_on.desc(), Shop.id.desc())
        if args.get("channel"):
            statement = statement.where(Shop.channel == args["channel"])
        if args.get("scenario_id") is not None:
            statement = statement.where(Shop.scenario_id == args["scenario_id"])
        page = paginate(statement, args)
        shopping.describe_shops(page["items"])
        return page

    @blp.arguments(KtShopSchema)
    @blp.response(201, KtShopSchema)
    @blp.alt_response(409, description="The scenario is retired")
    @permission("key_targets.write")
    def post(self, values):
        """Record a shop: ``scores`` maps every criterion of the scenario to 0..max."""
        shop = shopping.record_shop(values)
        shopping.describe_shops([shop])
        return shop


@blp.route("/shops/<int:kt_shop_id>")
class ShopDetail(MethodView):
    @blp.response(200, KtShopSchema)
    @permission("key_targets.read")
    def get(self, kt_shop_id):
        """One shop with its scores and findings."""
        shop = get_or_404(Shop, kt_shop_id, "mystery shop")
        shopping.describe_shops([shop])
        return shop


@blp.route("/shops/<int:kt_shop_id>/findings")
class ShopFindings(MethodView):
    @blp.arguments(KtFindingSchema)
    @blp.response(201, KtFindingSchema)
    @permission("key_targets.write")
    def post(self, values, kt_shop_id):
        """Record a finding; it becomes an item of the core action plan "Mystery shopping actions
        <year>", due on ``due_on``."""
        return shopping.add_finding(get_or_404(Shop, kt_shop_id, "mystery shop"), values)


@blp.route("/mystery-shopping/trend")
class ShoppingTrend(MethodView):
    @blp.arguments(KtPeriodArgs, location="query")
    @blp.response(200, KtTrendSchema)
    @permission("key_targets.read")
    def get(self, args):
        """Score % per channel per quarter of the period (points scored ÷ points possible)."""
        period = parse_period(args["period"])
        return {
            "period": period.label,
            "overall_percent": shopping.overall_score(period),
            "rows": shopping.trend(period),
        }
