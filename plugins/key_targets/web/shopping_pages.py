"""Mystery shopping on the officer's pages (seed section 9: "independent feedback on service
standards and delivery"): the shops and the scenarios they test, add a scenario with the criteria it
is scored on, change or retire a scenario (its criteria only until it is shopped), record a shop of
a scenario with a score per criterion, and one shop with its scores and findings — each finding
becomes an action in the action plan. Forms are loaded through the API's schemas and saved by the
shopping service, so a page refuses what the API refuses, in the same words, each on the field it is
about."""

from __future__ import annotations

import re

from flask import url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.models import ActionPlanItem
from core.records import get_or_404
from core.web.fields import GovDateField
from core.web.record_choices import label, optional_id, resident_choices, resident_name
from core.web.toolkit import listing, permission, render_page, save_form
from plugins.key_targets.models import Scenario, Shop
from plugins.key_targets.schemas import (
    KtFindingSchema,
    KtScenarioSchema,
    KtScenarioUpdateSchema,
    KtShopSchema,
)
from plugins.key_targets.services.common import settings
from plugins.key_targets.services.shopping import (
    add_finding,
    describe_shops,
    has_shops,
    record_shop,
    save_scenario,
)
from plugins.key_targets.web import web_bp
from plugins.key_targets.web.renamed import Renamed


def _scenario_titles(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Scenario.id, Scenario.title).where(Scenario.id.in_(ids))).all())


@web_bp.route("/shops")
@permission("key_targets.read")
def shops():
    page = listing(select(Shop).order_by(Shop.shopped_on.desc(), Shop.id.desc()), per_page=25)
    describe_shops(page.items)
    return render_page(
        "key_targets/shops.html",
        listing=page,
        scenarios=_scenario_titles(s.scenario_id for s in page.items),
        label=label,
    )


# -- scenarios -------------------------------------------------------------------------------------


class ScenarioForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    channel = RadioField("Channel", validators=[Optional()], validate_choice=False)
    criteria = TextAreaField("Criteria it is scored on", validators=[Optional()])


def criterion_key(text: str) -> str:
    """ "Was the caller greeted by name?" → "was_the_caller_greeted_by_name" (a key the API takes)."""
    key = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if key and not key[0].isalpha():
        key = f"c_{key}"
    return key[:60].rstrip("_")


def _scenario_body(form: ScenarioForm) -> dict:
    body: dict = {}
    if (form.title.data or "").strip():
        body["title"] = form.title.data.strip()
    if form.channel.data:
        body["channel"] = form.channel.data
    lines = [line.strip() for line in (form.criteria.data or "").splitlines() if line.strip()]
    if lines:
        body["criteria"] = [{"key": criterion_key(line), "label": line} for line in lines]
    return body


def _to_criteria(name: str) -> str | None:
    return "criteria" if name.startswith("criteria.") else None


@web_bp.route("/scenarios")
@permission("key_targets.read")
def scenarios():
    page = listing(select(Scenario).order_by(Scenario.channel, Scenario.id), per_page=50)
    counts = dict(
        db.session.execute(
            select(Shop.scenario_id, func.count(Shop.id))
            .where(Shop.scenario_id.in_([s.id for s in page.items]))
            .group_by(Shop.scenario_id)
        ).all()
    )
    return render_page("key_targets/scenarios.html", listing=page, counts=counts, label=label)


@web_bp.route("/scenarios/new", methods=["GET", "POST"])
@permission("key_targets.write")
def scenario_new():
    form = ScenarioForm()
    form.channel.choices = [(c, label(c)) for c in settings()["mystery_shopping_channels"]]
    renamed = Renamed(KtScenarioSchema(), _to_criteria)
    done = save_form(
        form,
        renamed,
        renamed.save(lambda values: save_scenario(None, values)),
        payload=_scenario_body,
        success=lambda s: f"Scenario {s.title} added.",
        next_url=lambda s: url_for("plugin_key_targets_web.scenario", kt_scenario_id=s.id),
    )
    return done or render_page("key_targets/scenario_form.html", form)


class ScenarioChangeForm(ScenarioForm):
    active = RadioField("In use", validators=[Optional()], validate_choice=False)


def _scenario_changes(scenario: Scenario):
    """The whole form as a PATCH body. A criterion whose words are unchanged keeps its key, so an
    unchanged list is the scenario's own (a shopped scenario's criteria cannot change)."""
    keys = {c["label"]: c["key"] for c in scenario.criteria}

    def body(form: ScenarioChangeForm) -> dict:
        lines = [line.strip() for line in (form.criteria.data or "").splitlines() if line.strip()]
        values: dict = {
            "title": (form.title.data or "").strip(),
            "criteria": [{"key": keys.get(line) or criterion_key(line), "label": line} for line in lines],
        }
        if form.channel.data:
            values["channel"] = form.channel.data
        if form.active.data in ("yes", "no"):
            values["active"] = form.active.data == "yes"
        return values

    return body


