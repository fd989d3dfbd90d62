"""Officers' pages for grants to residents' groups, from application to award, payment and the
monitoring return (seed 001: "start up, annual and development grants to customers' groups"). The
list filters by status and overdue returns; each step is a small form saved by the grants service
the API uses (a group's second start-up grant, an award above the amount asked for, paying a grant
not awarded: refused in the service's words)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Body
from core.records import get_or_404
from core.web.labels import choices
from core.web.toolkit import listing, permission, query_args, render_page, save_form
from plugins.street_reps.models import Grant
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import grants as service
from plugins.street_reps.web import forms, web_bp


def _groups() -> dict[int, str]:
    return dict(db.session.execute(select(Body.id, Body.name).where(Body.kind == service.GROUP_KIND)).all())


@web_bp.route("/grants")
@permission("street_reps.read")
def grant_list():
    args = query_args(s.SrGrantArgs())
    statement = select(Grant)
    if "status" in args:
        statement = statement.where(Grant.status == args["status"])
    if args.get("monitoring_overdue") is not None:
        condition = service.monitoring_overdue(plugin_kit.today())
        statement = statement.where(condition if args["monitoring_overdue"] else ~condition)
    page = listing(
        statement,
        keep=args,
        search=lambda q, text: q.where(Grant.purpose.ilike(f"%{text}%")),
        sorts={"applied": Grant.applied_on, "due": Grant.monitoring_due_on},
        default_sort="applied",
    )
    return render_page(
        "street_reps/grants/list.html",
        listing=page,
        groups=_groups(),
        today=plugin_kit.today(),
        statuses=choices(service.GRANT_STATUSES, "Any status"),
    )


@web_bp.route("/grants/new", methods=["GET", "POST"])
@permission("street_reps.write")
def grant_new():
    settings = current_settings()
    form = forms.GrantForm(grant_types=settings["grant_types"])
    done = save_form(
        form,
        s.SrGrantSchema(),
        lambda values: service.apply_for(values, settings),
        payload=forms.grant_body,
        success="Application recorded.",
        next_url=lambda grant: url_for(".grant_detail", sr_grant_id=grant.id),
    )
    return done or render_page("street_reps/grants/form.html", form)


@web_bp.route("/grants/<int:sr_grant_id>")
@permission("street_reps.read")
def grant_detail(sr_grant_id: int):
    grant = get_or_404(Grant, sr_grant_id, "grant")
    return render_page(
        "street_reps/grants/detail.html",
        grant=grant,
        group=_groups().get(grant.body_id),
        today=plugin_kit.today(),
    )


def _step(grant: Grant, form, schema, save, *, title: str, button: str, success: str, payload=None):
    done = save_form(
        form,
        schema,
        save,
        payload=payload,
        success=success,
        next_url=url_for(".grant_detail", sr_grant_id=grant.id),
    )
    return done or render_page(
        "street_reps/grants/step.html",
        form,
        grant=grant,
        group=_groups().get(grant.body_id),
        title=title,
        button=button,
    )


@web_bp.route("/grants/<int:sr_grant_id>/decision", methods=["GET", "POST"])
@permission("street_reps.grants")
def grant_decision(sr_grant_id: int):
    grant = get_or_404(Grant, sr_grant_id, "grant")
    form = forms.DecisionForm()
    if not form.is_submitted():
        form.decided_on.process(None, plugin_kit.today())
    return _step(
        grant,
        form,
        s.SrGrantDecisionSchema(),
        lambda values: service.decide(grant, values, current_settings()),
        payload=forms.decision_body,
        title="Assess and decide",
        button="Record decision",
        success="Decision recorded.",
    )


@web_bp.route("/grants/<int:sr_grant_id>/payment", methods=["GET", "POST"])
@permission("street_reps.grants")
def grant_payment(sr_grant_id: int):
    grant = get_or_404(Grant, sr_grant_id, "grant")
    form = forms.PaymentForm()
    if not form.is_submitted():
        form.paid_on.process(None, plugin_kit.today())
    return _step(
        grant,
        form,
        s.SrGrantPaymentSchema(),
        lambda values: service.pay(grant, values["paid_on"]),
        title="Record the payment",
        button="Record payment",
        success="Payment recorded (and added to spend, category grants).",
    )


@web_bp.route("/grants/<int:sr_grant_id>/monitoring-return", methods=["GET", "POST"])
@permission("street_reps.write")
def grant_monitoring(sr_grant_id: int):
    grant = get_or_404(Grant, sr_grant_id, "grant")
    form = forms.MonitoringForm()
    if not form.is_submitted():
        form.received_on.process(None, plugin_kit.today())
    return _step(
        grant,
        form,
        s.SrMonitoringReturnSchema(),
        lambda values: service.receive_monitoring(grant, values["received_on"], values.get("notes")),
        title="Record the monitoring return",
        button="Record return",
        success="Monitoring return recorded.",
    )
