"""The Customer Voice section of the impact assessment: forums, listening, CHAIN, scrutiny, volunteering."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.kpis.core_kpis import held_in
from core.models import Activity, Body, Participation
from core.periods import Period
from core.reports import bar_chart, content, figure, leader_summary, suppress, table
from plugins.customer_voice import kpis
from plugins.customer_voice.models import FeedbackItem, Forum


def _forum_table(period: Period) -> dict:
    meetings = (
        select(func.count(Activity.id))
        .where(Activity.body_id == Body.id, held_in(period))
        .correlate(Body)
        .scalar_subquery()
    )
    attendances = (
        select(func.count(Participation.id))
        .join(Activity, Activity.id == Participation.activity_id)
        .where(Activity.body_id == Body.id, held_in(period), Participation.attended.is_(True))
        .correlate(Body)
        .scalar_subquery()
    )
    rows = [
        [name, held, suppress(came)]
        for name, held, came in db.session.execute(
            select(Body.name, meetings, attendances)
            .join(Forum, Forum.body_id == Body.id)
            .order_by(Forum.slot)
        )
    ]
    return table(
        "customer_voice_forums",
        "Community Engagement Forums",
        ["Forum", "Meetings held", "Attendances"],
        rows,
        summary=f"{len(rows)} forums; meetings held and attendances in {period.label}.",
        chart=bar_chart(label=0, value=1),
    )


def _channel_table(period: Period) -> dict:
    rows = [
        [channel.replace("_", " "), count]
        for channel, count in db.session.execute(
            select(FeedbackItem.channel, func.count(FeedbackItem.id))
            .where(FeedbackItem.received_on >= period.start, FeedbackItem.received_on <= period.end)
            .group_by(FeedbackItem.channel)
            .order_by(func.count(FeedbackItem.id).desc(), FeedbackItem.channel)
        )
    ]
    return table(
        "customer_voice_channels",
        "Customer feedback by listening channel",
        ["Channel", "Items"],
        rows,
        summary=leader_summary(
            [(channel, count) for channel, count in rows],
            one="Most feedback came through {label}.",
            tie="{labels} brought in equal amounts of feedback ({value} each).",
        )
        or "No feedback items were recorded.",
        chart=bar_chart(label=0, value=1),
    )


def build(period: Period) -> dict:
    values = {kpi.code: kpi.compute(period) for kpi in kpis.KPIS}
    figures = [
        figure("Forum meetings held", values["customer_voice_forum_meetings"]),
        figure("Attendances at I&K events", values["customer_voice_ik_attendance"]),
        figure("CHAIN projects completed", values["customer_voice_chain_completed"]),
        figure("Scrutiny reviews completed", values["customer_voice_reviews_completed"]),
        figure(
            "Scrutiny recommendations accepted", values["customer_voice_recommendations_accepted"], "percent"
        ),
        figure("Scrutiny recommendations implemented", values["customer_voice_recommendations_implemented"]),
        figure("Volunteer hours", values["customer_voice_volunteer_hours"], "hours"),
        figure("Estates rated", values["customer_voice_estates_rated"]),
        figure(
            "Average estate rating", values["customer_voice_average_estate_rating"], "score", note="1 to 5"
        ),
    ]
    summary = (
        f"Forums met {values['customer_voice_forum_meetings']} times, customers gave "
        f"{values['customer_voice_volunteer_hours']} volunteer hours, and "
        f"{values['customer_voice_feedback_items']} feedback items were collated for the forums."
    )
    return content(summary, figures=figures, tables=[_forum_table(period), _channel_table(period)])
