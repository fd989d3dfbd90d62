"""One error shape for the whole API: ``{"error": {"code", "message", "fields"}}``.

Every failure — webargs/marshmallow validation, domain errors, database conflicts, unknown
routes, and unexpected crashes — leaves through :func:`error_response`, so clients never see an
HTML page or a different shape from ``/api/``.
"""

from __future__ import annotations

import logging

from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from core.error_responses import CODES, error_response, is_api_request  # noqa: F401

log = logging.getLogger(__name__)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True)
    field_messages = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        data_key="fields",
        metadata={"description": "Each field in error (dotted for nested ones) and what is wrong with it."},
    )


class ErrorSchema(Schema):
    """The error envelope every API failure answers with (documented as every operation's
    ``default`` response, so the OpenAPI document describes what clients really receive)."""

    error = fields.Nested(ErrorDetailSchema, required=True)


def webargs_fields(exc: HTTPException) -> dict[str, list[str]]:
    """flask-smorest puts marshmallow messages under ``data["messages"][location]``."""
    from core.services.plugin_state import flatten_messages

    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    flat: dict[str, list[str]] = {}
    for location_messages in messages.values():
        flat.update(flatten_messages(location_messages))
    return flat


def http_error_to_json(exc: HTTPException):
    status = exc.code or 500
    if status == 422:
        return error_response(422, "Some fields are not valid.", fields=webargs_fields(exc))
    message = exc.description if status != 500 else "Something went wrong on our side."
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="involve"'
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    return error_response(status, message, headers=headers)
