"""CHAIN projects (Customers Helping Achieve Improvements Now): task-and-finish groups on a service
area or a policy. The list (by planned end, filtered by status or overdue), starting a project,
one project with its members, recommendations and improvements counted, and changing it: the
plan, or its status with the outcome (completed or abandoned). The forms go through the API's
schemas (``CvProjectSchema``, ``CvProjectUpdateSchema``) and ``projects.save_project``, so a page
refuses what the API refuses in the same words. Members and recommendations are on the project's
core body (its page is linked)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import not_, select

from core.records import get_or_404
from core.web.toolkit import form_payload, listing, permission, query_args, render_page, save_form
from plugins.customer_voice.models import ChainProject
from plugins.customer_voice.schemas import CvProjectArgs, CvProjectSchema, CvProjectUpdateSchema
from plugins.customer_voice.services import projects
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.vocab import CHAIN_STATUSES
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import ProjectForm, label


def _project_page(project: ChainProject) -> str:
    return url_for("plugin_customer_voice_web.project", cv_project_id=project.id)


@web_bp.route("/chain-projects")
@permission("customer_voice.read")
def projects_list():
    """The projects by planned end, filtered by status or overdue (the API's list arguments)."""
    args = query_args(CvProjectArgs())
    statement = select(ChainProject).order_by(ChainProject.planned_end_on, ChainProject.id)
    if "status" in args:
        statement = statement.where(ChainProject.status == args["status"])
    if "overdue" in args:
        overdue = projects.overdue_condition()
        statement = statement.where(overdue if args["overdue"] else not_(overdue))
    page = listing(statement, keep=args)
    page.items = [projects.one_project(p) for p in page.items]
    return render_page(
        "customer_voice/projects.html",
        listing=page,
        label=label,
        statuses=CHAIN_STATUSES,
        chosen=args,
        group_label=current_settings()["task_and_finish_label"],
    )


@web_bp.route("/chain-projects/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def project_new():
    """Start a project (its task group is created for its members)."""
    form = ProjectForm()
    done = save_form(
        form,
        CvProjectSchema(),
        lambda values: projects.save_project(ChainProject(), values),
        payload=lambda f: form_payload(
            f, ["title", "scope_type", "scope", "starts_on", "planned_end_on", "summary"]
        ),
        success=lambda p: f"Project “{p.title}” started.",
        next_url=_project_page,
    )
    return done or render_page("customer_voice/project_form.html", form, project=None)


@web_bp.route("/chain-projects/<int:cv_project_id>")
@permission("customer_voice.read")
def project(cv_project_id: int):
    """One project: scope, plan, status and outcome, with its members, recommendations and improvements."""
    record = projects.one_project(get_or_404(ChainProject, cv_project_id, "project"))
    return render_page("customer_voice/project.html", project=record, label=label)


@web_bp.route("/chain-projects/<int:cv_project_id>/edit", methods=["GET", "POST"])
@permission("customer_voice.write")
def project_edit(cv_project_id: int):
    """Change the plan, or complete or abandon the project with its outcome."""
    record = get_or_404(ChainProject, cv_project_id, "project")
    form = ProjectForm(obj=record)
    done = save_form(
        form,
        CvProjectUpdateSchema(),
        lambda values: projects.save_project(record, values),
        payload=lambda f: form_payload(f, partial=True),
        partial=True,
        success="Project updated.",
        next_url=_project_page(record),
    )
    return done or render_page("customer_voice/project_form.html", form, project=record)
