"""``orgs sync``: make the organisations in the database match ``tenants_config/*.toml``.

All files are read and validated first (core keys, organisation settings, each enabled plugin's
settings schema); any error, named by file and key, means nothing is applied. Then everything is
applied in one transaction. Running it twice changes nothing the second time. Organisations in
the database but not in the directory are reported and left alone (never deleted by a sync).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from core.extensions import db
from core.models import Organisation
from core.services.plugin_state import flatten_messages, set_plugin_state
from core.tenancy import organisation_scope

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
TOP_LEVEL_KEYS = {"slug", "name", "kind", "parent", "status", "settings", "public", "plugins"}
PLUGIN_KEYS = {"enabled", "settings"}


def _known_kpi(code: str) -> bool:
    """A core KPI code, or one a plugin installed on this instance registers."""
    from flask import current_app, has_app_context

    if has_app_context():
        known = set(current_app.extensions["involve"].kpis.kpis)
    else:
        from core.kpis.core_kpis import CORE_KPIS

        known = {kpi.code for kpi in CORE_KPIS}
    if code not in known:
        raise ValidationError(f"{code!r} is not a KPI code")
    return True


class KpiTarget(fields.Field):
    """A number (integer or decimal); text, booleans and non-finite numbers are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        finite = isinstance(value, int | float) and value == value and abs(value) != float("inf")
        if isinstance(value, bool) or not finite:
            raise ValidationError("must be a number")
        return value


TOPIC_CODE = re.compile(r"^[a-z][a-z0-9_]{0,99}$")


def _topic_list(topics: list[str]) -> None:
    """Codes once each; ``other`` is not a topic of the list but the way round it (with a description)."""
    if len(set(topics)) != len(topics):
        raise ValidationError("each topic may appear only once")
    if "other" in topics:
        raise ValidationError("'other' is always allowed (with a description); leave it out of the list")


class OrganisationSettingsSchema(Schema):
    """Core settings every organisation may set; unknown keys are refused."""

    # The guarantee: feedback on a consultation within this many months of its close. A later due
    # date is an extension an org admin must explain (core.services.consultations).
    feedback_period_months = fields.Integer(load_default=3, validate=validate.Range(min=1, max=24))
    # The shortest a consultation may run, in days counting the opening and closing days.
    consultation_min_days = fields.Integer(validate=validate.Range(min=1, max=365))
    # What the organisation consults on (lowercase codes); any other topic is "other" + a description.
    consultation_topics = fields.List(
        fields.String(
            validate=[
                validate.Length(max=60),
                validate.Regexp(TOPIC_CODE, error="lowercase letters, digits and underscores"),
            ]
        ),
        validate=[validate.Length(min=1, max=100), _topic_list],
    )
    homes_owned = fields.Integer(validate=validate.Range(min=0))
    local_authority = fields.String(validate=validate.Length(max=200))
    contact_email = fields.Email(validate=validate.Length(max=254))
    # KPI code → target figure, e.g. ``[settings.kpi_targets] listened_to = 80``.
    kpi_targets = fields.Dict(
        keys=fields.String(validate=[validate.Length(max=60), _known_kpi]), values=KpiTarget()
    )


@dataclass
class OrgConfig:
    path: Path
    slug: str
    name: str
    kind: str
    parent: str | None
    status: str
    settings: dict[str, Any]
    plugins: dict[str, dict[str, Any]]  # name → {"enabled": bool, "settings": dict}


@dataclass
class SyncReport:
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _err(report: SyncReport, path: Path, key: str, message: str) -> None:
    report.errors.append(f"{path}: {key}: {message}")


def read_directory(directory: Path, registry, report: SyncReport) -> list[OrgConfig]:
    files = sorted(directory.glob("*.toml"))
    if not directory.is_dir():
        report.errors.append(f"{directory}: not a directory")
        return []
    if not files:
        report.errors.append(f"{directory}: no .toml files")
    configs = []
    for path in files:
        config = _read_file(path, registry, report)
        if config is not None:
            configs.append(config)
    _check_references(configs, report)
    return configs


