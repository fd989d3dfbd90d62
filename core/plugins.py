"""The plugin manager: which plugins are installed, allowed on this instance, enabled per organisation.

Three levels (DESIGN.md):

1. installed — an entry point in the ``involve.plugins`` group (in-repo plugins are registered
   in pyproject.toml the same way), plus ``PLUGIN_MODULES`` for development and tests;
2. allowed — the instance's ``PLUGINS`` allowlist (empty: all installed); an allowed plugin that
   fails to import stops start-up;
3. enabled — per organisation, in ``organisation_plugins`` (synced from tenants_config/ and
   changed by organisation admins).

One :class:`PluginRegistry` per app, kept in ``app.extensions["involve"]``; never a module global.
"""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from sqlalchemy import select

from core import hookspecs

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "involve.plugins"
PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class PluginError(RuntimeError):
    """A plugin could not be loaded or breaks the naming rules."""


@dataclass
class PluginInfo:
    name: str
    module: ModuleType
    title: str
    description: str = ""
    settings_schema: Any = None
    migrations_dir: Path | None = None
    blueprints: list = field(default_factory=list)

    def load_settings(self, raw: dict | None) -> dict:
        """Validate settings with the plugin's schema (raises marshmallow.ValidationError)."""
        if self.settings_schema is None:
            if raw:
                from marshmallow import ValidationError

                raise ValidationError({key: ["Unknown field."] for key in raw})
            return {}
        return self.settings_schema().load(raw or {})


def installed_plugins(extra_modules: dict[str, str] | None = None) -> dict[str, str]:
    """Map plugin name → module path for every installed plugin."""
    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    found.update(extra_modules or {})
    return found


class PluginRegistry:
    def __init__(self, allowlist: list[str], extra_modules: dict[str, str]):
        self.pm = pluggy.PluginManager("involve")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self.installed = installed_plugins(extra_modules)
        wanted = allowlist or sorted(self.installed)
        for name in wanted:
            if name not in self.installed:
                raise PluginError(f"plugin {name!r} is in PLUGINS but is not installed")
            self._load(name, self.installed[name])
        self.pm.check_pending()

    # -- loading -------------------------------------------------------------------------
    def _load(self, name: str, module_path: str) -> None:
        try:
            module = importlib.import_module(module_path)
        except Exception as exc:  # a broken allowed plugin must stop start-up, loudly
            raise PluginError(f"plugin {name!r} ({module_path}) failed to import: {exc}") from exc
        self.add(name, module)

    def add(self, name: str, module) -> PluginInfo:
        """Register a loaded plugin object (a module, or any object with hookimpls in tests)."""
        if not PLUGIN_NAME.match(name):
            raise PluginError(f"plugin name {name!r} must be lowercase letters, digits, underscores")
        self.pm.register(module, name=name)
        module_file = getattr(module, "__file__", None) or __file__
        migrations = Path(module_file).parent / "migrations" / "versions"
        info = PluginInfo(
            name=name,
            module=module,
            title=getattr(module, "TITLE", name.replace("_", " ").capitalize()),
            description=getattr(module, "DESCRIPTION", (module.__doc__ or "").strip().split("\n")[0]),
            migrations_dir=migrations if migrations.is_dir() and hasattr(module, "__file__") else None,
        )
        results = self.call_plugin(name, "register_settings_schema")
        info.settings_schema = results[0] if results else None
        self.plugins[name] = info
        return info

    def remove(self, name: str) -> None:
        self.pm.unregister(name=name)
        self.plugins.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self.plugins)

    def get(self, name: str) -> PluginInfo | None:
        return self.plugins.get(name)

    # -- instance-wide calls, attributed to their plugin --------------------------------
    def call_each(self, hook_name: str, **kwargs) -> list[tuple[str, Any]]:
        """Call an instance-wide hook, returning ``(plugin name, result)`` for non-None results."""
        hook = getattr(self.pm.hook, hook_name)
        out = []
        for impl in reversed(hook.get_hookimpls()):  # registration order
            args = {k: kwargs[k] for k in impl.argnames}
            result = impl.function(**args)
            if result is not None:
                out.append((impl.plugin_name, result))
        return out

    def call_plugin(self, only: str, hook_name: str, /, **kwargs) -> list[Any]:
        """Call one hook on the plugin named ``only``."""
        caller = self.pm.subset_hook_caller(
            hook_name, remove_plugins=[p for n, p in self.pm.list_name_plugin() if n != only]
        )
        return caller(**kwargs)

    # -- per-organisation dispatch ----------------------------------------------------
    def enabled_for(self, org_id: int) -> list[str]:
        """Names of the plugins enabled for an organisation and loaded on this instance."""
        from core.extensions import db
        from core.models import OrganisationPlugin
        from core.tenancy import organisation_scope

        with organisation_scope(org_id):
            rows = db.session.scalars(
                select(OrganisationPlugin.plugin_name).where(OrganisationPlugin.enabled.is_(True))
            ).all()
        return sorted(name for name in rows if name in self.plugins)

    def is_enabled(self, org_id: int, plugin_name: str) -> bool:
        return plugin_name in self.enabled_for(org_id)

    def hook_for(self, org_id: int, hook_name: str):
        """A hook caller that reaches only the plugins enabled for the organisation."""
        enabled = set(self.enabled_for(org_id))
        remove = [plugin for name, plugin in self.pm.list_name_plugin() if name not in enabled]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=remove)


def registry():
    from flask import current_app

    return current_app.extensions["involve"].plugins
