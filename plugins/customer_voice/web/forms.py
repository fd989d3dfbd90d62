"""The WTForms forms of the Customer Voice pages. They only read the input: the API's schemas and
the plugin's services judge it, so a page refuses what the API refuses in the same words. Choices
come from the organisation's own settings (its listening channels and service areas)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from core.extensions import db
from core.models import Area, Participant
from core.models.vocab import (
    ACTIVITY_STATUSES,
    MEMBERSHIP_ROLES,
    RECOMMENDATION_RESPONSES,
    RECOMMENDATION_STATUSES,
)
from core.web.activities import TimeField
from core.web.fields import GovDateField
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.vocab import (
    ASSESSMENT_RATINGS,
    CHAIN_STATUSES,
    REVIEW_STATUSES,
    SCOPE_TYPES,
    SCORE_MAX,
    SCORE_MIN,
    SENTIMENTS,
)


def label(code: str | None) -> str:
    """``anti_social_behaviour`` → ``Anti social behaviour``."""
    return (code or "").replace("_", " ").capitalize()


def _codes(codes) -> list[tuple[str, str]]:
    return [(code, label(code)) for code in codes]


def management_area_choices(empty: str) -> list[tuple[str, str]]:
    areas = db.session.execute(
        select(Area.id, Area.name).where(Area.kind == "management_area").order_by(Area.name)
    ).all()
    return [("", empty)] + [(str(a.id), a.name) for a in areas]


class ForumForm(FlaskForm):
    name = StringField("Name")
    area_id = SelectField("Management area", validators=[Optional()])
    description = TextAreaField("About the forum")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = management_area_choices("Not linked to a management area")


class MemberForm(FlaskForm):
    participant_id = SelectField("Resident", validators=[Optional()])
    role = SelectField("Role", validators=[Optional()], default="member")
    starts_on = GovDateField("Seat starts on")
    other_area_reason = TextAreaField("Why a resident of another management area sits on this forum")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _codes(MEMBERSHIP_ROLES)
        people = db.session.execute(
            select(Participant.id, Participant.first_name, Participant.last_name)
            .where(Participant.erased_at.is_(None))
            .order_by(Participant.last_name, Participant.first_name)
        ).all()
        self.participant_id.choices = [("", "Choose a resident")] + [
            (str(p.id), f"{p.first_name} {p.last_name}") for p in people
        ]


class ChallengeForm(FlaskForm):
    title = StringField("What the forum challenges")
    service_area = SelectField("Service area", validators=[Optional()])
    detail = TextAreaField("Detail")
    raised_on = GovDateField("Raised on")
    response_due_on = GovDateField("Response due by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_area.choices = [("", "Choose a service area")] + _codes(
            current_settings()["service_areas"]
        )


class ResponseForm(FlaskForm):
    response = TextAreaField("The landlord's response")
    responded_on = GovDateField("Responded on")


class CloseForm(FlaskForm):
    outcome = TextAreaField("Outcome")


class FeedbackForm(FlaskForm):
    channel = SelectField("Listening channel", validators=[Optional()])
    received_on = GovDateField("Received on")
    service_area = SelectField("Service area", validators=[Optional()])
    area_id = SelectField("Management area", validators=[Optional()])
    sentiment = RadioField("Sentiment", validators=[Optional()])
    reference = StringField("Reference")
    summary = TextAreaField("What the customer said")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        settings = current_settings()
        self.sentiment.choices = _codes(SENTIMENTS)
        self.channel.choices = [("", "Choose a channel")] + _codes(settings["listening_channels"])
        self.service_area.choices = [("", "Choose a service area")] + _codes(settings["service_areas"])
        self.area_id.choices = management_area_choices("Not about one management area")


class UploadForm(FlaskForm):
    file = FileField("Upload a CSV file", validators=[Optional()])


class AssessmentForm(FlaskForm):
    rating = RadioField("Assessment", validators=[Optional()])
    commentary = TextAreaField("Commentary")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating.choices = _codes(ASSESSMENT_RATINGS)


class ReviewForm(FlaskForm):
    topic = StringField("Topic")
    scope = TextAreaField("Scope")
    service_area = SelectField("Service area", validators=[Optional()])
    starts_on = GovDateField("Starts on")
    report_due_on = GovDateField("Report due by")
    status = SelectField("Stage", validators=[Optional()])
    report_published_on = GovDateField("Report published on")
    report_summary = TextAreaField("Summary of the report")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_area.choices = [("", "Not one service area")] + _codes(
            current_settings()["service_areas"]
        )
        self.status.choices = _codes(REVIEW_STATUSES)


def resident_choices(empty: str) -> list[tuple[str, str]]:
    people = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name)
        .where(Participant.erased_at.is_(None))
        .order_by(Participant.last_name, Participant.first_name)
        .limit(2000)
    ).all()
    return [("", empty)] + [(str(p.id), f"{p.first_name} {p.last_name}") for p in people]


class VisitChangeForm(FlaskForm):
    """A Rate Your Estate visit's date and comments (the scores are recorded as a new visit)."""

    visited_on = GovDateField("Visited on", validators=[DataRequired("Enter the day of the visit")])
    comments = TextAreaField("Comments")


