"""Listening to customers' voices: feedback items, their CSV import, and each forum's voice pack.

Feedback items come from the listening channels the organisation uses (surveys, complaints,
compliments, satisfaction data, social media). A voice pack collates the items of a forum's
management area for a period and sets each figure against the previous period, so the forum
sees what changed before its next meeting. Every figure is a GROUP BY in the database.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import case, func, select

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import Area, Body
from core.periods import Period, PeriodError
from core.plugin_kit import today
from core.records import apply, check_reference
from core.services.csv_import import Column, ImportSpec, a_date, one_of, read_rows, text
from plugins.customer_voice.models import Challenge, FeedbackItem, Forum
from plugins.customer_voice.settings import current_settings
from plugins.customer_voice.vocab import LISTENING_CHANNELS, SENTIMENTS

DIMENSIONS = ("channel", "service_area", "sentiment")


def _check_vocabulary(values: dict[str, Any], settings: dict, prefix: str = "") -> dict[str, list[str]]:
    problems = {}
    if values.get("channel") is not None and values["channel"] not in settings["listening_channels"]:
        problems[f"{prefix}channel"] = [
            f"Not a listening channel of this organisation: {', '.join(settings['listening_channels'])}."
        ]
    if values.get("service_area") is not None and values["service_area"] not in settings["service_areas"]:
        problems[f"{prefix}service_area"] = [f"Not one of: {', '.join(settings['service_areas'])}."]
    return problems


def _check_management_area(area_id: int | None, field: str) -> None:
    if area_id is None:
        return
    check_reference(Area, area_id, field)
    if db.session.scalar(select(Area.kind).where(Area.id == area_id)) != "management_area":
        raise ValidationFailed({field: ["Give the management area the feedback is about."]})


def save_feedback(item: FeedbackItem, changes: dict[str, Any]) -> FeedbackItem:
    problems = _check_vocabulary(changes, current_settings())
    if problems:
        raise ValidationFailed(problems)
    _check_management_area(changes.get("area_id"), "area_id")
    reference = changes.get("reference")
    taken = select(FeedbackItem.id).where(FeedbackItem.reference == reference)
    if reference is not None and reference != item.reference and db.session.scalar(taken) is not None:
        raise Conflict(f"Another feedback item has the reference {reference!r}.")
    apply(item, changes)
    if item.id is None:
        db.session.add(item)
    db.session.flush()
    return item


# -- CSV import --------------------------------------------------------------------------------------


def delete_feedback(item: FeedbackItem) -> None:
    db.session.delete(item)


def _feedback_values(rows, problems):
    settings = current_settings()
    names = {cells["area"].lower() for _, cells in rows if cells.get("area")}
    areas: dict[str, list[int]] = {}
    if names:
        for area_id, name in db.session.execute(
            select(Area.id, Area.name).where(
                Area.kind == "management_area", func.lower(Area.name).in_(sorted(names))
            )
        ):
            areas.setdefault(name.lower(), []).append(area_id)
    references = {cells["reference"] for _, cells in rows if cells.get("reference")}
    taken = (
        set(
            db.session.scalars(
                select(FeedbackItem.reference).where(FeedbackItem.reference.in_(sorted(references)))
            )
        )
        if references
        else set()
    )
    values = []
    for number, cells in rows:
        record = {k: v for k, v in cells.items() if k != "area"}
        problems.update(_check_vocabulary(record, settings, prefix=f"row {number}."))
        if cells.get("reference") in taken:
            problems[f"row {number}.reference"] = ["Already imported (a feedback item has this reference)."]
        if cells.get("area"):
            found = areas.get(cells["area"].lower(), [])
            if len(found) == 1:
                record["area_id"] = found[0]
            elif found:
                problems[f"row {number}.area"] = [
                    f"More than one management area is called {cells['area']!r}."
                ]
            else:
                problems[f"row {number}.area"] = [f"No management area called {cells['area']!r}."]
        values.append(record)
    return values


def _service_area(cell: str) -> str | None:
    """``"Anti-social behaviour"`` → ``anti_social_behaviour`` (checked against the settings later)."""
    code = re.sub(r"[\s\-]+", "_", cell.strip().lower())
    if len(code) > 50:
        raise ValueError("At most 50 characters.")
    return code or None


FEEDBACK = ImportSpec(
    model=FeedbackItem,
    columns=(
        Column("reference", text(64)),
        Column("channel", one_of(LISTENING_CHANNELS), required=True),
        Column("received_on", a_date, required=True),
        Column("service_area", _service_area, required=True),
        Column("area", text(200)),
        Column("sentiment", one_of(SENTIMENTS), required=True),
        Column("summary", text(2000)),
    ),
    to_values=_feedback_values,
)


def import_feedback(content: str) -> dict[str, int]:
    """All or nothing: every cell is checked first; any problem names ``row N.column``, nothing is written."""
    rows = read_rows(FEEDBACK, content)
    for _, values in rows:
        db.session.add(FeedbackItem(**values))
    db.session.flush()
    return {"created": len(rows)}


# -- the voice pack ----------------------------------------------------------------------------------


def _breakdown(dimension: str, area_id: int | None, period: Period, previous: Period) -> list[dict[str, Any]]:
    column = getattr(FeedbackItem, dimension)
    now = func.sum(case((FeedbackItem.received_on >= period.start, 1), else_=0))
    before = func.sum(case((FeedbackItem.received_on <= previous.end, 1), else_=0))
    statement = (
        select(column, now, before)
        .where(
            FeedbackItem.area_id == area_id,
            FeedbackItem.received_on >= previous.start,
            FeedbackItem.received_on <= period.end,
        )
        .group_by(column)
        .order_by(column)
    )
    rows = []
    for value, this_period, previous_period in db.session.execute(statement):
        this_period, previous_period = int(this_period or 0), int(previous_period or 0)
        rows.append(
            {
                "value": value,
                "this_period": this_period,
                "previous_period": previous_period,
                "change": this_period - previous_period,
                "trend": "up"
                if this_period > previous_period
                else "down"
                if this_period < previous_period
                else "same",
            }
        )
    return rows


def _net_sentiment(rows: list[dict[str, Any]], key: str) -> float | None:
    counts = {row["value"]: row[key] for row in rows}
    total = sum(counts.values())
    if not total:
        return None
    return round((counts.get("positive", 0) - counts.get("negative", 0)) * 100 / total, 1)


def period_from(args) -> Period:
    """The requested period, or the quarter holding today."""
    if args.get("period"):
        try:
            return Period.parse(args["period"])
        except PeriodError as exc:
            raise ValidationFailed({"period": [str(exc)]}) from None
    day = today()
    year = Period.financial_year_of(day)
    quarter = next(q for q in range(1, 5) if day in Period.parse(f"{year.label}-Q{q}"))
    return Period.parse(f"{year.label}-Q{quarter}")


def voice_pack(forum: Forum, period: Period) -> dict[str, Any]:
    """What customers of the forum's area said in ``period``, by channel, service and sentiment,
    each against the previous period, with the forum's challenges still awaiting an outcome."""
    body = db.session.get(Body, forum.body_id)
    previous = period.previous()
    breakdowns = {
        dimension: _breakdown(dimension, body.area_id, period, previous) for dimension in DIMENSIONS
    }
    sentiment = breakdowns["sentiment"]
    open_challenges = db.session.scalars(
        select(Challenge)
        .where(Challenge.forum_id == forum.id, Challenge.status != "closed")
        .order_by(Challenge.raised_on, Challenge.id)
    ).all()
    return {
        "forum_id": forum.id,
        "forum_name": body.name,
        "area_id": body.area_id,
        "period": period.label,
        "previous_period": previous.label,
        "total": sum(row["this_period"] for row in sentiment),
        "previous_total": sum(row["previous_period"] for row in sentiment),
        "net_sentiment": _net_sentiment(sentiment, "this_period"),
        "previous_net_sentiment": _net_sentiment(sentiment, "previous_period"),
        "by_channel": breakdowns["channel"],
        "by_service_area": breakdowns["service_area"],
        "by_sentiment": sentiment,
        "open_challenges": [
            {
                "id": c.id,
                "title": c.title,
                "service_area": c.service_area,
                "raised_on": c.raised_on,
                "status": c.status,
            }
            for c in open_challenges
        ],
    }


def voice_pack_table(pack: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The pack as one table (header, rows): dimension, value, this period, previous period, change;
    served as CSV through ``plugin_kit.csv_response``."""
    header = ["forum", "period", "previous_period", "dimension", "value", "this_period", "previous", "change"]
    rows = [
        [
            pack["forum_name"],
            pack["period"],
            pack["previous_period"],
            dimension,
            row["value"],
            row["this_period"],
            row["previous_period"],
            row["change"],
        ]
        for dimension in DIMENSIONS
        for row in pack[f"by_{dimension}"]
    ]
    rows.append(
        [
            pack["forum_name"],
            pack["period"],
            pack["previous_period"],
            "total",
            "all",
            pack["total"],
            pack["previous_total"],
            pack["total"] - pack["previous_total"],
        ]
    )
    return header, rows
