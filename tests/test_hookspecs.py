"""Every hook is documented and exercised (Datasette's test_plugin_hooks_are_documented / _have_tests)."""

import ast
import functools
import inspect
import re
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


GROUPS = ("App setup", "Organisation lifecycle", "Domain events", "Reports and KPIs", "UI slots", "Jobs")
ROOT = TESTS.parent


@functools.cache
def _test_functions() -> list[tuple[str, str]]:
    """(``file::test``, its source) for every test function of core and the plugins, this file
    excepted (the example plugin is not a test file, so it does not count either)."""
    found = []
    for path in sorted([*TESTS.glob("test_*.py"), *ROOT.glob("plugins/*/tests/test_*.py")]):
        if path.name == "test_hookspecs.py":
            continue
        text = path.read_text()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found.append((f"{path.name}::{node.name}", ast.get_source_segment(text, node) or ""))
    return found


def _test_functions_mentioning(hook: str) -> list[str]:
    """Tests whose name, docstring or body names ``hook``."""
    return [name for name, source in _test_functions() if hook in source]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_an_implementation_and_a_test(hook):
    from tests import example_plugin

    implemented = hasattr(example_plugin, hook)
    assert implemented, f"{hook}: implement it in tests/example_plugin so the contract is exercised"
    assert _test_functions_mentioning(hook), f"{hook}: no test names it (say which hook a test exercises)"


def test_hooks_are_grouped_by_purpose():
    """Each hook sits under one banner of GROUPS, in the order a plugin meets them."""
    source = inspect.getsource(hookspecs)
    banners = [(m.start(), m.group(1)) for m in re.finditer(r"^# ([A-Z][\w ]+?) —", source, re.MULTILINE)]
    assert [title for _, title in banners] == list(GROUPS)
    for hook in HOOKS:
        position = source.index(f"\ndef {hook}(")
        assert any(start < position for start, _ in banners), f"{hook} is above every group"
