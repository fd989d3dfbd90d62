"""Example plugin: the smallest plugin that uses the whole contract (tests only, never installed).

A table (``example_notes``, organisation-owned, in its own migration branch), an API and a web
page, a permission, settings with a schema, a KPI, a report section, a job, lifecycle hooks and
UI slots. Core's tests drive it to prove each part of the plugin contract.
"""

from markupsafe import escape

from core import hookimpl

TITLE = "Example notes"
DESCRIPTION = "Short notes, to prove the plugin contract in tests."

# Calls the hooks received, so tests can assert which organisation's plugins were reached.
calls: list[tuple[str, int | None]] = []


@hookimpl
def register_blueprints(app):
    from tests.example_plugin.views import api_blp, public_bp, web_bp

    return [api_blp, web_bp, public_bp]


@hookimpl
def register_permissions():
    from core.permissions import Permission

    return [Permission("example.write", "Write example notes", "staff")]


@hookimpl
def register_settings_schema():
    from tests.example_plugin.schemas import ExampleSettings

    return ExampleSettings


@hookimpl
def register_kpis():
    from core.kpis import KPI
    from tests.example_plugin.services import count_notes_in

    return [KPI("example_notes", "Notes written", "count", compute=count_notes_in)]


@hookimpl
def register_report_sections():
    from core.reports import ReportSection
    from tests.example_plugin.services import notes_section

    return [ReportSection("example_notes", "Notes", 90, build=notes_section)]


@hookimpl
def register_jobs():
    from core.jobs import JobKind
    from tests.example_plugin.services import write_summary

    return [JobKind("example.summarise", write_summary, timeout=30, retries=1, retry_intervals=(1,))]


@hookimpl
def on_plugin_enabled(organisation, settings):
    from tests.example_plugin.services import ensure_welcome_note

    calls.append(("on_plugin_enabled", organisation.id))
    ensure_welcome_note(settings["greeting"])


@hookimpl
def on_plugin_disabled(organisation):
    calls.append(("on_plugin_disabled", organisation.id))


@hookimpl
def on_organisation_onboarded(organisation):
    calls.append(("on_organisation_onboarded", organisation.id))


@hookimpl
def validate_plugin_settings(organisation, settings):
    from core.errors import ValidationFailed
    from tests.example_plugin.services import note_count

    if note_count() > settings["max_notes"]:
        raise ValidationFailed({"settings.max_notes": ["Fewer than the notes already written."]})


@hookimpl
def tpl_org_home(organisation, user):
    calls.append(("tpl_org_home", organisation.id))
    return f'<p class="govuk-body" id="example-panel">Notes for {escape(organisation.name)}</p>'


@hookimpl
def tpl_org_today(organisation, user):
    from datetime import date

    calls.append(("tpl_org_today", organisation.id))
    return [{"label": "Read the example notes", "href": None, "due": date(2026, 1, 5), "kind": "Note"}]


@hookimpl
def tpl_org_navigation(organisation):
    from flask import url_for

    return [("Notes", url_for("plugin_example_web.index", slug=organisation.slug))]


@hookimpl
def tpl_resident_account(organisation, participant):
    calls.append(("tpl_resident_account", participant.id))
    return [(f"Notes for {participant.first_name}", f"/p/{organisation.slug}/example/notes")]


@hookimpl
def on_participation_recorded(organisation, participation):
    calls.append(("on_participation_recorded", participation.id))


@hookimpl
def on_participation_removed(participation):
    calls.append(("on_participation_removed", participation.id))


@hookimpl
def load_demo_data(organisation, settings):
    from tests.example_plugin.services import ensure_welcome_note

    calls.append(("load_demo_data", organisation.id))
    ensure_welcome_note(f"Demo: {settings['greeting']}")


@hookimpl
def validate_membership(body, membership):
    from core.errors import Conflict

    if membership.external_name == "Refused by example":
        raise Conflict("The example plugin refuses this member.")


@hookimpl
def on_households_changed(households, changed_fields):
    calls.extend(("on_households_changed", h.id, tuple(sorted(changed_fields))) for h in households)


@hookimpl
def on_participants_changed(participants, changed_fields):
    calls.extend(("on_participants_changed", p.id, tuple(sorted(changed_fields))) for p in participants)


@hookimpl
def on_membership_changed(body, membership):
    calls.append(("on_membership_changed", membership.id))


@hookimpl
def gather_subject_access(participant):
    return {"mentioned_in_notes": 0, "participant_id": participant.id}


@hookimpl
def on_participant_erased(organisation, participant):
    calls.append(("on_participant_erased", participant.id))


@hookimpl
def on_action_item_changed(item, change):
    calls.append((f"on_action_item_changed:{change}", item.id))
