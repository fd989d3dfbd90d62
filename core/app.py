"""The application factory: settings → extensions → plugin manager → blueprints.

``create_app(config_override=None)`` builds one independent instance; tests build many. All
per-instance state (plugin manager, registries, API document, Redis connection) hangs off
``app.extensions["involve"]``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, g, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from core.config import load_settings
from core.errors import InvolveError, Throttled
from core.extensions import csrf, db, login_manager, migrate
from core.jobs import JobRegistry
from core.kpis import KPIRegistry
from core.permissions import CORE_PERMISSIONS, PermissionRegistry
from core.plugins import PluginError, PluginRegistry
from core.reports import ReportRegistry

PROJECT_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


@dataclass
class InvolveState:
    """Everything one app instance owns, kept in ``app.extensions["involve"]``."""

    plugins: PluginRegistry
    permissions: PermissionRegistry = field(default_factory=PermissionRegistry)
    jobs: JobRegistry = field(default_factory=JobRegistry)
    kpis: KPIRegistry = field(default_factory=KPIRegistry)
    reports: ReportRegistry = field(default_factory=ReportRegistry)
    scoped_blueprints: dict[str, str | None] = field(default_factory=dict)
    # URL parameter → (model, what): ids the lifecycle resolves before a view runs (core.records).
    url_models: dict[str, tuple[Any, str]] = field(default_factory=dict)
    # Pages residents read without signing in: blueprint → plugin (``plugin_<name>_public``), or
    # None for core's residents' site (``core.public``).
    public_blueprints: dict[str, str | None] = field(default_factory=dict)
    # Plugins' pages for a signed-in resident (``plugin_<name>_resident``, ``/p/<slug>/account/<name>``).
    resident_blueprints: dict[str, str] = field(default_factory=dict)
    api: Any = None
    redis: Any = None


def create_app(config_override: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
    )
    settings = load_settings(Path(app.instance_path), config_override)
    _configure(app, settings)
    _init_database(app, settings)

    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.session_protection = "strong"
    csrf.init_app(app)

    app.extensions["involve"] = InvolveState(
        plugins=PluginRegistry(settings["PLUGINS"], settings["PLUGIN_MODULES"])
    )
    import core.auth  # noqa: F401  (registers the session user loader)
    from core.api import init_api
    from core.bounds import install_bounds
    from core.lifecycle import install_lifecycle
    from core.sqlite_locking import install_sqlite_locking

    api = init_api(app)
    _protect_forms(app)
    install_lifecycle(app)
    install_bounds(app)
    install_sqlite_locking(app)
    _register_web(app)
    _register_plugins(app, api)
    _register_error_handlers(app)
    _register_request_end(app)
    from core.security_headers import install_security_headers

    install_security_headers(app)
    _trust_proxies(app, settings)
    from core.cli import register_cli

    register_cli(app)
    return app


def _trust_proxies(app: Flask, settings: dict[str, Any]) -> None:
    """Believe X-Forwarded-For/-Proto only from the configured number of proxies in front."""
    x_for, x_proto = settings["PROXY_FIX_X_FOR"], settings["PROXY_FIX_X_PROTO"]
    if x_for or x_proto:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)


def _configure(app: Flask, settings: dict[str, Any]) -> None:
    app.config["INVOLVE"] = settings
    app.config.update(
        SECRET_KEY=settings["SECRET_KEY"],
        TESTING=settings["TESTING"],
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        SESSION_COOKIE_SECURE=settings["SESSION_COOKIE_SECURE"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="involve_session",
        REMEMBER_COOKIE_SECURE=settings["SESSION_COOKIE_SECURE"],
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings["SESSION_LIFETIME_HOURS"]),
        WTF_CSRF_TIME_LIMIT=None,  # bound to the session instead of a clock
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in _protect_forms, for everything but the API
    )
    logging.basicConfig(level=settings["LOG_LEVEL"])
    # The development server's request lines follow LOG_LEVEL too (werkzeug would set INFO itself).
    logging.getLogger("werkzeug").setLevel(settings["LOG_LEVEL"])
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "core" / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.static_folder = str(PROJECT_ROOT / "core" / "static")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from core.reports.documents import (
        chart_bars,
        format_cell,
        format_value,
        numeric_column,
        uk_date,
        uk_datetime,
    )

    app.jinja_env.globals.update(
        format_value=format_value,
        format_cell=format_cell,
        chart_bars=chart_bars,
        numeric_column=numeric_column,
    )
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_datetime"] = uk_datetime
    from core.plugin_kit import in_london

    # Records keep UTC; a page showing a time of day moves it to the UK first (in_london(x).strftime).
    app.jinja_env.globals["in_london"] = in_london


PG_POOL_RECYCLE_SECONDS = 300


def _init_database(app: Flask, settings: dict[str, Any]) -> None:
    url = settings["DATABASE_URL"]
    if url.startswith("sqlite"):
        options: dict[str, Any] = {
            "pool_pre_ping": True,
            "connect_args": {"timeout": settings["SQLITE_BUSY_TIMEOUT_MS"] / 1000},
        }
    else:
        # No ping before every checkout (a round trip per request): connections are replaced
        # after PG_POOL_RECYCLE_SECONDS instead, before servers or proxies drop idle ones.
        options = {"pool_recycle": PG_POOL_RECYCLE_SECONDS}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    import core.audit  # noqa: F401  (the audit log's flush listener)
    import core.models  # noqa: F401  (register the core tables on the metadata)

    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True)


@migrate.configure
def _version_locations(config):
    """Core's revisions plus one branch per loaded plugin (``<plugin>/migrations/versions``)."""
    from flask import current_app

    locations = [str(PROJECT_ROOT / "migrations" / "versions")]
    for info in current_app.extensions["involve"].plugins.plugins.values():
        if info.migrations_dir is not None:
            locations.append(str(info.migrations_dir))
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL for concurrent readers, a busy timeout instead of 'database is locked', foreign keys on."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (the module's own
    # implicit BEGIN breaks SAVEPOINT and transactional DDL).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # The busy timeout is the driver's ``timeout`` (SQLITE_BUSY_TIMEOUT_MS; 5 s by default).
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        from core.sqlite_locking import begin

        begin(connection)  # IMMEDIATE for a transaction that may write (core/sqlite_locking.py)


