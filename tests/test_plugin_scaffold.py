"""``flask --app wsgi plugins new``: the plugin it writes lints clean, migrates and passes its tests.

The plugin is written into a temporary folder and loaded the way a plugin under development is
(``PYTHONPATH`` plus ``INVOLVE_PLUGIN_MODULES``), in other processes so this test run's app and
metadata never see it. ``flask db upgrade`` builds a fresh SQLite database with its branch and
``flask db check`` finds nothing left to migrate (the migration matches the model); then its own
tests run in a pytest of their own, on this run's backend.
"""

from __future__ import annotations

import ast
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.app import create_app
from core.scaffold import core_heads, module_path, revision_prefix
from core.testing import base_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NAME = "allotment_sites"


@pytest.fixture(scope="module")
def cli():
    app = create_app(base_config("sqlite://"))

    def run(*args: str):
        return app.test_cli_runner().invoke(args=["plugins", "new", *args])

    return run


def _environment(folder: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("INVOLVE_")}
    for key in ("INVOLVE_TEST_BACKEND", "INVOLVE_TEST_POSTGRES_URL", "INVOLVE_TEST_REDIS_URL"):
        if key in os.environ:
            env[key] = os.environ[key]
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(PROJECT_ROOT)])
    env["INVOLVE_PLUGIN_MODULES"] = json.dumps({NAME: NAME})
    env.update(extra)
    return env


def _run(command: list[str], env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


def _core_heads_by_hand() -> set[str]:
    """Core revisions nobody revises, read from the scripts without Alembic."""
    revisions, revised = set(), set()
    for path in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"):
        values = _assignments(path)
        revisions.add(values["revision"])
        down = values.get("down_revision")
        revised.update(down if isinstance(down, tuple | list) else [down])
    return revisions - revised


def _assignments(path: Path) -> dict:
    """The module's top-level constants (``revision = "…"``, ``down_revision = None``…)."""
    names = ("revision", "down_revision", "branch_labels", "depends_on")
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in names
    }


def test_a_scaffolded_plugin_lints_migrates_and_passes_its_own_tests(cli, tmp_path):
    result = cli(NAME, "--path", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f'{NAME} = "{NAME}"' in result.output  # the entry-point line to add
    assert "INVOLVE_PLUGIN_MODULES" in result.output and "pip install -e ." in result.output
    package = tmp_path / NAME
    for part in ("__init__.py", "models.py", "api.py", "web.py", "settings.py", "services.py"):
        assert (package / part).is_file(), part
    assert (package / "templates" / NAME / "index.html").is_file()

    (migration,) = (package / "migrations" / "versions").glob("*.py")
    values = _assignments(migration)
    assert values["revision"] == migration.stem == f"as0001_{NAME}"
    assert values["down_revision"] is None and values["branch_labels"] == (NAME,)
    assert {values["depends_on"]} == _core_heads_by_hand()
    assert f'enable_rls("{NAME}_items")' in migration.read_text()

    config = ["--config", str(PROJECT_ROOT / "pyproject.toml")]
    _run([str(BIN / "ruff"), "check", *config, str(package)], os.environ.copy())
    _run([str(BIN / "ruff"), "format", "--check", *config, str(package)], os.environ.copy())

    database = tmp_path / "fresh.db"
    env = _environment(tmp_path, INVOLVE_DATABASE_URL=f"sqlite:///{database}")
    _run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], env)
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        versions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    assert f"{NAME}_items" in tables
    assert migration.stem in versions

    # The plugin's own tests (their session migrates a database of its own) run meanwhile.
    pytest_command = [sys.executable, "-m", "pytest", str(package / "tests"), "-q", "-W", "error"]
    tests = subprocess.Popen(  # noqa: S603  (our own interpreter, fixed arguments)
        [*pytest_command, "-p", "no:cacheprovider"],
        cwd=PROJECT_ROOT,
        env=_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "check"], env)
        output, _ = tests.communicate(timeout=300)
    finally:
        if tests.poll() is None:
            tests.kill()
    assert tests.returncode == 0, output[-6000:]
    assert " passed" in output and "failed" not in output and "skipped" not in output, output[-2000:]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Allotments", "not a plugin name"),
        ("a", "not a plugin name"),
        ("allot__ments", "not a plugin name"),
        ("x" * 31, "not a plugin name"),
        ("key_targets", "already installed"),
        ("import", "keyword"),
        ("json", "hide the module"),
        ("pytest", "can already be imported"),
    ],
)
def test_a_name_that_cannot_be_a_plugin_is_refused_and_nothing_written(cli, tmp_path, name, says):
    result = cli(name, "--path", str(tmp_path))
    assert result.exit_code == 1
    assert says in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_not_overwritten(cli, tmp_path):
    (tmp_path / "allotments").mkdir()
    (tmp_path / "allotments" / "keep.txt").write_text("mine")
    result = cli("allotments", "--path", str(tmp_path))
    assert result.exit_code == 1 and "already exists" in result.output
    assert [p.name for p in (tmp_path / "allotments").iterdir()] == ["keep.txt"]


def test_the_house_revision_prefix_and_the_import_path():
    assert revision_prefix("key_targets") == "kt"
    assert revision_prefix("street_reps") == "sr"
    assert revision_prefix("allotments") == "al"
    assert module_path(PROJECT_ROOT / "plugins", "allotments") == "plugins.allotments"
    assert module_path(PROJECT_ROOT / "tests" / "samples", "x") == "tests.samples.x"
    assert core_heads() == sorted(_core_heads_by_hand())
