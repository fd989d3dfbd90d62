"""RASP pages (seed 9.1, 12.4): the partner's nominations to the group's Resident and Service User
Panel, nominating a resident with the consent they gave (only the display name reaches the group),
and withdrawing a nomination when consent is withdrawn (the name leaves the group's panel)."""

from __future__ import annotations

from flask import g, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import Optional

from core import plugin_kit
from core.extensions import db
from core.models import Participant
from core.records import get_or_404
from core.web.fields import GovDateField
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, form_payload, listing, permission, render_page, save_form
from plugins.partner_statements.models import RaspNomination
from plugins.partner_statements.schemas import CONSENT_METHODS, PsNominationSchema
from plugins.partner_statements.services import rasp
from plugins.partner_statements.web import web_bp


def resident_choices() -> list[tuple[str, str]]:
    people = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name)
        .where(Participant.erased_at.is_(None))
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    return [("", "Choose a resident")] + [(str(p.id), f"{p.first_name} {p.last_name}") for p in people]


class NominationForm(FlaskForm):
    participant_id = SelectField("Resident", validators=[Optional()], validate_choice=False)
    display_name = StringField("Name shown to the group", validators=[Optional()])
    consent_given = BooleanField("The resident agreed that their name is shared with the group")
    consent_given_on = GovDateField("Date consent was given")
    consent_method = RadioField("How consent was given", validators=[Optional()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_method.choices = [(m, m.capitalize()) for m in CONSENT_METHODS]


def nomination_body(form: NominationForm) -> dict:
    body = form_payload(form, ["display_name", "consent_given_on", "consent_method"])
    raw = form.participant_id.data or ""
    if raw:
        body["participant_id"] = int(raw) if raw.isdigit() and len(raw) < 10 else raw
    body["consent_given"] = bool(form.consent_given.data)
    return body


@web_bp.route("/rasp")
@permission("partner_statements.nominate")
def nominations():
    page = listing(
        select(RaspNomination),
        sorts={"status": RaspNomination.status, "name": RaspNomination.display_name},
        default_sort="status",
    )
    return render_page("partner_statements/rasp.html", listing=page)


@web_bp.route("/rasp/new", methods=["GET", "POST"])
@permission("partner_statements.nominate")
def nominate():
    form = NominationForm()
    form.participant_id.choices = resident_choices()
    done = save_form(
        form,
        PsNominationSchema(),
        lambda values: rasp.nominate(g.organisation, values, plugin_kit.today()),
        payload=nomination_body,
        success=lambda n: f"{n.display_name} nominated to RASP.",
        next_url=url_for(".nominations"),
    )
    return done or render_page("partner_statements/rasp_form.html", form)


@web_bp.route("/rasp/<int:ps_nomination_id>/withdraw", methods=["GET", "POST"])
@permission("partner_statements.nominate")
def withdraw(ps_nomination_id: int):
    record = get_or_404(RaspNomination, ps_nomination_id, "RASP nomination")
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: rasp.withdraw(g.organisation, record, plugin_kit.today()),
        success=f"{record.display_name}'s nomination withdrawn; the name has left the group's panel.",
        next_url=url_for(".nominations"),
    )
    return done or render_page("partner_statements/rasp_withdraw.html", form, nomination=record)
