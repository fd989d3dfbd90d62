"""Named permissions checked through can(user, action, org)."""

import pytest

from core.permissions import Permission, PermissionRegistry, UnknownPermission, can


def test_roles_are_ordered(make_org, make_user):
    org = make_org()
    viewer, staff, admin = make_user(org, "viewer"), make_user(org, "staff"), make_user(org, "org_admin")
    assert can(viewer, "organisation.read", org)
    assert not can(viewer, "example.write", org)
    assert can(staff, "example.write", org) and not can(staff, "plugins.manage", org)
    assert can(admin, "plugins.manage", org)


def test_membership_of_another_organisation_gives_nothing(make_org, make_user):
    mine, theirs = make_org(), make_org()
    admin = make_user(mine, "org_admin")
    assert not can(admin, "organisation.read", theirs)


def test_unknown_action_raises(make_org, make_user):
    org = make_org()
    with pytest.raises(UnknownPermission):
        can(make_user(org), "organisation.raed", org)


def test_group_only_actions_need_a_group(make_org, make_user):
    group = make_org(kind="group")
    partner = make_org(parent=group)
    user = make_user(memberships={group: "staff", partner: "org_admin"})
    assert can(user, "group.compare", group)
    assert not can(user, "group.compare", partner)


def test_inactive_users_and_suspended_organisations_get_nothing(make_org, make_user):
    org, suspended = make_org(), make_org(status="suspended")
    inactive = make_user(org, "org_admin", active=False)
    admin = make_user(suspended, "org_admin")
    assert not can(inactive, "organisation.read", org)
    assert not can(admin, "organisation.read", suspended)


def test_plugins_register_their_own_prefixed_actions(app):
    """The ``register_permissions`` hook adds a plugin's actions, each prefixed with its name."""
    assert "example.write" in app.extensions["involve"].permissions.names()
    registry = PermissionRegistry()
    with pytest.raises(ValueError, match="prefix"):
        registry.add(Permission("write", "no prefix"), owner="example")
    registry.add(Permission("example.write", "ok"), owner="example")
    with pytest.raises(ValueError, match="twice"):
        registry.add(Permission("example.write", "again"), owner="example")
