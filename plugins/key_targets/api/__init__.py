"""The key_targets API (``/api/v1/orgs/<slug>/plugins/key_targets/…``): one flask-smorest blueprint,
its routes split by part of the issue. Every ``<int:kt_…_id>`` URL parameter is registered with
``url_model`` so another organisation's id is 404 before any body is read."""

from __future__ import annotations

from core.api.blueprint import ApiBlueprint as Blueprint
from core.errors import ValidationFailed
from core.periods import Period, PeriodError
from core.records import url_model
from plugins.key_targets.models import Conference, Deadline, Inspection, Phase, Scenario, Shop, Strand, Target

blp = Blueprint(
    "plugin_key_targets",
    __name__,
    description="Key targets: levels of involvement and their growth, the key-targets plan, tenant "
    "inspectors, mystery shopping and the annual tenants' conference",
)

url_model("kt_strand_id", Strand, "strand")
url_model("kt_phase_id", Phase, "phase")
url_model("kt_target_id", Target, "target")
url_model("kt_deadline_id", Deadline, "deadline")
url_model("kt_inspection_id", Inspection, "inspection")
url_model("kt_scenario_id", Scenario, "scenario")
url_model("kt_shop_id", Shop, "mystery shop")
url_model("kt_conference_id", Conference, "conference")


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise ValidationFailed({"period": [str(exc)]}) from None


def load_routes() -> Blueprint:
    from plugins.key_targets.api import checks, conference, plan, strands  # noqa: F401

    return blp
