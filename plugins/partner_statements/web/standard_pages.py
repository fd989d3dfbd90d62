"""Customer First Standard pages (seed 7, 11): rate one commitment for a financial year as met,
partly met or not met, with the evidence; a rating short of met needs evidence saying why (the
service's rule, in its words). Rating a commitment again replaces its earlier rating that year."""

from __future__ import annotations

from flask import g, request, url_for
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.web.toolkit import permission, render_page, save_form
from plugins.partner_statements.schemas import PsAssessmentSchema
from plugins.partner_statements.services import standard
from plugins.partner_statements.services.common import actor_id, standard_for
from plugins.partner_statements.web import web_bp
from plugins.partner_statements.web.overview import chosen_year

RATING_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}


class AssessmentForm(FlaskForm):
    period = StringField("Financial year", validators=[Optional()])
    commitment_key = SelectField("Commitment", validators=[Optional()], validate_choice=False)
    rating = RadioField("Rating", validators=[Optional()], validate_choice=False)
    evidence = TextAreaField("Evidence", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating.choices = list(RATING_LABELS.items())


@web_bp.route("/standard/assess", methods=["GET", "POST"])
@permission("partner_statements.write")
def assess():
    _, commitments = standard_for(g.organisation)
    form = AssessmentForm()
    form.commitment_key.choices = [("", "Choose a commitment")] + [
        (c["key"], f"{c['ref']} {c['title']}") for c in commitments
    ]
    if not form.is_submitted():
        form.period.data = chosen_year().label
        wanted = request.args.get("commitment_key", "")[:60]
        form.commitment_key.data = wanted
        earlier = standard.assessments_for(form.period.data).get(wanted)
        if earlier is not None:
            form.rating.data, form.evidence.data = earlier.rating, earlier.evidence
    done = save_form(
        form,
        PsAssessmentSchema(),
        lambda values: standard.record(commitments, values, actor_id(), plugin_kit.today())[0],
        success=lambda row: (
            f"Customer First {row.commitment_ref} rated {RATING_LABELS[row.rating].lower()} for {row.period}."
        ),
        next_url=lambda row: url_for(".index", period=row.period) + "#standard",
    )
    return done or render_page("partner_statements/assess.html", form)
