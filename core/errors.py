"""Domain errors that the API turns into the documented JSON error shape.

Services raise these; ``core.api.errors`` maps them to status codes. Nothing here knows HTTP.
"""

from __future__ import annotations


class InvolveError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(InvolveError):
    """Input that is well-formed but wrong; ``fields`` maps each field to its messages."""

    status = 422
    code = "validation_error"

    def __init__(self, fields: dict[str, list[str]], message: str = "Some fields are not valid."):
        super().__init__(message, fields)


class Conflict(InvolveError):
    """A rule refuses the change (a duplicate reference, a seat rule of a plugin)."""

    status = 409
    code = "conflict"


class NotFound(InvolveError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class Forbidden(InvolveError):
    status = 403
    code = "forbidden"


class Throttled(InvolveError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed sign-in attempts; try again in {retry_after} seconds.")
        self.retry_after = retry_after
