"""The involvement budget pages (seed 3.10): each financial year's budget beside what the spend
records show was spent, and the form that records or replaces a year's budget."""

from __future__ import annotations

from flask import url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import Optional

from core.web.labels import PoundsField, pounds
from core.web.toolkit import listing, permission, render_page, save_form
from plugins.partner_statements.models import InvolvementBudget
from plugins.partner_statements.schemas import PsBudgetSchema
from plugins.partner_statements.services import budgets
from plugins.partner_statements.web import web_bp
from plugins.partner_statements.web.overview import chosen_year


class BudgetForm(FlaskForm):
    period = StringField("Financial year", validators=[Optional()])
    amount_pence = PoundsField("Budget", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional()])


@web_bp.route("/budgets")
@permission("records.read")
def budget_list():
    page = listing(
        select(InvolvementBudget), sorts={"period": InvolvementBudget.period}, default_sort="period"
    )
    spent = {b.id: budgets.spent(b.period) for b in page.items}
    return render_page("partner_statements/budgets.html", listing=page, spent=spent, pounds=pounds)


@web_bp.route("/budgets/new", methods=["GET", "POST"])
@permission("partner_statements.write")
def budget_new():
    form = BudgetForm()
    if not form.is_submitted():
        form.period.data = chosen_year().label
    done = save_form(
        form,
        PsBudgetSchema(),
        budgets.record,
        success=lambda b: f"Involvement budget for {b.period} recorded.",
        next_url=url_for(".budget_list"),
    )
    return done or render_page("partner_statements/budget_form.html", form)