def _protect_forms(app: Flask) -> None:
    """CSRF on every unsafe request except the API, which takes bearer tokens and no cookies."""

    @app.before_request
    def _check_csrf():
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and not request.path.startswith("/api/"):
            csrf.protect()


def _register_web(app: Flask) -> None:
    import core.web.action_plans  # noqa: F401  (action plan pages, on org_web)
    import core.web.activities  # noqa: F401
    import core.web.areas  # noqa: F401
    import core.web.attendance  # noqa: F401
    import core.web.bodies  # noqa: F401
    import core.web.consultations  # noqa: F401  (consultation pages, on org_web)
    import core.web.equality  # noqa: F401
    import core.web.households  # noqa: F401  (staff pages of core records, on org_web)
    import core.web.imports  # noqa: F401
    import core.web.improvements  # noqa: F401  (improvement pages, on org_web)
    import core.web.participant_actions  # noqa: F401
    import core.web.participants  # noqa: F401
    import core.web.recommendations  # noqa: F401  (recommendation pages, on org_web)
    import core.web.reports  # noqa: F401  (impact assessment and comparison pages, on org_web)
    import core.web.requests  # noqa: F401  (requests to get involved from the residents' site)
    import core.web.spend  # noqa: F401  (spend pages, on org_web)
    import core.web.staff  # noqa: F401  (staff accounts, invitations and password resets)
    import core.web.surveys  # noqa: F401  (survey pages, on org_web)
    import core.web.venues  # noqa: F401
    from core.lifecycle import register_scoped
    from core.web import navigation
    from core.web.views import org_web, web

    app.register_blueprint(web)
    app.register_blueprint(org_web, url_prefix="/o/<slug>")
    navigation.install(app)
    register_scoped(app, org_web.name)
    from core.public import install_public

    install_public(app)  # the residents' site at /p/<slug>/ (and Flask-Babel)
    state = app.extensions["involve"]
    for permission in CORE_PERMISSIONS:
        state.permissions.add(permission)
    from core.core_jobs import register_core_jobs

    register_core_jobs(state.jobs)
    from core.kpis.core_kpis import register_core_kpis

    register_core_kpis(state.kpis)
    from core.reports.core_sections import register_core_sections

    register_core_sections(state.reports)


