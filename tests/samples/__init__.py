"""One record of every kind for the cross-organisation route matrix.

Each module here (core's records) and each plugin's ``<plugin package>/tests/samples.py`` defines
``samples(db_session, org) -> {url parameter name: id}`` creating, inside ``org``'s scope, one
record for every id parameter its routes take (``<int:area_id>`` → ``"area_id"``). A plugin ships
its own samples with its routes, so adding a plugin never means editing core's tests. The matrix
creates them in organisation B and calls every route as A with them. Records whose names or text
should never appear in A's responses use the marker ``SECRET``.
"""

import importlib
import importlib.util
import pkgutil

from core.testing import MATRIX_MARKER as SECRET  # noqa: F401  (core's sample modules use it)


def sample_modules(app) -> list:
    """Core's sample modules, then each loaded plugin's ``tests.samples`` (where it has one)."""
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    ]
    for _name, plugin in sorted(app.extensions["involve"].plugins.plugins.items()):
        module_name = f"{plugin.module.__name__}.tests.samples"
        try:
            found = importlib.util.find_spec(module_name) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            modules.append(importlib.import_module(module_name))
    return modules


def collect(db_session, org) -> dict[str, int]:
    from flask import current_app

    from core.tenancy import organisation_scope

    values: dict[str, int] = {}
    for module in sample_modules(current_app):
        with organisation_scope(org.id):
            values.update(module.samples(db_session, org))
            db_session.flush()
    return values
