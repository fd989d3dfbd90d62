"""Member pages: join Your Voice, the statement (every entry and where it came from), the choice of
voucher or charity, leaving and rejoining, and a manual award or correction with its reason.
Forms go through the API's schemas and the ``members`` and ``ledger`` services."""

from __future__ import annotations

import uuid

from flask import url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.models import Activity, Participant, Participation
from core.records import check_reference, get_or_404
from core.web.fields import GovDateField
from core.web.toolkit import permission, render_page, save_form
from plugins.reward_points import ledger, members, statements
from plugins.reward_points.models import RewardMember
from plugins.reward_points.schemas import (
    LeaveSchema,
    ManualEntrySchema,
    MemberChoiceSchema,
    MemberSchema,
    RejoinSchema,
)
from plugins.reward_points.web import web_bp

CHOICE_LABELS = {"shopping_voucher": "Shopping voucher", "charity_donation": "Donation to a charity"}
KIND_LABELS = {
    "contribution": "Contribution award: input at a meeting or open event",
    "correction": "Correction: put the balance right",
}
OCCASION_LABELS = {"meeting": "A meeting", "open_event": "An open event"}


def _choice_fields(form, settings: dict) -> None:
    form.reward_choice.choices = [(c, CHOICE_LABELS[c]) for c in settings["reward_choices"]]
    form.retailer.choices = [("", "Member still to choose")] + [(r, r) for r in settings["retailers"]]
    form.charity.choices = [("", "No charity chosen")] + [(c, c) for c in settings["charities"]]


def _radio(label: str) -> RadioField:
    """Choices judged by the schema and service, not the form (same words as the API)."""
    return RadioField(label, validators=[Optional()], validate_choice=False)


def _select(label: str) -> SelectField:
    return SelectField(label, validators=[Optional()], validate_choice=False)


class ChoiceForm(FlaskForm):
    reward_choice = _radio("How the member wants their points paid")
    retailer = _select("Retailer for the shopping voucher")
    charity = _select("Nominated charity for a donation")


class JoinForm(ChoiceForm):
    participant_id = _select("Resident")
    joined_on = GovDateField("Date they joined", validators=[Optional()])


class DateForm(FlaskForm):
    left_on = GovDateField("Date they left", validators=[Optional()])
    joined_on = GovDateField("Date they rejoined", validators=[Optional()])


class EntryForm(FlaskForm):
    idempotency_key = HiddenField()
    kind = _radio("Type of entry")
    points = StringField("Points", validators=[Optional()])
    reason = TextAreaField("Reason", validators=[Optional()])
    applies_to = _radio("For a contribution: where it was")
    activity_id = _select("For a contribution: the meeting or open event")
    occurred_on = GovDateField("For a correction: date it applies to", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = list(KIND_LABELS.items())
        self.applies_to.choices = list(OCCASION_LABELS.items())


def _name(member: RewardMember) -> str:
    person = db.session.get(Participant, member.participant_id)
    return f"{person.first_name} {person.last_name}"


def _statement_url(member) -> str:
    return url_for("plugin_reward_points_web.member", rp_member_id=member.id)


def _number(text: str | None):
    text = (text or "").strip()
    try:
        return int(text)
    except ValueError:
        return text or None


def _optional_id(text: str | None):
    return int(text) if (text or "").isdigit() else None


@web_bp.route("/members/new", methods=["GET", "POST"])
@permission("reward_points.manage")
def member_new():
    settings = ledger.current_settings()
    form = JoinForm()
    _choice_fields(form, settings)
    enrolled = select(RewardMember.participant_id)
    people = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name)
        .where(Participant.erased_at.is_(None), Participant.id.not_in(enrolled))
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    form.participant_id.choices = [("", "Choose a resident")] + [
        (str(p.id), f"{p[1]} {p[2]}") for p in people
    ]
    if not form.is_submitted():
        form.reward_choice.data = settings["default_reward_choice"]

    def body(f):
        return {
            "participant_id": _optional_id(f.participant_id.data),
            "joined_on": f.joined_on.data.isoformat() if f.joined_on.data else None,
            "reward_choice": f.reward_choice.data or None,
            "retailer": f.retailer.data or None,
            "charity": f.charity.data or None,
        }

    done = save_form(
        form,
        MemberSchema(),
        members.join,
        payload=lambda f: {k: v for k, v in body(f).items() if v is not None},
        success=lambda m: f"{_name(m)} joined Your Voice.",
        next_url=_statement_url,
    )
    return done or render_page("reward_points/join.html", form)


@web_bp.route("/members/<int:rp_member_id>")
@permission("reward_points.read")
def member(rp_member_id):
    record = get_or_404(RewardMember, rp_member_id, "Your Voice member")
    statement = statements.member_statement(record)
    activity_ids = {e.activity_id for e in statement["entries"] if e.activity_id}
    activities = (
        {a.id: a for a in db.session.scalars(select(Activity).where(Activity.id.in_(activity_ids)))}
        if activity_ids
        else {}
    )
    return render_page(
        "reward_points/member.html",
        statement=statement,
        name=_name(record),
        activities=activities,
    )


