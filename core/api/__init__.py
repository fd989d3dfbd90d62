"""The JSON API under ``/api/v1``: flask-smorest setup, core blueprints, plugin API mounting."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from core.api.blueprint import ApiBlueprint
from core.api.errors import ErrorSchema
from core.lifecycle import register_scoped

API_PREFIX = "/api/v1"


class InvolveApi(Api):
    """flask-smorest's Api, documenting the error envelope the API really answers with."""

    ERROR_SCHEMA = ErrorSchema


def init_api(app: Flask) -> Api:
    """Create this app's API (one per app: the OpenAPI document is per instance)."""
    app.config.update(
        API_TITLE="Involve API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        # The interactive explorer at /api/v1/docs, from files the front-end build copies to
        # core/static/build/swagger-ui/ (templates/swagger_ui.html: no CDN, no inline script).
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/static/build/swagger-ui/",
    )
    api = InvolveApi(app)
    app.extensions["involve"].api = api
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "Token from POST /tokens"}
    )
    api.spec.options["security"] = [{"bearerAuth": []}]

    from core.api.platform import org_blp, orgs_blp
    from core.api.tokens import tokens_blp

    api.register_blueprint(tokens_blp, url_prefix=f"{API_PREFIX}/tokens")
    api.register_blueprint(orgs_blp, url_prefix=f"{API_PREFIX}/orgs")
    api.register_blueprint(org_blp, url_prefix=f"{API_PREFIX}/orgs/<slug>")
    register_scoped(app, org_blp.name)
    _refuse_nul_characters(app)
    for blueprint in organisation_resources():
        api.register_blueprint(blueprint, url_prefix=f"{API_PREFIX}/orgs/<slug>/{blueprint.org_url}")
        register_scoped(app, blueprint.name)
    return api


# Organisation resources (each module creates its blueprints with resources.org_blueprint).
RESOURCE_MODULES = (
    "core.api.areas",
    "core.api.households",
    "core.api.participants",
    "core.api.profile",
    "core.api.opportunities",
    "core.api.venues",
    "core.api.activities",
    "core.api.bodies",
    "core.api.recommendations",
    "core.api.consultations",
    "core.api.improvements",
    "core.api.action_plans",
    "core.api.spend",
    "core.api.surveys",
    "core.api.kpis",
    "core.api.impact_assessments",
    "core.api.comparison",
)


def _refuse_nul_characters(app: Flask) -> None:
    """No text field can hold a NUL character (PostgreSQL refuses them): answer 422 up front,
    the same on every database, rather than whatever each backend would do. This checks the query
    string; JSON bodies are checked by ``core.bounds.check_json_body`` with their other bounds."""
    from flask import request

    from core.errors import ValidationFailed
    from core.schemas.common import holds_nul

    @app.before_request
    def _check_nul():
        if not request.path.startswith(API_PREFIX):
            return
        if any(holds_nul(v) for v in request.args.values()):
            raise ValidationFailed({"_query": ["Text cannot contain NUL characters."]})


def organisation_resources() -> list[ApiBlueprint]:
    """Every blueprint made with ``resources.org_blueprint`` in ``RESOURCE_MODULES``, in order."""
    import importlib

    found: list[ApiBlueprint] = []
    for name in RESOURCE_MODULES:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, ApiBlueprint) and hasattr(value, "org_url") and value not in found:
                found.append(value)
    return found


def mount_plugin_api(app: Flask, plugin_name: str, blueprint) -> None:
    """Mount a plugin's flask-smorest blueprint under its organisation-scoped prefix."""
    if not isinstance(blueprint, ApiBlueprint):
        from core.plugins import PluginError

        raise PluginError(
            f"plugin {plugin_name}: API blueprint {blueprint.name!r} must be a core.api.blueprint."
            "ApiBlueprint (it carries the API-wide input rules)"
        )
    api = app.extensions["involve"].api
    api.register_blueprint(blueprint, url_prefix=f"{API_PREFIX}/orgs/<slug>/plugins/{plugin_name}")
    register_scoped(app, blueprint.name, plugin_name)
