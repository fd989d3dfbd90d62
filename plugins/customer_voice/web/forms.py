"""The WTForms forms of the Customer Voice pages. They only read the input: the API's schemas and
the plugin's services judge it, so a page refuses what the API refuses in the same words. Choices
come from the organisation's own settings (its listening channels and service areas)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.extensions import db
from core.models import Area, Participant
from core.models.vocab import MEMBERSHIP_ROLES
from core.web.fields import GovDateField
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.vocab import ASSESSMENT_RATINGS, REVIEW_STATUSES, SENTIMENTS


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
