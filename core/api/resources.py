"""The blueprint every core organisation resource is built on.

Resources live in ``core/api/<resource>.py`` as flask-smorest blueprints created with
:func:`org_blueprint`, which records the URL under ``/api/v1/orgs/<slug>/`` on the blueprint itself;
``core.api.init_api`` finds them in ``RESOURCE_MODULES`` and mounts each for its own app (no list
shared between apps).
"""

from __future__ import annotations

from core.api.blueprint import ApiBlueprint as Blueprint


def org_blueprint(name: str, url: str, description: str) -> Blueprint:
    blueprint = Blueprint(name, __name__, description=description)
    blueprint.org_url = url
    return blueprint