@web_bp.route("/scenarios/<int:kt_scenario_id>/edit", methods=["GET", "POST"])
@permission("key_targets.write")
def scenario_edit(kt_scenario_id: int):
    record = get_or_404(Scenario, kt_scenario_id, "scenario")
    form = ScenarioChangeForm()
    form.channel.choices = [(c, label(c)) for c in settings()["mystery_shopping_channels"]]
    form.active.choices = [("yes", "Yes, it takes new shops"), ("no", "No, retire it: it takes no new shops")]
    if not form.is_submitted():
        form.title.process(None, record.title)
        form.channel.process(None, record.channel)
        form.criteria.process(None, "\n".join(c["label"] for c in record.criteria))
        form.active.process(None, "yes" if record.active else "no")
    renamed = Renamed(KtScenarioUpdateSchema(), _to_criteria)
    done = save_form(
        form,
        renamed,
        renamed.save(lambda values: save_scenario(record, values)),
        payload=_scenario_changes(record),
        success=lambda s: f"Scenario {s.title} saved." if s.active else f"Scenario {s.title} retired.",
        next_url=url_for("plugin_key_targets_web.scenario", kt_scenario_id=record.id),
    )
    return done or render_page(
        "key_targets/scenario_change.html", form, scenario=record, shopped=has_shops(record)
    )


@web_bp.route("/scenarios/<int:kt_scenario_id>")
@permission("key_targets.read")
def scenario(kt_scenario_id: int):
    record = get_or_404(Scenario, kt_scenario_id, "scenario")
    page = listing(
        select(Shop).where(Shop.scenario_id == record.id).order_by(Shop.shopped_on.desc(), Shop.id.desc()),
        per_page=25,
    )
    describe_shops(page.items)
    return render_page("key_targets/scenario.html", scenario=record, listing=page, label=label)


# -- shops -----------------------------------------------------------------------------------------


class ShopForm(FlaskForm):
    shopped_on = GovDateField("Date of the shop", validators=[Optional()])
    shopper_id = SelectField("Mystery shopper", validators=[Optional()], validate_choice=False)
    notes = TextAreaField("Notes", validators=[Optional()])


def _shop_form(scenario: Scenario) -> ShopForm:
    """The form with a score question for each criterion of the scenario."""

    class ScoresForm(ShopForm):
        pass

    for criterion in scenario.criteria:
        setattr(
            ScoresForm,
            f"score_{criterion['key']}",
            RadioField(criterion["label"], validators=[Optional()], validate_choice=False),
        )
    form = ScoresForm()
    maximum = settings()["mystery_shopping_max_score"]
    for criterion in scenario.criteria:
        form[f"score_{criterion['key']}"].choices = [(str(n), str(n)) for n in range(maximum + 1)]
    form.shopper_id.choices = resident_choices("Not recorded")
    return form


def _shop_body(scenario: Scenario):
    def body(form: ShopForm) -> dict:
        scores = {}
        for criterion in scenario.criteria:
            value = form[f"score_{criterion['key']}"].data
            if value not in (None, ""):
                scores[criterion["key"]] = int(value) if str(value).isdigit() else value
        values: dict = {"scenario_id": scenario.id, "scores": scores}
        if form.shopped_on.data:
            values["shopped_on"] = form.shopped_on.data.isoformat()
        shopper = optional_id(form.shopper_id.data)
        if shopper is not None:
            values["shopper_id"] = shopper
        if (form.notes.data or "").strip():
            values["notes"] = form.notes.data.strip()
        return values

    return body


def _to_score(name: str) -> str | None:
    parts = name.split(".")
    return f"score_{parts[1]}" if parts[0] == "scores" and len(parts) > 1 else None


@web_bp.route("/scenarios/<int:kt_scenario_id>/shops/new", methods=["GET", "POST"])
@permission("key_targets.write")
def shop_new(kt_scenario_id: int):
    record = get_or_404(Scenario, kt_scenario_id, "scenario")
    form = _shop_form(record)
    renamed = Renamed(KtShopSchema(), _to_score)
    done = save_form(
        form,
        renamed,
        renamed.save(record_shop),
        payload=_shop_body(record),
        success="Mystery shop recorded.",
        next_url=lambda s: url_for("plugin_key_targets_web.shop", kt_shop_id=s.id),
    )
    return done or render_page(
        "key_targets/shop_form.html", form, scenario=record, maximum=settings()["mystery_shopping_max_score"]
    )


class FindingForm(FlaskForm):
    text = TextAreaField("What the shopper found", validators=[Optional()])
    action_title = StringField("Action to take", validators=[Optional()])
    due_on = GovDateField("Action due by", validators=[Optional()])
    owner = StringField("Who will do it", validators=[Optional()])


def _shop_page(record: Shop, form: FindingForm):
    describe_shops([record])
    scenario_record = db.session.get(Scenario, record.scenario_id)
    action_ids = [f.action_item_id for f in record.findings if f.action_item_id]
    plans = (
        dict(
            db.session.execute(
                select(ActionPlanItem.id, ActionPlanItem.plan_id).where(ActionPlanItem.id.in_(action_ids))
            ).all()
        )
        if action_ids
        else {}
    )
    return render_page(
        "key_targets/shop.html",
        form,
        shop=record,
        scenario=scenario_record,
        shopper=resident_name(record.shopper_id),
        plans=plans,
        label=label,
        maximum=settings()["mystery_shopping_max_score"],
    )


@web_bp.route("/shops/<int:kt_shop_id>")
@permission("key_targets.read")
def shop(kt_shop_id: int):
    return _shop_page(get_or_404(Shop, kt_shop_id, "mystery shop"), FindingForm())


@web_bp.route("/shops/<int:kt_shop_id>/findings", methods=["POST"])
@permission("key_targets.write")
def shop_finding(kt_shop_id: int):
    record = get_or_404(Shop, kt_shop_id, "mystery shop")
    form = FindingForm()
    done = save_form(
        form,
        KtFindingSchema(),
        lambda values: add_finding(record, values),
        success="Finding recorded and added to the action plan.",
        next_url=url_for("plugin_key_targets_web.shop", kt_shop_id=record.id),
    )
    return done or _shop_page(record, form)
