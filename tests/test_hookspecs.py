"""Every hook is documented and exercised (Datasette's test_plugin_hooks_are_documented / _have_tests)."""

import inspect
from pathlib import Path

import pytest

from core import hookspecs

HOOKS = sorted(
    name for name, value in vars(hookspecs).items() if callable(value) and hasattr(value, "involve_spec")
)
TESTS = Path(__file__).parent


def test_there_are_hooks():
    assert {"register_blueprints", "register_kpis", "on_plugin_enabled", "tpl_org_home"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert len(doc.splitlines()) >= 4, f"{hook}: say when it is called, its arguments and its result"
    assert "Example::" in doc and "@hookimpl" in doc, f"{hook}: give an example implementation"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_an_implementation_and_a_test(hook):
    from tests import example_plugin

    implemented = hasattr(example_plugin, hook)
    assert implemented, f"{hook}: implement it in tests/example_plugin so the contract is exercised"
    mentioned = [
        p.name for p in TESTS.glob("test_*.py") if p.name != "test_hookspecs.py" and hook in p.read_text()
    ]
    behaviours = {
        # Hooks exercised by behaviour rather than by name in a test: the test that proves it.
        "register_blueprints": "test_plugins.py",
        "register_permissions": "test_permissions.py",
        "register_settings_schema": "test_api_platform.py",
        "register_jobs": "test_jobs.py",
        "register_kpis": "test_plugins.py",
        "register_report_sections": "test_plugins.py",
        "validate_plugin_settings": "test_api_platform.py",
        "tpl_org_navigation": "test_plugins.py",
        "on_plugin_enabled": "test_api_platform.py",
    }
    assert mentioned or hook in behaviours, f"{hook}: no test exercises it"
