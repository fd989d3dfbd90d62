"""Officers' pages for estate walkabouts, from the timetable to the published outcome (seed 001,
"Published Estate Walkabouts"): put a walkabout on the timetable, record the day it was agreed
with residents, publish it, record it as held (or cancelled), record the issues found, turn each
into an action with an owner and a due date on the area's neighbourhood action plan, track the
action's progress, and write and publish the outcome. Every step goes through the walkabout
service the API uses, so the timetable rules refuse a page as they refuse the API."""

from __future__ import annotations

from flask import abort, redirect, url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.records import get_or_404
from core.web.forms import EmptyForm
from core.web.labels import choices
from core.web.toolkit import listing, permission, query_args, render_page, save_form
from plugins.street_reps.models import Walkabout, WalkaboutIssue
from plugins.street_reps.schemas import records as s
from plugins.street_reps.services import walkabouts as service
from plugins.street_reps.web import forms, web_bp

STATUSES = ("planned", "held", "cancelled")
# The one-click steps of a walkabout's life, each a change the API's PATCH accepts.
STEPS = {
    "publish": ({"published": True}, "Walkabout published on the timetable."),
    "unpublish": ({"published": False}, "Walkabout taken off the public timetable."),
    "held": ({"status": "held"}, "Walkabout recorded as held. Record the issues found."),
    "cancel": ({"status": "cancelled"}, "Walkabout cancelled."),
    "publish-outcome": (None, "Outcome published."),
}


def _walkabout(walkabout_id: int) -> Walkabout:
    return service._with_area_names([get_or_404(Walkabout, walkabout_id, "walkabout")])[0]


def _issue(walkabout: Walkabout, issue_id: int) -> WalkaboutIssue:
    issue = get_or_404(WalkaboutIssue, issue_id, "walkabout issue")
    if issue.walkabout_id != walkabout.id:
        abort(404)
    return service.describe_issues([issue])[0]


@web_bp.route("/walkabouts")
@permission("street_reps.read")
def walkabout_list():
    args = query_args(s.SrWalkaboutArgs())
    statement = select(Walkabout)
    if "area_id" in args:
        statement = statement.where(Walkabout.area_id == args["area_id"])
    if "status" in args:
        statement = statement.where(Walkabout.status == args["status"])
    page = listing(
        statement,
        keep=args,
        search=lambda q, text: q.where(Walkabout.title.ilike(f"%{text}%")),
        sorts={"date": Walkabout.starts_at, "title": Walkabout.title},
        default_sort="date",
    )
    service._with_area_names(page.items)
    return render_page(
        "street_reps/walkabouts/list.html",
        listing=page,
        areas=forms.area_choices("Any area"),
        statuses=choices(STATUSES, "Any status"),
    )


@web_bp.route("/walkabouts/new", methods=["GET", "POST"])
@permission("street_reps.write")
def walkabout_new():
    form = forms.WalkaboutForm()
    done = save_form(
        form,
        s.SrWalkaboutSchema(),
        lambda values: service.save_walkabout(Walkabout(), values),
        payload=forms.walkabout_body,
        success=lambda w: f"{w.title} is on the timetable (not yet published).",
        next_url=lambda w: url_for(".walkabout_detail", sr_walkabout_id=w.id),
    )
    return done or render_page("street_reps/walkabouts/form.html", form, walkabout=None)


def _detail(walkabout: Walkabout, form=None, outcome_form=None, step_form=None):
    issues = service.describe_issues(
        db.session.scalars(
            select(WalkaboutIssue)
            .where(WalkaboutIssue.walkabout_id == walkabout.id)
            .order_by(WalkaboutIssue.id)
        ).all()
    )
    if outcome_form is None:
        outcome_form = forms.OutcomeForm(formdata=None, obj=walkabout)
    return render_page(
        "street_reps/walkabouts/detail.html",
        form,
        walkabout=walkabout,
        issues=issues,
        outcome_form=outcome_form,
        step_form=step_form or EmptyForm(),
        today=plugin_kit.today(),
    )


@web_bp.route("/walkabouts/<int:sr_walkabout_id>")
@permission("street_reps.read")
def walkabout_detail(sr_walkabout_id: int):
    return _detail(_walkabout(sr_walkabout_id))


@web_bp.route("/walkabouts/<int:sr_walkabout_id>/edit", methods=["GET", "POST"])
@permission("street_reps.write")
def walkabout_edit(sr_walkabout_id: int):
    walkabout = _walkabout(sr_walkabout_id)
    form = forms.WalkaboutForm(obj=walkabout)
    if not form.is_submitted():
        form.fill(walkabout)
    done = save_form(
        form,
        s.SrWalkaboutUpdateSchema(),
        lambda values: service.save_walkabout(walkabout, values),
        payload=lambda f: forms.walkabout_body(f, partial=True),
        success="Walkabout saved.",
        next_url=url_for(".walkabout_detail", sr_walkabout_id=walkabout.id),
    )
    return done or render_page("street_reps/walkabouts/form.html", form, walkabout=walkabout)


