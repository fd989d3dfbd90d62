"""Mystery shopping: scenarios tested through a channel (phone, visit, email, web), each shop scored
per criterion, findings turned into core action-plan items, and the trend per channel by quarter.

Rules (each has a test named after it):
* a scenario's channel is one the organisation shops (settings, 422) and its criteria have
  distinct keys (422);
* a shop scores every criterion of its scenario once, from 0 to the organisation's maximum (422);
* a shop is not dated in the future (422); an inactive scenario takes no new shops (409).
A channel's score is the points scored ÷ the points possible × 100, summed in SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, literal, select

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Participant
from core.periods import Period
from core.records import check_reference
from plugins.key_targets.models import Finding, Scenario, Shop, ShopScore
from plugins.key_targets.services.common import action_item, percent, settings

ACTION_PLAN = "Mystery shopping actions"


def save_scenario(scenario: Scenario | None, values: dict[str, Any]) -> Scenario:
    channels = settings()["mystery_shopping_channels"]
    problems: dict[str, list[str]] = {}
    if "channel" in values and values["channel"] not in channels:
        problems["channel"] = [f"This organisation shops these channels: {', '.join(channels)}."]
    if "criteria" in values:
        keys = [c["key"] for c in values["criteria"]]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            problems["criteria"] = [f"Criteria keys given twice: {', '.join(repeated)}."]
    if problems:
        raise ValidationFailed(problems)
    if scenario is None:
        scenario = Scenario(**values)
        db.session.add(scenario)
    else:
        if "criteria" in values and values["criteria"] != scenario.criteria and has_shops(scenario):
            raise Conflict(
                "The scenario has been shopped; add a new scenario instead of changing its criteria."
            )
        for name, value in values.items():
            setattr(scenario, name, value)
    db.session.flush()
    return scenario


def has_shops(scenario: Scenario) -> bool:
    return db.session.scalar(select(Shop.id).where(Shop.scenario_id == scenario.id).limit(1)) is not None


def record_shop(values: dict[str, Any]) -> Shop:
    check_reference(Scenario, values["scenario_id"], "scenario_id")
    check_reference(Participant, values.get("shopper_id"), "shopper_id")
    scenario = db.session.get(Scenario, values["scenario_id"])
    if not scenario.active:
        raise Conflict("The scenario is no longer in use; choose an active scenario.")
    if values["shopped_on"] > plugin_kit.today():
        raise ValidationFailed({"shopped_on": ["A mystery shop cannot be in the future."]})
    maximum = settings()["mystery_shopping_max_score"]
    criteria = [c["key"] for c in scenario.criteria]
    scores = values["scores"]
    problems: dict[str, list[str]] = {}
    for key in criteria:
        if key not in scores:
            problems[f"scores.{key}"] = ["Score every criterion of the scenario."]
        elif not 0 <= scores[key] <= maximum:
            problems[f"scores.{key}"] = [f"Score from 0 to {maximum}."]
    for key in scores:
        if key not in criteria:
            problems[f"scores.{key}"] = ["Not a criterion of this scenario."]
    if problems:
        raise ValidationFailed(problems)
    shop = Shop(
        scenario_id=scenario.id,
        channel=scenario.channel,
        shopped_on=values["shopped_on"],
        shopper_id=values.get("shopper_id"),
        notes=values.get("notes"),
    )
    db.session.add(shop)
    db.session.flush()
    for key in criteria:
        db.session.add(ShopScore(shop_id=shop.id, criterion=key, score=scores[key], max_score=maximum))
    db.session.flush()
    return shop


def add_finding(shop: Shop, values: dict[str, Any]) -> Finding:
    """A finding always becomes an action: the point of mystery shopping is to change the service."""
    item = action_item(
        ACTION_PLAN,
        shop.shopped_on,
        title=values.get("action_title") or values["text"],
        due_on=values["due_on"],
        owner=values.get("owner"),
        progress=None,
    )
    finding = Finding(shop_id=shop.id, text=values["text"], action_item_id=item.id)
    db.session.add(finding)
    db.session.flush()
    return finding


def describe_shops(shops: list[Shop]) -> None:
    ids = [s.id for s in shops]
    scores: dict[int, dict[str, int]] = {i: {} for i in ids}
    totals: dict[int, list[int]] = {i: [0, 0] for i in ids}
    findings: dict[int, list[Finding]] = {i: [] for i in ids}
    if ids:
        for row in db.session.scalars(select(ShopScore).where(ShopScore.shop_id.in_(ids))):
            scores[row.shop_id][row.criterion] = row.score
            totals[row.shop_id][0] += row.score
            totals[row.shop_id][1] += row.max_score
        for finding in db.session.scalars(
            select(Finding).where(Finding.shop_id.in_(ids)).order_by(Finding.id)
        ):
            findings[finding.shop_id].append(finding)
    for shop in shops:
        shop.scores = scores[shop.id]
        shop.score_percent = percent(*totals[shop.id])
        shop.findings = findings[shop.id]


def _quarters(period: Period) -> list[Period]:
    year = period.label[:7]
    return [Period.parse(f"{year}-Q{q}") for q in range(1, 5)] if not period.is_quarter else [period]


def trend(period: Period) -> list[dict[str, Any]]:
    """Score per channel per quarter of P (rows only where shops were made), in one GROUP BY."""
    quarters = _quarters(period)
    quarter = case(
        *[(Shop.shopped_on.between(q.start, q.end), literal(q.label)) for q in quarters], else_=literal("")
    )
    rows = db.session.execute(
        select(
            Shop.channel,
            quarter.label("quarter"),
            func.count(func.distinct(Shop.id)),
            func.sum(ShopScore.score),
            func.sum(ShopScore.max_score),
        )
        .join(
            ShopScore, and_(ShopScore.shop_id == Shop.id, ShopScore.organisation_id == Shop.organisation_id)
        )
        .where(Shop.shopped_on.between(period.start, period.end))
        .group_by(Shop.channel, quarter)
        .order_by(Shop.channel, quarter)
    )
    return [
        {"channel": channel, "quarter": label, "shops": shops, "score_percent": percent(scored, possible)}
        for channel, label, shops, scored, possible in rows
    ]


def overall_score(period: Period) -> float | None:
    scored, possible = db.session.execute(
        select(func.sum(ShopScore.score), func.sum(ShopScore.max_score))
        .join(Shop, and_(Shop.id == ShopScore.shop_id, Shop.organisation_id == ShopScore.organisation_id))
        .where(Shop.shopped_on.between(period.start, period.end))
    ).one()
    return percent(scored, possible)
