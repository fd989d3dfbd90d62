"""A Your Voice member's own page in their resident account (``/p/<slug>/account/reward_points/``):
their points statement and their choice of shopping voucher or charity donation for the scheme
year's conversion. Core signs the resident in and checks they belong to this landlord; this page
shows only their own membership and changes it through ``members.change_choice`` (the organisation's
``reward_choices``, ``retailers`` and ``charities``), the same rule the staff API uses."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from core import plugin_kit
from core.errors import ValidationFailed
from core.extensions import db
from plugins.reward_points import ledger, members, statements
from plugins.reward_points.models import RewardMember

resident_bp = Blueprint("plugin_reward_points_resident", __name__, template_folder="templates")

# Words shown to residents from outside this file, for translation: the rule's message a resident
# can meet on this page (members.change_choice) and the account page's link.
RESIDENT_MESSAGES = (
    plugin_kit.N_("A donation needs a nominated charity from the organisation's list."),
    plugin_kit.N_("Your Voice points and rewards"),  # the account page's link (tpl_resident_account)
)


def membership_of(participant_id: int) -> RewardMember | None:
    return db.session.scalar(select(RewardMember).where(RewardMember.participant_id == participant_id))


def _render(member: RewardMember, form: dict, errors: dict, status: int = 200):
    settings = ledger.current_settings()
    page = render_template(
        "reward_points/resident.html",
        statement=statements.member_statement(member),
        form=form,
        errors=errors,
        reward_choices=settings["reward_choices"],
        retailers=settings["retailers"],
        charities=settings["charities"],
    )
    return page, status, {"Cache-Control": "no-store"}


@resident_bp.route("/", methods=["GET", "POST"])
def statement():
    """Your points and how they are paid."""
    member = membership_of(plugin_kit.signed_in_resident().id)
    if member is None:
        abort(404)
    if request.method == "GET":
        form = {"reward_choice": member.reward_choice, "retailer": member.retailer, "charity": member.charity}
        return _render(member, form, {}, 200)
    form = {
        "reward_choice": request.form.get("reward_choice") or "",
        "retailer": request.form.get("retailer") or None,
        "charity": request.form.get("charity") or None,
    }
    try:
        members.change_choice(member, form)
    except ValidationFailed as exc:
        errors = {name: [gettext(message) for message in messages] for name, messages in exc.fields.items()}
        return _render(member, form, errors, 422)
    return redirect(url_for("plugin_reward_points_resident.statement", saved=1), 303)
