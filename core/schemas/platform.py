"""Schemas of the platform endpoints: organisations, plugins, API tokens."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.schemas.common import MAX_PAGE
from core.schemas.fields import UtcDateTime


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": ["landlord", "group"]})
    parent = fields.Method("parent_slug", dump_only=True, allow_none=True)
    status = fields.String(dump_only=True, metadata={"enum": ["active", "suspended"]})
    role = fields.Method("caller_role", dump_only=True)

    def parent_slug(self, organisation) -> str | None:
        parent = organisation.parent()
        return parent.slug if parent else None

    def caller_role(self, organisation) -> str | None:
        from flask import g

        user = g.get("api_user")
        return user.role_in(organisation.id) if user else None


class OrganisationDetailSchema(OrganisationSchema):
    settings = fields.Dict(dump_only=True)
    partners = fields.Method("partner_list", dump_only=True)
    enabled_plugins = fields.List(fields.String(), dump_only=True)

    def partner_list(self, organisation) -> list[dict]:
        return [
            {"slug": p.slug, "name": p.name, "kind": p.kind, "status": p.status}
            for p in organisation.partners()
        ]


class OrganisationListSchema(Schema):
    items = fields.List(fields.Nested(OrganisationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class PluginStateSchema(Schema):
    name = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    enabled = fields.Boolean(dump_only=True)
    settings = fields.Dict(dump_only=True)


class PluginListSchema(Schema):
    items = fields.List(fields.Nested(PluginStateSchema))
    total = fields.Integer()


class PluginUpdateSchema(Schema):
    enabled = fields.Boolean(required=True)
    settings = fields.Dict(load_default=None, allow_none=True)


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))
    name = fields.String(load_default="", validate=validate.Length(max=100))


class TokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    prefix = fields.String(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    last_used_at = UtcDateTime(dump_only=True, allow_none=True)
    revoked_at = UtcDateTime(dump_only=True, allow_none=True)


class TokenCreatedSchema(TokenSchema):
    token = fields.String(dump_only=True, metadata={"description": "Shown once; store it now."})


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema))
    total = fields.Integer()


class PaginationArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
