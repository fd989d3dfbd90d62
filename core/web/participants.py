"""Staff pages for participants (residents known to the involvement service): the list (search by
name; filters by level, area, body and consent; sort; pagination), the person's page (contact,
preferences, access needs and consent, then what they took part in, their seats and their
consultation responses), create, change and delete. Equality monitoring, erasure and the
subject-access export are in :mod:`core.web.participant_actions`.

Forms are loaded through the API's schemas and saved by the API's services, so a page refuses
what the API refuses in the same words; participants need ``people.read`` / ``people.write``.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.lifecycle import permission
from core.models import Area, Body, Household, Participant
from core.models.vocab import ACCESS_NEEDS, CONSENT_METHODS, CONTACT_CHANNELS, FORMATS, LEVELS
from core.records import get_or_404
from core.schemas.people import ParticipantArgs, ParticipantSchema, ParticipantUpdateSchema
from core.services.people import delete_participant, objection_of, participant_query, save_participant
from core.services.subject_access import memberships_of, participations_of, responses_of
from core.web import labels
from core.web.fields import GovDateField, MultiCheckboxField
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, listing, query_args, render_page, require, save_form
from core.web.views import org_web

TEXT_FIELDS = ("reference", "first_name", "last_name", "email", "phone", "language")
OPTIONAL_TEXT = ("representative_name", "representative_contact")


def full_name(person: Participant) -> str:
    return f"{person.first_name} {person.last_name}"


def household_choices() -> list[tuple[str, str]]:
    homes = db.session.execute(
        select(Household.id, Household.reference, Household.postcode).order_by(Household.reference)
    ).all()
    return [("", "No household")] + [
        (str(h.id), f"{h.reference} ({h.postcode})" if h.postcode else h.reference) for h in homes
    ]


def _names(model) -> list[tuple[str, str]]:
    return [(str(i), n) for i, n in db.session.execute(select(model.id, model.name).order_by(model.name))]


def _choose(kind, label: str):
    """A choice field whose value the API's schema judges (so its words are the ones shown)."""
    return kind(label, validators=[Optional()], validate_choice=False)


class ParticipantForm(FlaskForm):
    first_name = StringField("First name", validators=[Optional()])
    last_name = StringField("Last name", validators=[Optional()])
    reference = StringField("Reference", validators=[Optional()])
    household_id = _choose(SelectField, "Household")
    is_tenancy_holder = BooleanField("They hold the tenancy")
    email = EmailField("Email address", validators=[Optional()])
    phone = TelField("Phone number", validators=[Optional()])
    representative_name = StringField("Representative's name", validators=[Optional()])
    representative_contact = StringField("Representative's contact details", validators=[Optional()])
    preferred_level = _choose(SelectField, "Preferred level of involvement")
    channels = _choose(MultiCheckboxField, "How they like to be contacted")
    formats = _choose(MultiCheckboxField, "Formats they need")
    language = StringField("Preferred language", validators=[Optional()])
    interests = TextAreaField("Interests", validators=[Optional()])
    access_needs = _choose(MultiCheckboxField, "Access needs")
    contact_consent = BooleanField("They agreed to be contacted about involvement")
    consent_given_on = GovDateField("Date consent was given")
    consent_method = _choose(SelectField, "How consent was given")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.household_id.choices = household_choices()
        self.preferred_level.choices = labels.choices(LEVELS, "Not known")
        self.channels.choices = labels.choices(CONTACT_CHANNELS)
        self.formats.choices = labels.choices(FORMATS)
        self.access_needs.choices = labels.choices(ACCESS_NEEDS)
        self.consent_method.choices = labels.choices(CONSENT_METHODS, "Not recorded")