def _step_routes(view):
    for step in STEPS:
        view = web_bp.route(
            f"/walkabouts/<int:sr_walkabout_id>/{step}",
            methods=["POST"],
            defaults={"step": step},
            endpoint=f"walkabout_{step.replace('-', '_')}",
        )(view)
    return view


@_step_routes
@permission("street_reps.write")
def walkabout_step(sr_walkabout_id: int, step: str):
    """Publish, record as held, cancel, or publish the outcome: one button each."""
    walkabout = _walkabout(sr_walkabout_id)
    changes, message = STEPS[step]
    form = EmptyForm()
    done = save_form(
        form,
        s.SrWalkaboutUpdateSchema(),
        lambda values: service.save_walkabout(walkabout, values),
        payload=lambda f: (
            changes if changes is not None else {"outcome_published_on": plugin_kit.today().isoformat()}
        ),
        success=message,
        next_url=url_for(".walkabout_detail", sr_walkabout_id=walkabout.id),
    )
    return done or _detail(walkabout, form, step_form=form)


@web_bp.route("/walkabouts/<int:sr_walkabout_id>/outcome", methods=["POST"])
@permission("street_reps.write")
def walkabout_outcome(sr_walkabout_id: int):
    """Write the outcome (what was found, what is being done), and publish it if asked."""
    walkabout = _walkabout(sr_walkabout_id)
    form = forms.OutcomeForm()

    def body(f) -> dict:
        payload = {"outcome_summary": (f.outcome_summary.data or "").strip() or None}
        if f.publish.data:
            payload["outcome_published_on"] = plugin_kit.today().isoformat()
        return payload

    done = save_form(
        form,
        s.SrWalkaboutUpdateSchema(),
        lambda values: service.save_walkabout(walkabout, values),
        payload=body,
        success=lambda w: "Outcome saved and published." if form.publish.data else "Outcome saved.",
        next_url=url_for(".walkabout_detail", sr_walkabout_id=walkabout.id),
    )
    return done or _detail(walkabout, form, outcome_form=form)


@web_bp.route("/walkabouts/<int:sr_walkabout_id>/issues/new", methods=["GET", "POST"])
@permission("street_reps.write")
def issue_new(sr_walkabout_id: int):
    walkabout = _walkabout(sr_walkabout_id)
    form = forms.IssueForm()
    done = save_form(
        form,
        s.SrIssueSchema(),
        lambda values: service.add_issue(walkabout, values),
        success="Issue recorded. Give it an action with an owner and a due date.",
        next_url=lambda issue: url_for(".action_new", sr_walkabout_id=walkabout.id, sr_issue_id=issue.id),
    )
    return done or render_page("street_reps/walkabouts/issue_form.html", form, walkabout=walkabout)


@web_bp.route("/walkabouts/<int:sr_walkabout_id>/issues/<int:sr_issue_id>/action", methods=["GET", "POST"])
@permission("street_reps.write")
def action_new(sr_walkabout_id: int, sr_issue_id: int):
    """Turn an issue into an action on the area's neighbourhood action plan."""
    walkabout = _walkabout(sr_walkabout_id)
    issue = _issue(walkabout, sr_issue_id)
    if issue.action is not None:
        return redirect(url_for(".action_progress", sr_walkabout_id=walkabout.id, sr_issue_id=issue.id))
    form = forms.ActionForm()
    if not form.is_submitted():
        form.title.data = issue.description[:300]
    done = save_form(
        form,
        s.SrActionSchema(),
        lambda values: service.create_action(walkabout, issue, values),
        success="Action added to the area's neighbourhood action plan.",
        next_url=url_for(".walkabout_detail", sr_walkabout_id=walkabout.id),
    )
    return done or render_page(
        "street_reps/walkabouts/action_form.html", form, walkabout=walkabout, issue=issue
    )


@web_bp.route("/walkabouts/<int:sr_walkabout_id>/issues/<int:sr_issue_id>/progress", methods=["GET", "POST"])
@permission("street_reps.write")
def action_progress(sr_walkabout_id: int, sr_issue_id: int):
    """Record an action's progress: status, owner, due date, notes and outcome."""
    walkabout = _walkabout(sr_walkabout_id)
    issue = _issue(walkabout, sr_issue_id)
    if issue.action is None:
        abort(404)
    form = forms.ActionProgressForm(obj=issue.action)
    done = save_form(
        form,
        s.SrActionUpdateSchema(),
        lambda values: service.update_action(issue, values),
        partial=True,
        payload=lambda f: {
            "status": f.status.data,
            "owner": (f.owner.data or "").strip(),
            **({"due_on": f.due_on.data.isoformat()} if f.due_on.data else {}),
            "progress": (f.progress.data or "").strip() or None,
            "outcome": (f.outcome.data or "").strip() or None,
        },
        success="Action progress saved.",
        next_url=url_for(".walkabout_detail", sr_walkabout_id=walkabout.id),
    )
    return done or render_page(
        "street_reps/walkabouts/progress_form.html", form, walkabout=walkabout, issue=issue
    )
