"""Officer pages for Your Voice (``/o/<slug>/plugins/reward_points/``): the scheme year at a glance,
the members list and each member's statement. Read-only; changes go through the API."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.lifecycle import permission
from core.models import Participant
from core.records import get_or_404
from plugins.reward_points import ledger, statements
from plugins.reward_points.models import RewardMember
from plugins.reward_points.settings import SchemeYears

web_bp = Blueprint("plugin_reward_points_web", __name__, template_folder="templates")


@web_bp.route("/")
@permission("reward_points.read")
def index():
    settings = ledger.current_settings()
    years = SchemeYears.of(settings)
    try:
        year = (
            SchemeYears.parse(request.args["year"])
            if "year" in request.args
            else years.year_of(plugin_kit.today())
        )
    except ValueError:
        year = years.year_of(plugin_kit.today())
    summary = statements.staff_summary(year)
    rows = db.session.execute(
        select(RewardMember, Participant.first_name, Participant.last_name)
        .join(
            Participant,
            (Participant.id == RewardMember.participant_id)
            & (Participant.organisation_id == RewardMember.organisation_id),
        )
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    balances = statements.balances_by_member([member.id for member, _, _ in rows])
    return render_template(
        "reward_points/index.html",
        summary=summary,
        members=[(m, f"{first} {last}", balances[m.id]) for m, first, last in rows],
        previous=SchemeYears.label(year - 1),
        following=SchemeYears.label(year + 1),
    )


@web_bp.route("/members/<int:rp_member_id>")
@permission("reward_points.read")
def member(rp_member_id):
    record = get_or_404(RewardMember, rp_member_id, "Your Voice member")
    person = db.session.get(Participant, record.participant_id)
    return render_template(
        "reward_points/member.html",
        statement=statements.member_statement(record),
        name=f"{person.first_name} {person.last_name}",
    )
