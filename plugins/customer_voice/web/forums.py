"""A forum's page (its seats and its challenges), giving a resident a seat, and a challenge from
raised to responded to closed with its outcome. The forms go through the API's schemas
(``CvForumMemberSchema``, ``CvChallengeSchema``, ``CvChallengeUpdateSchema``) and the plugin's
forum services, so the seat rules and the challenge rules refuse here in the API's words. A seat
is ended as core's body pages end a term: ``governance.change_membership`` with the end date,
which applies core's seat rules and the forum's own (``check_forum_seat``); a seat recorded by
mistake is deleted with core's ``governance.remove_membership``, after confirming."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from core.errors import NotFound
from core.extensions import db
from core.models import Body, BodyMembership
from core.permissions import can
from core.plugin_kit import today
from core.records import get_or_404
from core.schemas.governance import MembershipUpdateSchema
from core.services import governance
from core.web.forms import EmptyForm
from core.web.toolkit import delete_form, form_payload, permission, render_page, save_form
from plugins.customer_voice.models import Challenge, Forum
from plugins.customer_voice.schemas import (
    CvChallengeSchema,
    CvChallengeUpdateSchema,
    CvForumMemberSchema,
    CvForumUpdateSchema,
)
from plugins.customer_voice.services import forums
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import (
    ChallengeForm,
    CloseForm,
    EndSeatForm,
    ForumForm,
    MemberForm,
    ResponseForm,
    label,
)


def _forum(cv_forum_id: int) -> tuple[Forum, dict]:
    forum = get_or_404(Forum, cv_forum_id, "forum")
    return forum, forums.forum_row(forum)


def _challenge_page(challenge: Challenge) -> str:
    return url_for("plugin_customer_voice_web.challenge", cv_challenge_id=challenge.id)


@web_bp.route("/forums/<int:cv_forum_id>")
@permission("customer_voice.read")
def forum(cv_forum_id: int):
    """The forum, who holds its seats and the challenges it raised."""
    record, row = _forum(cv_forum_id)
    challenges = db.session.scalars(
        select(Challenge)
        .where(Challenge.forum_id == record.id)
        .order_by(Challenge.raised_on.desc(), Challenge.id.desc())
    ).all()
    members = forums.member_rows(record) if can(current_user, "people.read", g.organisation) else None
    return render_page(
        "customer_voice/forum.html",
        forum=row,
        members=members,
        challenges=challenges,
        label=label,
        today=today(),
    )


def _forum_body(form: ForumForm) -> dict:
    body = form_payload(form, partial=True)
    body["area_id"] = int(body["area_id"]) if str(body.get("area_id") or "").isdigit() else None
    return body


@web_bp.route("/forums/<int:cv_forum_id>/edit", methods=["GET", "POST"])
@permission("customer_voice.write")
def forum_edit(cv_forum_id: int):
    """Rename the forum, describe it, or link it to its management area (one forum per area)."""
    record, row = _forum(cv_forum_id)
    form = ForumForm(data={**row, "area_id": str(row["area_id"] or "")})
    done = save_form(
        form,
        CvForumUpdateSchema(),
        lambda values: forums.update_forum(record, values),
        payload=_forum_body,
        partial=True,
        success="Forum updated.",
        next_url=url_for("plugin_customer_voice_web.forum", cv_forum_id=record.id),
    )
    return done or render_page("customer_voice/forum_form.html", form, forum=row)


def _member_body(form: MemberForm) -> dict:
    body = form_payload(form)
    if str(body.get("participant_id", "")).isdigit():
        body["participant_id"] = int(body["participant_id"])
    return body


@web_bp.route("/forums/<int:cv_forum_id>/members/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def member_new(cv_forum_id: int):
    """Give a resident a seat (a resident of another management area needs the reason recorded)."""
    record, row = _forum(cv_forum_id)
    form = MemberForm()
    done = save_form(
        form,
        CvForumMemberSchema(),
        lambda values: forums.add_member(g.organisation, record, values),
        payload=_member_body,
        success="Seat added.",
        next_url=url_for("plugin_customer_voice_web.forum", cv_forum_id=record.id),
    )
    return done or render_page("customer_voice/member_form.html", form, forum=row)


@web_bp.route("/forums/<int:cv_forum_id>/challenges/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def challenge_new(cv_forum_id: int):
    """Raise a challenge to a service."""
    record, row = _forum(cv_forum_id)
    form = ChallengeForm()
    done = save_form(
        form,
        CvChallengeSchema(),
        lambda values: forums.save_challenge(Challenge(forum_id=record.id), values),
        success=lambda c: f"Challenge “{c.title}” raised.",
        next_url=_challenge_page,
    )
    return done or render_page("customer_voice/challenge_form.html", form, forum=row)


@web_bp.route("/challenges/<int:cv_challenge_id>")
@permission("customer_voice.read")
def challenge(cv_challenge_id: int):
    """One challenge: what was raised, the landlord's response and the outcome."""
    record = get_or_404(Challenge, cv_challenge_id, "challenge")
    forum_name = db.session.scalar(
        select(Body.name).join(Forum, Forum.body_id == Body.id).where(Forum.id == record.forum_id)
    )
    return render_page("customer_voice/challenge.html", challenge=record, forum_name=forum_name, label=label)


