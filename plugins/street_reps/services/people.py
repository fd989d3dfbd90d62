"""What the plugin holds about one person: for subject access, and when they are erased.

The plugin's rows point at participants; they hold no names. Erasing keeps counts (a panel
member's contacts, a Trust Member's attendance) but removes free text the person wrote or that
was written about them.
"""

from __future__ import annotations

from sqlalchemy import select, update

from core.extensions import db
from plugins.street_reps.models import (
    Inspector,
    PanelContact,
    PanelMember,
    RepView,
    StreetRep,
    TrustMember,
)


def subject_access(participant) -> dict:
    rep = db.session.scalar(select(StreetRep).where(StreetRep.participant_id == participant.id))
    panel = db.session.scalar(select(PanelMember).where(PanelMember.participant_id == participant.id))
    inspector = db.session.scalar(select(Inspector).where(Inspector.participant_id == participant.id))
    member = db.session.scalar(select(TrustMember).where(TrustMember.participant_id == participant.id))
    result: dict = {}
    if rep is not None:
        views = db.session.scalars(select(RepView).where(RepView.rep_id == rep.id).order_by(RepView.id)).all()
        result["street_representative"] = {
            "patch_name": rep.patch_name,
            "appointed_on": rep.appointed_on.isoformat(),
            "stood_down_on": rep.stood_down_on.isoformat() if rep.stood_down_on else None,
            "notes": rep.notes,
            "views": [
                {
                    "topic": v.topic,
                    "summary": v.summary,
                    "view": v.view,
                    "submitted_on": v.submitted_on.isoformat(),
                    "answer": v.answer,
                }
                for v in views
            ],
        }
    if panel is not None:
        comments = db.session.scalars(
            select(PanelContact.comment).where(
                PanelContact.member_id == panel.id, PanelContact.comment.is_not(None)
            )
        ).all()
        result["customer_panel"] = {
            "channel": panel.channel,
            "joined_on": panel.joined_on.isoformat(),
            "comments": list(comments),
        }
    if inspector is not None:
        result["customer_inspector"] = {"joined_on": inspector.joined_on.isoformat()}
    if member is not None:
        result["trust_member"] = {"joined_on": member.joined_on.isoformat()}
    return result or None


def erase(participant) -> None:
    rep_ids = select(StreetRep.id).where(StreetRep.participant_id == participant.id)
    db.session.execute(update(StreetRep).where(StreetRep.participant_id == participant.id).values(notes=None))
    db.session.execute(
        update(RepView).where(RepView.rep_id.in_(rep_ids)).values(view="(erased)", summary="(erased)")
    )
    member_ids = select(PanelMember.id).where(PanelMember.participant_id == participant.id)
    db.session.execute(
        update(PanelContact).where(PanelContact.member_id.in_(member_ids)).values(comment=None)
    )
