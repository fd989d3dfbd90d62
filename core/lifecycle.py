"""The request lifecycle the JSON API and the web pages share: who is calling, for which
organisation, with which permission — all settled before a view parses any input.

``register_scoped`` puts a blueprint (core or plugin, API or web) under it, so that before any of
its views runs: the caller is authenticated (bearer token for the API, session for the web), the
organisation named by ``<slug>`` is loaded and the caller must be a member (otherwise 404,
existence is not revealed), a plugin blueprint answers 404 unless the plugin is enabled for that
organisation, the organisation scope is set for the rest of the request, every record id in the
URL must be the organisation's (404), and then the permission the view declares with
:func:`permission` is checked (403). Only then does the view parse its body (422): load → 404 →
access → 403 → validate → process → commit.

``require(action)`` stays available inside views for checks that depend on what was asked.
"""

from __future__ import annotations

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select

from core.errors import Forbidden, NotFound
from core.extensions import db
from core.models import Organisation, User
from core.permissions import can
from core.tenancy import enter_organisation_scope


def bearer_user() -> User:
    """The user of the request's bearer token; 401 without a valid one."""
    from core.auth import user_for_api_token

    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    user = user_for_api_token(secret.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        abort(401, description="A valid bearer token is required.")
    g.api_user = user
    return user


def session_user() -> User:
    if not current_user.is_authenticated:
        abort(401, description="Please sign in.")
    return current_user._get_current_object()


def load_organisation(user: User, slug: str | None) -> Organisation:
    """The organisation ``slug`` if ``user`` is a member of it; 404 otherwise."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == (slug or "")))
    if organisation is None or user.role_in(organisation.id) is None:
        raise NotFound("No such organisation.")
    if not organisation.is_active:
        raise Forbidden("This organisation is suspended.")
    return organisation


def require(action: str) -> None:
    """403 unless the caller may perform ``action`` in the request's organisation."""
    user = g.get("api_user") or current_user
    if not can(user, action, g.organisation):
        raise Forbidden("Your role does not allow this.")


PERMISSION_ATTRIBUTE = "involve_permission"


def permission(action: str):
    """Declare the permission a view needs: ``@permission("people.write")`` directly above the
    ``def`` of a view function or of a MethodView's ``get``/``post``/``patch``/``delete``.

    The lifecycle checks it before the view runs, so a caller without it gets 403 and never a 422
    for a malformed body. A group-only permission on an organisation that is not a group is 404
    (the route does not exist there). Decorators built with ``functools.wraps`` keep the mark."""

    def declare(view):
        setattr(view, PERMISSION_ATTRIBUTE, action)
        return view

    return declare


def declared_permission(endpoint: str | None, method: str) -> str | None:
    """The permission the view behind ``endpoint`` declares for ``method`` (None if none)."""
    view = current_app.view_functions.get(endpoint or "")
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return getattr(handler, PERMISSION_ATTRIBUTE, None)
    if method == "OPTIONS":
        return None
    return getattr(view, PERMISSION_ATTRIBUTE, None)


def _check_declared_permission() -> None:
    action = declared_permission(request.endpoint, request.method)
    if action is None:
        return
    definition = current_app.extensions["involve"].permissions.get(action)
    if definition.group_only and not g.organisation.is_group:
        raise NotFound("Not found.")
    require(action)


def scoped_blueprints() -> dict[str, str | None]:
    """Blueprint name → plugin name (None for core) of every organisation-scoped blueprint."""
    return current_app.extensions["involve"].scoped_blueprints


def public_blueprints() -> dict[str, str | None]:
    """Blueprint name → plugin name of the plugins' public pages (``/p/<slug>/<plugin>/…``)."""
    return current_app.extensions["involve"].public_blueprints


def _enter_public(plugin_name: str | None) -> None:
    """A public page: any active organisation (enabling the plugin, for a plugin's page), no caller.

    Public views publish what the organisation has chosen to publish (a walkabout timetable, a
    statement); they never call ``require`` and must filter to published records themselves.
    Core's residents' site (plugin None) also takes residents' forms (``core.public``).
    """
    slug = g.get("org_slug") or ""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None or not organisation.is_active:
        raise NotFound("No such organisation.")
    registry = current_app.extensions["involve"].plugins
    if plugin_name is not None and not registry.is_enabled(organisation.id, plugin_name):
        raise NotFound("Not found.")
    g.organisation = organisation
    g.plugin_name = plugin_name
    g.public_page = True
    enter_organisation_scope(organisation.id)
    from core.records import check_url_records

    check_url_records(request.view_args or {}, current_app.extensions["involve"].url_models)


def register_scoped(app, blueprint_name: str, plugin_name: str | None = None) -> None:
    """Put a blueprint under the organisation lifecycle (done at app level, so blueprint objects
    shared between apps are never modified)."""
    app.extensions["involve"].scoped_blueprints[blueprint_name] = plugin_name


def install_lifecycle(app) -> None:
    @app.url_value_preprocessor
    def _pull_slug(endpoint, values):
        if request.blueprint in scoped_blueprints() or request.blueprint in public_blueprints():
            g.org_slug = values.pop("slug", None) if values else None

    @app.url_defaults
    def _add_slug(endpoint, values):
        organisation = g.get("organisation")
        if (
            organisation is not None
            and "slug" not in values
            and current_app.url_map.is_endpoint_expecting(endpoint, "slug")
        ):
            values["slug"] = organisation.slug

    @app.before_request
    def _load_organisation():
        blueprints = scoped_blueprints()
        if request.blueprint in public_blueprints():
            return _enter_public(public_blueprints()[request.blueprint])
        if request.blueprint not in blueprints:
            return None
        api = request.path.startswith("/api/")
        if not api and not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        user = bearer_user() if api else session_user()
        organisation = load_organisation(user, g.get("org_slug"))
        plugin_name = blueprints[request.blueprint]
        if plugin_name is not None:
            registry = current_app.extensions["involve"].plugins
            if not registry.is_enabled(organisation.id, plugin_name):
                raise NotFound("Not found.")
        g.organisation = organisation
        g.plugin_name = plugin_name
        enter_organisation_scope(organisation.id)
        from core.records import check_url_records

        check_url_records(request.view_args or {}, current_app.extensions["involve"].url_models)
        _check_declared_permission()
        return None
