"""Halton Housing Trust's involvement model: street representatives, Board seats for tenancy holders,
the Customer Forum's environmental budget, the Customer Panel, estate walkabouts, customer inspectors,
neighbourhood action plans, grants to residents' groups, Trust membership and the quarterly PIs to Board.

This module holds only hook implementations; the work is in ``services/``, the API in ``api/``, the
pages in ``web.py``. Heavy imports are deferred into the hooks.
"""

from core import hookimpl

TITLE = "Street representatives"
DESCRIPTION = (
    "Halton's street representatives, Board seats for tenancy holders, Customer Forum budget, Customer "
    "Panel, estate walkabouts, customer inspectors, grants to residents' groups and Trust membership."
)


@hookimpl
def register_blueprints(app):
    from plugins.street_reps import public_grants  # noqa: F401  (its route is on public_bp)
    from plugins.street_reps.api import blp
    from plugins.street_reps.web import public_bp, web_bp

    return [blp, web_bp, public_bp]


@hookimpl
def register_permissions():
    from plugins.street_reps.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def register_settings_schema():
    from plugins.street_reps.schemas.settings import StreetRepsSettings

    return StreetRepsSettings


@hookimpl
def register_kpis():
    from plugins.street_reps.services.measures import kpis

    return kpis()


@hookimpl
def register_report_sections():
    from core.reports import ReportSection
    from plugins.street_reps.services.measures import report_section

    return [
        ReportSection(
            "street_reps", "Street representatives, walkabouts and grants", 60, build=report_section
        )
    ]


@hookimpl
def register_jobs():
    from core.jobs import JobKind
    from plugins.street_reps.services.grants import flag_overdue_monitoring_job

    return [
        JobKind(
            "street_reps.flag_overdue_monitoring",
            flag_overdue_monitoring_job,
            timeout=300,
            retries=3,
            retry_intervals=(60, 300, 1800),
            daily=True,
        )
    ]


@hookimpl
def validate_membership(organisation, body, membership):
    from plugins.street_reps.services.board import check_reserved_seats

    check_reserved_seats(organisation, body, membership)


@hookimpl
def load_demo_data(organisation, settings):
    from plugins.street_reps.demo import load_demo

    load_demo(organisation, settings)


@hookimpl
def gather_subject_access(participant):
    from plugins.street_reps.services.people import subject_access

    return subject_access(participant)


@hookimpl
def on_participant_erased(participant):
    from plugins.street_reps.services.compliance import recheck
    from plugins.street_reps.services.people import erase

    erase(participant)
    recheck()  # an erased person no longer counts as a tenancy holder


# Changes elsewhere that can break the Board's tenancy-holder third or a patch's limit of 30.
HOUSEHOLD_FIELDS = {"tenure", "active"}
PARTICIPANT_FIELDS = {"is_tenancy_holder", "household_id"}


@hookimpl
def on_households_changed(households, changed_fields):
    if HOUSEHOLD_FIELDS & set(changed_fields):
        from plugins.street_reps.services.compliance import recheck

        recheck()


@hookimpl
def on_participants_changed(participants, changed_fields):
    if PARTICIPANT_FIELDS & set(changed_fields):
        from plugins.street_reps.services.compliance import recheck

        recheck()


@hookimpl
def on_membership_changed(body, membership):
    if body.kind == "board":
        from plugins.street_reps.services.compliance import recheck

        recheck()


@hookimpl
def tpl_org_navigation(organisation):
    from flask import url_for

    return [("Street reps", url_for("plugin_street_reps_web.index", slug=organisation.slug))]
