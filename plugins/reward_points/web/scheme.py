"""The scheme year at a glance (members, points by type, conversion totals) with year navigation
bounded to the years the scheme has records for, and the points rules with all their versions."""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_wtf import FlaskForm
from marshmallow import Schema
from sqlalchemy import func, select

from core import plugin_kit
from core.extensions import db
from core.models import Participant
from core.web.toolkit import permission, render_page, save_form
from plugins.reward_points import conversion, ledger, statements
from plugins.reward_points.models import RewardEntry, RewardMember
from plugins.reward_points.settings import SchemeYears, in_force
from plugins.reward_points.web import web_bp


def year_bounds(settings: dict) -> tuple[int, int]:
    """The first and last scheme years worth showing: from the earliest member or entry to now."""
    years = SchemeYears.of(settings)
    current = years.year_of(plugin_kit.today())
    first_join = db.session.scalar(select(func.min(RewardMember.joined_on)))
    first_entry = db.session.scalar(select(func.min(RewardEntry.scheme_year)))
    candidates = [current]
    if first_join is not None:
        candidates.append(years.year_of(first_join))
    if first_entry is not None:
        candidates.append(first_entry)
    return min(candidates), current


def chosen_year(settings: dict) -> tuple[int, int, int]:
    """(year, first, last): the ``year`` query value kept within the bounds; a malformed or
    out-of-range value shows the nearest year rather than an error."""
    first, last = year_bounds(settings)
    try:
        year = SchemeYears.parse(request.args.get("year", ""))
    except ValueError:
        year = last
    return min(max(year, first), last), first, last


def year_links(year: int, first: int, last: int) -> dict:
    return {
        "label": SchemeYears.label(year),
        "previous": SchemeYears.label(year - 1) if year > first else None,
        "following": SchemeYears.label(year + 1) if year < last else None,
    }


@web_bp.route("/")
@permission("reward_points.read")
def index():
    settings = ledger.current_settings()
    year, first, last = chosen_year(settings)
    summary = statements.staff_summary(year)
    rows = db.session.execute(
        select(RewardMember, Participant.first_name, Participant.last_name)
        .join(
            Participant,
            (Participant.id == RewardMember.participant_id)
            & (Participant.organisation_id == RewardMember.organisation_id),
        )
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    balances = statements.balances_by_member([member.id for member, _, _ in rows])
    return render_page(
        "reward_points/index.html",
        catch_up=CatchUpForm(),
        summary=summary,
        members=[(m, f"{first_name} {last_name}", balances[m.id]) for m, first_name, last_name in rows],
        years=year_links(year, first, last),
    )


class CatchUpForm(FlaskForm):
    """Nothing to fill in: the button and its CSRF token."""


@web_bp.route("/catch-up", methods=["POST"])
@permission("reward_points.manage")
def catch_up():
    """Award what the participation hooks missed (an activity marked held later, a member enrolled
    after taking part): the same queued job as the API's ``POST …/settle``."""
    done = save_form(
        CatchUpForm(),
        Schema(),
        lambda _values: conversion.request_catch_up(g.organisation.id),
        payload=lambda _form: {},
        success=(
            "Missed points are being awarded for every member's attendance at held activities; "
            "the figures below include them once the catch-up has run."
        ),
        next_url=url_for("plugin_reward_points_web.index"),
    )
    return done or abort(400)


@web_bp.route("/rules")
@permission("reward_points.read")
def rules():
    settings = ledger.current_settings()
    today = plugin_kit.today()

    def versions(name: str, key: str) -> list[tuple[dict, str]]:
        current = {id(v) for v in in_force(settings[name], key, today).values()}
        ordered = sorted(settings[name], key=lambda v: (v[key], v["effective_from"]))
        return [(v, _status(v, id(v) in current, today)) for v in ordered]

    return render_page(
        "reward_points/rules.html",
        settings=settings,
        points_rules=versions("points_rules", "involvement_type"),
        awards=versions("contribution_awards", "applies_to"),
    )


def _status(version: dict, current: bool, today) -> str:
    if current:
        return "In force"
    starts = version["effective_from"]
    return f"From {starts}" if starts > today.isoformat() else "Replaced"
