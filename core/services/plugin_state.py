"""Enabling, disabling and configuring a plugin for one organisation.

Used by the API, the admin page and ``orgs sync`` alike, so the rules (schema validation, the
plugin's own ``validate_plugin_settings``, the enable/disable hooks) hold whichever way a change
arrives. Runs in the organisation's scope; the caller commits.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from core.errors import NotFound, ValidationFailed
from core.extensions import db
from core.models import Organisation, OrganisationPlugin
from core.models.base import utcnow


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested error dict → ``{"settings.key": ["message"]}``."""
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": list(messages)}
    if isinstance(messages, str):
        return {prefix or "_schema": [messages]}
    flat: dict[str, list[str]] = {}
    if isinstance(messages, list | tuple):  # a field validator's errors keyed by part (dict keys)
        for part in messages:
            for name, texts in flatten_messages(part, prefix).items():
                flat.setdefault(name, []).extend(texts)
        return flat
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, name))
    return flat


def validated_settings(registry, organisation: Organisation, plugin_name: str, raw: dict | None):
    info = registry.get(plugin_name)
    if info is None:
        raise NotFound(f"No plugin called {plugin_name!r} is installed.")
    if raw is not None and not isinstance(raw, dict):
        raise ValidationFailed({"settings": ["Must be an object."]})
    try:
        settings = info.load_settings(raw)
    except ValidationError as exc:
        raise ValidationFailed(flatten_messages(exc.messages, "settings")) from None
    registry.call_plugin(
        plugin_name,
        "validate_plugin_settings",
        organisation=organisation,
        plugin_name=plugin_name,
        settings=settings,
    )
    return settings


def plugin_row(organisation: Organisation, plugin_name: str) -> OrganisationPlugin | None:
    return db.session.scalar(
        select(OrganisationPlugin).where(
            OrganisationPlugin.organisation_id == organisation.id,
            OrganisationPlugin.plugin_name == plugin_name,
        )
    )


def set_plugin_state(
    registry,
    organisation: Organisation,
    plugin_name: str,
    *,
    enabled: bool,
    settings: dict | None,
) -> bool:
    """Apply the wanted state; return True if anything changed."""
    clean = validated_settings(registry, organisation, plugin_name, settings)
    row = plugin_row(organisation, plugin_name)
    was_enabled = bool(row and row.enabled)
    if row is None:
        if not enabled and not clean:
            return False
        row = OrganisationPlugin(plugin_name=plugin_name, enabled=False, settings={})
        db.session.add(row)
    changed = row.enabled != enabled or (row.settings or {}) != clean
    if not changed:
        return False
    row.enabled = enabled
    row.settings = clean
    row.updated_at = utcnow()
    db.session.flush()
    if enabled and not was_enabled:
        registry.call_plugin(
            plugin_name,
            "on_plugin_enabled",
            organisation=organisation,
            plugin_name=plugin_name,
            settings=clean,
        )
    elif was_enabled and not enabled:
        registry.call_plugin(
            plugin_name, "on_plugin_disabled", organisation=organisation, plugin_name=plugin_name
        )
    return True


def plugin_settings(organisation_id: int, plugin_name: str) -> dict:
    """The stored settings of a plugin for the organisation in scope (empty if none)."""
    row = db.session.scalar(
        select(OrganisationPlugin).where(
            OrganisationPlugin.organisation_id == organisation_id,
            OrganisationPlugin.plugin_name == plugin_name,
        )
    )
    return dict(row.settings or {}) if row else {}