def _read_file(path: Path, registry, report: SyncReport) -> OrgConfig | None:
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        _err(report, path, "(syntax)", str(exc))
        return None
    before = len(report.errors)
    for key in sorted(set(raw) - TOP_LEVEL_KEYS):
        _err(report, path, key, "unknown key")
    slug = raw.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        _err(report, path, "slug", "required: lowercase letters, digits and hyphens")
    elif slug != path.stem:
        _err(report, path, "slug", f"must match the file name ({path.stem!r})")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        _err(report, path, "name", "required text of at most 200 characters")
    kind = raw.get("kind", "landlord")
    if kind not in ("landlord", "group"):
        _err(report, path, "kind", "must be 'landlord' or 'group'")
    status = raw.get("status", "active")
    if status not in ("active", "suspended"):
        _err(report, path, "status", "must be 'active' or 'suspended'")
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        _err(report, path, "parent", "must be the slug of a group")
    try:
        settings = OrganisationSettingsSchema().load(raw.get("settings") or {})
    except ValidationError as exc:
        for key, messages in flatten_messages(exc.messages, "settings").items():
            _err(report, path, key, " ".join(messages))
        settings = {}
    public = _read_public(path, raw.get("public"), report)
    if public:
        settings["public"] = public  # the residents' site's name, logo, colour and contacts
    plugins: dict[str, dict[str, Any]] = {}
    raw_plugins = raw.get("plugins") or {}
    if not isinstance(raw_plugins, dict):
        _err(report, path, "plugins", "must be a table of plugin names")
        raw_plugins = {}
    for plugin_name, plugin_raw in sorted(raw_plugins.items()):
        key = f"plugins.{plugin_name}"
        if not isinstance(plugin_raw, dict):
            _err(report, path, key, "must be a table")
            continue
        for extra in sorted(set(plugin_raw) - PLUGIN_KEYS):
            _err(report, path, f"{key}.{extra}", "unknown key")
        enabled = plugin_raw.get("enabled", True)
        if not isinstance(enabled, bool):
            _err(report, path, f"{key}.enabled", "must be true or false")
        info = registry.get(plugin_name)
        if info is None:
            report.warnings.append(
                f"{path}: plugin {plugin_name!r} is not installed on this instance; skipped"
            )
            continue
        try:
            plugin_settings = info.load_settings(plugin_raw.get("settings") or {})
        except ValidationError as exc:
            for field_key, messages in flatten_messages(exc.messages, f"{key}.settings").items():
                _err(report, path, field_key, " ".join(messages))
            continue
        plugins[plugin_name] = {"enabled": enabled, "settings": plugin_settings}
    if len(report.errors) > before:
        return None
    return OrgConfig(path, slug, name.strip(), kind, parent, status, settings, plugins)


def _read_public(path: Path, raw: Any, report: SyncReport) -> dict[str, Any]:
    """The optional ``[public]`` table (core.services.branding.PublicSettingsSchema)."""
    from core.services.branding import PublicSettingsSchema

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        _err(report, path, "public", "must be a table")
        return {}
    try:
        return PublicSettingsSchema().load(raw)
    except ValidationError as exc:
        for key, messages in flatten_messages(exc.messages, "public").items():
            _err(report, path, key, " ".join(messages))
        return {}


def _check_references(configs: list[OrgConfig], report: SyncReport) -> None:
    by_slug = {c.slug: c for c in configs}
    for config in configs:
        if config.parent is None:
            continue
        parent = by_slug.get(config.parent)
        if parent is None:
            existing = db.session.scalar(select(Organisation).where(Organisation.slug == config.parent))
            if existing is None or existing.kind != "group":
                _err(report, config.path, "parent", f"{config.parent!r} is not a known group")
        elif parent.kind != "group":
            _err(report, config.path, "parent", f"{config.parent!r} is not a group")
        if config.kind == "group":
            _err(report, config.path, "parent", "a group cannot have a parent")


def apply(configs: list[OrgConfig], registry, report: SyncReport) -> None:
    """Create or update every organisation; the caller commits (or rolls back on error)."""
    ordered = sorted(configs, key=lambda c: (c.kind != "group", c.slug))
    for config in ordered:
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == config.slug))
        created = organisation is None
        parent_id = None
        if config.parent:
            parent_id = db.session.scalar(select(Organisation.id).where(Organisation.slug == config.parent))
        wanted = {
            "name": config.name,
            "kind": config.kind,
            "status": config.status,
            "parent_id": parent_id,
            "settings": config.settings,
        }
        if created:
            organisation = Organisation(slug=config.slug, **wanted)
            db.session.add(organisation)
            db.session.flush()
            report.changes.append(f"created {config.slug}")
        else:
            changed = [k for k, v in wanted.items() if getattr(organisation, k) != v]
            for key in changed:
                setattr(organisation, key, wanted[key])
            if changed:
                organisation.touch()
                report.changes.append(f"updated {config.slug}: {', '.join(changed)}")
        with organisation_scope(organisation.id):
            for plugin_name, state in sorted(config.plugins.items()):
                if set_plugin_state(
                    registry,
                    organisation,
                    plugin_name,
                    enabled=state["enabled"],
                    settings=state["settings"],
                ):
                    verb = "enabled" if state["enabled"] else "disabled"
                    report.changes.append(f"{config.slug}: plugin {plugin_name} {verb}/configured")
            if created:
                registry.hook_for(organisation.id, "on_organisation_onboarded")(organisation=organisation)
    known = {c.slug for c in configs}
    for slug in db.session.scalars(select(Organisation.slug).order_by(Organisation.slug)):
        if slug not in known:
            report.warnings.append(f"{slug}: in the database but not in the directory; left alone")


def sync(directory: Path, registry, *, dry_run: bool = False) -> SyncReport:
    """Validate the whole directory, then apply it in one transaction (or not at all)."""
    report = SyncReport()
    configs = read_directory(directory, registry, report)
    if report.errors:
        db.session.rollback()
        return report
    try:
        apply(configs, registry, report)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
