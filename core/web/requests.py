"""Staff pages for expressions of interest from the residents' site (routes on ``org_web``).

``/o/<slug>/requests`` lists pending requests; each request's page lets staff confirm it (a new
participant), merge it with someone already on the register, or decline it — all through
``core.services.involvement_requests``. Permission ``people.write`` is checked before any input is
read. Equality answers a resident gave are never shown here.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.lifecycle import permission, require
from core.models import InvolvementRequest, Participant
from core.records import get_or_404, possible_id, url_model
from core.services import involvement_requests as requests_service
from core.web.views import _org_context, org_web

url_model("request_id", InvolvementRequest, "request")
CANDIDATES = 20


@org_web.route("/requests")
@permission("people.write")
def involvement_requests():
    require("people.write")
    return render_template(
        "requests/list.html", requests=requests_service.pending_requests(), **_org_context()
    )


def _candidates(found: InvolvementRequest) -> list[Participant]:
    """People on the register who may be the same person: same email, phone or last name."""
    same = [Participant.last_name.ilike(found.last_name)]
    if found.email:
        same.append(Participant.email.ilike(found.email))
    if found.phone:
        same.append(Participant.phone == found.phone)
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.erased_at.is_(None), or_(*same))
            .order_by(Participant.last_name, Participant.first_name, Participant.id)
            .limit(CANDIDATES)
        )
    )


@org_web.route("/requests/<int:request_id>")
@permission("people.write")
def involvement_request(request_id):
    require("people.write")
    found = get_or_404(InvolvementRequest, request_id, "request")
    return render_template(
        "requests/request.html",
        found=found,
        candidates=_candidates(found) if found.status == "pending" else [],
        errors={},
        **_org_context(),
    )


def _done(message: str):
    flash(message, "success")
    return redirect(url_for("org_web.involvement_requests"), 303)


def _refused(found: InvolvementRequest, exc: Exception):
    db.session.rollback()
    if isinstance(exc, ValidationFailed):
        errors = exc.fields
    else:
        errors = {"decision": [getattr(exc, "message", str(exc))]}
    return render_template(
        "requests/request.html",
        found=found,
        candidates=_candidates(found) if found.status == "pending" else [],
        errors=errors,
        **_org_context(),
    ), 409 if isinstance(exc, Conflict) else 422


@org_web.route("/requests/<int:request_id>/confirm", methods=["POST"])
@permission("people.write")
def confirm_request(request_id):
    require("people.write")
    found = get_or_404(InvolvementRequest, request_id, "request")
    try:
        participant = requests_service.confirm(found, current_user.id)
    except (Conflict, ValidationFailed) as exc:
        return _refused(found, exc)
    return _done(f"{participant.first_name} {participant.last_name} is now on the register.")


@org_web.route("/requests/<int:request_id>/merge", methods=["POST"])
@permission("people.write")
def merge_request(request_id):
    require("people.write")
    found = get_or_404(InvolvementRequest, request_id, "request")
    text = request.form.get("participant_id", "")
    participant_id = int(text) if text.isdigit() and possible_id(int(text)) else None
    participant = db.session.get(Participant, participant_id) if participant_id else None
    try:
        if participant is None:
            raise ValidationFailed({"participant_id": ["Choose the person this request is from."]})
        requests_service.merge(found, participant, current_user.id)
    except (Conflict, ValidationFailed) as exc:
        return _refused(found, exc)
    return _done(f"The request was added to {participant.first_name} {participant.last_name}'s record.")


@org_web.route("/requests/<int:request_id>/decline", methods=["POST"])
@permission("people.write")
def decline_request(request_id):
    require("people.write")
    found = get_or_404(InvolvementRequest, request_id, "request")
    try:
        requests_service.decline(found, current_user.id)
    except Conflict as exc:
        return _refused(found, exc)
    return _done("The request was declined. Nothing was added to the register.")
