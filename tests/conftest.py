"""Core test configuration; the fixtures themselves ship in core/testing.py (a pytest plugin)."""

import pytest


def pytest_collection_modifyitems(config, items):
    from core.testing import backend

    if backend() == "postgresql":
        return
    skip_pg = pytest.mark.skip(reason="PostgreSQL-only (run with INVOLVE_TEST_BACKEND=postgresql)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip_pg)
