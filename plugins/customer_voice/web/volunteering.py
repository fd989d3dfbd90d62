"""Volunteering: sessions customers give to their communities (community clean ups, Rate Your
Estate walks…) and the Rate Your Estate visits, where a volunteer scores an estate 1 to 5 against
every criterion in the settings. Lists, recording a session or a visit, one of each, and correcting
a visit's date or comments. The forms
go through the API's schemas (``CvSessionSchema``, ``CvRatingSchema``) and ``services.events``, so a
page refuses what the API refuses in the same words. Volunteers and hours are recorded on the
session's core activity (its register is linked)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.errors import ValidationFailed
from core.extensions import db
from core.models import Area, Participant
from core.plugin_kit import in_london
from core.records import get_or_404
from core.web.toolkit import form_payload, listing, permission, query_args, render_page, save_form
from plugins.customer_voice.models import EstateRating, VolunteerSession
from plugins.customer_voice.schemas import (
    CvRatingArgs,
    CvRatingSchema,
    CvRatingUpdateSchema,
    CvSessionSchema,
)
from plugins.customer_voice.services import events
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import SessionForm, VisitChangeForm, label, rating_form
from plugins.customer_voice.web.information import moment


def _area_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(Area.id, Area.name).where(Area.id.in_(ids))).all())


# -- sessions ----------------------------------------------------------------------------------------


@web_bp.route("/volunteering")
@permission("customer_voice.read")
def volunteering():
    """Volunteering sessions, newest first, with the volunteers and hours given."""
    statement = events.session_rows()
    page = listing(statement.with_only_columns(VolunteerSession.id))
    rows = {
        row[0].id: events.session_dict(*row)
        for row in db.session.execute(statement.where(VolunteerSession.id.in_(page.items)))
    }
    page.items = [rows[i] for i in page.items if i in rows]
    return render_page(
        "customer_voice/sessions.html",
        listing=page,
        areas=_area_names(r["area_id"] for r in page.items),
        in_london=in_london,
        label=label,
    )


def _session_body(form: SessionForm) -> dict:
    body = form_payload(form, ["title", "role", "status"])
    when = moment(form.starts_at.data, form.start_time.data)
    if when is not None:
        body["starts_at"] = when
    if (form.area_id.data or "").isdigit():
        body["area_id"] = int(form.area_id.data)
    return body


@web_bp.route("/volunteering/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def volunteering_new():
    """Record a volunteering session in one of the organisation's roles."""
    form = SessionForm()
    done = save_form(
        form,
        CvSessionSchema(),
        events.add_session,
        payload=_session_body,
        success=lambda s: "Volunteering session recorded.",
        next_url=lambda s: url_for("plugin_customer_voice_web.volunteering_session", cv_session_id=s.id),
    )
    return done or render_page("customer_voice/session_form.html", form)


@web_bp.route("/volunteering/<int:cv_session_id>")
@permission("customer_voice.read")
def volunteering_session(cv_session_id: int):
    """One session: its role, when and where, and the volunteers and hours recorded."""
    session = events.one_session(get_or_404(VolunteerSession, cv_session_id, "session"))
    return render_page(
        "customer_voice/session.html",
        session=session,
        starts=in_london(session["starts_at"]),
        area=_area_names([session["area_id"]]).get(session["area_id"]),
        label=label,
    )


# -- Rate Your Estate --------------------------------------------------------------------------------


@web_bp.route("/estate-ratings")
@permission("customer_voice.read")
def volunteering_ratings():
    """Rate Your Estate visits, newest first, filtered by estate."""
    args = query_args(CvRatingArgs())
    statement = select(EstateRating).order_by(EstateRating.visited_on.desc(), EstateRating.id.desc())
    if "area_id" in args:
        statement = statement.where(EstateRating.area_id == args["area_id"])
    page = listing(statement, keep=args)
    page.items = [events.rating_dict(r) for r in page.items]
    estates = db.session.execute(
        select(Area.id, Area.name).where(Area.kind.in_(events.RATEABLE)).order_by(Area.name, Area.id)
    ).all()
    return render_page(
        "customer_voice/ratings.html",
        listing=page,
        areas=_area_names(r["area_id"] for r in page.items),
        estates=estates,
        chosen=args,
        criteria=current_settings()["rate_your_estate_criteria"],
        label=label,
    )


def _rating_body(form) -> dict:
    body = form_payload(form, ["visited_on", "comments"])
    for name in ("area_id", "participant_id"):
        if (form[name].data or "").isdigit():
            body[name] = int(form[name].data)
    body["scores"] = {
        name[len("score_") :]: int(form[name].data)
        for name in form._fields
        if name.startswith("score_") and (form[name].data or "").isdigit()
    }
    return body


def _record_rating(values: dict):
    """The service's refusal of a criterion (``scores.<criterion>``) lands on that criterion's radios."""
    try:
        return events.record_rating(values)
    except ValidationFailed as exc:
        raise ValidationFailed(
            {key.replace("scores.", "score_", 1): messages for key, messages in exc.fields.items()},
            exc.message,
        ) from None


@web_bp.route("/estate-ratings/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def volunteering_rating_new():
    """Record a visit: a score from 1 (poor) to 5 (excellent) for every criterion."""
    criteria = current_settings()["rate_your_estate_criteria"]
    form = rating_form(criteria, events.RATEABLE)
    done = save_form(
        form,
        CvRatingSchema(),
        _record_rating,
        payload=_rating_body,
        success="Rate Your Estate visit recorded.",
        next_url=lambda r: url_for("plugin_customer_voice_web.volunteering_rating", cv_rating_id=r.id),
    )
    scores = [form[f"score_{c}"] for c in criteria]
    return done or render_page("customer_voice/rating_form.html", form, scores=scores)


@web_bp.route("/estate-ratings/<int:cv_rating_id>")
@permission("customer_voice.read")
def volunteering_rating(cv_rating_id: int):
    """One visit with its scores."""
    rating = events.rating_dict(get_or_404(EstateRating, cv_rating_id, "rating"))
    volunteer = db.session.get(Participant, rating["participant_id"]) if rating["participant_id"] else None
    return render_page(
        "customer_voice/rating.html",
        rating=rating,
        area=_area_names([rating["area_id"]]).get(rating["area_id"]),
        volunteer=volunteer,
        label=label,
    )


@web_bp.route("/estate-ratings/<int:cv_rating_id>/edit", methods=["GET", "POST"])
@permission("customer_voice.write")
def volunteering_rating_edit(cv_rating_id: int):
    """Correct a visit's date or comments (the API's PATCH; scores are recorded as a new visit)."""
    record = get_or_404(EstateRating, cv_rating_id, "rating")
    form = VisitChangeForm(obj=record)
    done = save_form(
        form,
        CvRatingUpdateSchema(),
        lambda values: events.change_rating(record, values),
        partial=True,
        success="Visit corrected.",
        next_url=url_for("plugin_customer_voice_web.volunteering_rating", cv_rating_id=record.id),
    )
    rating = events.rating_dict(record)
    return done or render_page(
        "customer_voice/rating_edit.html",
        form,
        rating=rating,
        area=_area_names([rating["area_id"]]).get(rating["area_id"]),
    )
