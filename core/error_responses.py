"""The JSON error envelope, ``{"error": {"code", "message", "fields"}}``, and how to tell an API
request from a page request.

Below the HTTP layers so that everything answering errors (the API, the app's error handlers, the
input bounds, the SQLite lock retry) shares one shape without importing the API package.
"""

from __future__ import annotations

from flask import jsonify, request

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_attempts",
    500: "internal_error",
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str, code: str | None = None, fields=None, headers=None):
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