def _register_plugins(app: Flask, api) -> None:
    """Collect what each allowed plugin registers, attributed to it, and check the naming rules."""
    from flask import Blueprint as FlaskBlueprint
    from flask_smorest import Blueprint as ApiBlueprint

    from core.api import mount_plugin_api
    from core.lifecycle import register_scoped

    state: InvolveState = app.extensions["involve"]
    registry = state.plugins
    for name, permissions in registry.call_each("register_permissions"):
        for permission in permissions:
            state.permissions.add(permission, owner=name)
    for name, kinds in registry.call_each("register_jobs"):
        for kind in kinds:
            state.jobs.add(kind, plugin=name)
    for name, kpis in registry.call_each("register_kpis"):
        for kpi in kpis:
            state.kpis.add(kpi, plugin=name)
    for name, sections in registry.call_each("register_report_sections"):
        for section in sections:
            state.reports.add(section, plugin=name)
    for name, blueprints in registry.call_each("register_blueprints", app=app):
        for blueprint in blueprints:
            if blueprint.name != f"plugin_{name}" and not blueprint.name.startswith(f"plugin_{name}_"):
                raise PluginError(f"plugin {name}: blueprint {blueprint.name!r} must be plugin_{name}")
            if isinstance(blueprint, ApiBlueprint):
                mount_plugin_api(app, name, blueprint)
            elif isinstance(blueprint, FlaskBlueprint) and blueprint.name == f"plugin_{name}_public":
                app.register_blueprint(blueprint, url_prefix=f"/p/<slug>/{name}")
                _check_read_only(app, blueprint.name)
                state.public_blueprints[blueprint.name] = name
            elif isinstance(blueprint, FlaskBlueprint) and blueprint.name == f"plugin_{name}_resident":
                app.register_blueprint(blueprint, url_prefix=f"/p/<slug>/account/{name}")
                state.public_blueprints[blueprint.name] = name
                state.resident_blueprints[blueprint.name] = name
            elif isinstance(blueprint, FlaskBlueprint):
                app.register_blueprint(blueprint, url_prefix=f"/o/<slug>/plugins/{name}")
                register_scoped(app, blueprint.name, name)
            registry.get(name).blueprints.append(blueprint)
    _check_plugin_tables(registry)
    from core.records import url_models_of

    packages = ["core", *(info.module.__name__ for info in registry.plugins.values())]
    try:
        state.url_models = url_models_of(packages)
    except ValueError as exc:
        raise PluginError(str(exc)) from None


def _check_read_only(app: Flask, blueprint_name: str) -> None:
    """Public pages only publish: a ``plugin_<name>_public`` blueprint may take GET requests only."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(blueprint_name + ".") and rule.methods - {"GET", "HEAD", "OPTIONS"}:
            raise PluginError(
                f"{blueprint_name}: public pages are read-only, {rule.rule} takes {rule.methods}"
            )


def _check_plugin_tables(registry: PluginRegistry) -> None:
    """A plugin's tables must be called ``<name>_*`` (DESIGN.md plugin naming rule)."""
    for mapper in db.Model.registry.mappers:
        module = mapper.class_.__module__
        for name, info in registry.plugins.items():
            package = info.module.__name__
            if module == package or module.startswith(package + "."):
                table = mapper.local_table.name
                if not table.startswith(f"{name}_"):
                    raise PluginError(f"plugin {name}: table {table!r} must start with {name}_")


def _register_error_handlers(app: Flask) -> None:
    from core.api.errors import error_response, http_error_to_json, is_api_request

    def render_error(status: int, title: str, message: str, retry_after: int | None = None):
        if g.get("public_page") and g.get("organisation") is not None:
            # The residents' site: its own layout and words, in the resident's language.
            page = render_template("public/error.html", status=status, retry_after=retry_after)
            return page, status
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        db.session.rollback()
        if is_api_request():
            return http_error_to_json(exc)
        return render_error(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(InvolveError)
    def _domain_error(exc: InvolveError):
        db.session.rollback()
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
        if is_api_request():
            return error_response(exc.status, exc.message, exc.code, exc.fields, headers)
        titles = {403: "You cannot do that", 404: "Page not found", 429: "Too many attempts"}
        retry_after = exc.retry_after if isinstance(exc, Throttled) else None
        return render_error(
            exc.status, titles.get(exc.status, "There is a problem"), exc.message, retry_after
        )

    @app.errorhandler(IntegrityError)
    def _conflict(exc: IntegrityError):
        db.session.rollback()
        log.info("integrity error on %s: %s", request.path, exc.orig)
        message = "This conflicts with an existing record."
        if is_api_request():
            return error_response(409, message)
        return render_error(409, "There is a conflict", message)

    @app.errorhandler(DataError)
    def _unstorable(exc: DataError):
        db.session.rollback()
        log.info("data error on %s: %s", request.path, exc.orig)
        message = "A value cannot be stored (out of range, or holding a NUL character)."
        if is_api_request():
            return error_response(422, message)
        return render_error(422, "There is a problem", message)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.config["TESTING"]:
            raise exc  # a crash in a test must fail loudly, not hide behind a 500 page
        if is_api_request():
            return error_response(500, "Something went wrong on our side.")
        return render_error(500, "Sorry, there is a problem with the service", "Try again later.")


def _register_request_end(app: Flask) -> None:
    """One commit per request: kept when the response succeeded, rolled back otherwise."""
    from core.error_responses import error_response, is_api_request
    from core.tenancy import clear_scope

    @app.after_request
    def _finish(response):
        if response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if is_api_request():
                return error_response(409, "This conflicts with an existing record.")
            raise
        except OperationalError as error:
            from core.sqlite_locking import is_lock_error, locked_response

            if not is_lock_error(error):
                raise
            return locked_response()  # the request is run once more (core/sqlite_locking.py)
        return response

    @app.teardown_request
    def _clear(exc):
        clear_scope()
