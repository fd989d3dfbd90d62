"""Rules for opportunities, venues, activities and participations, and the domain event they raise.

Recording or changing a participation fires ``on_participation_recorded`` for the organisation's
enabled plugins inside the same transaction, after the row is flushed: a plugin that raises rolls
the participation back with it. Activity dates are UTC days (datetimes are stored in UTC on both
backends); the two SQL helpers here hide the few places where SQLite and PostgreSQL differ.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import Date, case, cast, func, select, true

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Activity, Area, Body, Opportunity, Participant, Participation, Spend, Venue
from core.records import apply, check_reference

ACTIVITY_REFERENCES = (
    ("opportunity_id", Opportunity),
    ("body_id", Body),
    ("area_id", Area),
    ("venue_id", Venue),
)


# -- SQL that differs between backends ----------------------------------------------------


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def json_elements(column):
    """The string elements of a JSON array column, as a table with a ``value`` column, to join
    with ``true()`` after the column's table (anything but an array counts as empty)."""
    if _dialect() == "postgresql":
        array = case((func.json_typeof(column) == "array", column), else_=func.json_build_array())
        return func.json_array_elements_text(array).table_valued("value")
    array = case((func.json_type(column) == "array", column), else_=func.json_array())
    return func.json_each(array).table_valued("value")


def json_contains(column, value: str):
    """True where the JSON array ``column`` has ``value`` among its elements."""
    elements = json_elements(column)
    return select(true()).select_from(elements).where(elements.c.value == value).exists()


def utc_date(column):
    """The UTC calendar day of a timestamp column."""
    if _dialect() == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def today() -> date:
    return plugin_kit.today()


def starting_between(date_from: date | None, date_to: date | None) -> list:
    """Conditions on ``Activity.starts_at`` for activities starting on those UTC days."""
    conditions = []
    if date_from is not None:
        conditions.append(Activity.starts_at >= datetime.combine(date_from, time.min, tzinfo=UTC))
    if date_to is not None:
        conditions.append(Activity.starts_at <= datetime.combine(date_to, time.max, tzinfo=UTC))
    return conditions


# -- opportunities and venues -------------------------------------------------------------


def _refuse_if_used_by_activities(column, message: str) -> None:
    if db.session.scalar(select(Activity.id).where(column).limit(1)) is not None:
        raise Conflict(message)


def create_opportunity(values: dict[str, Any]) -> Opportunity:
    opportunity = Opportunity(**values)
    db.session.add(opportunity)
    db.session.flush()
    return opportunity


def change_opportunity(opportunity: Opportunity, changes: dict[str, Any]) -> Opportunity:
    apply(opportunity, changes)
    return opportunity


def create_venue(values: dict[str, Any]) -> Venue:
    venue = Venue(**values)
    db.session.add(venue)
    db.session.flush()
    return venue


def change_venue(venue: Venue, changes: dict[str, Any]) -> Venue:
    """``features`` replaces the whole list."""
    apply(venue, changes)
    return venue


def delete_opportunity(opportunity: Opportunity) -> None:
    _refuse_if_used_by_activities(
        Activity.opportunity_id == opportunity.id,
        "Activities were run under this opportunity; close it (open: false) instead.",
    )
    db.session.delete(opportunity)


def delete_venue(venue: Venue) -> None:
    _refuse_if_used_by_activities(
        Activity.venue_id == venue.id, "Activities are held at this venue; move them first."
    )
    db.session.delete(venue)


# -- activities ---------------------------------------------------------------------------


def _check_activity(values: dict[str, Any]) -> None:
    for field, model in ACTIVITY_REFERENCES:
        if field in values:
            check_reference(model, values[field], field)


def create_activity(values: dict[str, Any]) -> Activity:
    _check_activity(values)
    activity = Activity(**values)
    db.session.add(activity)
    db.session.flush()
    return activity


def update_activity(activity: Activity, changes: dict[str, Any]) -> Activity:
    _check_activity(changes)
    starts_at = changes.get("starts_at", activity.starts_at)
    ends_at = changes.get("ends_at", activity.ends_at)
    if ends_at is not None and _as_utc(ends_at) < _as_utc(starts_at):
        field = "ends_at" if "ends_at" in changes else "starts_at"
        raise ValidationFailed({field: ["The activity cannot end before it starts."]})
    apply(activity, changes)
    db.session.flush()
    return activity


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive UTC datetimes.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def delete_activity(organisation, activity: Activity) -> None:
    """Participations go with the activity (they describe it); recorded spend keeps it."""
    if db.session.scalar(select(Spend.id).where(Spend.activity_id == activity.id).limit(1)) is not None:
        raise Conflict("Spend is recorded against this activity; cancel it (status: cancelled) instead.")
    participations = db.session.scalars(
        select(Participation).where(Participation.activity_id == activity.id).order_by(Participation.id)
    ).all()
    for participation in participations:
        _removing(organisation, activity, participation)
    db.session.delete(activity)


# -- participations -----------------------------------------------------------------------


def record_participation(organisation, activity: Activity, values: dict[str, Any]) -> Participation:
    """Register someone for an activity (or record that they took part): one per person."""
    participant_id = values["participant_id"]
    check_reference(Participant, participant_id, "participant_id")
    erased = db.session.scalar(select(Participant.erased_at).where(Participant.id == participant_id))
    if erased is not None:
        raise ValidationFailed({"participant_id": ["This person has been erased."]})
    duplicate = select(Participation.id).where(
        Participation.activity_id == activity.id, Participation.participant_id == participant_id
    )
    if db.session.scalar(duplicate) is not None:
        raise Conflict("This person is already recorded for this activity; change that record instead.")
    participation = Participation(activity_id=activity.id, **values)
    db.session.add(participation)
    _recorded(organisation, activity, participation)
    return participation


def change_participation(
    organisation, activity: Activity, participation: Participation, changes: dict[str, Any]
) -> Participation:
    apply(participation, changes)
    _recorded(organisation, activity, participation)
    return participation


def remove_participation(organisation, activity: Activity, participation: Participation) -> None:
    """Delete a participation recorded by mistake; plugins hear of it first."""
    _removing(organisation, activity, participation)
    db.session.delete(participation)


def _removing(organisation, activity: Activity, participation: Participation) -> None:
    plugins = current_app.extensions["involve"].plugins
    plugins.hook_for(organisation.id, "on_participation_removed")(
        organisation=organisation, participation=participation, activity=activity
    )


def _recorded(organisation, activity: Activity, participation: Participation) -> None:
    db.session.flush()
    plugins = current_app.extensions["involve"].plugins
    plugins.hook_for(organisation.id, "on_participation_recorded")(
        organisation=organisation, participation=participation, activity=activity
    )
