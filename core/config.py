"""Settings for one Involve instance, layered: defaults → instance file → ``INVOLVE_*`` → override.

Every layer may only set keys that exist in :data:`DEFAULTS`; an unknown key is a typo that would
otherwise be silently ignored, so it stops start-up with a message naming the layer and the key.
Values from the environment are strings and are parsed to the type of the default.
"""

from __future__ import annotations

import json
import os
import secrets
import tomllib
from pathlib import Path
from typing import Any

ENV_PREFIX = "INVOLVE_"
# Variables the test suite, benchmarks and `flask demo` read for themselves; not instance settings.
ENV_IGNORED_PREFIXES = ("INVOLVE_TEST_", "INVOLVE_BENCH_", "INVOLVE_DEMO_PASSWORD")
INSTANCE_FILE = "involve.toml"

DEFAULTS: dict[str, Any] = {
    # "development", "testing" or "production"; production refuses unsafe settings.
    "ENV": "development",
    # SQLAlchemy URL the web app and workers connect with. Empty: SQLite under instance/.
    "DATABASE_URL": "",
    # URL migrations run with (the schema owner); empty means DATABASE_URL.
    "DATABASE_MIGRATION_URL": "",
    # PostgreSQL role the app connects as; migrations grant it data (not schema) privileges.
    "DATABASE_APP_ROLE": "",
    # Redis for rq. Empty: jobs run in-process on an embedded stand-in.
    "REDIS_URL": "",
    # How long a web request waits for Redis (connect, then each reply) before it leaves its jobs
    # in the outbox for the worker to deliver; a hung Redis must not hang the request.
    "REDIS_TIMEOUT_MS": 1000,
    # Prefix of the rq queue names, so several instances (or test runs) can share one Redis database.
    "JOB_QUEUE_PREFIX": "",
    # How often `flask worker` delivers the outbox and looks for jobs abandoned by a dead worker.
    "JOB_RELAY_INTERVAL_SECONDS": 30,
    "SECRET_KEY": "",
    # Plugins this instance may load (names). Empty list: every installed plugin.
    "PLUGINS": [],
    # Extra plugins by module path, {name: "package.module"}, for development and tests.
    "PLUGIN_MODULES": {},
    "TENANTS_CONFIG_DIR": "tenants_config",
    # Sign-in attempts allowed per account in the window before it locks (core/throttle.py), and
    # per client address for attempts on unknown accounts only.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_IP": 50,
    "LOGIN_FAILURE_WINDOW_SECONDS": 900,
    # The first lockout; each further one doubles, up to the window.
    "LOGIN_LOCKOUT_SECONDS": 60,
    # How many proxies in front set X-Forwarded-For / X-Forwarded-Proto (werkzeug ProxyFix).
    # 0 (the default) believes neither header: the client address is the socket's.
    "PROXY_FIX_X_FOR": 0,
    "PROXY_FIX_X_PROTO": 0,
    "SESSION_LIFETIME_HOURS": 12,
    # Secure cookies; empty means "on in production, off otherwise".
    "SESSION_COOKIE_SECURE": "",
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    "JOB_DEFAULT_TIMEOUT_SECONDS": 300,
    "API_MAX_PER_PAGE": 200,
    # Largest request body (JSON, forms) and largest CSV upload, in bytes; larger is a 413.
    "MAX_REQUEST_BYTES": 2 * 1024 * 1024,
    "MAX_UPLOAD_BYTES": 64 * 1024 * 1024,
    "DEMO_ADMIN_EMAIL": "admin@involve.example",
    # Outgoing e-mail (core/mail.py). Empty SMTP_HOST: each message is written as an .eml file to
    # instance/outbox/ and its link printed in the log, so local use needs no mail server.
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    # STARTTLS on a plain connection (port 587), or TLS from the start (SMTP_SSL, port 465).
    "SMTP_STARTTLS": True,
    "SMTP_SSL": False,
    "SMTP_TIMEOUT_SECONDS": 10,
    "MAIL_FROM": "Involve <no-reply@involve.example>",
    # A residents' form sent back sooner than this after it was shown is treated as automated.
    "PUBLIC_FORM_MIN_SECONDS": 3,
    "TESTING": False,
    "LOG_LEVEL": "INFO",
}

