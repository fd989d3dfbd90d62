"""The scheme's per-organisation settings: rate, scheme year, choices, and the versioned points rules.

Points rules and contribution maximums are *versioned*: each entry has an ``effective_from`` date
and the version in force on the day a member took part is the one that prices it. Entries already
written keep their points whatever the settings say later, and :func:`refuse_retroactive_change`
stops a settings change from rewriting a version that has already taken effect, so re-recording
an old participation prices it exactly as before.

Settings are stored as JSON, so dates stay ISO strings and the rate stays a decimal string here;
they are parsed where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.models.vocab import ACTIVITY_KINDS, BODY_KINDS, LEVELS, PARTICIPATION_ROLES
from plugins.reward_points.models import REWARD_CHOICES

CONTRIBUTION_OCCASIONS = ("meeting", "open_event")
MAX_POINTS = 100_000


class IsoDate(fields.String):
    """A ``YYYY-MM-DD`` date kept as its ISO string (settings are stored as JSON)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=10))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, date):
            value = value.isoformat()
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError("Not a valid date (YYYY-MM-DD).") from None


class Rate(fields.Field):
    """Pence per point: a positive number with up to 4 decimal places, kept as a decimal string."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | str | float):
            raise ValidationError("Give a number of pence, e.g. 10 or 2.5.")
        try:
            rate = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError("Give a number of pence, e.g. 10 or 2.5.") from None
        if not rate.is_finite() or rate <= 0 or rate > 10_000:
            raise ValidationError("Must be more than 0 and at most 10000 pence per point.")
        if rate != rate.quantize(Decimal("0.0001")):
            raise ValidationError("At most 4 decimal places.")
        return format(rate.normalize(), "f")

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class PointsRuleSchema(Schema):
    involvement_type = fields.String(
        required=True, validate=[validate.Length(min=1, max=60), validate.Regexp(r"^[a-z0-9_]+$")]
    )
    level = fields.String(validate=validate.OneOf(LEVELS))
    activity_kind = fields.String(validate=validate.OneOf(ACTIVITY_KINDS))
    body_kind = fields.String(validate=validate.OneOf(BODY_KINDS))
    role = fields.String(validate=validate.OneOf(PARTICIPATION_ROLES))
    points = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_POINTS))
    effective_from = IsoDate(required=True)


class ContributionAwardSchema(Schema):
    applies_to = fields.String(required=True, validate=validate.OneOf(CONTRIBUTION_OCCASIONS))
    max_points = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_POINTS))
    effective_from = IsoDate(required=True)


def _names() -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        load_default=list,
        validate=lambda names: len(set(names)) == len(names) or _fail("Each name once."),
    )


def _fail(message: str):
    raise ValidationError(message)


class RewardPointsSettings(Schema):
    scheme_name = fields.String(load_default="Your Voice rewards", validate=validate.Length(min=1, max=100))
    members_only = fields.Boolean(load_default=True)
    scheme_year_start_month = fields.Integer(
        load_default=4, strict=True, validate=validate.Range(min=1, max=12)
    )
    scheme_year_start_day = fields.Integer(
        load_default=1, strict=True, validate=validate.Range(min=1, max=28)
    )
    pence_per_point = Rate(load_default="10")
    annual_cap_points = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=MAX_POINTS)
    )
    reward_choices = fields.List(
        fields.String(validate=validate.OneOf(REWARD_CHOICES)),
        load_default=lambda: list(REWARD_CHOICES),
        validate=validate.Length(min=1),
    )
    default_reward_choice = fields.String(
        load_default="shopping_voucher", validate=validate.OneOf(REWARD_CHOICES)
    )
    retailers = _names()
    charities = _names()
    points_rules = fields.List(fields.Nested(PointsRuleSchema), load_default=list)
    contribution_awards = fields.List(fields.Nested(ContributionAwardSchema), load_default=list)
    # Seed 004, 5.1: "The Board will consist of up to twelve board members (including co-opted
    # members)". None leaves the Board's size to its own seats_total.
    board_max_members = fields.Integer(
        load_default=12, allow_none=True, strict=True, validate=validate.Range(min=1, max=100)
    )

    @validates_schema
    def _consistent(self, data, **kwargs):
        errors: dict[str, list[str]] = {}
        if data.get("default_reward_choice", "shopping_voucher") not in data.get(
            "reward_choices", list(REWARD_CHOICES)
        ):
            errors["default_reward_choice"] = ["Must be one of reward_choices."]
        seen = set()
        for rule in data.get("points_rules", []):
            key = (rule["involvement_type"], rule["effective_from"])
            if key in seen:
                errors["points_rules"] = [
                    f"{rule['involvement_type']} has two versions from {rule['effective_from']}."
                ]
            seen.add(key)
        occasions = set()
        for award in data.get("contribution_awards", []):
            key = (award["applies_to"], award["effective_from"])
            if key in occasions:
                errors["contribution_awards"] = [
                    f"{award['applies_to']} has two versions from {award['effective_from']}."
                ]
            occasions.add(key)
        if errors:
            raise ValidationError(errors)


# -- reading the settings -------------------------------------------------------------------


def rate(settings: dict) -> Decimal:
    return Decimal(str(settings.get("pence_per_point", "10")))


def value_in_pence(points: int, pence_per_point: Decimal) -> int:
    """Points → whole pence at the rate, rounded half up (never a float)."""
    return int((Decimal(points) * pence_per_point).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class SchemeYears:
    """Scheme years start on a fixed day each year; a year is named by its first calendar year."""

    start_month: int = 4
    start_day: int = 1

    @classmethod
    def of(cls, settings: dict) -> SchemeYears:
        return cls(settings.get("scheme_year_start_month", 4), settings.get("scheme_year_start_day", 1))

    def year_of(self, day: date) -> int:
        return day.year if (day.month, day.day) >= (self.start_month, self.start_day) else day.year - 1

    def start(self, year: int) -> date:
        return date(year, self.start_month, self.start_day)

    def end(self, year: int) -> date:
        from datetime import timedelta

        return self.start(year + 1) - timedelta(days=1)

    @staticmethod
    def label(year: int) -> str:
        return f"{year}-{(year + 1) % 100:02d}"

    @staticmethod
    def parse(label: str) -> int:
        """``"2025-26"`` → 2025; raises ValueError for anything else."""
        first, _, second = (label or "").partition("-")
        if not (len(first) == 4 and first.isdigit() and len(second) == 2 and second.isdigit()):
            raise ValueError("Use a scheme year like 2025-26.")
        year = int(first)
        if not 1900 <= year <= 2998 or (year + 1) % 100 != int(second):
            raise ValueError("Use a scheme year like 2025-26.")
        return year


CRITERIA = ("activity_kind", "body_kind", "role", "level")


@dataclass(frozen=True)
class Occasion:
    """What a rule is matched against: one participation and its activity's context."""

    day: date
    activity_kind: str
    body_kind: str | None
    role: str
    level: str | None


