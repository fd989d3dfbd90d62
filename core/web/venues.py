"""Staff pages for venues and opportunities: lists, one record, create, change and delete.

Venues are where activities are held, with the access features each offers; opportunities are
the ways residents can get involved. The forms are loaded through the API's schemas and saved by
the services the API calls (``save_venue``, ``save_opportunity``), so both refuse the same input
in the same words; a venue or opportunity with activities is kept, with the service's reason.
"""

from __future__ import annotations

from flask import url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.lifecycle import permission
from core.models import Activity, Opportunity, Venue
from core.models.vocab import LEVELS, VENUE_FEATURES
from core.records import get_or_404
from core.schemas.involvement import (
    OpportunitySchema,
    OpportunityUpdateSchema,
    VenueSchema,
    VenueUpdateSchema,
)
from core.services.involvement import (
    delete_opportunity,
    delete_venue,
    json_contains,
    save_opportunity,
    save_venue,
)
from core.web.fields import MultiCheckboxField
from core.web.forms import EmptyForm
from core.web.labels import choices, label
from core.web.toolkit import delete_form, listing, render_page, require, save_form
from core.web.views import org_web


def _name_search(column):
    return lambda statement, text: statement.where(func.lower(column).contains(text.lower(), autoescape=True))


def recent_activities(**where):
    statement = select(Activity).filter_by(**where).order_by(Activity.starts_at.desc()).limit(10)
    return db.session.scalars(statement).all()


# -- venues -------------------------------------------------------------------------------


def _offering(statement, feature: str):
    if feature not in VENUE_FEATURES:
        raise LookupError(feature)  # an unknown feature is ignored, as the toolkit's filters are
    return statement.where(json_contains(Venue.features, feature))


class VenueForm(FlaskForm):
    name = StringField("Name", validators=[Optional()])
    address = TextAreaField("Address", validators=[Optional()])
    features = MultiCheckboxField("Access features", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.features.choices = choices(VENUE_FEATURES)


@org_web.route("/venues")
@permission("records.read")
def venues():
    require("records.read")
    page = listing(
        select(Venue).order_by(Venue.name, Venue.id),
        search=_name_search(Venue.name),
        filters={"feature": _offering},
        sorts={"name": Venue.name},
        default_sort="name",
    )
    return render_page("venues/list.html", listing=page, label=label, features=VENUE_FEATURES)


@org_web.route("/venues/new", methods=["GET", "POST"])
@permission("records.write")
def venue_new():
    require("records.write")
    form = VenueForm()
    done = save_form(
        form,
        VenueSchema(),
        lambda values: save_venue(None, values),
        success=lambda v: f"Venue {v.name} added.",
        next_url=lambda v: url_for("org_web.venue", venue_id=v.id),
    )
    return done or render_page("venues/form.html", form, venue=None)


@org_web.route("/venues/<int:venue_id>")
@permission("records.read")
def venue(venue_id: int):
    require("records.read")
    record = get_or_404(Venue, venue_id)
    return render_page(
        "venues/detail.html", venue=record, label=label, activities=recent_activities(venue_id=record.id)
    )


@org_web.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def venue_edit(venue_id: int):
    require("records.write")
    record = get_or_404(Venue, venue_id)
    form = VenueForm(obj=record)
    done = save_form(
        form,
        VenueUpdateSchema(),
        lambda values: save_venue(record, values),
        partial=True,
        success=lambda v: f"Venue {v.name} updated.",
        next_url=lambda v: url_for("org_web.venue", venue_id=v.id),
    )
    return done or render_page("venues/form.html", form, venue=record)


@org_web.route("/venues/<int:venue_id>/delete", methods=["GET", "POST"])
@permission("records.write")
def venue_delete(venue_id: int):
    require("records.write")
    record = get_or_404(Venue, venue_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: delete_venue(record),
        success=f"Venue {record.name} deleted.",
        next_url=url_for("org_web.venues"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=f"venue {record.name}",
        noun="venue",
        back=url_for("org_web.venue", venue_id=record.id),
    )


# -- opportunities ------------------------------------------------------------------------


class OpportunityForm(FlaskForm):
    name = StringField("Name", validators=[Optional()])
    level = SelectField("Level of involvement", validators=[Optional()])
    formal = BooleanField("Formal (a constituted body or a role with a term)")
    channel = StringField("Channel or programme", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])
    open = BooleanField("Open to new people", default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = choices(LEVELS, "Choose a level")


def _opportunity_filters():
    return {
        "level": lambda s, v: s.where(Opportunity.level == LEVELS[LEVELS.index(v)]),
        "open": lambda s, v: s.where(Opportunity.open.is_({"yes": True, "no": False}[v])),
    }


@org_web.route("/opportunities")
@permission("records.read")
def opportunities():
    require("records.read")
    page = listing(
        select(Opportunity).order_by(Opportunity.name, Opportunity.id),
        search=_name_search(Opportunity.name),
        filters=_opportunity_filters(),
        sorts={"name": Opportunity.name, "level": Opportunity.level},
        default_sort="name",
    )
    return render_page("opportunities/list.html", listing=page, label=label, levels=LEVELS)


@org_web.route("/opportunities/new", methods=["GET", "POST"])
@permission("records.write")
def opportunity_new():
    require("records.write")
    form = OpportunityForm()
    done = save_form(
        form,
        OpportunitySchema(),
        lambda values: save_opportunity(None, values),
        success=lambda o: f"Opportunity {o.name} added.",
        next_url=lambda o: url_for("org_web.opportunity", opportunity_id=o.id),
    )
    return done or render_page("opportunities/form.html", form, opportunity=None)


@org_web.route("/opportunities/<int:opportunity_id>")
@permission("records.read")
def opportunity(opportunity_id: int):
    require("records.read")
    record = get_or_404(Opportunity, opportunity_id)
    return render_page(
        "opportunities/detail.html",
        opportunity=record,
        label=label,
        activities=recent_activities(opportunity_id=record.id),
    )


@org_web.route("/opportunities/<int:opportunity_id>/edit", methods=["GET", "POST"])
@permission("records.write")
def opportunity_edit(opportunity_id: int):
    require("records.write")
    record = get_or_404(Opportunity, opportunity_id)
    form = OpportunityForm(obj=record)
    done = save_form(
        form,
        OpportunityUpdateSchema(),
        lambda values: save_opportunity(record, values),
        partial=True,
        success=lambda o: f"Opportunity {o.name} updated.",
        next_url=lambda o: url_for("org_web.opportunity", opportunity_id=o.id),
    )
    return done or render_page("opportunities/form.html", form, opportunity=record)


@org_web.route("/opportunities/<int:opportunity_id>/delete", methods=["GET", "POST"])
@permission("records.write")
def opportunity_delete(opportunity_id: int):
    require("records.write")
    record = get_or_404(Opportunity, opportunity_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: delete_opportunity(record),
        success=f"Opportunity {record.name} deleted.",
        next_url=url_for("org_web.opportunities"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=f"opportunity {record.name}",
        noun="opportunity",
        back=url_for("org_web.opportunity", opportunity_id=record.id),
    )