WEAK_SECRETS = {"secret", "changeme", "change-me", "dev", "development", "password", "involve"}


class ConfigError(RuntimeError):
    """A setting is unknown, malformed or unsafe; the message names where it came from."""


# Keys whose default is "decide for me" but whose explicit values are booleans.
TRI_STATE_KEYS = {"SESSION_COOKIE_SECURE"}


def _coerce(key: str, raw: str) -> Any:
    default = DEFAULTS[key]
    if isinstance(default, bool) or key in TRI_STATE_KEYS:
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{ENV_PREFIX}{key}: expected true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key}: expected a whole number, got {raw!r}") from None
    if isinstance(default, list):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(default, dict):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise ConfigError(f"{ENV_PREFIX}{key}: expected a JSON object") from None
        if not isinstance(value, dict):
            raise ConfigError(f"{ENV_PREFIX}{key}: expected a JSON object")
        return value
    return raw


def _check_keys(layer: str, values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise ConfigError(
            f"unknown setting(s) in {layer}: {', '.join(unknown)}; "
            f"known settings are listed in core/config.py"
        )


def from_instance_file(instance_path: Path) -> dict[str, Any]:
    path = instance_path / INSTANCE_FILE
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            values = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    values = {key.upper(): value for key, value in values.items()}
    _check_keys(str(path), values)
    return values


def from_environment(environ: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name.startswith(ENV_IGNORED_PREFIXES):
            continue
        key = name[len(ENV_PREFIX) :]
        if key not in DEFAULTS:
            raise ConfigError(f"unknown setting in the environment: {name}")
        values[key] = _coerce(key, raw)
    return values


def _secret_key(settings: dict[str, Any], instance_path: Path) -> str:
    key = settings["SECRET_KEY"]
    if settings["ENV"] == "production":
        if not key:
            raise ConfigError("SECRET_KEY is required when ENV is production")
        if len(key) < 32 or key.lower() in WEAK_SECRETS or len(set(key)) < 10:
            raise ConfigError(
                "SECRET_KEY is too weak for production: use 32+ random characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return key
    if key:
        return key
    if settings["TESTING"]:
        return secrets.token_urlsafe(48)
    # Local use: generate once and keep it, so sessions survive a restart.
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_settings(
    instance_path: Path,
    override: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Merge the four layers and derive the values that depend on others."""
    settings = dict(DEFAULTS)
    settings.update(from_instance_file(instance_path))
    settings.update(from_environment(dict(os.environ if environ is None else environ)))
    if override:
        override = dict(override)
        _check_keys("create_app(config_override)", override)
        settings.update(override)

    if settings["ENV"] not in {"development", "testing", "production"}:
        raise ConfigError(f"ENV must be development, testing or production, not {settings['ENV']!r}")
    if not settings["DATABASE_URL"]:
        instance_path.mkdir(parents=True, exist_ok=True)
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'involve.db'}"
    if settings["DATABASE_URL"].startswith("postgres://"):
        settings["DATABASE_URL"] = "postgresql://" + settings["DATABASE_URL"][len("postgres://") :]
    for key in ("DATABASE_URL", "DATABASE_MIGRATION_URL"):
        if settings[key].startswith("postgresql://"):
            settings[key] = "postgresql+psycopg://" + settings[key][len("postgresql://") :]
    if settings["SESSION_COOKIE_SECURE"] == "":
        settings["SESSION_COOKIE_SECURE"] = settings["ENV"] == "production"
    settings["SECRET_KEY"] = _secret_key(settings, instance_path)
    return settings
