"""``/consultations`` with their ``responses`` and "you said, we did" ``feedback``, and the signed-in
user's ``notifications`` (where feedback reminders arrive).

A consultation's status is computed from its dates (planned → open → closed) unless cancelled;
``?overdue=true`` lists those whose feedback is late, ``?due_within_days=N`` those falling due.
Every list is one COUNT, one page and a fixed number of statements for the computed fields.
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.api.resources import org_blueprint
from core.errors import NotFound
from core.extensions import db
from core.lifecycle import permission
from core.models import Consultation, ConsultationResponse, Notification
from core.permissions import can
from core.records import get_or_404, paginate, url_model
from core.schemas.consultations import (
    ConsultationArgs,
    ConsultationFeedbackSchema,
    ConsultationListSchema,
    ConsultationResponseArgs,
    ConsultationResponseListSchema,
    ConsultationResponseSchema,
    ConsultationSchema,
    ConsultationUpdateSchema,
    NotificationArgs,
    NotificationListSchema,
    NotificationSchema,
)
from core.services import consultations as service
from core.services import notifications as notification_service

blp = org_blueprint(
    "consultations",
    "consultations",
    'Consultations, their responses and the published "you said, we did" feedback',
)
url_model("consultation_id", Consultation, "consultation")
url_model("response_id", ConsultationResponse, "response")


def _described(consultation: Consultation) -> Consultation:
    service.describe([consultation], plugin_kit.today())
    return consultation


@blp.route("")
class Consultations(MethodView):
    @blp.arguments(ConsultationArgs, location="query")
    @blp.response(200, ConsultationListSchema)
    @permission("records.read")
    def get(self, args):
        """Consultations, newest first; filter by status, topic, owner, overdue or feedback due soon.

        Overdue and due-soon lists are ordered by feedback due date, the most pressing first."""
        today = plugin_kit.today()
        query = service.consultation_query(args, today)
        page = paginate(query, args)
        service.describe(page["items"], today)
        return page

    @blp.arguments(ConsultationSchema)
    @blp.response(201, ConsultationSchema)
    @permission("records.write")
    def post(self, body):
        """Create a consultation; feedback falls due ``feedback_period_months`` after it closes.

        It runs at least the organisation's ``consultation_min_days``; its topic is one of the
        organisation's ``consultation_topics`` or "other" with a description; a due date beyond the
        guarantee needs an org admin and a ``feedback_extension_reason``."""
        return _described(service.create_consultation(g.organisation, body, actor=g.api_user))


@blp.route("/<int:consultation_id>")
class ConsultationDetail(MethodView):
    @blp.response(200, ConsultationSchema)
    @permission("records.read")
    def get(self, consultation_id):
        """One consultation with its response count, feedback and the improvements it led to."""
        return _described(get_or_404(Consultation, consultation_id))

    @blp.arguments(ConsultationUpdateSchema)
    @blp.response(200, ConsultationSchema)
    @permission("records.write")
    def patch(self, changes, consultation_id):
        """Change a consultation; ``{"status": "cancelled"}`` cancels it, ``"open"`` un-cancels."""
        consultation = get_or_404(Consultation, consultation_id)
        return _described(
            service.update_consultation(g.organisation, consultation, changes, actor=g.api_user)
        )

    @blp.response(204)
    @permission("records.write")
    def delete(self, consultation_id):
        """Delete a consultation nobody has answered (409 once it has responses: cancel it)."""
        service.delete_consultation(get_or_404(Consultation, consultation_id))


@blp.route("/<int:consultation_id>/responses")
class Responses(MethodView):
    @blp.arguments(ConsultationResponseArgs, location="query")
    @blp.response(200, ConsultationResponseListSchema)
    @permission("records.read")
    def get(self, args, consultation_id):
        """Responses to a consultation, oldest first; filter by channel or participant."""
        consultation = get_or_404(Consultation, consultation_id)
        query = (
            select(ConsultationResponse)
            .where(ConsultationResponse.consultation_id == consultation.id)
            .order_by(ConsultationResponse.responded_on, ConsultationResponse.id)
        )
        if "channel" in args:
            query = query.where(ConsultationResponse.channel == args["channel"])
        if "participant_id" in args:
            query = query.where(ConsultationResponse.participant_id == args["participant_id"])
        page = paginate(query, args)
        service.mark_late(consultation, page["items"])
        page["items"] = service.shown_responses(page["items"], personal=_personal())
        return page

    @blp.arguments(ConsultationResponseSchema)
    @blp.response(201, ConsultationResponseSchema)
    @permission("records.write")
    def post(self, body, consultation_id):
        """Record a response (409 if the consultation was cancelled; late ones are flagged)."""
        consultation = get_or_404(Consultation, consultation_id)
        response = service.record_response(consultation, body, plugin_kit.today())
        return service.shown_responses([response], personal=_personal())[0]


def _personal() -> bool:
    """May the caller see a respondent's name and contact (participants' personal details)?"""
    return can(g.api_user, service.PERSONAL_PERMISSION, g.organisation)


def _response_of(consultation_id: int, response_id: int) -> tuple[Consultation, ConsultationResponse]:
    consultation = get_or_404(Consultation, consultation_id)
    response = get_or_404(ConsultationResponse, response_id, "response")
    if response.consultation_id != consultation.id:
        raise NotFound("No such response.")
    return consultation, response


@blp.route("/<int:consultation_id>/responses/<int:response_id>")
class ResponseDetail(MethodView):
    @blp.response(200, ConsultationResponseSchema)
    @permission("records.read")
    def get(self, consultation_id, response_id):
        """One response."""
        consultation, response = _response_of(consultation_id, response_id)
        service.mark_late(consultation, [response])
        return service.shown_responses([response], personal=_personal())[0]

    @blp.response(204)
    @permission("records.write")
    def delete(self, consultation_id, response_id):
        """Delete a response recorded in error."""
        _consultation, response = _response_of(consultation_id, response_id)
        service.delete_response(response)


@blp.route("/<int:consultation_id>/feedback")
class Feedback(MethodView):
    @blp.response(200, ConsultationFeedbackSchema)
    @permission("records.read")
    def get(self, consultation_id):
        """The consultation's feedback (404 until some is written)."""
        consultation = get_or_404(Consultation, consultation_id)
        feedback = service.find_feedback(consultation)
        if feedback is None:
            raise NotFound("No feedback has been written for this consultation yet.")
        service.feedback_on_time(consultation, feedback)
        return feedback

    @blp.arguments(ConsultationFeedbackSchema)
    @blp.response(200, ConsultationFeedbackSchema)
    @permission("records.write")
    def put(self, body, consultation_id):
        """Write or replace the feedback; with ``published_on`` it is published (after the close)."""
        consultation = get_or_404(Consultation, consultation_id)
        return service.save_feedback(consultation, body, plugin_kit.today())


