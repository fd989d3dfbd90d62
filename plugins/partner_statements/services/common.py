"""Shared helpers: the plugin's settings for an organisation, its group, and the Customer First
Standard a partner is held to.

The standard is defined once, in the group's settings. A partner request runs in the partner's
scope, so reading the group's settings goes through ``group_read_scope`` naming the group alone:
read-only and written to the audit log, the same door every other cross-organisation read uses.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context
from flask_login import current_user

from core.errors import NotFound
from core.models import Organisation
from core.plugin_kit import plugin_settings
from core.tenancy import group_read_scope

PLUGIN = "partner_statements"


def settings_of(organisation: Organisation) -> dict:
    """The organisation's validated plugin settings (read in the scope already open)."""
    return plugin_settings(PLUGIN, organisation.id)


def actor_id() -> int | None:
    """The signed-in user or token holder of this request (None outside a request, e.g. the demo)."""
    if not has_request_context():
        return None
    user = g.get("api_user") or current_user
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def group_of(organisation: Organisation) -> Organisation | None:
    """The partner's group when it is a group that also runs this plugin; None otherwise."""
    parent = organisation.parent()
    if parent is None or not parent.is_group or not parent.is_active:
        return None
    if not current_app.extensions["involve"].plugins.is_enabled(parent.id, PLUGIN):
        return None
    return parent


def group_settings(group: Organisation) -> dict:
    """A group's plugin settings, read from a partner's request through the audited read scope."""
    with group_read_scope(
        [group.id], actor_id=actor_id(), purpose="read the group's Customer First Standard"
    ):
        return plugin_settings(PLUGIN, group.id)


def standard_for(organisation: Organisation) -> tuple[str, list[dict]]:
    """(who defined it, commitments) of the Customer First Standard ``organisation`` is held to.

    A partner follows its group's standard; a group, or a landlord outside any group running the
    plugin, uses the one in its own settings (the seed's service standards by default).
    """
    group = None if organisation.is_group else group_of(organisation)
    if group is not None:
        return group.name, group_settings(group)["customer_first_commitments"]
    return organisation.name, settings_of(organisation)["customer_first_commitments"]


def require_group(organisation: Organisation) -> None:
    """Group-only routes do not exist for a partner or a lone landlord (404, not 403)."""
    if not organisation.is_group:
        raise NotFound("Not found.")


def partners_of(group: Organisation) -> list[Organisation]:
    """The group's active partners that run this plugin, by name."""
    registry = current_app.extensions["involve"].plugins
    return [p for p in group.partners() if p.is_active and registry.is_enabled(p.id, PLUGIN)]


def weaknesses_must_be_answered(organisation: Organisation) -> bool:
    """Whether the partner's action plan must answer every weakness before approval (the group's
    setting for a partner, the organisation's own otherwise)."""
    group = group_of(organisation)
    settings = group_settings(group) if group is not None else settings_of(organisation)
    return settings["action_plan_must_address_weaknesses"]