@web_bp.route("/challenges/<int:cv_challenge_id>/respond", methods=["GET", "POST"])
@permission("customer_voice.write")
def challenge_respond(cv_challenge_id: int):
    """Record The landlord's response to the challenge."""
    record = get_or_404(Challenge, cv_challenge_id, "challenge")
    if record.status == "closed":
        return redirect(_challenge_page(record), code=303)
    form = ResponseForm(obj=record)
    done = save_form(
        form,
        CvChallengeUpdateSchema(),
        lambda values: forums.save_challenge(record, values),
        payload=lambda f: {**form_payload(f), "status": "responded"},
        success="Response recorded.",
        next_url=_challenge_page(record),
    )
    return done or render_page("customer_voice/challenge_step.html", form, challenge=record, step="respond")


@web_bp.route("/challenges/<int:cv_challenge_id>/close", methods=["GET", "POST"])
@permission("customer_voice.write")
def challenge_close(cv_challenge_id: int):
    """Close the challenge with what it led to (only once the landlord has responded)."""
    record = get_or_404(Challenge, cv_challenge_id, "challenge")
    if record.status == "closed":
        return redirect(_challenge_page(record), code=303)
    form = CloseForm(obj=record)
    done = save_form(
        form,
        CvChallengeUpdateSchema(),
        lambda values: forums.save_challenge(record, values),
        payload=lambda f: {**form_payload(f), "status": "closed"},
        success="Challenge closed.",
        next_url=_challenge_page(record),
    )
    return done or render_page("customer_voice/challenge_step.html", form, challenge=record, step="close")


def _seat(record: Forum, membership_id: int) -> BodyMembership:
    membership = get_or_404(BodyMembership, membership_id)
    if membership.body_id != record.body_id:
        raise NotFound("No such seat on this forum.")
    return membership


def _seat_holder(record: Forum, membership: BodyMembership) -> str:
    """The seat holder's name, or "" without people.read (as on the forum page)."""
    if not can(current_user, "people.read", g.organisation):
        return ""
    rows = forums.member_rows(record)
    return next((m["name"] for m in rows if m["membership_id"] == membership.id), "")


@web_bp.route("/forums/<int:cv_forum_id>/members/<int:membership_id>/end", methods=["GET", "POST"])
@permission("customer_voice.write")
def member_end(cv_forum_id: int, membership_id: int):
    """End a resident's seat on the forum (the last day they sit on it)."""
    record, row = _forum(cv_forum_id)
    membership = _seat(record, membership_id)
    body = db.session.get(Body, record.body_id)
    form = EndSeatForm()
    if not form.is_submitted():
        form.ends_on.process(None, membership.ends_on or today())
    done = save_form(
        form,
        MembershipUpdateSchema(),
        lambda values: governance.change_membership(g.organisation, body, membership, values),
        payload=lambda f: {"ends_on": f.ends_on.data.isoformat() if f.ends_on.data else None},
        success="Seat ended.",
        next_url=url_for("plugin_customer_voice_web.forum", cv_forum_id=record.id, _anchor="members"),
    )
    return done or render_page(
        "customer_voice/member_end.html",
        form,
        forum=row,
        membership=membership,
        name=_seat_holder(record, membership),
    )


@web_bp.route("/forums/<int:cv_forum_id>/members/<int:membership_id>/delete", methods=["GET", "POST"])
@permission("customer_voice.write")
def member_delete(cv_forum_id: int, membership_id: int):
    """Delete a seat recorded by mistake, after confirming (a term that ended is ended, not deleted)."""
    record, row = _forum(cv_forum_id)
    membership = _seat(record, membership_id)
    name = _seat_holder(record, membership) or "the resident"
    done = delete_form(
        form := EmptyForm(),
        lambda: governance.remove_membership(membership),
        success="Seat deleted.",
        next_url=url_for("plugin_customer_voice_web.forum", cv_forum_id=record.id, _anchor="members"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=f"{name}’s seat on {row['name']} from {membership.starts_on:%-d %B %Y}",
        noun="seat",
        back=url_for(
            "plugin_customer_voice_web.member_end", cv_forum_id=record.id, membership_id=membership.id
        ),
    )
