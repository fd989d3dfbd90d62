"""Officers' pages for the Customer Panel (seed 001: "a group of individual customers who are
consulted a number of times per year about the housing service and/or proposed changes to policy.
This will be done by a combination of postal and telephone surveys"): the pool of members with the
channel each is asked by, adding a member, changing the channel they are asked by and ending a
membership; waves sent to the pool, their response rates overall and per channel, and recording a
member's answer. The panel service refuses a second membership, a channel the panel does not use, a
wave nobody can receive and an answer before the wave went out, in its own words."""

from __future__ import annotations

from flask import abort, url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.records import get_or_404
from core.web.toolkit import listing, permission, render_page, save_form
from plugins.street_reps.models import PanelContact, PanelMember, PanelWave
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import panel as service
from plugins.street_reps.web import forms, web_bp


@web_bp.route("/panel/members")
@permission("street_reps.read")
def panel_member_list():
    page = listing(
        select(PanelMember),
        sorts={"joined": PanelMember.joined_on, "left": PanelMember.left_on},
        default_sort="joined",
    )
    names = forms.people_names(m.participant_id for m in page.items)
    return render_page("street_reps/panel/members.html", listing=page, names=names)


@web_bp.route("/panel/members/new", methods=["GET", "POST"])
@permission("street_reps.write")
def panel_member_new():
    settings = current_settings()
    form = forms.PanelMemberForm(channels=settings["customer_panel_channels"])
    if not form.is_submitted():
        form.joined_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrPanelMemberSchema(),
        lambda values: service.add_member(values, current_settings()),
        payload=forms.join_body,
        success="Added to the Customer Panel.",
        next_url=lambda member: url_for(".panel_member_detail", sr_member_id=member.id),
    )
    return done or render_page("street_reps/panel/member_form.html", form)


def _member_page(member: PanelMember, template: str, form=None):
    contacts = db.session.execute(
        select(PanelContact, PanelWave.title, PanelWave.sent_on)
        .join(PanelWave, PanelWave.id == PanelContact.wave_id)
        .where(PanelContact.member_id == member.id)
        .order_by(PanelWave.sent_on.desc(), PanelWave.id.desc())
    ).all()
    return render_page(
        template,
        form,
        member=member,
        name=forms.people_names([member.participant_id]).get(member.participant_id, ""),
        contacts=contacts,
    )


@web_bp.route("/panel/members/<int:sr_member_id>")
@permission("street_reps.read")
def panel_member_detail(sr_member_id: int):
    member = get_or_404(PanelMember, sr_member_id, "panel member")
    return _member_page(member, "street_reps/panel/member.html")


@web_bp.route("/panel/members/<int:sr_member_id>/channel", methods=["GET", "POST"])
@permission("street_reps.write")
def panel_member_channel(sr_member_id: int):
    member = get_or_404(PanelMember, sr_member_id, "panel member")
    if member.left_on is not None:
        abort(404)
    form = forms.ChannelForm(channels=current_settings()["customer_panel_channels"])
    if not form.is_submitted():
        form.channel.process(None, member.channel)
    done = save_form(
        form,
        s.SrPanelMemberUpdateSchema(),
        lambda values: service.change_member(member, values, current_settings()),
        payload=lambda form: {"channel": form.channel.data},
        success="Channel changed: later waves go to this member by it.",
        next_url=url_for(".panel_member_detail", sr_member_id=member.id),
    )
    return done or _member_page(member, "street_reps/panel/member_channel.html", form)


@web_bp.route("/panel/members/<int:sr_member_id>/leave", methods=["GET", "POST"])
@permission("street_reps.write")
def panel_member_leave(sr_member_id: int):
    member = get_or_404(PanelMember, sr_member_id, "panel member")
    form, done = forms.leaving(
        member,
        s.SrPanelMemberUpdateSchema(),
        lambda values: service.change_member(member, values, current_settings()),
        success="The member has left the Customer Panel; later waves are not sent to them.",
        next_url=url_for(".panel_member_detail", sr_member_id=member.id),
    )
    return done or _member_page(member, "street_reps/panel/member_leave.html", form)


# -- waves -------------------------------------------------------------------------------------


@web_bp.route("/panel/waves")
@permission("street_reps.read")
def panel_wave_list():
    page = listing(select(PanelWave).order_by(PanelWave.sent_on.desc(), PanelWave.id.desc()))
    service.describe_waves(page.items)
    return render_page("street_reps/panel/waves.html", listing=page)


@web_bp.route("/panel/waves/new", methods=["GET", "POST"])
@permission("street_reps.write")
def panel_wave_new():
    form = forms.WaveForm(topics=current_settings()["consultation_topics"])
    if not form.is_submitted():
        form.sent_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrWaveSchema(),
        service.send_wave,
        success=lambda wave: f"“{wave.title}” sent to the Customer Panel.",
        next_url=lambda wave: url_for(".panel_wave_detail", sr_wave_id=wave.id),
    )
    return done or render_page("street_reps/panel/wave_form.html", form)


def _wave_page(wave: PanelWave, form=None):
    service.describe_waves([wave])
    contacts = db.session.execute(
        select(PanelContact, PanelMember.participant_id)
        .join(PanelMember, PanelMember.id == PanelContact.member_id)
        .where(PanelContact.wave_id == wave.id)
        .order_by(PanelContact.id)
    ).all()
    names = forms.people_names(participant for _, participant in contacts)
    if form is None:
        form = forms.WaveResponseForm()
        form.responded_on.process(None, plugin_kit.today())
    form.member_id.choices = [("", "Choose the member who answered")] + [
        (str(contact.member_id), f"{names.get(participant, '')} ({contact.channel})")
        for contact, participant in contacts
        if contact.responded_on is None
    ]
    return render_page("street_reps/panel/wave.html", form, wave=wave, contacts=contacts, names=names)


@web_bp.route("/panel/waves/<int:sr_wave_id>")
@permission("street_reps.read")
def panel_wave_detail(sr_wave_id: int):
    return _wave_page(get_or_404(PanelWave, sr_wave_id, "panel wave"))


@web_bp.route("/panel/waves/<int:sr_wave_id>/responses", methods=["POST"])
@permission("street_reps.write")
def panel_wave_response(sr_wave_id: int):
    wave = get_or_404(PanelWave, sr_wave_id, "panel wave")
    form = forms.WaveResponseForm()
    done = save_form(
        form,
        s.SrWaveResponseSchema(),
        lambda values: service.record_response(wave, values["member_id"], values),
        payload=forms.response_body,
        success="Answer recorded.",
        next_url=url_for(".panel_wave_detail", sr_wave_id=wave.id),
    )
    return done or _wave_page(wave, form)
