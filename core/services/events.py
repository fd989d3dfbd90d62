"""Announcing domain events to the plugins the current organisation enables.

Services that change households, participants and body memberships call :func:`announce` after
flushing, so a plugin can recheck a rule that depends on them (``on_households_changed``,
``on_participants_changed``, ``on_membership_changed`` in ``core.hookspecs``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from core.extensions import db
from core.models import Organisation
from core.tenancy import current_org_id


def announce(hook_name: str, organisation: Organisation | None = None, **kwargs: Any) -> None:
    """Call an organisation hook for the current organisation's enabled plugins."""
    if organisation is None:
        organisation = db.session.get(Organisation, current_org_id())
    plugins = current_app.extensions["involve"].plugins
    plugins.hook_for(organisation.id, hook_name)(organisation=organisation, **kwargs)


def changed_fields(record, values: dict[str, Any]) -> set[str]:
    """The names in ``values`` that differ from the record (all of them for a new record)."""
    if record is None:
        return set(values)
    return {key for key, value in values.items() if getattr(record, key) != value}
