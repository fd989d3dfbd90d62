"""Listening feedback: the list (filter by channel, sentiment and service area), entering or
correcting one item, deleting one recorded by mistake (after a confirmation page), and importing
a CSV file of items. Items go through ``CvFeedbackSchema`` and
``voice.save_feedback``; the import is the API's own ``voice.import_feedback`` (all or nothing),
and its refusals are shown row by row."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from sqlalchemy import select

from core.api.households import uploaded_csv
from core.errors import ValidationFailed
from core.extensions import db
from core.models import Area
from core.records import get_or_404
from core.web.forms import EmptyForm
from core.web.imports import problem_rows
from core.web.toolkit import (
    delete_form,
    form_payload,
    listing,
    permission,
    query_args,
    render_page,
    save_form,
)
from plugins.customer_voice.models import FeedbackItem
from plugins.customer_voice.schemas import CvFeedbackArgs, CvFeedbackSchema, CvFeedbackUpdateSchema
from plugins.customer_voice.services import voice
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.vocab import SENTIMENTS
from plugins.customer_voice.web import web_bp
from plugins.customer_voice.web.forms import FeedbackForm, UploadForm, label

COLUMNS = ("reference", "channel", "received_on", "service_area", "area", "sentiment", "summary")


@web_bp.route("/feedback")
@permission("customer_voice.read")
def feedback():
    """Feedback items, newest first, filtered by the API's own list arguments."""
    args = query_args(CvFeedbackArgs())
    statement = select(FeedbackItem)
    for name in ("channel", "sentiment", "service_area", "area_id"):
        if name in args:
            statement = statement.where(getattr(FeedbackItem, name) == args[name])
    page = listing(statement.order_by(FeedbackItem.received_on.desc(), FeedbackItem.id.desc()), keep=args)
    areas = dict(db.session.execute(select(Area.id, Area.name).where(Area.kind == "management_area")).all())
    settings = current_settings()
    return render_page(
        "customer_voice/feedback_list.html",
        listing=page,
        areas=areas,
        label=label,
        channels=settings["listening_channels"],
        service_areas=settings["service_areas"],
        sentiments=SENTIMENTS,
        chosen=args,
    )


def _feedback_body(form: FeedbackForm, partial: bool = False) -> dict:
    body = form_payload(form, partial=partial)
    if str(body.get("area_id") or "").isdigit():
        body["area_id"] = int(body["area_id"])
    return body


@web_bp.route("/feedback/new", methods=["GET", "POST"])
@permission("customer_voice.write")
def feedback_new():
    """Enter one feedback item heard through a listening channel."""
    form = FeedbackForm()
    done = save_form(
        form,
        CvFeedbackSchema(),
        lambda values: voice.save_feedback(FeedbackItem(), values),
        payload=_feedback_body,
        success="Feedback recorded.",
        next_url=url_for("plugin_customer_voice_web.feedback"),
    )
    return done or render_page("customer_voice/feedback_form.html", form, item=None)


@web_bp.route("/feedback/<int:cv_feedback_id>/edit", methods=["GET", "POST"])
@permission("customer_voice.write")
def feedback_edit(cv_feedback_id: int):
    """Correct a feedback item."""
    item = get_or_404(FeedbackItem, cv_feedback_id, "feedback item")
    form = FeedbackForm(obj=item)
    if not form.is_submitted():
        form.area_id.data = str(item.area_id or "")
    done = save_form(
        form,
        CvFeedbackUpdateSchema(),
        lambda values: voice.save_feedback(item, values),
        payload=lambda f: _feedback_body(f, partial=True),
        success="Feedback corrected.",
        next_url=url_for("plugin_customer_voice_web.feedback"),
    )
    return done or render_page("customer_voice/feedback_form.html", form, item=item)


@web_bp.route("/feedback/import", methods=["GET", "POST"])
@permission("customer_voice.import")
def feedback_import():
    """Import feedback items from a CSV file: all or nothing, every bad cell named by row and column."""
    form = UploadForm()
    problems: list[tuple[str, str, str]] = []
    if request.method == "POST" and form.validate():
        upload = form.file.data
        if upload is None or not upload.filename:
            form.file.errors = ["Select a CSV file to import."]
        else:
            try:
                result = voice.import_feedback(uploaded_csv())
                db.session.flush()
            except ValidationFailed as exc:
                db.session.rollback()
                problems = problem_rows(exc.fields) or [("Whole file", "", exc.message)]
                form.form_errors.append(
                    "The file cannot be imported: nothing was imported. Correct the problems listed below."
                )
            else:
                db.session.commit()
                flash(f"{result['created']} feedback item(s) imported.", "success")
                return redirect(url_for("plugin_customer_voice_web.feedback"), code=303)
    return render_page("customer_voice/feedback_import.html", form, problems=problems, columns=COLUMNS)


@web_bp.route("/feedback/<int:cv_feedback_id>/delete", methods=["GET", "POST"])
@permission("customer_voice.write")
def feedback_delete(cv_feedback_id: int):
    """Delete a feedback item recorded by mistake, after confirming."""
    item = get_or_404(FeedbackItem, cv_feedback_id, "feedback item")
    form = EmptyForm()
    what = f"the {label(item.channel).lower()} feedback of {item.received_on:%-d %B %Y}"
    done = delete_form(
        form,
        lambda: voice.delete_feedback(item),
        success="Feedback item deleted.",
        next_url=url_for("plugin_customer_voice_web.feedback"),
    )
    return done or render_page(
        "confirm_delete.html",
        form,
        what=what,
        noun="feedback item",
        back=url_for("plugin_customer_voice_web.feedback_edit", cv_feedback_id=item.id),
    )
