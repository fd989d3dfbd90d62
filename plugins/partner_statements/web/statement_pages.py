"""Statement pages (seed 5.2–5.3): start a new version (its form starts from the published text), change
the draft, approve it, send it back, publish it (the previous version is superseded) or delete an
unwanted draft. Each action calls the same service as the API, so its refusals read the same."""

from __future__ import annotations

from flask import g, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.records import get_or_404
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, permission, render_page, save_form
from plugins.partner_statements.models import Statement
from plugins.partner_statements.schemas import PsStatementCreateSchema, PsStatementUpdateSchema
from plugins.partner_statements.services import statements
from plugins.partner_statements.services.common import actor_id
from plugins.partner_statements.web import web_bp

TEXTS = ("title", "introduction", "encouraging_involvement", "using_feedback")


class StatementForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    introduction = TextAreaField("Introduction", validators=[Optional()])
    encouraging_involvement = TextAreaField("How involvement will be encouraged", validators=[Optional()])
    using_feedback = TextAreaField(
        "How feedback from involvement is used in running the organisation", validators=[Optional()]
    )
    ways_to_get_involved = TextAreaField("Ways to get involved", validators=[Optional()])
    change_summary = StringField("What changed in this version", validators=[Optional()])


def _ways(form: StatementForm) -> list[str]:
    return [line.strip() for line in (form.ways_to_get_involved.data or "").splitlines() if line.strip()]


def new_body(form: StatementForm) -> dict:
    """A new version: the form starts from the published text, so what is sent is the whole draft."""
    body: dict = {k: form[k].data.strip() for k in TEXTS if (form[k].data or "").strip()}
    if _ways(form):
        body["ways_to_get_involved"] = _ways(form)
    if (form.change_summary.data or "").strip():
        body["change_summary"] = form.change_summary.data.strip()
    return body


def edit_body(form: StatementForm) -> dict:
    """The whole draft as the API's PATCH body (an emptied part is sent empty, as a client would)."""
    body: dict = {k: (form[k].data or "").strip() for k in TEXTS}
    body["ways_to_get_involved"] = _ways(form)
    body["change_summary"] = (form.change_summary.data or "").strip() or None
    return body


def _detail(statement: Statement) -> str:
    return url_for(".statement", ps_statement_id=statement.id)


@web_bp.route("/statements/new", methods=["GET", "POST"])
@permission("partner_statements.write")
def statement_new():
    form = StatementForm()
    current = statements.current_statement()
    if current is not None and not form.is_submitted():
        for name in TEXTS:
            form[name].data = getattr(current, name)
        form.ways_to_get_involved.data = "\n".join(current.ways_to_get_involved or [])
    done = save_form(
        form,
        PsStatementCreateSchema(),
        lambda values: statements.start_version(values, g.organisation.name),
        payload=new_body,
        success=lambda s: f"Version {s.version} started as a draft.",
        next_url=_detail,
    )
    return done or render_page("partner_statements/statement_form.html", form, statement=None)


@web_bp.route("/statements/<int:ps_statement_id>")
@permission("records.read")
def statement(ps_statement_id: int):
    record = get_or_404(Statement, ps_statement_id, "statement version")
    return render_page("partner_statements/statement.html", EmptyForm(), statement=record)


@web_bp.route("/statements/<int:ps_statement_id>/edit", methods=["GET", "POST"])
@permission("partner_statements.write")
def statement_edit(ps_statement_id: int):
    record = get_or_404(Statement, ps_statement_id, "statement version")
    form = StatementForm(obj=record)
    if not form.is_submitted():
        form.ways_to_get_involved.data = "\n".join(record.ways_to_get_involved or [])
    done = save_form(
        form,
        PsStatementUpdateSchema(),
        lambda values: statements.edit(record, values),
        payload=edit_body,
        success=lambda s: f"Draft version {s.version} saved.",
        next_url=_detail,
    )
    return done or render_page("partner_statements/statement_form.html", form, statement=record)


def _act(ps_statement_id: int, action, success: str):
    """A button on the statement's page: the service acts, or its refusal shows on that page."""
    record = get_or_404(Statement, ps_statement_id, "statement version")
    form = EmptyForm()
    done = delete_form(
        form, lambda: action(record), success=success.format(v=record.version), next_url=_detail(record)
    )
    return done or render_page("partner_statements/statement.html", form, statement=record)


@web_bp.route("/statements/<int:ps_statement_id>/approve", methods=["POST"])
@permission("partner_statements.approve")
def statement_approve(ps_statement_id: int):
    return _act(
        ps_statement_id,
        lambda s: statements.approve(s, actor_id(), plugin_kit.today()),
        "Version {v} approved. Publish it when residents should see it.",
    )


@web_bp.route("/statements/<int:ps_statement_id>/return-to-draft", methods=["POST"])
@permission("partner_statements.approve")
def statement_return(ps_statement_id: int):
    return _act(ps_statement_id, statements.return_to_draft, "Version {v} is a draft again.")


@web_bp.route("/statements/<int:ps_statement_id>/publish", methods=["POST"])
@permission("partner_statements.approve")
def statement_publish(ps_statement_id: int):
    return _act(ps_statement_id, statements.publish, "Version {v} published: residents now see it.")


@web_bp.route("/statements/<int:ps_statement_id>/delete", methods=["GET", "POST"])
@permission("partner_statements.write")
def statement_delete(ps_statement_id: int):
    record = get_or_404(Statement, ps_statement_id, "statement version")
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: statements.delete(record),
        success=f"Draft version {record.version} deleted.",
        next_url=url_for(".index"),
    )
    return done or render_page("partner_statements/statement_delete.html", form, statement=record)
