"""Gloucester City Homes' levels of involvement, strand growth targets, key-targets plan, tenant
inspectors, mystery shopping and annual conference (issue 9, seed 003).

Hook implementations only; the rules live in ``services/``, the API in ``api/``, the officer's
pages in ``web.py``.
"""

from core import hookimpl

TITLE = "Key targets"
DESCRIPTION = (
    "Levels of involvement with their outcomes and yearly growth targets, the key-targets plan, tenant "
    "inspectors of empty homes, mystery shopping and the annual tenants' conference."
)


@hookimpl
def register_blueprints(app):
    from plugins.key_targets.api import load_routes
    from plugins.key_targets.public import public_bp
    from plugins.key_targets.web import web_bp

    return [load_routes(), web_bp, public_bp]


@hookimpl
def gather_subject_access(participant):
    from plugins.key_targets.services.people import records_of_person

    return records_of_person(participant.id)


@hookimpl
def on_participant_erased(participant):
    from plugins.key_targets.services.people import forget_person

    forget_person(participant.id)


@hookimpl
def register_permissions():
    from core.permissions import Permission

    return [
        Permission(
            "key_targets.read", "See strands, the key-targets plan, inspections and mystery shops", "viewer"
        ),
        Permission(
            "key_targets.write",
            "Edit strands and the plan, record inspections, mystery shops and conference decisions",
            "staff",
        ),
    ]


@hookimpl
def register_settings_schema():
    from plugins.key_targets.settings import KeyTargetsSettings

    return KeyTargetsSettings


@hookimpl
def register_kpis():
    from core.kpis import KPI
    from plugins.key_targets.services import measures as m

    return [
        KPI(
            "key_targets_strand_participants",
            "People taking part in the involvement strands",
            "count",
            compute=m.strand_participants,
        ),
        KPI(
            "key_targets_strands_meeting_growth",
            "Involvement strands meeting the yearly growth target",
            "percent",
            compute=m.strands_meeting_growth,
        ),
        KPI(
            "key_targets_strands_below_target",
            "Involvement strands below the growth target",
            "count",
            compute=m.strands_below_target,
            higher_is_better=False,
        ),
        KPI(
            "key_targets_deadlines_met",
            "Key-target deadlines met on time",
            "percent",
            compute=m.deadlines_met_on_time,
        ),
        KPI(
            "key_targets_targets_overdue",
            "Key targets overdue",
            "count",
            compute=m.targets_overdue,
            higher_is_better=False,
        ),
        KPI(
            "key_targets_homes_inspected",
            "Empty homes inspected by tenant inspectors",
            "count",
            compute=m.homes_inspected,
        ),
        KPI(
            "key_targets_passed_first_time",
            "Empty homes passing the relet standard first time",
            "percent",
            compute=m.passed_first_time,
        ),
        KPI(
            "key_targets_mystery_shopping_score",
            "Mystery shopping score",
            "percent",
            compute=m.mystery_shopping_score,
        ),
    ]


@hookimpl
def register_report_sections():
    from core.reports import ReportSection
    from plugins.key_targets.services.measures import section

    return [ReportSection("key_targets", "Levels of involvement and key targets", 60, build=section)]


@hookimpl
def on_plugin_enabled(organisation, settings):
    from plugins.key_targets.services.strands import ensure_strands

    ensure_strands(settings["strands"])


@hookimpl
def load_demo_data(organisation, settings):
    from plugins.key_targets.services.demo import load

    load(organisation, settings)


@hookimpl
def tpl_org_navigation(organisation):
    from flask import url_for

    return [("Key targets", url_for("plugin_key_targets_web.index", slug=organisation.slug))]
