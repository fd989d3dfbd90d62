"""The officers' forms. Fields only read the input; the API's schemas and the plugin's services
judge it, so a page refuses what the API refuses in the same words. ``*_body`` functions turn a
form into the API's request body (a walkabout's date and times become one moment in UK time)."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, Regexp

from core import plugin_kit
from core.extensions import db
from core.models import Area, Participant
from core.models.vocab import ACTION_STATUSES
from core.web.fields import GovDateField, MultiCheckboxField
from core.web.labels import choices
from core.web.toolkit import save_form
from plugins.street_reps.models import StreetRep
from plugins.street_reps.services.walkabouts import ISSUE_CATEGORIES

LONDON = plugin_kit.LONDON
TIME = Regexp(r"^\s*([01]?\d|2[0-3])[:.][0-5]\d\s*$", message="Enter a time like 18:30")


def _id(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


record_id = _id


def area_choices(blank: str = "Choose an area") -> list[tuple[str, str]]:
    rows = db.session.execute(select(Area.id, Area.name, Area.kind).order_by(Area.name, Area.id)).all()
    return [("", blank)] + [(str(i), f"{name} ({kind.replace('_', ' ')})") for i, name, kind in rows]


# -- representatives ------------------------------------------------------------------------


class RepForm(FlaskForm):
    participant_id = SelectField("Resident", validators=[Optional()])
    patch_name = StringField("Patch name", validators=[Optional()])
    appointed_on = GovDateField("Appointed on")
    notes = TextAreaField("Notes", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = db.session.execute(
            select(Participant.id, Participant.first_name, Participant.last_name)
            .where(Participant.erased_at.is_(None))
            .order_by(Participant.last_name, Participant.first_name, Participant.id)
        ).all()
        self.participant_id.choices = [("", "Choose a resident")] + [
            (str(i), f"{first} {last}") for i, first, last in people
        ]


def rep_body(form: RepForm) -> dict:
    body = {
        "participant_id": _id(form.participant_id.data),
        "patch_name": (form.patch_name.data or "").strip(),
        "appointed_on": form.appointed_on.data.isoformat() if form.appointed_on.data else None,
        "notes": (form.notes.data or "").strip() or None,
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


class RepEditForm(FlaskForm):
    patch_name = StringField("Patch name", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional()])


class StandDownForm(FlaskForm):
    stood_down_on = GovDateField("Stood down on")


class PatchHouseholdsForm(FlaskForm):
    household_ids = MultiCheckboxField("Households to add to the patch", coerce=int)


class MoveForm(FlaskForm):
    to_rep_id = SelectField("Move to the patch of", validators=[Optional()])

    def __init__(self, *args, exclude: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        reps = db.session.scalars(
            select(StreetRep)
            .where(StreetRep.stood_down_on.is_(None), StreetRep.id != (exclude or 0))
            .order_by(StreetRep.patch_name)
        ).all()
        self.to_rep_id.choices = [("", "Choose a patch")] + [(str(r.id), r.patch_name) for r in reps]


class ViewForm(FlaskForm):
    topic = SelectField("Housing-policy topic", validators=[Optional()])
    summary = StringField("Summary", validators=[Optional()])
    view = TextAreaField("The view put forward", validators=[Optional()])
    submitted_on = GovDateField("Put forward on")

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = choices(topics, "Choose a topic")


class AnswerForm(FlaskForm):
    answer = TextAreaField("Answer given to the representative", validators=[Optional()])
    answered_on = GovDateField("Answered on")


# -- walkabouts -----------------------------------------------------------------------------


class WalkaboutForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    area_id = SelectField("Area", validators=[Optional()])
    starts_at = GovDateField("Date")
    start_time = StringField("Start time", validators=[Optional(), TIME])
    ends_at = StringField("End time", validators=[Optional(), TIME])
    meeting_point = StringField("Meeting point", validators=[Optional()])
    agencies = TextAreaField("Agencies taking part", validators=[Optional()])
    agreed_with_residents_on = GovDateField("Timetable agreed with residents on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = area_choices()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.starts_at.data is not None and not (self.start_time.data or "").strip():
            self.start_time.errors = [*self.start_time.errors, "Enter the start time, like 18:30"]
            ok = False
        return ok

    def fill(self, walkabout) -> None:
        """Show a saved walkabout's moment as its UK date and times."""
        starts = walkabout.starts_at
        local = plugin_kit.in_london(starts)
        self.starts_at.process(None, local.date())
        self.start_time.data = local.strftime("%H:%M")
        if walkabout.ends_at is not None:
            self.ends_at.data = plugin_kit.in_london(walkabout.ends_at).strftime("%H:%M")
        self.area_id.data = str(walkabout.area_id)
        self.agencies.data = "\n".join(walkabout.agencies or [])


