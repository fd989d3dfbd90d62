"""Schemas of an impact assessment's parts that staff change after publishing: its easy-read version."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.services.easy_read import DESCRIPTION_LIMIT, URL_LIMIT


class EasyReadSchema(Schema):
    """The landlord's easy-read version of a published report; both null (or empty) removes it."""

    period = fields.String(dump_only=True)
    easy_read_url = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Length(max=URL_LIMIT),
        metadata={"description": "A link (https:// or http://) to the landlord's easy-read document"},
    )
    easy_read_description = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=DESCRIPTION_LIMIT),
        metadata={"description": 'What it is, e.g. "PDF, 8 pages"; shown with the link'},
    )
