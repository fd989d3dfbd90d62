"""Platform endpoints: the caller's organisations, one organisation, its plugins (API.md "Platform")."""

from __future__ import annotations

from flask import current_app, g
from flask.views import MethodView
from sqlalchemy import func, select

from core.api.blueprint import ApiBlueprint as Blueprint
from core.errors import NotFound
from core.extensions import db
from core.lifecycle import bearer_user, permission
from core.models import Membership, Organisation
from core.schemas.platform import (
    OrganisationDetailSchema,
    OrganisationListSchema,
    PaginationArgsSchema,
    PluginListSchema,
    PluginStateSchema,
    PluginUpdateSchema,
)
from core.services.plugin_state import plugin_row, set_plugin_state

orgs_blp = Blueprint("orgs", __name__, description="Organisations the caller belongs to")
org_blp = Blueprint("organisation", __name__, description="One organisation and its plugins")


@orgs_blp.route("")
class OrganisationList(MethodView):
    @orgs_blp.arguments(PaginationArgsSchema, location="query")
    @orgs_blp.response(200, OrganisationListSchema)
    def get(self, args):
        """Organisations the caller is a member of, by name."""
        user = bearer_user()
        member_of = select(Membership.organisation_id).where(
            Membership.user_id == user.id, Membership.in_force()
        )
        query = select(Organisation).where(Organisation.id.in_(member_of))
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        page, per_page = args["page"], args["per_page"]
        items = db.session.scalars(
            query.order_by(Organisation.name).limit(per_page).offset((page - 1) * per_page)
        ).all()
        return {"items": items, "total": total, "page": page, "per_page": per_page}


@org_blp.route("")
class OrganisationDetail(MethodView):
    @org_blp.response(200, OrganisationDetailSchema)
    @permission("organisation.read")
    def get(self):
        """One organisation; a group lists its partners."""
        organisation = g.organisation
        organisation.enabled_plugins = current_app.extensions["involve"].plugins.enabled_for(organisation.id)
        return organisation


def _plugin_state(info, organisation) -> dict:
    row = plugin_row(organisation, info.name)
    return {
        "name": info.name,
        "title": info.title,
        "description": info.description,
        "enabled": bool(row and row.enabled),
        "settings": dict(row.settings or {}) if row else {},
    }


@org_blp.route("/plugins")
class PluginList(MethodView):
    @org_blp.response(200, PluginListSchema)
    @permission("plugins.read")
    def get(self):
        """Every plugin installed on this instance, with its state for the organisation."""
        registry = current_app.extensions["involve"].plugins
        items = [_plugin_state(registry.get(n), g.organisation) for n in registry.names()]
        return {"items": items, "total": len(items)}


@org_blp.route("/plugins/<string:name>")
class PluginDetail(MethodView):
    @org_blp.response(200, PluginStateSchema)
    @permission("plugins.read")
    def get(self, name):
        """One plugin's state for the organisation."""
        info = current_app.extensions["involve"].plugins.get(name)
        if info is None:
            raise NotFound(f"No plugin called {name!r} is installed.")
        return _plugin_state(info, g.organisation)

    @org_blp.arguments(PluginUpdateSchema)
    @org_blp.response(200, PluginStateSchema)
    @permission("plugins.manage")
    def put(self, body, name):
        """Enable or disable a plugin and set its settings (organisation admins only).

        Without ``settings`` the stored settings are kept (switching a plugin off and on again
        does not reset its configuration); ``"settings": {}`` resets them to the defaults."""
        registry = current_app.extensions["involve"].plugins
        settings = body["settings"]
        if settings is None:
            row = plugin_row(g.organisation, name)
            settings = dict(row.settings or {}) if row is not None else None
        set_plugin_state(registry, g.organisation, name, enabled=body["enabled"], settings=settings)
        return _plugin_state(registry.get(name), g.organisation)
