"""One record of every kind for the cross-organisation route matrix.

Each module here defines ``samples(db_session, org) -> {url parameter name: id}`` creating, inside
``org``'s scope, one record for every id parameter its routes take (``<int:area_id>`` →
``"area_id"``). The matrix creates them in organisation B and calls every route as A with them.
Records whose names or text should never appear in A's responses use the marker ``SECRET``.
"""

import importlib
import pkgutil

SECRET = "Bravo-private"


def collect(db_session, org) -> dict[str, int]:
    from core.tenancy import organisation_scope

    values: dict[str, int] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        with organisation_scope(org.id):
            values.update(module.samples(db_session, org))
            db_session.flush()
    return values