def _clock(text: str | None) -> time | None:
    text = (text or "").strip().replace(".", ":")
    if not text:
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def walkabout_body(form: WalkaboutForm, *, partial: bool = False) -> dict:
    day = form.starts_at.data
    start, end = _clock(form.start_time.data), _clock(form.ends_at.data)
    body: dict = {
        "title": (form.title.data or "").strip(),
        "area_id": _id(form.area_id.data),
        "meeting_point": (form.meeting_point.data or "").strip(),
        "agencies": [line.strip() for line in (form.agencies.data or "").splitlines() if line.strip()],
        "agreed_with_residents_on": (
            form.agreed_with_residents_on.data.isoformat() if form.agreed_with_residents_on.data else None
        ),
    }
    if day is not None:
        body["starts_at"] = datetime.combine(day, start, LONDON).isoformat()
        body["ends_at"] = datetime.combine(day, end, LONDON).isoformat() if end else None
    elif partial:
        body["ends_at"] = None
    if partial:
        body.pop("area_id")  # a walkabout stays in its area (the API's update has no area)
    keep_empty = {"agreed_with_residents_on", "ends_at", "agencies"}
    return {k: v for k, v in body.items() if v not in (None, "") or (partial and k in keep_empty)}


class OutcomeForm(FlaskForm):
    outcome_summary = TextAreaField(
        "What the walkabout found and what is being done", validators=[Optional()]
    )
    publish = BooleanField("Publish the outcome today")


