"""Pytest plugin (entry point ``pytest11``): fixtures for testing core and plugins.

Backends: SQLite always; PostgreSQL when ``INVOLVE_TEST_BACKEND=postgresql`` (the suite then
creates its own database and a non-owner application role, so row-level security applies as in
production). Redis tests use ``INVOLVE_TEST_REDIS_URL`` (default db 15 on localhost). Under CI
(``CI`` set) an unreachable PostgreSQL or Redis fails the run instead of skipping.

Fixtures: ``app`` (the instance, with the example plugin of tests/ when present), ``db_session``
(every test runs inside a transaction rolled back at the end), ``client``, ``make_org``,
``make_user``, ``login_as``, ``api_client``, ``register_plugin``, ``smtp_server`` and ``sent_mail``
(a real SMTP server in-process, the app sending to it).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, select

from core.config import from_environment

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
APP_ROLE = "involve_app"
PLUGIN_MODULES_ENV = "INVOLVE_PLUGIN_MODULES"
TEST_PASSWORD = "correct horse battery staple"  # noqa: S105  (test accounts only)
# Marks the names and texts of the route matrix's organisation B: never in A's responses. Core's
# samples (tests/samples) and each plugin's (``<plugin>/tests/samples.py``) use it.
MATRIX_MARKER = "Bravo-private"


def backend() -> str:
    return os.environ.get("INVOLVE_TEST_BACKEND", "sqlite")


def _unreachable(what: str, error: Exception) -> None:
    message = f"{what} is not reachable: {error}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must provide it)", pytrace=False)
    pytest.skip(message)


def _psycopg_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


class RequestIsolatedClient(FlaskClient):
    """Each request gets its own app context (hence its own ``g`` and database session), as in
    production, even though the test itself holds an app context for its fixtures."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


class BoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the app's engine; tests bind it to one connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def base_config(database_url: str, **extra: Any) -> dict[str, Any]:
    config = {
        "ENV": "testing",
        "TESTING": True,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    # Plugins named in INVOLVE_PLUGIN_MODULES (a plugin under development, a scaffolded one) are
    # loaded in tests too, next to the example plugin of this project's tests.
    modules = from_environment({key: value for key, value in os.environ.items() if key == PLUGIN_MODULES_ENV})
    modules = dict(modules.get("PLUGIN_MODULES", {}))
    if (PROJECT_ROOT / "tests" / "example_plugin" / "__init__.py").exists():
        modules["example"] = "tests.example_plugin"
    if modules:
        config["PLUGIN_MODULES"] = modules
    config.update(extra)
    return config


def migrate(config: dict[str, Any]) -> None:
    """Build the schema with the real migrations, as ``flask db upgrade`` does."""
    from core.app import create_app
    from core.dbcli import upgrade_database

    app = create_app(config)
    with app.app_context():
        upgrade_database("heads")
        from core.extensions import db

        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def postgres_database(prefix: str = "involve_test") -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database, migrated as the owner, used through a non-owner role."""
    admin_url = _psycopg_url(os.environ.get("INVOLVE_TEST_POSTGRES_URL", DEFAULT_PG_ADMIN_URL))
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:  # any connection failure means "not available"
        _unreachable("PostgreSQL", exc)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).scalar()
        if not exists:
            conn.exec_driver_sql(
                f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
            )
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    owner_url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    scheme, rest = owner_url.split("://", 1)
    host = rest.split("@", 1)[-1]
    app_url = f"{scheme}://{APP_ROLE}@{host}"
    try:
        yield {"owner": owner_url, "app": app_url, "name": name}
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


def _pg_config(urls: dict[str, str], **extra: Any) -> dict[str, Any]:
    return base_config(
        urls["app"],
        DATABASE_MIGRATION_URL=urls["owner"],
        DATABASE_APP_ROLE=APP_ROLE,
        **extra,
    )


@contextlib.contextmanager
def fresh_database(prefix: str = "involve_live") -> Iterator[dict[str, Any]]:
    """Configuration for a migrated database of its own, for a test that serves the app to real
    clients (threads, a browser, another process): a PostgreSQL database used through the non-owner
    role on the PostgreSQL run, an SQLite file otherwise. Dropped or deleted afterwards."""
    if backend() == "postgresql":
        with postgres_database(prefix) as urls:
            config = _pg_config(urls)
            migrate(config)
            yield config
        return
    with tempfile.TemporaryDirectory() as folder:
        config = base_config(f"sqlite:///{Path(folder) / f'{prefix}.db'}")
        migrate(config)
        yield config


@contextlib.contextmanager
def serving(app: Flask, request_handler: Any = None) -> Iterator[str]:
    """Serve ``app`` on a random local port in a thread; yields its base URL. Afterwards the server
    stops and the app's connections are closed."""
    from werkzeug.serving import make_server

    from core.extensions import db

    options = {"request_handler": request_handler} if request_handler is not None else {}
    server = make_server("127.0.0.1", 0, app, threaded=True, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` are skipped on SQLite runs (CI runs them on PostgreSQL)."""
    if backend() == "postgresql":
        return
    skip_pg = pytest.mark.skip(reason="PostgreSQL-only (run with INVOLVE_TEST_BACKEND=postgresql)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def database_config(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """Configuration pointing at a migrated, empty test database for this session."""
    if backend() == "postgresql":
        with postgres_database() as urls:
            config = _pg_config(urls)
            migrate(config)
            yield config
        return
    path = tmp_path_factory.mktemp("db") / "involve-test.db"
    config = base_config(f"sqlite:///{path}")
    migrate(config)
    yield config


@pytest.fixture(scope="session")
def app(database_config) -> Iterator[Flask]:
    from core.app import create_app
    from core.extensions import db

    instance = create_app(database_config)
    instance.test_client_class = RequestIsolatedClient
    yield instance
    with instance.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def db_session(app) -> Iterator[Any]:
    """Run the test inside one outer transaction, rolled back afterwards."""
    from core.extensions import db
    from core.tenancy import clear_scope

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            clear_scope()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def make_org(db_session) -> Callable[..., Any]:
    """Create an organisation: ``make_org("acme", kind="group", parent=group, plugins=[...])``."""
    from core.models import Organisation

    def factory(
        slug: str | None = None,
        *,
        name: str | None = None,
        kind: str = "landlord",
        parent=None,
        status: str = "active",
        settings: dict | None = None,
        plugins: dict[str, dict] | list[str] | None = None,
    ):
        from flask import current_app

        from core.services.plugin_state import set_plugin_state
        from core.tenancy import organisation_scope

        slug = slug or f"org-{uuid.uuid4().hex[:8]}"
        organisation = Organisation(
            slug=slug,
            name=name or slug.replace("-", " ").title(),
            kind=kind,
            parent_id=parent.id if parent is not None else None,
            status=status,
            settings={"feedback_period_months": 3, **(settings or {})},
        )
        db_session.add(organisation)
        db_session.flush()
        if plugins:
            wanted = plugins if isinstance(plugins, dict) else {p: {} for p in plugins}
            with organisation_scope(organisation.id):
                for name_, plugin_settings in wanted.items():
                    set_plugin_state(
                        current_app.extensions["involve"].plugins,
                        organisation,
                        name_,
                        enabled=True,
                        settings=plugin_settings,
                    )
        db_session.commit()
        return organisation

    return factory


@pytest.fixture
def make_user(db_session) -> Callable[..., Any]:
    """Create a user with memberships: ``make_user(org, role="staff")`` or ``{org: role}``;
    ``equality_analyst=True`` gives every membership that grant."""
    from core.auth import hash_password
    from core.models import Membership, User

    def factory(
        org=None,
        role: str = "staff",
        *,
        email: str | None = None,
        memberships: dict | None = None,
        password: str = TEST_PASSWORD,
        platform_admin: bool = False,
        active: bool = True,
        equality_analyst: bool = False,
    ):
        user = User(
            email=email or f"user-{uuid.uuid4().hex[:8]}@example.org",
            password_hash=hash_password(password),
            active=active,
            is_platform_admin=platform_admin,
        )
        db_session.add(user)
        db_session.flush()
        wanted = dict(memberships or {})
        if org is not None:
            wanted[org] = role
        for organisation, member_role in wanted.items():
            db_session.add(
                Membership(
                    user_id=user.id,
                    organisation_id=organisation.id,
                    role=member_role,
                    equality_analyst=equality_analyst,
                )
            )
        db_session.commit()
        return user

    return factory


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def login_as(client) -> Callable[..., Any]:
    """Sign a user in through the real login form (CSRF included)."""

    def do_login(user, password: str = TEST_PASSWORD):
        page = client.get("/login")
        response = client.post(
            "/login",
            data={
                "csrf_token": csrf_token_from(page.get_data(as_text=True)),
                "email": user.email,
                "password": password,
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do_login


class ApiClient:
    """The test client with a bearer token on every request."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _call(self, method: str, path: str, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        headers.setdefault("Authorization", f"Bearer {self.token}")
        return getattr(self.client, method)(path, headers=headers, **kwargs)

    def get(self, path, **kw):
        return self._call("get", path, **kw)

    def post(self, path, **kw):
        return self._call("post", path, **kw)

    def put(self, path, **kw):
        return self._call("put", path, **kw)

    def patch(self, path, **kw):
        return self._call("patch", path, **kw)

    def delete(self, path, **kw):
        return self._call("delete", path, **kw)


@pytest.fixture
def api_client(client, db_session) -> Callable[..., ApiClient]:
    """``api_client(user)`` → a client that sends that user's fresh bearer token."""
    from core.auth import create_api_token

    def factory(user) -> ApiClient:
        _, secret = create_api_token(user, "test")
        db_session.commit()
        return ApiClient(client, secret)

    return factory


@pytest.fixture
def register_plugin(app):
    """Register a plugin object for one test, then remove it.

    For organisation-dispatched hooks (domain events, validation, UI slots); ``register_*`` hooks
    run at app creation, so a plugin needing those is loaded through ``PLUGIN_MODULES``. Enable it
    for an organisation with ``make_org(plugins=[name])``.
    """
    registry = app.extensions["involve"].plugins
    registered: list[str] = []

    def do_register(plugin: Any, name: str) -> Any:
        registry.add(name, plugin)
        registered.append(name)
        return plugin

    yield do_register
    for name in registered:
        registry.remove(name)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A real Redis for job tests. It is not flushed: parallel runs share it, so each test keeps
    its queues apart with ``redis_queue_prefix``."""
    url = os.environ.get("INVOLVE_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        from redis import Redis

        connection = Redis.from_url(url, socket_connect_timeout=2)
        connection.ping()
        connection.close()
    except Exception as exc:  # any failure means "not available"
        _unreachable("Redis", exc)
    return url


@pytest.fixture
def redis_queue_prefix(redis_url) -> Iterator[str]:
    """A ``JOB_QUEUE_PREFIX`` of this test's own; its queues and registries are deleted afterwards
    (job hashes, named by random ids, expire by themselves)."""
    from redis import Redis

    prefix = f"test{uuid.uuid4().hex[:10]}-"
    yield prefix
    connection = Redis.from_url(redis_url)
    try:
        for key in connection.scan_iter(match=f"rq:*{prefix}*"):
            connection.delete(key)
    finally:
        connection.close()


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free local port; every message it accepts is kept."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.host = "127.0.0.1"
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802  (aiosmtpd's name)
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted"

    @property
    def settings(self) -> dict[str, Any]:
        """The instance settings that send mail to this server."""
        return {
            "SMTP_HOST": self.host,
            "SMTP_PORT": self.port,
            "SMTP_STARTTLS": False,
            "SMTP_SSL": False,
            "SMTP_USERNAME": "",
            "SMTP_PASSWORD": "",
        }

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text_of(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@contextlib.contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    """An in-process SMTP server (aiosmtpd) on a free local port, stopped afterwards."""
    import socket

    from aiosmtpd.controller import Controller

    server = SmtpServer()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        server.port = probe.getsockname()[1]
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Start an in-process SMTP server (aiosmtpd) on a free port; ``.messages`` are the e-mails it
    received (``email.message.EmailMessage``), ``.settings`` point an app at it."""
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def sent_mail(app, smtp_server, monkeypatch) -> SmtpServer:
    """The test ``app`` sends its mail to ``smtp_server`` for the length of the test."""
    for key, value in smtp_server.settings.items():
        monkeypatch.setitem(app.config["INVOLVE"], key, value)
    return smtp_server


def scalar(statement) -> Any:
    from core.extensions import db

    return db.session.scalar(statement)


__all__ = ["ApiClient", "base_config", "csrf_token_from", "migrate", "postgres_database", "select"]


@pytest.fixture
def count_queries(app):
    """``with count_queries() as seen: ...`` then ``len(seen)``: SQL statements sent meanwhile."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @contextlib.contextmanager
    def counting():
        seen: list[str] = []

        def on_execute(conn, cursor, statement, parameters, context, executemany):
            bookkeeping = ("SAVEPOINT", "RELEASE", "ROLLBACK", "SELECT SET_CONFIG")
            if not statement.lstrip().upper().startswith(bookkeeping):
                seen.append(statement)

        event.listen(Engine, "before_cursor_execute", on_execute)
        try:
            yield seen
        finally:
            event.remove(Engine, "before_cursor_execute", on_execute)

    return counting
