"""Gentoo's Customer Voice model: area forums, listening to customers, I&K events, CHAIN projects,
Ustoo scrutiny, volunteering and standards reports.

This module holds only the hook implementations; the rules are in ``services``, the API in
``api`` and the pages in ``views``.
"""

from core import hookimpl

TITLE = "Customer Voice"
DESCRIPTION = (
    "Gentoo's Customer Voice model: area forums, listening to customers, I&K events, CHAIN projects, "
    "Ustoo scrutiny, volunteering and standards reports."
)


@hookimpl
def register_blueprints(app):
    from plugins.customer_voice.api import blp
    from plugins.customer_voice.public import public_bp
    from plugins.customer_voice.web import web_bp

    return [blp, web_bp, public_bp]


@hookimpl
def register_permissions():
    from core.permissions import Permission

    return [
        Permission(
            "customer_voice.read",
            "See forums, feedback, voice packs, projects, reviews and reports",
            "viewer",
        ),
        Permission("customer_voice.write", "Record and change Customer Voice records", "staff"),
        Permission("customer_voice.import", "Import feedback items from CSV", "staff"),
    ]


@hookimpl
def register_settings_schema():
    from plugins.customer_voice.settings import CustomerVoiceSettings

    return CustomerVoiceSettings


@hookimpl
def register_kpis():
    from plugins.customer_voice.kpis import KPIS

    return KPIS


@hookimpl
def register_report_sections():
    from core.reports import ReportSection
    from plugins.customer_voice.report import build

    return [ReportSection("customer_voice", "Customer Voice", 60, build=build)]


@hookimpl
def register_jobs():
    from core.jobs import JobKind
    from plugins.customer_voice.jobs import remind_standards

    return [
        JobKind(
            "customer_voice.remind_standards",
            remind_standards,
            timeout=120,
            retries=3,
            retry_intervals=(60, 300, 1800),
            daily=True,
        )
    ]


@hookimpl
def on_plugin_enabled(organisation, settings):
    from plugins.customer_voice.services.forums import ensure_structures

    ensure_structures(settings)


@hookimpl
def validate_membership(body, membership):
    from plugins.customer_voice.services.forums import check_forum_seat

    check_forum_seat(body, membership)


@hookimpl
def gather_subject_access(participant):
    from plugins.customer_voice.services.events import ratings_of_person

    visits = ratings_of_person(participant.id)
    return {"estate_ratings": visits} if visits else None


@hookimpl
def on_participant_erased(participant):
    from plugins.customer_voice.services.events import forget_comments_of

    forget_comments_of(participant.id)


@hookimpl
def load_demo_data(organisation, settings):
    from plugins.customer_voice.demo import load

    load(organisation, settings)


@hookimpl
def tpl_org_navigation(organisation):
    from flask import url_for

    return [("Customer Voice", url_for("plugin_customer_voice_web.overview", slug=organisation.slug))]
