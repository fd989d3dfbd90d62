"""The officer's pages (``/o/<slug>/plugins/key_targets/…``): the dashboard (strand growth, overdue
and due-soon targets, inspections, mystery shopping, conferences), the whole plan, and one target
with its progress log. The forms live in ``plan_forms`` (targets, phases, progress, deadlines, CSV
import, deleting), ``conference`` (the annual conference and its decisions), ``strand_pages`` (levels
of involvement and their links to core records), ``inspection_pages`` (tenant inspectors) and
``shopping_pages`` (mystery shopping). The plugin's pages are drawn as the sub navigation under the
organisation's one navigation."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from core import plugin_kit
from core.errors import ValidationFailed
from core.extensions import db
from core.lifecycle import permission
from core.periods import Period, PeriodError
from core.records import get_or_404
from core.web.views import _org_context
from plugins.key_targets.models import Conference, Phase, Target
from plugins.key_targets.services import inspections, plan, shopping
from plugins.key_targets.services.common import same_period_last_year, settings
from plugins.key_targets.services.conference import describe_conferences
from plugins.key_targets.services.strands import growth

web_bp = Blueprint("plugin_key_targets_web", __name__, template_folder="../templates")

# (label, landing view, prefixes of the views that belong to the section)
SECTIONS = (
    ("Overview", "index", ()),
    ("Key-targets plan", "plan_page", ("plan", "target", "phase", "deadline")),
    ("Levels of involvement", "strands", ("strand",)),
    ("Tenant inspectors", "inspections", ("inspection",)),
    ("Mystery shopping", "shops", ("shop", "scenario")),
    ("Annual conference", "conferences", ("conference",)),
)


@web_bp.context_processor
def _section_pages() -> dict:
    """The plugin's pages as the sub navigation, the current one marked by its view's name."""
    if g.get("organisation") is None or not current_user.is_authenticated:
        return {}
    view = (request.endpoint or "").rsplit(".", 1)[-1]
    current = next((e for _, e, prefixes in SECTIONS if any(view.startswith(p) for p in prefixes)), "index")
    return {
        "section_navigation": [
            {"text": text, "href": url_for(f"{web_bp.name}.{endpoint}"), "current": endpoint == current}
            for text, endpoint, _ in SECTIONS
            if f"{web_bp.name}.{endpoint}" in current_app.view_functions
        ]
    }


def _period() -> Period:
    label = request.args.get("period")
    if not label:
        return Period.financial_year_of(plugin_kit.today())
    try:
        return Period.parse(label)
    except PeriodError as exc:
        raise ValidationFailed({"period": [str(exc)]}) from None


@web_bp.route("/")
@permission("key_targets.read")
def index():
    period = _period()
    overdue = db.session.scalars(plan.target_query({"due": "overdue"}).limit(50)).all()
    due_soon = db.session.scalars(plan.target_query({"due": "due_soon"}).limit(50)).all()
    plan.describe_targets([*overdue, *due_soon])
    phases = dict(db.session.execute(select(Phase.id, Phase.title)).all())
    conferences = db.session.scalars(select(Conference).order_by(Conference.year.desc()).limit(5)).all()
    describe_conferences(conferences)
    return render_template(
        "key_targets/index.html",
        period=period,
        before=same_period_last_year(period),
        config=settings(),
        strands=growth(period),
        overdue=overdue,
        due_soon=due_soon,
        phases=phases,
        homes_inspected=inspections.homes_inspected(period),
        first_time=inspections.first_time_pass_rate(period),
        trend=shopping.trend(period),
        conferences=conferences,
        status_words=plan.STATUS_WORDS,
        **_org_context(),
    )


@web_bp.route("/plan")
@permission("key_targets.read")
def plan_page():
    phases = db.session.scalars(select(Phase).order_by(Phase.starts_on.desc())).all()
    targets = db.session.scalars(select(Target).order_by(Target.phase_id, Target.id)).all()
    plan.describe_targets(targets)
    by_phase: dict[int, list[Target]] = {phase.id: [] for phase in phases}
    for target in plan.in_reference_order(targets):
        by_phase[target.phase_id].append(target)
    return render_template(
        "key_targets/plan.html",
        phases=phases,
        headings={phase.id: plan.phase_heading(phase) for phase in phases},
        by_phase=by_phase,
        status_words=plan.STATUS_WORDS,
        **_org_context(),
    )


@web_bp.route("/targets/<int:kt_target_id>")
@permission("key_targets.read")
def target_page(kt_target_id):
    target = get_or_404(Target, kt_target_id, "target")
    plan.describe_targets([target], with_progress=True)
    phase = db.session.get(Phase, target.phase_id)
    aims = {aim["key"]: aim["label"] for aim in settings()["strategic_aims"]}
    return render_template(
        "key_targets/target.html",
        target=target,
        phase=phase,
        aims=aims,
        status_words=plan.STATUS_WORDS,
        **_org_context(),
    )


from plugins.key_targets.web import (  # noqa: E402, F401  (their routes)
    conference,
    inspection_pages,
    plan_forms,
    shopping_pages,
    strand_pages,
)
