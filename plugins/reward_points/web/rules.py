"""A new version of a points rule or of a contribution maximum, added from the page as an
organisation admin would through the plugin settings API (``PUT …/plugins/reward_points``): the
version is loaded through the same schema and saved by the same settings service, so a version
that would apply retroactively or a second version from the same day is refused in the API's
words."""

from __future__ import annotations

from flask import url_for
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import Optional

from core import plugin_kit
from core.errors import ValidationFailed
from core.models.vocab import ACTIVITY_KINDS, BODY_KINDS, LEVELS, PARTICIPATION_ROLES
from core.web.fields import GovDateField
from core.web.toolkit import permission, render_page, save_form
from plugins.reward_points.settings import ContributionAwardSchema, PointsRuleSchema
from plugins.reward_points.web import web_bp

FIELDS = ("involvement_type", "activity_kind", "body_kind", "role", "level", "points", "effective_from")
MAXIMUM_FIELDS = ("applies_to", "max_points", "effective_from")
OCCASIONS = {"meeting": "At a meeting", "open_event": "At an open event"}


def _choices(values, empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(v, v.replace("_", " ").capitalize()) for v in values]


class RuleForm(FlaskForm):
    involvement_type = StringField("Type of involvement", validators=[Optional()])
    activity_kind = SelectField("Kind of activity", validators=[Optional()], validate_choice=False)
    body_kind = SelectField("Kind of group", validators=[Optional()], validate_choice=False)
    role = SelectField("Role", validators=[Optional()], validate_choice=False)
    level = SelectField("Level of involvement", validators=[Optional()], validate_choice=False)
    points = StringField("Points", validators=[Optional()])
    effective_from = GovDateField("In force from", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_kind.choices = _choices(ACTIVITY_KINDS, "Any kind of activity")
        self.body_kind.choices = _choices(BODY_KINDS, "Any group, or none")
        self.role.choices = _choices(PARTICIPATION_ROLES, "Any role")
        self.level.choices = _choices(LEVELS, "Any level")


def _body(form: RuleForm) -> dict:
    body = {name: form[name].data for name in FIELDS}
    text = (body["points"] or "").strip()
    body["points"] = int(text) if text.lstrip("-").isdigit() else (text or None)
    body["effective_from"] = form.effective_from.data.isoformat() if form.effective_from.data else None
    body["involvement_type"] = (body["involvement_type"] or "").strip() or None
    return {k: v for k, v in body.items() if v not in (None, "")}


def _append_version(setting: str, version: dict, names: tuple[str, ...]) -> dict:
    """Append ``version`` to the ``setting`` list (``points_rules`` or ``contribution_awards``)
    through the plugin settings service; its refusals land on the form's fields."""
    versions = plugin_kit.stored_plugin_settings("reward_points").get(setting, [])
    try:
        plugin_kit.save_plugin_settings("reward_points", {setting: [*versions, version]})
    except ValidationFailed as exc:
        raise ValidationFailed(_on_fields(exc.fields, setting, names)) from None
    return version


def add_rule_version(rule: dict) -> dict:
    """Append ``rule`` to the organisation's points rules through the plugin settings service."""
    return _append_version("points_rules", rule, FIELDS)


def add_maximum_version(maximum: dict) -> dict:
    """Append a contribution maximum version through the plugin settings service."""
    return _append_version("contribution_awards", maximum, MAXIMUM_FIELDS)


def _on_fields(problems: dict[str, list[str]], setting: str, names: tuple[str, ...]) -> dict[str, list[str]]:
    """``settings.points_rules.3.points`` → ``points``; anything else stays on the form."""
    mapped: dict[str, list[str]] = {}
    for key, messages in problems.items():
        last = key.rsplit(".", 1)[-1]
        name = last if key.startswith(f"settings.{setting}.") and last in names else "_schema"
        mapped.setdefault(name, []).extend(messages)
    return mapped


@web_bp.route("/rules/new", methods=["GET", "POST"])
@permission("plugins.manage")
def rule_new():
    form = RuleForm()
    done = save_form(
        form,
        PointsRuleSchema(),
        add_rule_version,
        payload=_body,
        success=lambda r: (
            f"The {r['involvement_type'].replace('_', ' ')} rule from {r['effective_from']} has been added."
        ),
        next_url=url_for("plugin_reward_points_web.rules"),
    )
    return done or render_page("reward_points/rule.html", form)


class MaximumForm(FlaskForm):
    applies_to = RadioField("Where the contribution is made", validators=[Optional()], validate_choice=False)
    max_points = StringField("Most points per member for one occasion", validators=[Optional()])
    effective_from = GovDateField("In force from", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.applies_to.choices = list(OCCASIONS.items())


def _maximum_body(form: MaximumForm) -> dict:
    text = (form.max_points.data or "").strip()
    body = {
        "applies_to": form.applies_to.data or None,
        "max_points": int(text) if text.lstrip("-").isdigit() else (text or None),
        "effective_from": form.effective_from.data.isoformat() if form.effective_from.data else None,
    }
    return {k: v for k, v in body.items() if v is not None}


@web_bp.route("/rules/contribution-maximum/new", methods=["GET", "POST"])
@permission("plugins.manage")
def maximum_new():
    form = MaximumForm()
    done = save_form(
        form,
        ContributionAwardSchema(),
        add_maximum_version,
        payload=_maximum_body,
        success=lambda m: (
            f"The most points for a contribution {OCCASIONS[m['applies_to']].lower()} from "
            f"{m['effective_from']} is now {m['max_points']}."
        ),
        next_url=url_for("plugin_reward_points_web.rules"),
    )
    return done or render_page("reward_points/maximum.html", form)