# -- notifications -----------------------------------------------------------------------------

notifications_blp = org_blueprint(
    "notifications", "notifications", "The signed-in user's notifications, e.g. feedback falling due"
)
url_model("notification_id", Notification, "notification")


@notifications_blp.route("")
class Notifications(MethodView):
    @notifications_blp.arguments(NotificationArgs, location="query")
    @notifications_blp.response(200, NotificationListSchema)
    @permission("records.read")
    def get(self, args):
        """Your notifications in this organisation, newest first."""
        user = g.api_user
        query = (
            select(Notification)
            .where(notification_service.addressed_to(user.id, user.role_in(g.organisation.id)))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
        )
        if args.get("unread") is not None:
            read = notification_service.read_condition(user.id)
            query = query.where(~read if args["unread"] else read)
        page = paginate(query, args)
        notification_service.with_read_state(page["items"], user.id)
        return page


@notifications_blp.route("/<int:notification_id>/read")
class NotificationRead(MethodView):
    @notifications_blp.response(200, NotificationSchema)
    @permission("records.read")
    def post(self, notification_id):
        """Mark one of your notifications read (another user's is not found)."""
        user = g.api_user
        notification = db.session.scalar(
            select(Notification).where(
                Notification.id == notification_id,
                notification_service.addressed_to(user.id, user.role_in(g.organisation.id)),
            )
        )
        if notification is None:
            raise NotFound("No such notification.")
        return notification_service.mark_read(notification, user.id)
