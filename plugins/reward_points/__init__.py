"""Boston Mayflower's Your Voice scheme: points for involvement, an append-only ledger and the annual
conversion to vouchers or donations.

Wiring only: the rules live in ``members`` (joining and choices), ``ledger`` (awards, corrections,
the locking and idempotency that keep points exact), ``conversion`` (the yearly job) and
``statements`` (statements, KPIs, impact-assessment section).
"""

from core import hookimpl

TITLE = "Your Voice rewards"
DESCRIPTION = (
    "Boston Mayflower's Your Voice scheme: points for involvement, an append-only ledger and the annual "
    "conversion to vouchers or donations."
)


@hookimpl
def register_blueprints(app):
    from plugins.reward_points.api import blp
    from plugins.reward_points.resident import resident_bp
    from plugins.reward_points.web import web_bp

    return [blp, web_bp, resident_bp]


@hookimpl
def register_permissions():
    from core.permissions import Permission

    return [
        Permission(
            "reward_points.read", "See Your Voice members, points statements and conversions", "staff"
        ),
        Permission("reward_points.manage", "Enrol members and award or correct points", "staff"),
        Permission(
            "reward_points.convert", "Convert a scheme year's points to vouchers and donations", "org_admin"
        ),
    ]


@hookimpl
def register_settings_schema():
    from plugins.reward_points.settings import RewardPointsSettings

    return RewardPointsSettings


@hookimpl
def validate_plugin_settings(organisation, settings):
    from core.errors import ValidationFailed
    from core.plugin_kit import stored_plugin_settings, today
    from plugins.reward_points.settings import refuse_retroactive_change

    problems = refuse_retroactive_change(
        stored_plugin_settings("reward_points", organisation.id), settings, today()
    )
    if problems:
        raise ValidationFailed(problems)


@hookimpl
def register_jobs():
    from core.jobs import JobKind
    from plugins.reward_points.conversion import convert_year_job, settle_job

    return [
        JobKind(
            "reward_points.convert_year",
            convert_year_job,
            timeout=1800,
            retries=3,
            retry_intervals=(60, 300, 1800),
            queue="default",
        ),
        JobKind("reward_points.settle_participations", settle_job, timeout=900, retries=3, queue="default"),
    ]


@hookimpl
def register_kpis():
    from core.kpis import KPI
    from plugins.reward_points import statements as s

    return [
        KPI("reward_points_members", "Your Voice members", "count", compute=s.kpi_members),
        KPI("reward_points_awarded", "Your Voice points awarded", "points", compute=s.kpi_points_awarded),
        KPI(
            "reward_points_value_converted",
            "Value of points converted",
            "pence",
            compute=s.kpi_value_converted,
        ),
        KPI(
            "reward_points_value_donated",
            "Value of points donated to charity",
            "pence",
            compute=s.kpi_value_donated,
        ),
        KPI(
            "reward_points_member_share",
            "Involved residents who are Your Voice members",
            "percent",
            compute=s.kpi_member_share,
        ),
    ]


@hookimpl
def register_report_sections():
    from core.reports import ReportSection
    from plugins.reward_points.statements import report_section

    return [ReportSection("reward_points", "Your Voice rewards", 70, build=report_section)]


@hookimpl
def on_participation_recorded(organisation, participation, activity):
    from plugins.reward_points.ledger import settle_participation

    settle_participation(participation, activity)


@hookimpl
def on_participation_removed(organisation, participation, activity):
    """Reverse what the participation earned; refused (409) once those points were paid out."""
    from plugins.reward_points.ledger import settle_participation

    settle_participation(participation, activity, removing=True)


@hookimpl
def validate_membership(body, membership):
    """Seed 004, 5.1: the Board has at most twelve members (the ``board_max_members`` setting)."""
    from plugins.reward_points.board import check_board_size
    from plugins.reward_points.ledger import current_settings

    check_board_size(body, membership, current_settings())


@hookimpl
def gather_subject_access(participant):
    from plugins.reward_points.subject_access import export_for

    return export_for(participant.id)


@hookimpl
def on_participant_erased(participant):
    from plugins.reward_points.members import leave_on_erasure

    leave_on_erasure(participant.id)


@hookimpl
def load_demo_data(organisation, settings):
    from plugins.reward_points.demo import load_demo

    load_demo(organisation, settings)


@hookimpl
def tpl_org_navigation(organisation):
    from flask import url_for

    return [("Your Voice rewards", url_for("plugin_reward_points_web.index", slug=organisation.slug))]


@hookimpl
def tpl_resident_account(organisation, participant):
    """A member's points statement and reward choice, from their resident account."""
    from flask import url_for
    from flask_babel import gettext

    from plugins.reward_points.resident import membership_of

    if membership_of(participant.id) is None:
        return []
    return [
        (
            gettext("Your Voice points and rewards"),  # listed in resident.RESIDENT_MESSAGES
            url_for("plugin_reward_points_resident.statement", slug=organisation.slug),
        )
    ]