class IssueForm(FlaskForm):
    location = StringField("Where", validators=[Optional()])
    category = SelectField("Kind of problem", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices(ISSUE_CATEGORIES, "Choose a kind of problem")


class ActionForm(FlaskForm):
    title = StringField("Action", validators=[Optional()])
    owner = StringField("Owner", validators=[Optional()])
    due_on = GovDateField("Due by")


class ActionProgressForm(FlaskForm):
    status = SelectField("Status", validators=[Optional()])
    owner = StringField("Owner", validators=[Optional()])
    due_on = GovDateField("Due by")
    progress = TextAreaField("Progress", validators=[Optional()])
    outcome = TextAreaField("Outcome", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices(ACTION_STATUSES)


# -- grants ---------------------------------------------------------------------------------

POUNDS = Regexp(r"^\s*£?\d{1,8}(\.\d{1,2})?\s*$", message="Enter an amount in pounds, like 250 or 250.50")


def pence(text: str | None) -> int | None:
    """Pounds typed on a form ("£250.50") as the API's whole pence (25050)."""
    text = (text or "").strip().lstrip("£")
    if not text:
        return None
    pounds, _, pennies = text.partition(".")
    return int(pounds) * 100 + int((pennies + "00")[:2])


class GrantForm(FlaskForm):
    body_id = SelectField("Residents' group", validators=[Optional()])
    grant_type = SelectField("Kind of grant", validators=[Optional()])
    purpose = TextAreaField("What the grant is for", validators=[Optional()])
    requested_pence = StringField("Amount asked for, in pounds", validators=[Optional(), POUNDS])
    applied_on = GovDateField("Applied on")

    def __init__(self, *args, grant_types=(), **kwargs):
        from core.models import Body
        from plugins.street_reps.services.grants import GROUP_KIND

        super().__init__(*args, **kwargs)
        groups = db.session.execute(
            select(Body.id, Body.name).where(Body.kind == GROUP_KIND).order_by(Body.name)
        ).all()
        self.body_id.choices = [("", "Choose a group")] + [(str(i), name) for i, name in groups]
        self.grant_type.choices = choices(grant_types, "Choose a kind of grant")


def grant_body(form: GrantForm) -> dict:
    body = {
        "body_id": _id(form.body_id.data),
        "grant_type": form.grant_type.data or None,
        "purpose": (form.purpose.data or "").strip(),
        "requested_pence": pence(form.requested_pence.data),
        "applied_on": form.applied_on.data.isoformat() if form.applied_on.data else None,
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


class DecisionForm(FlaskForm):
    decision = SelectField("Decision", validators=[Optional()])
    assessment = TextAreaField("Assessment", validators=[Optional()])
    awarded_pence = StringField("Amount awarded, in pounds", validators=[Optional(), POUNDS])
    decided_on = GovDateField("Decided on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [("", "Choose a decision"), ("award", "Award"), ("refuse", "Refuse")]


def decision_body(form: DecisionForm) -> dict:
    body = {
        "decision": form.decision.data or None,
        "assessment": (form.assessment.data or "").strip(),
        "awarded_pence": pence(form.awarded_pence.data),
        "decided_on": form.decided_on.data.isoformat() if form.decided_on.data else None,
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


class PaymentForm(FlaskForm):
    paid_on = GovDateField("Paid on")


class MonitoringForm(FlaskForm):
    received_on = GovDateField("Return received on")
    notes = TextAreaField("What the return says", validators=[Optional()])


# -- the Customer Forum's budget ------------------------------------------------------------


class BudgetForm(FlaskForm):
    period = StringField("Financial year", validators=[Optional()])
    amount_pence = StringField("Budget, in pounds", validators=[Optional(), POUNDS])
    notes = TextAreaField("Notes", validators=[Optional()])


def budget_body(form: BudgetForm) -> dict:
    body = {
        "period": (form.period.data or "").strip(),
        "amount_pence": pence(form.amount_pence.data),
        "notes": (form.notes.data or "").strip() or None,
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


class AllocationForm(FlaskForm):
    title = StringField("Local environmental issue", validators=[Optional()])
    area_id = SelectField("Area", validators=[Optional()])
    amount_pence = StringField("Amount, in pounds", validators=[Optional(), POUNDS])
    allocated_on = GovDateField("Allocated on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = area_choices("No particular area")


def allocation_body(form: AllocationForm) -> dict:
    body = {
        "title": (form.title.data or "").strip(),
        "area_id": _id(form.area_id.data),
        "amount_pence": pence(form.amount_pence.data),
        "allocated_on": form.allocated_on.data.isoformat() if form.allocated_on.data else None,
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


class BudgetChangeForm(FlaskForm):
    amount_pence = StringField(
        "Budget, in pounds", validators=[DataRequired("Enter the budget, in pounds"), POUNDS]
    )
    notes = TextAreaField("Notes", validators=[Optional()])


def budget_change_body(form: BudgetChangeForm) -> dict:
    body = {"amount_pence": pence(form.amount_pence.data), "notes": (form.notes.data or "").strip() or None}
    return {k: v for k, v in body.items() if k == "notes" or v is not None}


class FullAttendanceForm(FlaskForm):
    membership_ids = MultiCheckboxField(
        "Councillors and independent members present", coerce=int, validate_choice=False
    )


# -- people: Customer Panel, customer inspectors, Trust Members ------------------------------


def people_choices(blank: str = "Choose a resident") -> list[tuple[str, str]]:
    people = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name)
        .where(Participant.erased_at.is_(None))
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    ).all()
    return [("", blank)] + [(str(i), f"{first} {last}") for i, first, last in people]


def people_names(ids) -> dict[int, str]:
    """Participants' names by id (an erased person shows as such)."""
    rows = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name, Participant.erased_at).where(
            Participant.id.in_(list(ids))
        )
    ).all()
    return {i: ("(erased)" if erased else f"{first} {last}") for i, first, last, erased in rows}


class PersonJoinForm(FlaskForm):
    participant_id = SelectField("Resident", validators=[Optional()])
    joined_on = GovDateField("Joined on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = people_choices()


def join_body(form) -> dict:
    body = {
        "participant_id": _id(form.participant_id.data),
        "joined_on": form.joined_on.data.isoformat() if form.joined_on.data else None,
    }
    if getattr(form, "channel", None) is not None:
        body["channel"] = form.channel.data or None
    return {k: v for k, v in body.items() if v not in (None, "")}


class PanelMemberForm(PersonJoinForm):
    channel = SelectField("Asked by", validators=[Optional()])

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = choices(channels, "Choose post or telephone")


class ChannelForm(FlaskForm):
    channel = SelectField(
        "Asked by", validators=[DataRequired("Choose post or telephone")], validate_choice=False
    )

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = choices(channels, "Choose post or telephone")


class LeavingForm(FlaskForm):
    left_on = GovDateField("Left on", validators=[DataRequired("Enter the day they left")])


def leaving(record, schema, save, *, success: str, next_url: str):
    """A "has left" page's form and, once saved, its redirect: someone who has already left is
    404, and the day offered is today. Returns ``(form, done)`` as ``save_form`` gives ``done``."""
    if record.left_on is not None:
        abort(404)
    form = LeavingForm()
    if not form.is_submitted():
        form.left_on.process(None, plugin_kit.today())
    return form, save_form(form, schema, save, success=success, next_url=next_url)


class WaveForm(FlaskForm):
    title = StringField("Title", validators=[Optional()])
    topic = SelectField("Housing-policy topic", validators=[Optional()])
    sent_on = GovDateField("Sent on")
    closes_on = GovDateField("Closes on")

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = choices(topics, "Choose a topic")


class WaveResponseForm(FlaskForm):
    member_id = SelectField("Panel member", validators=[Optional()], validate_choice=False)
    responded_on = GovDateField("Answered on")
    comment = TextAreaField("What they said", validators=[Optional()])


def response_body(form: WaveResponseForm) -> dict:
    body = {
        "member_id": _id(form.member_id.data),
        "responded_on": form.responded_on.data.isoformat() if form.responded_on.data else None,
        "comment": (form.comment.data or "").strip() or None,
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


class TrainingForm(FlaskForm):
    course = StringField("Course", validators=[Optional()])
    provider = StringField("Provider", validators=[Optional()])
    completed_on = GovDateField("Completed on")


class InspectionForm(FlaskForm):
    service = StringField("Service reality checked", validators=[Optional()])
    inspected_on = GovDateField("Inspected on")
    inspector_ids = MultiCheckboxField("Inspectors who took part", coerce=int, validate_choice=False)
    findings = TextAreaField("Findings", validators=[Optional()])
    suggested_improvements = TextAreaField("Suggested improvements", validators=[Optional()])


class SuggestionForm(FlaskForm):
    title = StringField("Improvement", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])
    implemented_on = GovDateField("Put in place on")


# -- neighbourhood action plans ---------------------------------------------------------------


class PlanForm(FlaskForm):
    area_id = SelectField("Area", validators=[Optional()])
    period = StringField("Financial year", validators=[Optional()])
    local_priorities = TextAreaField("Local priorities, one a line", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = area_choices()


def priority_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def plan_body(form: PlanForm) -> dict:
    body = {
        "area_id": _id(form.area_id.data),
        "period": (form.period.data or "").strip(),
        "local_priorities": priority_lines(form.local_priorities.data),
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


class PrioritiesForm(FlaskForm):
    local_priorities = TextAreaField("Local priorities, one a line", validators=[Optional()])


class PriorityForm(FlaskForm):
    local_priorities = StringField("Local priority", validators=[DataRequired("Enter the local priority")])


# -- the Trust's AGM ---------------------------------------------------------------------------


def agm_choices() -> list[tuple[str, str]]:
    """Meetings (core activities of kind meeting), latest first, for choosing the AGM."""
    from core.models import Activity

    rows = db.session.execute(
        select(Activity.id, Activity.title, Activity.starts_at)
        .where(Activity.kind == "meeting")
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
        .limit(200)
    ).all()
    return [("", "Choose the meeting")] + [
        (str(i), f"{title} ({plugin_kit.in_london(starts).strftime('%-d %B %Y')})")
        for i, title, starts in rows
    ]


class AgmAttendanceForm(FlaskForm):
    activity_id = SelectField("Annual General Meeting", validators=[Optional()])
    member_ids = MultiCheckboxField("Members present", coerce=int, validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_id.choices = agm_choices()


class VoteForm(FlaskForm):
    activity_id = SelectField("Annual General Meeting", validators=[Optional()])
    candidate = StringField("Independent Board Member proposed", validators=[Optional()])
    votes_for = StringField(
        "Votes for",
        validators=[Optional(), Regexp(r"^\s*\d{1,7}\s*$", message="Enter a whole number, like 12")],
    )
    votes_against = StringField(
        "Votes against",
        validators=[Optional(), Regexp(r"^\s*\d{1,7}\s*$", message="Enter a whole number, like 12")],
    )
    abstentions = StringField(
        "Abstentions",
        validators=[Optional(), Regexp(r"^\s*\d{1,7}\s*$", message="Enter a whole number, like 12")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_id.choices = agm_choices()


def vote_body(form: VoteForm) -> dict:
    def number(text):
        text = (text or "").strip()
        return int(text) if text.isdigit() else None

    body = {
        "activity_id": _id(form.activity_id.data),
        "candidate": (form.candidate.data or "").strip(),
        "votes_for": number(form.votes_for.data),
        "votes_against": number(form.votes_against.data),
        "abstentions": number(form.abstentions.data),
    }
    return {k: v for k, v in body.items() if v not in (None, "")}
