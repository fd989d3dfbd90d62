"""Staff pages for involvement spend: the records of a financial year with its totals per category
(the API's ``spend/summary``), one record, create, change and delete. Money is typed and shown in
pounds and pence and stored in integer pence, as the API stores it; the rules (never 0, a negative
amount is a described correction, the activity exists) are ``core.services.outcomes``'.
"""

from __future__ import annotations

from flask import request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission
from core.models import Activity, Spend
from core.models.vocab import SPEND_CATEGORIES
from core.periods import Period, PeriodError
from core.records import get_or_404
from core.schemas.outcomes import SpendSchema, SpendUpdateSchema
from core.services.outcomes import delete_spend, save_spend, spend_summary
from core.web.fields import GovDateField
from core.web.forms import EmptyForm
from core.web.record_choices import PoundsField, code_choices, label, optional_id, pounds
from core.web.toolkit import delete_form, form_payload, listing, render_page, require, save_form
from core.web.views import org_web

YEARS_SHOWN = 6


def activity_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Activity.id, Activity.title, Activity.starts_at)
        .order_by(Activity.starts_at.desc())
        .limit(2000)
    ).all()
    return [("", "Not for one activity")] + [(str(a.id), f"{a.title} ({a.starts_at:%d/%m/%Y})") for a in rows]


class SpendForm(FlaskForm):
    spent_on = GovDateField("Date spent")
    category = SelectField("Category", validators=[Optional()])
    amount_pence = PoundsField("Amount", validators=[Optional()])
    activity_id = SelectField("Activity", validators=[Optional()])
    description = StringField("Description", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = code_choices(SPEND_CATEGORIES, "Choose a category")
        self.activity_id.choices = activity_choices()


def spend_body(form: SpendForm, partial: bool = False) -> dict:
    body = form_payload(form, ("spent_on", "category", "amount_pence", "description"), partial=partial)
    body["activity_id"] = optional_id(form.activity_id.data)
    if body["activity_id"] is None and not partial:
        body.pop("activity_id")
    return body


def chosen_period() -> Period:
    """The financial year (or quarter) asked for, or this financial year."""
    try:
        return Period.parse((request.args.get("period") or "")[:20])
    except (PeriodError, ValueError):
        return Period.financial_year_of(plugin_kit.today())


@org_web.route("/spend")
@permission("records.read")
def spend():
    require("records.read")
    period = chosen_period()
    statement = (
        select(Spend)
        .where(Spend.spent_on >= period.start, Spend.spent_on <= period.end)
        .order_by(Spend.spent_on.desc(), Spend.id.desc())
    )
    category = request.args.get("category", "")
    if category in SPEND_CATEGORIES:
        statement = statement.where(Spend.category == category)
    else:
        category = ""
    page = listing(
        statement,
        keep={"period": period.label, "category": category},
        sorts={"spent_on": Spend.spent_on, "amount": Spend.amount_pence},
    )
    this_year = Period.financial_year_of(plugin_kit.today())
    years = [this_year]
    for _ in range(YEARS_SHOWN - 1):
        years.append(years[-1].previous())
    if period.label not in {y.label for y in years}:
        years.insert(0, period)
    return render_page(
        "spend/list.html",
        listing=page,
        period=period,
        years=years,
        category=category,
        categories=code_choices(SPEND_CATEGORIES, "Every category"),
        summary=spend_summary(period),
        pounds=pounds,
        label=label,
    )


@org_web.route("/spend/new", methods=["GET", "POST"])
@permission("records.write")
def spend_new():
    require("records.write")
    form = SpendForm()
    done = save_form(
        form,
        SpendSchema(),
        lambda values: save_spend(None, values),
        payload=spend_body,
        success=lambda s: f"Spend of {pounds(s.amount_pence)} recorded.",
        next_url=lambda s: url_for("org_web.spend_record", spend_id=s.id),
    )
    return done or render_page("spend/form.html", form, record=None)


@org_web.route("/spend/<int:spend_id>")
@permission("records.read")
def spend_record(spend_id: int):
    require("records.read")
    record = get_or_404(Spend, spend_id, "spend record")
    activity = db.session.get(Activity, record.activity_id) if record.activity_id else None
    return render_page("spend/detail.html", record=record, activity=activity, pounds=pounds, label=label)


@org_web.route("/spend/<int:spend_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def spend_edit(spend_id: int):
    require("records.write")
    record = get_or_404(Spend, spend_id, "spend record")
    form = SpendForm(obj=record)
    if not form.is_submitted():
        form.activity_id.data = str(record.activity_id or "")
    done = save_form(
        form,
        SpendUpdateSchema(),
        lambda values: save_spend(record, values),
        partial=True,
        payload=lambda f: spend_body(f, partial=True),
        success=lambda s: f"Spend of {pounds(s.amount_pence)} updated.",
        next_url=lambda s: url_for("org_web.spend_record", spend_id=s.id),
    )
    return done or render_page("spend/form.html", form, record=record)


@org_web.route("/spend/<int:spend_id>/delete", methods=["GET", "POST"])
@permission("records.write")
def spend_delete(spend_id: int):
    require("records.write")
    record = get_or_404(Spend, spend_id, "spend record")
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: delete_spend(record),
        success=f"Spend of {pounds(record.amount_pence)} on {record.spent_on:%d/%m/%Y} deleted.",
        next_url=url_for("org_web.spend"),
    )
    return done or render_page("spend/delete.html", form, record=record, pounds=pounds)