@web_bp.route("/members/<int:rp_member_id>/choice", methods=["GET", "POST"])
@permission("reward_points.manage")
def member_choice(rp_member_id):
    record = get_or_404(RewardMember, rp_member_id, "Your Voice member")
    form = ChoiceForm(obj=record)
    _choice_fields(form, ledger.current_settings())
    done = save_form(
        form,
        MemberChoiceSchema(),
        lambda values: members.change_choice(record, values),
        payload=lambda f: {
            "reward_choice": f.reward_choice.data or None,
            "retailer": f.retailer.data or None,
            "charity": f.charity.data or None,
        },
        success="How the member is paid has been changed.",
        next_url=_statement_url(record),
    )
    return done or render_page("reward_points/choice.html", form, member=record, name=_name(record))


@web_bp.route("/members/<int:rp_member_id>/leave", methods=["GET", "POST"])
@permission("reward_points.manage")
def member_leave(rp_member_id):
    record = get_or_404(RewardMember, rp_member_id, "Your Voice member")
    form = DateForm()
    done = save_form(
        form,
        LeaveSchema(),
        lambda values: members.leave(record, values["left_on"]),
        payload=lambda f: {"left_on": f.left_on.data.isoformat()} if f.left_on.data else {},
        success=lambda m: f"{_name(m)} has left Your Voice; their points stay theirs until converted.",
        next_url=_statement_url(record),
    )
    return done or render_page(
        "reward_points/membership.html", form, member=record, name=_name(record), leaving=True
    )


@web_bp.route("/members/<int:rp_member_id>/rejoin", methods=["GET", "POST"])
@permission("reward_points.manage")
def member_rejoin(rp_member_id):
    record = get_or_404(RewardMember, rp_member_id, "Your Voice member")
    form = DateForm()
    done = save_form(
        form,
        RejoinSchema(),
        lambda values: members.rejoin(record, values["joined_on"]),
        payload=lambda f: {"joined_on": f.joined_on.data.isoformat()} if f.joined_on.data else {},
        success=lambda m: f"{_name(m)} has rejoined Your Voice.",
        next_url=_statement_url(record),
    )
    return done or render_page(
        "reward_points/membership.html", form, member=record, name=_name(record), leaving=False
    )


def _attended_occasions(record: RewardMember) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Activity.id, Activity.title, Activity.starts_at, Activity.kind)
        .join(Participation, Participation.activity_id == Activity.id)
        .where(
            Participation.participant_id == record.participant_id,
            Participation.attended.is_(True),
            Activity.status == "held",
            Activity.kind.in_(("meeting", "event")),
        )
        .order_by(Activity.starts_at.desc())
        .limit(200)
    ).all()
    return [("", "Choose the meeting or event")] + [
        (str(a.id), f"{a.title} ({a.kind}, {a.starts_at.strftime('%-d %b %Y')})") for a in rows
    ]


def _entry_body(form: EntryForm) -> dict:
    body = {
        "kind": form.kind.data or None,
        "points": _number(form.points.data),
        "reason": (form.reason.data or "").strip() or None,
        "applies_to": form.applies_to.data or None,
        "activity_id": _optional_id(form.activity_id.data),
        "occurred_on": form.occurred_on.data.isoformat() if form.occurred_on.data else None,
        "idempotency_key": form.idempotency_key.data or None,
    }
    if body["kind"] == "correction":
        body["applies_to"] = body["activity_id"] = None
    return {k: v for k, v in body.items() if v is not None}


def _record_entry(record: RewardMember, values: dict):
    key = values.pop("idempotency_key", None)
    if not key or not 8 <= len(key) <= 150:
        from core.errors import ValidationFailed

        raise ValidationFailed(
            {
                "idempotency_key": [
                    "Send an Idempotency-Key header (8–150 characters) so a retry cannot award twice."
                ]
            }
        )
    if values.get("activity_id") is not None:
        check_reference(Activity, values["activity_id"], "activity_id")
    entry, _created = ledger.record_manual_entry(
        ledger.ManualEntry(member_id=record.id, idempotency_key=key, **values), user_id=current_user.id
    )
    return entry


@web_bp.route("/members/<int:rp_member_id>/entries/new", methods=["GET", "POST"])
@permission("reward_points.manage")
def entry_new(rp_member_id):
    record = get_or_404(RewardMember, rp_member_id, "Your Voice member")
    form = EntryForm()
    form.activity_id.choices = _attended_occasions(record)
    if not form.is_submitted():
        form.idempotency_key.data = uuid.uuid4().hex
    done = save_form(
        form,
        ManualEntrySchema(),
        lambda values: _record_entry(record, values),
        payload=_entry_body,
        success=lambda e: f"{e.points} points recorded ({e.kind}).",
        next_url=_statement_url(record),
    )
    return done or render_page("reward_points/entry.html", form, member=record, name=_name(record))
