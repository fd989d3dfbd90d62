"""Every hook a plugin can implement, grouped by lifecycle.

Plugins write ``from core import hookimpl`` and implement any subset of these; an implementation
may accept fewer arguments than the spec (pluggy passes only those it names), so specs can gain
arguments without breaking plugins. Core always calls hooks with keywords and every argument.

Two kinds of call:

* **instance-wide** hooks (app setup, ``register_*``) reach every plugin this instance allows, and
  core records which plugin returned what, so a KPI or job is known to belong to its plugin;
* **organisation** hooks (lifecycle, domain events, validation, UI slots) reach only the plugins
  that organisation has enabled (``PluginRegistry.hook_for(org)``).

``tests/test_hookspecs.py`` fails if a hook here lacks a docstring with an example or if no test
exercises it.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("involve")
hookimpl = pluggy.HookimplMarker("involve")


# ---------------------------------------------------------------------------------------------
# App setup — called once per app, for every allowed plugin
# ---------------------------------------------------------------------------------------------


@hookspec
def register_blueprints(app):
    """Return the Flask blueprints the plugin serves.

    Called by ``create_app`` after the core blueprints. ``app`` is the Flask app being built.
    Return a list of blueprints, each named ``plugin_<name>`` or ``plugin_<name>_<suffix>``.
    A flask-smorest ``Blueprint`` is an API and is mounted at
    ``/api/v1/orgs/<slug>/plugins/<name>`` (and documented in the OpenAPI document); a plain
    Flask ``Blueprint`` is web UI mounted at ``/o/<slug>/plugins/<name>``. Core resolves the
    organisation, checks membership and answers 404 when the plugin is not enabled for it.

    Example::

        @hookimpl
        def register_blueprints(app):
            from plugins.reward_points.api import blp
            return [blp]
    """


@hookspec
def register_permissions():
    """Return the named actions the plugin checks with ``can(user, action, org)``.

    Called once at start-up. Return a list of ``core.permissions.Permission``; each name must
    start with ``<plugin name>.``. Results from all plugins are merged; a duplicate name stops
    start-up.

    Example::

        @hookimpl
        def register_permissions():
            return [Permission("reward_points.convert", "Convert points to money", "org_admin")]
    """


@hookspec
def register_settings_schema():
    """Return the marshmallow schema class that validates the plugin's per-organisation settings.

    Called when settings arrive from ``tenants_config/`` (``orgs sync``) or from the API. The
    schema must reject unknown keys (marshmallow's default) and give defaults with
    ``load_default`` so stored settings are complete. Return ``None`` for no settings.

    Example::

        @hookimpl
        def register_settings_schema():
            class Settings(Schema):
                max_households = fields.Integer(load_default=30, validate=Range(min=1))
            return Settings
    """


# ---------------------------------------------------------------------------------------------
# Organisation lifecycle — called for the organisation's enabled plugins
# ---------------------------------------------------------------------------------------------


@hookspec
def on_organisation_onboarded(organisation):
    """An organisation was created (by ``orgs sync`` or an administrator).

    Called inside the creating transaction, in the organisation's scope, for the plugins it
    enables from the start (after each one's ``on_plugin_enabled``). Return value ignored; raise
    to abort the whole onboarding.

    Example::

        @hookimpl
        def on_organisation_onboarded(organisation):
            db.session.add(Opportunity(name="Your Voice", level="involved", formal=False))
    """


@hookspec
def on_plugin_enabled(organisation, plugin_name, settings):
    """A plugin was switched on for an organisation (also on first sync, and on re-enabling).

    Only the plugin named ``plugin_name`` receives the call. Runs inside the enabling
    transaction, in the organisation's scope; ``settings`` are the validated settings.
    Implementations must be idempotent (re-enabling must not duplicate records).

    Example::

        @hookimpl
        def on_plugin_enabled(organisation, settings):
            for area in settings["management_areas"]:
                ensure_forum(area)
    """


@hookspec
def on_plugin_disabled(organisation, plugin_name):
    """A plugin was switched off for an organisation; its data is kept, its routes answer 404.

    Only the plugin named ``plugin_name`` receives the call, in the organisation's scope.

    Example::

        @hookimpl
        def on_plugin_disabled(organisation):
            cancel_scheduled_reminders(organisation.id)
    """


@hookspec
def validate_plugin_settings(organisation, plugin_name, settings):
    """Check settings that depend on the organisation's data, beyond the schema.

    Called for the plugin named ``plugin_name`` after its schema has loaded ``settings``.
    Raise ``core.errors.ValidationFailed({"field": ["message"]})`` to refuse them.

    Example::

        @hookimpl
        def validate_plugin_settings(organisation, settings):
            if settings["budget_pence"] < spent_so_far(organisation):
                raise ValidationFailed({"budget_pence": ["Less than already spent."]})
    """


@hookspec
def load_demo_data(organisation, settings):
    """Add the plugin's demo records to an organisation that enables it (``flask demo``).

    Called after the core demo records exist, in the organisation's scope, with the plugin's
    validated ``settings``. Must be idempotent: return early when the plugin's records are there.

    Example::

        @hookimpl
        def load_demo_data(organisation, settings):
            if not forums_exist():
                add_demo_forum_year(organisation, settings)
    """


# ---------------------------------------------------------------------------------------------
# Domain events — called for the organisation's enabled plugins as records change
# ---------------------------------------------------------------------------------------------


@hookspec
def on_participation_recorded(organisation, participation, activity):
    """A participation (someone taking part in an activity) was recorded or changed.

    Called inside the recording transaction, in the organisation's scope, after the row is
    flushed (so ``participation.id`` is set). Work done here commits or rolls back with it;
    implementations must be idempotent (a participation may be recorded again after an edit),
    e.g. with a unique key. Return value ignored.

    Example::

        @hookimpl
        def on_participation_recorded(participation, activity):
            if participation.attended:
                award_points(participation.participant_id, key=f"participation:{participation.id}")
    """


@hookspec
def on_participation_removed(organisation, participation, activity):
    """A participation is about to be deleted (on its own, or with its activity).

    Called for the organisation's enabled plugins before the row goes, in the same transaction,
    so a plugin can reverse what it did in ``on_participation_recorded`` (e.g. write a
    compensating points entry). Raise ``core.errors.Conflict`` to refuse the deletion.

    Example::

        @hookimpl
        def on_participation_removed(participation):
            reverse_award(f"participation:{participation.id}")
    """


@hookspec
def validate_membership(organisation, body, membership):
    """A seat on a governance body is about to be filled (created or changed).

    ``body`` is the ``Body``, ``membership`` the unsaved ``BodyMembership``. Raise
    ``core.errors.Conflict("reason")`` to refuse it (the API answers 409 with the reason).

    Example::

        @hookimpl
        def validate_membership(body, membership):
            if body.kind == "board" and reserved_seat_taken_by_non_tenant(body, membership):
                raise Conflict("A reserved Board seat needs a tenancy holder.")
    """


@hookspec
def on_action_item_changed(organisation, item, change):
    """An action plan item was changed (``change="updated"``) or deleted (``change="deleted"``).

    ``item`` is the ``ActionPlanItem`` after the change (for a deletion, the row just deleted:
    its fields still read, but it is gone from the database). Called inside the same
    transaction, in the organisation's scope, after the change is flushed, so a plugin that
    relies on the item (e.g. an approved plan answering a weakness with it) can react before the
    commit. Return value ignored.

    Example::

        @hookimpl
        def on_action_item_changed(item, change):
            if change == "deleted" or item.status == "dropped":
                reopen_plans_answered_by(item.plan_id)
    """


@hookspec
def on_households_changed(organisation, households, changed_fields):
    """Households were created or changed (one through the API, or many by a CSV import).

    Called once per request or import, inside its transaction, in the organisation's scope, after
    the rows are flushed. ``households`` is the list of ``Household`` rows created or changed;
    ``changed_fields`` the set of field names that changed on any of them (every field given, for
    a new household). Use it to recheck rules that depend on tenure or on a home being active;
    record or report a breach rather than raising, so an unrelated edit is never blocked. Return
    value ignored.

    Example::

        @hookimpl
        def on_households_changed(organisation, households, changed_fields):
            if {"tenure", "active"} & set(changed_fields):
                recheck_patches(organisation)
    """


@hookspec
def on_participants_changed(organisation, participants, changed_fields):
    """Participants were created or changed (through the API or a CSV import).

    Called like ``on_households_changed``: once per request or import, in its transaction and the
    organisation's scope, after the rows are flushed, with the ``Participant`` rows and the set of
    field names that changed (e.g. ``is_tenancy_holder``, ``household_id``). Erasure has its own
    hook, ``on_participant_erased``. Return value ignored; do not raise for a rule the change
    breaks elsewhere: record or report it.

    Example::

        @hookimpl
        def on_participants_changed(organisation, participants, changed_fields):
            if "is_tenancy_holder" in changed_fields:
                recheck_board_seats(organisation)
    """


@hookspec
def on_membership_changed(organisation, body, membership):
    """A seat on a governance body was filled or changed, after ``validate_membership`` let it.

    Called inside the transaction, in the organisation's scope, after the row is flushed, with the
    ``Body`` and the saved ``BodyMembership`` (a term ending is a change). Return value ignored.

    Example::

        @hookimpl
        def on_membership_changed(organisation, body, membership):
            if body.kind == "board":
                recheck_board_seats(organisation)
    """


@hookspec
def gather_subject_access(organisation, participant):
    """Return what the plugin holds about a person, for their subject-access export.

    Return a dict (JSON-serialisable) or None; results appear in the export under the plugin's
    name. Called in the organisation's scope.

    Example::

        @hookimpl
        def gather_subject_access(participant):
            return {"points": [entry_as_dict(e) for e in ledger_of(participant.id)]}
    """


@hookspec
def on_participant_erased(organisation, participant):
    """A person was erased: remove or anonymise what the plugin holds that identifies them.

    Called inside the erasing transaction, in the organisation's scope, after core has
    anonymised the participant. Keep rows that counts and KPIs need, without personal data.

    Example::

        @hookimpl
        def on_participant_erased(participant):
            db.session.execute(update(StreetRep).where(...).values(notes=None))
    """


# ---------------------------------------------------------------------------------------------
# Reports and KPIs — instance-wide registration, filtered per organisation by core
# ---------------------------------------------------------------------------------------------


@hookspec
def register_kpis():
    """Return the KPIs the plugin adds, as ``core.kpis.KPI`` objects.

    Each declares a code (prefixed ``<plugin>_``), title, unit, direction and a ``compute``
    function ``(period) -> value | None`` that aggregates in SQL. Core calls it inside the
    organisation's scope (the registry owns the scope; ``core.tenancy.current_org_id()`` names the
    organisation if the figure needs it). They are reported only for organisations that enable
    the plugin.

    Example::

        @hookimpl
        def register_kpis():
            return [KPI("reward_points_members", "Your Voice members", "count", compute=members)]
    """


@hookspec
def register_report_sections():
    """Return sections the plugin adds to the annual impact assessment (``core.reports``).

    Each ``ReportSection`` has a key, title, order and a ``build(period)`` function returning a
    JSON-serialisable dict, called inside the organisation's scope. Included only for
    organisations enabling the plugin.

    Example::

        @hookimpl
        def register_report_sections():
            return [ReportSection("reward_points", "Your Voice rewards", 60, build=rewards_section)]
    """


# ---------------------------------------------------------------------------------------------
# UI slots — called for the organisation's enabled plugins while rendering a page
# ---------------------------------------------------------------------------------------------


@hookspec
def tpl_org_home(organisation, user):
    """Return HTML (``markupsafe.Markup``) to show on the organisation's home page, or None.

    Called while rendering ``/o/<slug>/``; results appear in plugin order, each in its own
    section. Escape everything that comes from data (render a template).

    Example::

        @hookimpl
        def tpl_org_home(organisation, user):
            return Markup(render_template("street_reps/_home_card.html", org=organisation))
    """


@hookspec
def tpl_org_navigation(organisation, user):
    """Return navigation links for the organisation's pages: a list of ``(label, url)`` pairs.

    Called while rendering any organisation page; the links are added to the organisation
    navigation in plugin order.

    Example::

        @hookimpl
        def tpl_org_navigation(organisation):
            return [("Street reps", url_for("plugin_street_reps.index", slug=organisation.slug))]
    """


@hookspec
def tpl_org_today(organisation, user):
    """Return rows for the officer's Today page (the organisation's home): a list of dicts.

    Called while rendering ``/o/<slug>/`` for the signed-in ``user``. Each row is a dict with
    ``label`` (the text, required), ``href`` (the record's page, or None for plain text), ``due``
    (a date or None; rows are shown earliest due first) and ``kind`` (a word shown with the row,
    e.g. "Grant"). Return only what this user should act on, and nothing they may not see.

    Example::

        @hookimpl
        def tpl_org_today(organisation, user):
            return [
                {"label": f"Grant {g.reference} report due", "href": url_for(...), "due": g.due_on,
                 "kind": "Grant"}
                for g in grants_due_this_week()
            ]
    """


@hookspec
def tpl_resident_account(organisation, participant):
    """Return links for a signed-in resident's account page: a list of ``(label, url)`` pairs.

    Called while rendering ``/p/<slug>/account/`` for the resident tied to ``participant`` (one
    participant of ``organisation``); the links are listed under "More from us" in plugin order.
    The pages they lead to must check the resident session themselves
    (``core.public.account.current_resident()``) and show only this participant's records.

    Example::

        @hookimpl
        def tpl_resident_account(organisation, participant):
            return [("Your points", url_for("public_reward_points.statement", slug=organisation.slug))]
    """


# ---------------------------------------------------------------------------------------------
# Jobs — instance-wide registration; a job runs only for organisations enabling its plugin
# ---------------------------------------------------------------------------------------------


@hookspec
def register_jobs():
    """Return the background job kinds the plugin runs, as ``core.jobs.JobKind`` objects.

    Called once at start-up. Each kind declares its name (``<plugin>.<job>``), function,
    timeout, retries and queue. Core refuses to run a plugin's job for an organisation that has
    not enabled the plugin.

    Example::

        @hookimpl
        def register_jobs():
            return [JobKind("reward_points.convert", convert_year, timeout=600, retries=3)]
    """
