"""Circle Anglia's partner statements, Customer First Standard, action plans, RASP and group oversight.

Enabled on the group and on each partner. A partner keeps its versioned involvement statement (with
a public page and printable leaflet), its yearly self-assessment against the group's Customer First
Standard, the action plan that must answer every weakness before approval, its involvement budget
and its RASP nominations. The group sees its partners side by side through audited, read-only,
aggregate-only reads, and holds the RASP panel (names and partners only).

This module holds only hookimpls; the work is in ``services``.
"""

from core import hookimpl

TITLE = "Partner statements"
DESCRIPTION = (
    "Circle Anglia's partner statements, Customer First Standard, action plans, RASP and group oversight."
)


@hookimpl
def register_blueprints(app):
    from plugins.partner_statements import (  # noqa: F401  (routes on blp and public_bp)
        api_group,
        api_partner,
        public_rasp,
    )
    from plugins.partner_statements.blueprint import blp
    from plugins.partner_statements.web import public_bp, web_bp

    return [blp, web_bp, public_bp]


@hookimpl
def register_permissions():
    from core.permissions import Permission

    return [
        Permission("partner_statements.write", "Draft statements, self-assess and plan actions", "staff"),
        Permission(
            "partner_statements.approve", "Approve and publish statements; approve action plans", "org_admin"
        ),
        Permission("partner_statements.nominate", "Nominate residents to RASP and withdraw them", "staff"),
        Permission(
            "partner_statements.review",
            "Review partners' impact assessments for the group",
            "staff",
            group_only=True,
        ),
    ]


@hookimpl
def register_settings_schema():
    from plugins.partner_statements.schemas import PartnerStatementsSettings

    return PartnerStatementsSettings


@hookimpl
def register_jobs():
    from core.jobs import JobKind
    from plugins.partner_statements.services.reminders import remind_duties

    return [
        JobKind(
            "partner_statements.remind_duties",
            remind_duties,
            timeout=120,
            retries=3,
            retry_intervals=(60, 300, 1800),
            daily=True,
        )
    ]


@hookimpl
def register_kpis():
    from core.kpis import KPI
    from plugins.partner_statements.services import reporting

    return [
        KPI(
            "partner_statements_standard_met",
            "Customer First commitments met (self-assessed)",
            "percent",
            reporting.standard_met,
        ),
        KPI(
            "partner_statements_plan_progress", "Action plan actions done", "percent", reporting.plan_progress
        ),
        KPI(
            "partner_statements_rasp_nominees",
            "Residents nominated to RASP",
            "count",
            reporting.rasp_nominees,
            counts_people=True,
        ),
    ]


@hookimpl
def register_report_sections():
    from core.reports import ReportSection
    from plugins.partner_statements.services import reporting

    return [
        ReportSection(
            "partner_statements",
            "Statement, Customer First Standard and action plan",
            75,
            build=reporting.section,
        )
    ]


@hookimpl
def validate_plugin_settings(organisation, settings):
    """Group-only keys mean nothing on a partner's own row, and the reverse; refuse the mix-ups
    that would otherwise be silently ignored."""
    from core.errors import ValidationFailed
    from plugins.partner_statements.schemas import PartnerStatementsSettings

    defaults = PartnerStatementsSettings().load({})
    if (
        organisation.parent_id is not None
        and settings["customer_first_commitments"] != defaults["customer_first_commitments"]
    ):
        raise ValidationFailed(
            {
                "settings.customer_first_commitments": [
                    "A partner follows its group's standard; set it on the group."
                ]
            }
        )
    if organisation.is_group and settings["involvement_contact_phone"]:
        raise ValidationFailed(
            {"settings.involvement_contact_phone": ["Set the contact on each partner, not on the group."]}
        )


@hookimpl
def load_demo_data(organisation, settings):
    from plugins.partner_statements.services.demo import load

    load(organisation, settings)


@hookimpl
def tpl_org_navigation(organisation):
    from flask import url_for

    label = "Partner oversight" if organisation.is_group else "Involvement statement"
    return [(label, url_for("plugin_partner_statements_web.index", slug=organisation.slug))]


@hookimpl
def gather_subject_access(participant):
    from sqlalchemy import select

    from core.extensions import db
    from plugins.partner_statements.models import RaspNomination

    rows = db.session.scalars(
        select(RaspNomination).where(RaspNomination.participant_id == participant.id)
    ).all()
    if not rows:
        return None
    return {
        "rasp_nominations": [
            {
                "display_name_shared_with_group": n.display_name,
                "status": n.status,
                "consent_given_on": n.consent_given_on.isoformat(),
                "consent_method": n.consent_method,
                "nominated_on": n.nominated_on.isoformat(),
                "withdrawn_on": n.withdrawn_on.isoformat() if n.withdrawn_on else None,
            }
            for n in rows
        ]
    }


@hookimpl
def on_participant_erased(organisation, participant):
    from core import plugin_kit
    from plugins.partner_statements.services.rasp import erase

    erase(organisation, participant.id, plugin_kit.today())


@hookimpl
def on_action_item_changed(item, change):
    if change == "deleted" or item.status == "dropped":
        from plugins.partner_statements.services.plans import reopen_if_unanswered

        reopen_if_unanswered(item.plan_id)
