"""The group's pages beyond the oversight dashboard: the Customer First compliance matrix (each
partner's rating of each commitment for a year, read through the audited oversight reads) and the
RASP panel (each nominee's display name and partner, nothing else), and the group's reviews of
partners' published impact assessments, and a partner's action plan read from the dashboard. They
exist only on a group."""

from __future__ import annotations

from flask import g, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core import plugin_kit
from core.extensions import db
from core.models import Organisation
from core.web.toolkit import form_payload, listing, permission, render_page, save_form
from plugins.partner_statements.models import AssessmentReview, RaspMember
from plugins.partner_statements.schemas import PsReviewSchema
from plugins.partner_statements.services import oversight, reviews
from plugins.partner_statements.services.common import actor_id, partners_of, require_group, settings_of
from plugins.partner_statements.web import web_bp
from plugins.partner_statements.web.overview import chosen_year, year_links


@web_bp.route("/compliance")
@permission("group.compare")
def compliance():
    require_group(g.organisation)
    period = chosen_year()
    matrix = oversight.compliance_matrix(g.organisation, period, actor_id())
    return render_page(
        "partner_statements/compliance.html", matrix=matrix, period=period, years=year_links(period)
    )


@web_bp.route("/partners/<partner>/action-plan")
@permission("group.compare")
def partner_plan(partner: str):
    """A partner's action plan for the year, read-only, from the oversight dashboard (audited)."""
    require_group(g.organisation)
    period = chosen_year()
    found = oversight.partner_plan(g.organisation, partner, period, actor_id(), plugin_kit.today())
    return render_page(
        "partner_statements/partner_plan.html", found=found, period=period, years=year_links(period)
    )


@web_bp.route("/panel")
@permission("group.compare")
def panel():
    require_group(g.organisation)
    page = listing(
        select(RaspMember),
        sorts={"name": RaspMember.display_name, "joined": RaspMember.joined_on},
        default_sort="name",
    )
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    return render_page(
        "partner_statements/panel.html",
        listing=page,
        partner_names=names,
        rasp_name=settings_of(g.organisation)["rasp_name"],
    )


OUTCOMES = {"accepted": "Accepted", "changes_requested": "Changes requested"}


class ReviewForm(FlaskForm):
    partner_id = SelectField("Partner", validators=[Optional()], validate_choice=False)
    period = StringField("Financial year", validators=[Optional()])
    outcome = RadioField("Outcome", validators=[Optional()], validate_choice=False)
    comments = TextAreaField("Comments", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = list(OUTCOMES.items())


def review_body(form: ReviewForm) -> dict:
    body = form_payload(form, ["period", "outcome", "comments"])
    raw = form.partner_id.data or ""
    if raw:
        body["partner_id"] = int(raw) if raw.isdigit() and len(raw) < 10 else raw
    return body


@web_bp.route("/reviews")
@permission("group.compare")
def review_list():
    require_group(g.organisation)
    page = listing(
        select(AssessmentReview),
        sorts={"period": AssessmentReview.period, "reviewed": AssessmentReview.reviewed_on},
        default_sort="period",
    )
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    return render_page(
        "partner_statements/reviews.html", listing=page, partner_names=names, outcomes=OUTCOMES
    )


@web_bp.route("/reviews/new", methods=["GET", "POST"])
@permission("partner_statements.review")
def review_new():
    require_group(g.organisation)
    form = ReviewForm()
    form.partner_id.choices = [("", "Choose a partner")] + [
        (str(p.id), p.name) for p in partners_of(g.organisation)
    ]
    if not form.is_submitted():
        form.period.data = chosen_year().label
    done = save_form(
        form,
        PsReviewSchema(),
        lambda values: reviews.record(g.organisation, values, actor_id(), plugin_kit.today()),
        payload=review_body,
        success=lambda r: f"Review of the {r.period} impact assessment recorded.",
        next_url=url_for(".review_list"),
    )
    return done or render_page("partner_statements/review_form.html", form)
