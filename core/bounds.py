"""Bounds on what one request may carry, so that no input can cost more than a sane request.

- **Size.** A request body is at most ``MAX_REQUEST_BYTES`` (JSON and forms), or
  ``MAX_UPLOAD_BYTES`` for a CSV upload (``text/csv`` or a multipart form). A larger body is a
  413 — whether it declares a ``Content-Length`` or arrives chunked. Werkzeug caps a chunked body
  at the limit but hands back the first ``limit`` bytes as if that were all of it; here reading
  the whole body checks that nothing is left, so a CSV is never silently cut and partly imported.
- **Nesting.** A JSON body nesting arrays or objects deeper than :data:`MAX_JSON_DEPTH` is a 400
  (Python's parser would otherwise raise ``RecursionError``, a 500).
- **Text the database can store.** A JSON string holding a lone UTF-16 surrogate (``"\\ud800"``)
  cannot be encoded as UTF-8 by any database driver, and PostgreSQL refuses a NUL character;
  either is a 422 naming the field, the same on every database.

String lengths are bounded by the schemas (``core.schemas.common``); this module bounds the
request as a whole. :func:`install_bounds` puts it on an app.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Flask, Request, current_app, render_template, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream, get_content_length, get_input_stream

from core.errors import ValidationFailed

# Bodies that are file uploads (the CSV imports); anything else is an ordinary request.
UPLOAD_MIMETYPES = frozenset({"text/csv", "application/csv", "text/plain", "multipart/form-data"})
MAX_JSON_DEPTH = 32
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UNSTORABLE = "Text cannot contain NUL characters or unpaired UTF-16 surrogates (such as \\ud800)."


class _WholeBodyStream(LimitedStream):
    """A stream capped at the request's maximum that refuses, rather than truncates, a longer body.

    Werkzeug's ``readall`` stops quietly once the cap is reached; this one then looks for one more
    byte and answers 413 if the client sent any."""

    def __init__(self, stream, limit: int) -> None:
        super().__init__(stream, limit, is_max=True)

    def readall(self) -> bytes:
        body = super().readall()
        if self.is_exhausted and self._stream.read(1):
            raise RequestEntityTooLarge()
        return body


def read_in_pieces(stream, size: int = 64 * 1024) -> Iterator[bytes]:
    """A request body (or an uploaded file) in pieces, for reading a large upload without holding
    it whole. A chunked body past the limit is refused (413) here too, as ``readall`` does."""
    while not getattr(stream, "is_exhausted", False):
        piece = stream.read(size)
        if not piece:
            return
        yield piece
    if isinstance(stream, _WholeBodyStream) and stream._stream.read(1):
        raise RequestEntityTooLarge()


class BoundedRequest(Request):
    """Flask's request with the size rules above."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return super().max_content_length
        settings = current_app.config["INVOLVE"]
        if self.mimetype in UPLOAD_MIMETYPES:
            return settings["MAX_UPLOAD_BYTES"]
        return settings["MAX_REQUEST_BYTES"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @cached_property
    def stream(self):
        limit = self.max_content_length
        # Chunked (no Content-Length, the server ends the stream): read it whole or refuse it.
        chunked = get_content_length(self.environ) is None and "wsgi.input_terminated" in self.environ
        if limit is not None and chunked:
            return _WholeBodyStream(self.environ["wsgi.input"], limit)
        return get_input_stream(self.environ, max_content_length=limit)


def _nesting_problem(document: Any) -> tuple[str, str] | None:
    """``(field, message)`` for the first string a database cannot store or the first part nested
    too deeply; None when the document is fine. Walks iteratively: a deep document must not
    exhaust the stack here either."""
    pending: list[tuple[Any, str, int]] = [(document, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return "", f"The JSON nests deeper than {MAX_JSON_DEPTH} levels."
        if isinstance(value, str):
            if not _storable(value):
                return path or "_schema", UNSTORABLE
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                if not _storable(key):
                    return path or "_schema", UNSTORABLE
                pending.append((item, name, depth + 1))
        elif isinstance(value, list):
            pending.extend(
                (item, f"{path}.{index}" if path else str(index), depth + 1)
                for index, item in enumerate(value)
            )
    return None


def _storable(text: str) -> bool:
    """Can a database store this text? Not with a NUL (PostgreSQL refuses it) nor with a lone
    surrogate (no driver can encode it as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_json_body() -> None:
    """400 for JSON nested too deeply, 422 naming the field for text no database can store.

    Runs after the organisation is loaded (so another organisation's URL stays a 404) and before
    the view parses its arguments. Malformed JSON is left to the parser, which answers 400."""
    if request.method in SAFE_METHODS or not request.is_json:
        return
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        document = json.loads(raw)
    except RecursionError:
        raise BadRequest(f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.") from None
    except ValueError:
        return
    problem = _nesting_problem(document)
    if problem is None:
        return
    field, message = problem
    if not field:
        raise BadRequest(message)
    raise ValidationFailed({field: [message]})


def install_bounds(app: Flask) -> None:
    """Use the bounded request class; check JSON bodies once the request's organisation is known."""
    settings = app.config["INVOLVE"]
    app.request_class = BoundedRequest
    # The largest body any request may send; BoundedRequest lowers it for everything but uploads.
    app.config["MAX_CONTENT_LENGTH"] = max(settings["MAX_UPLOAD_BYTES"], settings["MAX_REQUEST_BYTES"])
    app.before_request(check_json_body)
    app.register_error_handler(OverflowError, _number_out_of_range)


def _number_out_of_range(error: OverflowError):
    """SQLite's driver cannot bind an integer past 64 bits; PostgreSQL's answers a DataError (422
    in ``core.app``). Both are a number no column can hold: 422, never a 500."""
    from core.error_responses import error_response, is_api_request
    from core.extensions import db

    db.session.rollback()
    message = "A number is out of range."
    if is_api_request():
        return error_response(422, message)
    return render_template("error.html", status=422, title="There is a problem", message=message), 422
