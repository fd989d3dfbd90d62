"""The weekly overview a Community Partnership Co-ordinator looks at, and each forum's voice pack
(HTML and CSV) for its next meeting."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, g, render_template, request
from sqlalchemy import func, select

from core import plugin_kit
from core.errors import ValidationFailed
from core.extensions import db
from core.lifecycle import permission
from core.models import Activity
from core.records import get_or_404
from plugins.customer_voice.models import (
    ChainProject,
    Challenge,
    EvidenceRequest,
    Forum,
    InformationEvent,
    ScrutinyReview,
)
from plugins.customer_voice.services import forums, projects, standards, voice
from plugins.customer_voice.web import web_bp


def _period():
    try:
        return voice.period_from(request.args)
    except ValidationFailed:
        abort(
            400, description="Give the period as a financial year like 2025-26 or a quarter like 2025-26-Q1."
        )


@web_bp.route("/")
@permission("customer_voice.read")
def overview():
    """What a Community Partnership Co-ordinator looks at each week."""
    open_challenges = dict(
        db.session.execute(
            select(Challenge.forum_id, func.count(Challenge.id))
            .where(Challenge.status != "closed")
            .group_by(Challenge.forum_id)
        ).all()
    )
    overdue_projects = db.session.scalars(
        select(ChainProject).where(projects.overdue_condition()).order_by(ChainProject.planned_end_on)
    ).all()
    reviews = db.session.scalars(
        select(ScrutinyReview).where(ScrutinyReview.status != "closed").order_by(ScrutinyReview.starts_on)
    ).all()
    overdue_evidence = db.session.scalar(
        select(func.count(EvidenceRequest.id)).where(projects.evidence_overdue())
    )
    upcoming = db.session.execute(
        select(InformationEvent.id, InformationEvent.topic, Activity.starts_at)
        .join(Activity, Activity.id == InformationEvent.activity_id)
        .where(Activity.status == "planned", Activity.starts_at >= datetime.now(UTC))
        .order_by(Activity.starts_at)
        .limit(3)
    ).all()
    return render_template(
        "customer_voice/overview.html",
        organisation=g.organisation,
        forums=forums.forum_rows(),
        open_challenges=open_challenges,
        overdue_projects=overdue_projects,
        reviews=reviews,
        overdue_evidence=overdue_evidence,
        upcoming=upcoming,
        due=standards.status(plugin_kit.today()),
        today=plugin_kit.today(),
    )


@web_bp.route("/forums/<int:cv_forum_id>/voice-pack")
@permission("customer_voice.read")
def voice_pack(cv_forum_id):
    """A forum's voice pack for its next meeting."""
    pack = voice.voice_pack(get_or_404(Forum, cv_forum_id, "forum"), _period())
    return render_template("customer_voice/voice_pack.html", organisation=g.organisation, pack=pack)


@web_bp.route("/forums/<int:cv_forum_id>/voice-pack.csv")
@permission("customer_voice.read")
def voice_pack_csv(cv_forum_id):
    pack = voice.voice_pack(get_or_404(Forum, cv_forum_id, "forum"), _period())
    filename = f"voice-pack-{cv_forum_id}-{pack['period']}.csv"
    return plugin_kit.csv_response(filename, *voice.voice_pack_table(pack))
