"""Settings layering: defaults → instance file → INVOLVE_* environment → override."""

import pytest

from core.config import ConfigError, load_settings


def test_defaults_give_sqlite_under_instance_and_in_process_jobs(tmp_path):
    settings = load_settings(tmp_path, environ={})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'involve.db'}"
    assert settings["REDIS_URL"] == ""
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_layers_apply_in_order(tmp_path):
    (tmp_path / "involve.toml").write_text('login_max_failures = 7\nlog_level = "DEBUG"\n')
    environ = {"INVOLVE_LOGIN_MAX_FAILURES": "9", "INVOLVE_PLUGINS": "a, b"}
    settings = load_settings(tmp_path, {"LOG_LEVEL": "ERROR"}, environ=environ)
    assert settings["LOGIN_MAX_FAILURES"] == 9  # environment beats the instance file
    assert settings["LOG_LEVEL"] == "ERROR"  # override beats everything
    assert settings["PLUGINS"] == ["a", "b"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("file", "involve.toml: LOGIN_MAX_FAILURS"),
        ("env", "INVOLVE_DATABSE_URL"),
        ("override", "config_override): NOPE"),
    ],
)
def test_unknown_keys_are_rejected_naming_the_layer_and_key(tmp_path, where, expected):
    environ, override = {}, None
    if where == "file":
        (tmp_path / "involve.toml").write_text("login_max_failurs = 3\n")
    elif where == "env":
        environ = {"INVOLVE_DATABSE_URL": "sqlite://"}
    else:
        override = {"NOPE": 1}
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_settings(tmp_path, override, environ=environ)


def test_test_suite_variables_are_not_settings(tmp_path):
    settings = load_settings(tmp_path, environ={"INVOLVE_TEST_BACKEND": "postgresql"})
    assert "TEST_BACKEND" not in settings


def test_the_demo_password_variable_the_readme_offers_is_accepted(tmp_path):
    settings = load_settings(tmp_path, environ={"INVOLVE_DEMO_PASSWORD": "chosen"})
    assert "DEMO_PASSWORD" not in settings


def test_bad_values_are_named(tmp_path):
    with pytest.raises(ConfigError, match="INVOLVE_LOGIN_MAX_FAILURES"):
        load_settings(tmp_path, environ={"INVOLVE_LOGIN_MAX_FAILURES": "many"})
    with pytest.raises(ConfigError, match="ENV must be"):
        load_settings(tmp_path, environ={"INVOLVE_ENV": "staging"})


def test_secret_key_is_generated_once_for_local_use(tmp_path):
    first = load_settings(tmp_path, environ={})["SECRET_KEY"]
    second = load_settings(tmp_path, environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize("secret", ["", "secret", "short-but-random-9f8", "a" * 40])
def test_production_refuses_missing_or_weak_secret(tmp_path, secret):
    environ = {"INVOLVE_ENV": "production", "INVOLVE_SECRET_KEY": secret}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(tmp_path, environ=environ)


def test_production_accepts_strong_secret_and_secures_cookies(tmp_path):
    environ = {"INVOLVE_ENV": "production", "INVOLVE_SECRET_KEY": "Zx8-vQ2_mLp4Rt7yWn1KdH6sBf3GjC9eXu5"}
    settings = load_settings(tmp_path, environ=environ)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_postgres_urls_use_psycopg(tmp_path):
    settings = load_settings(tmp_path, environ={"INVOLVE_DATABASE_URL": "postgres://u@h/db"})
    assert settings["DATABASE_URL"] == "postgresql+psycopg://u@h/db"


def test_create_app_rejects_unknown_override(tmp_path):
    from core.app import create_app

    with pytest.raises(ConfigError, match="SQLALCHEMY_ECHO"):
        create_app({"SQLALCHEMY_ECHO": True, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