def in_force(versions: list[dict], key: str, day: date) -> dict[str, dict]:
    """For each value of ``key``, the version with the latest ``effective_from`` on or before ``day``."""
    current: dict[str, dict] = {}
    for version in versions:
        if date.fromisoformat(version["effective_from"]) > day:
            continue
        held = current.get(version[key])
        if held is None or version["effective_from"] > held["effective_from"]:
            current[version[key]] = version
    return current


def rule_for(settings: dict, occasion: Occasion) -> dict | None:
    """The points rule pricing ``occasion``: among the versions in force that day, the matching rule
    with the most criteria (the most specific); between equals, the one listed first."""
    rules = settings.get("points_rules", [])
    current = in_force(rules, "involvement_type", occasion.day)
    best, best_score = None, -1
    for rule in rules:  # listed order breaks ties
        if current.get(rule["involvement_type"]) is not rule:
            continue
        given = [c for c in CRITERIA if rule.get(c) is not None]
        if all(rule[c] == getattr(occasion, c) for c in given) and len(given) > best_score:
            best, best_score = rule, len(given)
    return best


def contribution_maximum(settings: dict, applies_to: str, day: date) -> int | None:
    version = in_force(settings.get("contribution_awards", []), "applies_to", day).get(applies_to)
    return None if version is None else version["max_points"]


def refuse_retroactive_change(before: dict | None, after: dict, today: date) -> dict[str, list[str]]:
    """Problems with changing versioned rules from ``before`` to ``after`` on ``today``.

    A version that has taken effect (``effective_from`` on or before today) must stay exactly as it
    is, and a new version may not start in the past: either would re-price participations already
    recorded. New prices go in as a new version from today or later.
    """
    if not before:
        return {}
    problems: dict[str, list[str]] = {}
    for field, key in (("points_rules", "involvement_type"), ("contribution_awards", "applies_to")):
        old = {(v[key], v["effective_from"]): v for v in before.get(field, [])}
        new = {(v[key], v["effective_from"]): v for v in after.get(field, [])}
        messages = []
        for ident, version in old.items():
            if date.fromisoformat(ident[1]) <= today and new.get(ident) != version:
                messages.append(
                    f"The {ident[0]} version in force from {ident[1]} has already applied and cannot be "
                    "changed or removed; add a new version from today or later."
                )
        for ident in new.keys() - old.keys():
            if date.fromisoformat(ident[1]) < today:
                messages.append(
                    f"The new {ident[0]} version from {ident[1]} would apply retroactively; "
                    "start it today or later."
                )
        if messages:
            problems[f"settings.{field}"] = messages
    return problems


def scheme_year(label: str, field: str = "scheme_year") -> int:
    """A scheme year's label ("2025-26") as its starting year, or a 422 naming ``field``."""
    from core.errors import ValidationFailed

    try:
        return SchemeYears.parse(label)
    except ValueError as exc:
        raise ValidationFailed({field: [str(exc)]}) from None
