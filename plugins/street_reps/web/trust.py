"""Officers' pages for Trust membership (seed 001: "all customers who hold tenancies have the
opportunity to become Members of the Trust. As such, they would be able to attend the Trust's
Annual General Meeting (AGM) ... and take part in the voting on the appointment of Independent
Board Members"): Members joining and leaving, Members present at an AGM (a core meeting) and the
vote on each appointment. A non-tenancy holder, a second membership, a Member who was not one on
the AGM's day and more votes than Members present are the membership service's refusals, in its
words."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Activity
from core.records import get_or_404
from core.web.toolkit import listing, permission, query_args, render_page, save_form
from plugins.street_reps.models import AgmAttendance, AgmVote, TrustMember
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import membership as service
from plugins.street_reps.web import forms, web_bp


@web_bp.route("/trust-members")
@permission("street_reps.read")
def trust_member_list():
    args = query_args(s.SrRepArgs())
    statement = select(TrustMember)
    if args.get("current") is not None:
        condition = TrustMember.left_on.is_(None)
        statement = statement.where(condition if args["current"] else ~condition)
    page = listing(
        statement,
        keep=args,
        sorts={"joined": TrustMember.joined_on, "left": TrustMember.left_on},
        default_sort="joined",
    )
    names = forms.people_names(m.participant_id for m in page.items)
    return render_page(
        "street_reps/trust/members.html", listing=page, names=names, current=args.get("current")
    )


@web_bp.route("/trust-members/new", methods=["GET", "POST"])
@permission("street_reps.write")
def trust_member_new():
    form = forms.PersonJoinForm()
    if not form.is_submitted():
        form.joined_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrTrustMemberSchema(),
        lambda values: service.register_member(values, current_settings()),
        payload=forms.join_body,
        success="Registered as a Member of the Trust.",
        next_url=lambda member: url_for(".trust_member_detail", sr_trust_member_id=member.id),
    )
    return done or render_page("street_reps/trust/member_form.html", form)


def _member_page(member: TrustMember, template: str, form=None):
    meetings = db.session.execute(
        select(Activity.id, Activity.title, Activity.starts_at)
        .join(AgmAttendance, AgmAttendance.activity_id == Activity.id)
        .where(AgmAttendance.member_id == member.id)
        .order_by(Activity.starts_at.desc())
    ).all()
    return render_page(
        template,
        form,
        member=member,
        name=forms.people_names([member.participant_id]).get(member.participant_id, ""),
        meetings=meetings,
    )


@web_bp.route("/trust-members/<int:sr_trust_member_id>")
@permission("street_reps.read")
def trust_member_detail(sr_trust_member_id: int):
    member = get_or_404(TrustMember, sr_trust_member_id, "Trust member")
    return _member_page(member, "street_reps/trust/member.html")


@web_bp.route("/trust-members/<int:sr_trust_member_id>/leave", methods=["GET", "POST"])
@permission("street_reps.write")
def trust_member_leave(sr_trust_member_id: int):
    member = get_or_404(TrustMember, sr_trust_member_id, "Trust member")
    form, done = forms.leaving(
        member,
        s.SrTrustLeavingSchema(),
        lambda values: service.record_leaving(member, values["left_on"]),
        success="Recorded that the Member left the Trust.",
        next_url=url_for(".trust_member_detail", sr_trust_member_id=member.id),
    )
    return done or _member_page(member, "street_reps/trust/member_leave.html", form)


# -- the AGM: Members present and the votes on appointments -----------------------------------


@web_bp.route("/agm/votes")
@permission("street_reps.read")
def agm_vote_list():
    page = listing(select(AgmVote).order_by(AgmVote.id.desc()))
    meetings = dict(
        (i, (title, starts))
        for i, title, starts in db.session.execute(
            select(Activity.id, Activity.title, Activity.starts_at).where(
                Activity.id.in_({v.activity_id for v in page.items})
            )
        ).all()
    )
    present = {i: service.attendance_count(i) for i in meetings}
    return render_page("street_reps/trust/votes.html", listing=page, meetings=meetings, present=present)


@web_bp.route("/agm/votes/new", methods=["GET", "POST"])
@permission("street_reps.write")
def agm_vote_new():
    form = forms.VoteForm()
    done = save_form(
        form,
        s.SrVoteSchema(),
        service.record_vote,
        payload=forms.vote_body,
        success=lambda vote: (
            f"Vote on {vote.candidate} recorded: " + ("appointed." if vote.appointed else "not appointed.")
        ),
        next_url=lambda vote: url_for(".agm_vote_detail", sr_vote_id=vote.id),
    )
    return done or render_page("street_reps/trust/vote_form.html", form)


@web_bp.route("/agm/votes/<int:sr_vote_id>")
@permission("street_reps.read")
def agm_vote_detail(sr_vote_id: int):
    vote = get_or_404(AgmVote, sr_vote_id, "AGM vote")
    meeting = db.session.get(Activity, vote.activity_id)
    return render_page(
        "street_reps/trust/vote.html",
        vote=vote,
        meeting=meeting,
        present=service.attendance_count(vote.activity_id),
    )


@web_bp.route("/agm/attendance", methods=["GET", "POST"])
@permission("street_reps.write")
def agm_attendance():
    form = forms.AgmAttendanceForm()
    members = db.session.scalars(
        select(TrustMember).order_by(TrustMember.left_on.is_not(None), TrustMember.joined_on, TrustMember.id)
    ).all()
    names = forms.people_names(m.participant_id for m in members)
    form.member_ids.choices = [
        (
            m.id,
            names.get(m.participant_id, f"Member {m.id}")
            + (f" (left {m.left_on:%-d %B %Y})" if m.left_on else ""),
        )
        for m in members
    ]
    done = save_form(
        form,
        s.SrAttendanceSchema(),
        lambda values: service.record_attendance(values["activity_id"], values["member_ids"]),
        payload=lambda f: {
            k: v
            for k, v in {
                "activity_id": forms.record_id(f.activity_id.data),
                "member_ids": list(f.member_ids.data or []),
            }.items()
            if v not in (None, [])
        },
        success=lambda count: f"Attendance recorded: {count} Members present at this AGM.",
        next_url=url_for(".agm_vote_list"),
    )
    return done or render_page("street_reps/trust/attendance.html", form)