def participant_body(form: ParticipantForm, *, editing: bool) -> dict:
    """The form as the API's request body: on a change every field is sent (an emptied box clears
    the value), on a new record empty boxes are left out (the schema's defaults apply)."""
    body: dict = {}
    for name in (*TEXT_FIELDS, *OPTIONAL_TEXT, "preferred_level", "consent_method"):
        value = (form[name].data or "").strip()
        if value or editing:
            body[name] = value or None
    for name in ("first_name", "last_name"):  # required: an empty one is the schema's to refuse
        if editing and body.get(name) is None:
            body[name] = ""
    household = form.household_id.data or ""
    body["household_id"] = int(household) if household.isdigit() else None
    if household and not household.isdigit():
        body["household_id"] = household  # the schema says what is wrong with it
    for name in ("channels", "formats", "access_needs"):
        body[name] = list(form[name].data or [])
    body["interests"] = [line.strip() for line in (form.interests.data or "").splitlines() if line.strip()]
    body["is_tenancy_holder"] = bool(form.is_tenancy_holder.data)
    body["contact_consent"] = bool(form.contact_consent.data)
    if form.consent_given_on.data is not None or editing:
        date_given = form.consent_given_on.data
        body["consent_given_on"] = date_given.isoformat() if date_given else None
    return body


@org_web.route("/participants")
@permission("people.read")
def participants():
    require("people.read")
    args = query_args(ParticipantArgs())
    page = listing(
        participant_query(args),
        keep=args,
        sorts={"name": Participant.last_name, "reference": Participant.reference},
        default_sort="name",
    )
    filters = {
        "level": labels.choices(LEVELS, "Any level"),
        "area_id": [("", "Any area"), *_names(Area)],
        "body_id": [("", "Any body"), *_names(Body)],
        "contact_consent": [("", "Any"), ("true", "Agreed to be contacted"), ("false", "Not agreed")],
    }
    return render_page("participants/list.html", listing=page, filters=filters, labels=labels)


@org_web.route("/participants/new", methods=["GET", "POST"])
@permission("people.write")
def participant_new():
    require("people.write")
    form = ParticipantForm()
    done = save_form(
        form,
        ParticipantSchema(),
        lambda values: save_participant(None, values),
        payload=lambda f: participant_body(f, editing=False),
        success=lambda p: f"{full_name(p)} added.",
        next_url=lambda p: url_for("org_web.participant", participant_id=p.id),
    )
    return done or render_page("participants/form.html", form, participant=None)


def _page_of(endpoint: str, **values) -> str | None:
    """The URL of another part of the workspace, when that page exists."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


@org_web.route("/participants/<int:participant_id>")
@permission("people.read")
def participant(participant_id: int):
    require("people.read")
    record = get_or_404(Participant, participant_id)
    household = db.session.get(Household, record.household_id) if record.household_id else None
    return render_page(
        "participants/detail.html",
        person=record,
        name=full_name(record),
        household=household,
        participations=participations_of(record),
        memberships=memberships_of(record),
        responses=responses_of(record),
        objection=objection_of(record),
        labels=labels,
        page_of=_page_of,
    )


@org_web.route("/participants/<int:participant_id>/edit", methods=["GET", "POST"])
@permission("people.write")
def participant_edit(participant_id: int):
    require("people.write")
    record = get_or_404(Participant, participant_id)
    form = ParticipantForm(obj=record)
    if not form.is_submitted():
        form.household_id.data = str(record.household_id or "")
        form.interests.data = "\n".join(record.interests or [])
        form.preferred_level.data = record.preferred_level or ""
        form.consent_method.data = record.consent_method or ""
    done = save_form(
        form,
        ParticipantUpdateSchema(),
        lambda values: save_participant(record, values),
        payload=lambda f: participant_body(f, editing=True),
        success=lambda p: f"{full_name(p)} updated.",
        next_url=lambda p: url_for("org_web.participant", participant_id=p.id),
    )
    return done or render_page("participants/form.html", form, participant=record)


@org_web.route("/participants/<int:participant_id>/delete", methods=["GET", "POST"])
@permission("people.write")
def participant_delete(participant_id: int):
    require("people.write")
    record = get_or_404(Participant, participant_id)
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: delete_participant(record),
        success=f"{full_name(record)} deleted.",
        next_url=url_for("org_web.participants"),
    )
    return done or render_page("participants/delete.html", form, person=record, name=full_name(record))