class EndSeatForm(FlaskForm):
    ends_on = GovDateField("Last day on the forum")


class EventForm(FlaskForm):
    """An I&K event: its topic, day and start time in the UK, and whether it was held."""

    topic = StringField("Topic")
    starts_at = GovDateField("Date")
    start_time = TimeField("Start time", validators=[Optional()])
    status = RadioField("Status", validators=[Optional()], default="planned")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _codes(ACTIVITY_STATUSES)


class ScheduleForm(FlaskForm):
    year = StringField("Financial year")
    topics = TextAreaField("Topics, one a line, in the order of the events")


class ProjectForm(FlaskForm):
    title = StringField("Title")
    scope_type = RadioField("What the project works on", validators=[Optional()])
    scope = StringField("The service area or policy")
    starts_on = GovDateField("Starts on")
    planned_end_on = GovDateField("Planned to end by")
    status = RadioField("Status", validators=[Optional()], default="active")
    completed_on = GovDateField("Completed on")
    summary = TextAreaField("Outcome")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = {"service_area": "A service area", "policy": "A policy or strategy"}
        self.scope_type.choices = [(code, names.get(code, label(code))) for code in SCOPE_TYPES]
        self.status.choices = _codes(CHAIN_STATUSES)


class EvidenceForm(FlaskForm):
    service = StringField("Service asked")
    request = TextAreaField("Evidence asked for")
    requested_on = GovDateField("Asked on")
    due_on = GovDateField("Due by")


class ReceiptForm(FlaskForm):
    received_on = GovDateField("Received on")
    notes = TextAreaField("Notes")


class RecommendationForm(FlaskForm):
    title = StringField("Recommendation")
    description = TextAreaField("Detail")
    made_on = GovDateField("Made on")
    due_on = GovDateField("Board's response due by")


class BoardResponseForm(FlaskForm):
    response = RadioField("Board's response", validators=[Optional()])
    response_reason = TextAreaField("Board's reasons")
    responded_on = GovDateField("Responded on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.response.choices = _codes(RECOMMENDATION_RESPONSES)


class ImplementationForm(FlaskForm):
    status = RadioField("Implementation", validators=[Optional()])
    implemented_on = GovDateField("Implemented on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _codes(RECOMMENDATION_STATUSES)


class SessionForm(FlaskForm):
    title = StringField("What the volunteers do")
    role = SelectField("Volunteering role", validators=[Optional()])
    starts_at = GovDateField("Date")
    start_time = TimeField("Start time", validators=[Optional()])
    status = RadioField("Status", validators=[Optional()], default="planned")
    area_id = SelectField("Area", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [("", "Choose a role")] + _codes(current_settings()["volunteering_roles"])
        self.status.choices = _codes(ACTIVITY_STATUSES)
        areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name, Area.id)).all()
        self.area_id.choices = [("", "Not one area")] + [(str(a.id), a.name) for a in areas]


SCORES = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


def rating_form(criteria: list[str], rateable: tuple[str, ...]) -> FlaskForm:
    """A Rate Your Estate visit: one 1-to-5 radio group for each criterion in the settings."""

    class RatingForm(FlaskForm):
        # Only estate-level areas are offered; any other is refused by the service, in its words.
        area_id = SelectField("Estate", validators=[Optional()], validate_choice=False)
        participant_id = SelectField("Volunteer", validators=[Optional()])
        visited_on = GovDateField("Visited on")
        comments = TextAreaField("Comments")

    for criterion in criteria:
        setattr(
            RatingForm,
            f"score_{criterion}",
            RadioField(f"Score for {label(criterion).lower()}", validators=[Optional()]),
        )
    form = RatingForm()
    for criterion in criteria:
        form[f"score_{criterion}"].choices = SCORES
    areas = db.session.execute(
        select(Area.id, Area.name).where(Area.kind.in_(rateable)).order_by(Area.name, Area.id)
    ).all()
    form.area_id.choices = [("", "Choose an estate")] + [(str(a.id), a.name) for a in areas]
    form.participant_id.choices = resident_choices("Not recorded")
    return form
