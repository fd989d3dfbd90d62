"""The layers run one way (docs/architecture.md): HTTP → lifecycle → services → records → models.

``lint-imports`` checks the import contracts in pyproject.toml; running it here makes a back-arrow
(a service importing the API, a web page importing an API module, core importing a plugin, one
plugin importing another) fail ``make test`` like any other broken rule.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_the_import_contracts_hold():
    command = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(command), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_plugin_is_under_the_plugin_contracts():
    plugins = sorted(f"plugins.{path.parent.name}" for path in (ROOT / "plugins").glob("*/__init__.py"))
    contracts = _contracts()
    assert sorted(contracts["plugin-layers"]["containers"]) == plugins
    assert sorted(contracts["plugins-independent"]["modules"]) == plugins


def test_a_back_arrow_breaks_the_contracts(tmp_path):
    """The check can fail: a copy of the code whose services import the API is refused."""
    import shutil

    for name in ("core", "plugins"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("static", "tests"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    events = tmp_path / "core" / "services" / "events.py"
    events.write_text(events.read_text() + "\nimport core.api.errors  # noqa: E402, F401\n")
    command = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(command), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
    )
    assert result.returncode != 0
    assert "core.services is not allowed to import core.api" in result.stdout
