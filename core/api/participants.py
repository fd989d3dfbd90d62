"""``/participants``: residents known to the involvement service, their preferences, CSV import,
equality monitoring (write-only: answers are never returned, except in the person's own
subject-access export), a written objection to monitoring, subject access and erasure.

Reading needs ``people.read`` and writing ``people.write``; monitoring needs ``monitoring.write``;
the export and erasure are for organisation admins (``people.export``, ``people.erase``).
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView

from core import plugin_kit
from core.api.households import CSV_UPLOAD, IMPORT_REFUSED, NOT_CSV, uploaded_csv
from core.api.resources import org_blueprint
from core.lifecycle import permission
from core.models import Participant
from core.records import get_or_404, paginate, url_model
from core.schemas.people import (
    EqualityAnswersSchema,
    ErasedSchema,
    ObjectionRecordedSchema,
    ObjectionSchema,
    ParticipantArgs,
    ParticipantListSchema,
    ParticipantSchema,
    ParticipantUpdateSchema,
    SubjectAccessSchema,
)
from core.schemas.places import ImportResultSchema
from core.services.csv_import import PARTICIPANTS, import_csv
from core.services.people import (
    delete_participant,
    participant_query,
    record_equality,
    record_objection,
    save_participant,
)
from core.services.subject_access import erase_participant, subject_access_export

blp = org_blueprint(
    "participants", "participants", "Participants: residents known to the involvement service"
)
url_model("participant_id", Participant, "participant")


@blp.route("")
class Participants(MethodView):
    @blp.arguments(ParticipantArgs, location="query")
    @blp.response(200, ParticipantListSchema)
    @permission("people.read")
    def get(self, args):
        """Participants, by name.

        Search ``q`` (name, either order, or reference; case ignored) and filter by area
        (through the household, areas inside it included), level, interest, format, access
        need, household or tenancy holder. Erased people are left out unless
        ``include_erased``."""
        return paginate(participant_query(args), args)

    @blp.arguments(ParticipantSchema)
    @blp.response(201, ParticipantSchema)
    @blp.alt_response(409, description="Another participant has this reference")
    @permission("people.write")
    def post(self, body):
        """Record a participant."""
        return save_participant(None, body)


@blp.route("/import")
class ParticipantImport(MethodView):
    @blp.doc(requestBody=CSV_UPLOAD)
    @blp.response(200, ImportResultSchema)
    @blp.alt_response(422, description=IMPORT_REFUSED)
    @blp.alt_response(415, description=NOT_CSV)
    @permission("people.write")
    def post(self):
        """Import participants from a CSV file.

        Columns: reference, first_name, last_name (required), household (its reference),
        email, phone, is_tenancy_holder, preferred_level, language, channels, formats,
        access_needs, interests (lists separated by semicolons), contact_consent,
        consent_given_on, consent_method. Matched on reference and all or nothing, as for
        households; importing the same file again changes nothing."""
        return import_csv(PARTICIPANTS, uploaded_csv())


@blp.route("/<int:participant_id>")
class ParticipantDetail(MethodView):
    @blp.response(200, ParticipantSchema)
    @permission("people.read")
    def get(self, participant_id):
        """One participant (no equality monitoring: that is never shown per person)."""
        return get_or_404(Participant, participant_id)

    @blp.arguments(ParticipantUpdateSchema)
    @blp.response(200, ParticipantSchema)
    @blp.alt_response(409, description="Reference taken, or the participant was erased")
    @permission("people.write")
    def patch(self, changes, participant_id):
        """Change a participant."""
        return save_participant(get_or_404(Participant, participant_id), changes)

    @blp.response(204)
    @blp.alt_response(409, description="The person has a history; erase them instead")
    @permission("people.write")
    def delete(self, participant_id):
        """Delete a participant recorded by mistake (someone who has taken part is erased instead)."""
        delete_participant(get_or_404(Participant, participant_id))


@blp.route("/<int:participant_id>/equality")
class EqualityMonitoringAnswers(MethodView):
    @blp.arguments(EqualityAnswersSchema)
    @blp.response(204)
    @blp.alt_response(409, description="The person objected to monitoring, or was erased")
    @permission("monitoring.write")
    def put(self, answers, participant_id):
        """Record the person's equality monitoring answers.

        Every question is optional and each accepts ``prefer_not_to_say``; a question left out
        is recorded as not answered. Nothing is echoed back, and there is no way to read one
        person's answers (except their own subject-access export)."""
        record_equality(get_or_404(Participant, participant_id), answers)


@blp.route("/<int:participant_id>/equality/objection")
class EqualityObjection(MethodView):
    @blp.arguments(ObjectionSchema)
    @blp.response(201, ObjectionRecordedSchema)
    @permission("monitoring.write")
    def post(self, objection, participant_id):
        """Record a written objection to equality monitoring.

        The person's answers are deleted, later answers are refused (409) and they are left
        out of every analysis. ``objected_on`` defaults to today; repeating it is harmless."""
        participant = get_or_404(Participant, participant_id)
        return record_objection(participant, objection.get("objected_on") or plugin_kit.today())


@blp.route("/<int:participant_id>/export")
class SubjectAccessExport(MethodView):
    @blp.response(200, SubjectAccessSchema)
    @permission("people.export")
    def get(self, participant_id):
        """Everything held about the person (subject access), plugins' data included; audited."""
        return subject_access_export(g.organisation, get_or_404(Participant, participant_id))


@blp.route("/<int:participant_id>/erase")
class Erasure(MethodView):
    @blp.response(200, ErasedSchema)
    @permission("people.erase")
    def post(self, participant_id):
        """Erase (anonymise) the person.

        Nothing identifying remains; their participations, seats and responses stay so that
        counts and KPIs stay right. Erasing twice is harmless; each erasure is audited."""
        return erase_participant(g.organisation, get_or_404(Participant, participant_id))
