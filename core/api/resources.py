"""Building blocks every organisation resource uses: a blueprint, pagination, lookups in scope.

Resources live in ``core/api/<resource>.py`` as flask-smorest blueprints created with
:func:`org_blueprint`; ``core.api.init_api`` mounts each under ``/api/v1/orgs/<slug>/<url>`` and
puts it under the organisation lifecycle (membership → 404, scope for the rest of the request).
"""

from __future__ import annotations

from core.api.blueprint import ApiBlueprint as Blueprint
from core.records import (  # noqa: F401 - the API's historical home of the records layer
    MAX_ID,
    URL_MODELS,
    apply,
    check_reference,
    check_url_records,
    get_or_404,
    paginate,
    possible_id,
    url_model,
)

# url prefix under /api/v1/orgs/<slug> → blueprint, filled by org_blueprint at import time.
ORG_RESOURCES: list[tuple[str, Blueprint]] = []


def org_blueprint(name: str, url: str, description: str) -> Blueprint:
    blueprint = Blueprint(name, __name__, description=description)
    ORG_RESOURCES.append((url, blueprint))
    return blueprint
