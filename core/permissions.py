"""Named permissions and the one check every view and service uses: ``can(user, action, org)``.

Core and plugins register actions (plugins through the ``register_permissions`` hook); each
names the least role that may perform it. Checking an action nobody registered raises, so a typo
cannot silently deny or allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

ROLE_RANK = {"viewer": 1, "staff": 2, "org_admin": 3}


class UnknownPermission(KeyError):
    """``can`` was asked about an action that no one registered."""


@dataclass(frozen=True)
class Permission:
    name: str
    description: str
    min_role: str = "staff"
    # Only for group organisations (reading partners' aggregates).
    group_only: bool = False
    # A grant the membership must carry on top of the role (``core.models.account.GRANTS``).
    needs_grant: str | None = None
    # A grant that rules the action out, whatever the role (separation of duties).
    refused_with_grant: str | None = None

    def __post_init__(self):
        if self.min_role not in ROLE_RANK:
            raise ValueError(f"{self.name}: unknown role {self.min_role!r}")


CORE_PERMISSIONS = (
    Permission("organisation.read", "See the organisation and its enabled plugins", "viewer"),
    Permission("plugins.read", "See installed plugins and their settings", "viewer"),
    Permission("plugins.manage", "Enable, disable and configure plugins", "org_admin"),
    Permission("members.manage", "Add and remove staff accounts", "org_admin"),
    Permission("group.compare", "Compare partners' aggregate figures", "staff", group_only=True),
    Permission("records.read", "Read involvement records (no equality monitoring)", "viewer"),
    Permission("records.write", "Create and change involvement records", "staff"),
    Permission(
        "consultations.extend_feedback",
        "Set a consultation's feedback due date beyond the organisation's guarantee, with a reason",
        "org_admin",
    ),
    Permission("people.read", "Read participants' personal details", "staff"),
    Permission("people.write", "Create and change participants", "staff"),
    Permission("people.export", "Export everything held about a person (subject access)", "org_admin"),
    Permission("people.erase", "Erase a person (anonymise)", "org_admin"),
    # Whoever can write answers (and so plant people with known answers) must not read aggregates,
    # and the other way round: docs/special-category-data.md.
    Permission(
        "monitoring.write",
        "Record a person's equality monitoring answers",
        "staff",
        refused_with_grant="equality_analyst",
    ),
    Permission("profile.read", "See the customer profile (all customers' counts, not one person's)", "staff"),
    Permission(
        "monitoring.aggregate",
        "See equality monitoring in aggregate (equality analysts only)",
        "viewer",
        needs_grant="equality_analyst",
    ),
    Permission("reports.write", "Write the narrative of an impact assessment", "staff"),
    Permission("reports.publish", "Publish an impact assessment (it can no longer change)", "org_admin"),
)


class PermissionRegistry:
    def __init__(self) -> None:
        self._by_name: dict[str, Permission] = {}

    def add(self, permission: Permission, owner: str | None = None) -> None:
        if owner is not None and not permission.name.startswith(f"{owner}."):
            raise ValueError(f"plugin {owner} registered {permission.name}: prefix with '{owner}.'")
        if permission.name in self._by_name:
            raise ValueError(f"permission {permission.name} registered twice")
        self._by_name[permission.name] = permission

    def get(self, name: str) -> Permission:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownPermission(name) from None

    def names(self) -> list[str]:
        return sorted(self._by_name)


def registry() -> PermissionRegistry:
    return current_app.extensions["involve"].permissions


def can(user, action: str, org) -> bool:
    """May ``user`` perform ``action`` in organisation ``org``? Raises on an unknown action."""
    permission = registry().get(action)
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if org is None or not org.is_active:
        return False
    if permission.group_only and not org.is_group:
        return False
    role = user.role_in(org.id)
    if role is None:
        return False
    if permission.needs_grant and not user.holds_grant(org.id, permission.needs_grant):
        return False
    if permission.refused_with_grant and user.holds_grant(org.id, permission.refused_with_grant):
        return False
    return ROLE_RANK[role] >= ROLE_RANK[permission.min_role]
