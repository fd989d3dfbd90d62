"""The flask-smorest pieces every API blueprint of core and plugins is built from.

:class:`ApiBlueprint` parses arguments with :class:`InvolveParser`, which holds the API-wide input
rules in one place, so a new endpoint follows them without doing anything:

- a query string key that the operation's query-args schema does not know is a 422 naming it
  (``?overdue=true`` on a list without that filter is refused, not silently ignored); a schema that
  really accepts arbitrary keys says so with ``class Meta: unknown = EXCLUDE``. A ``GET`` that
  declares no query arguments at all refuses every key the same way;
- ``PATCH`` without a JSON body is a 422 (there is nothing to change), not a silent no-op.

``core.api.mount_plugin_api`` refuses a plugin blueprint that is not an :class:`ApiBlueprint`.
"""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask import request
from flask_smorest import Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser

NO_BODY_MESSAGE = "Send the changes as a JSON object."
UNKNOWN_FIELD_MESSAGE = "Unknown field."  # marshmallow's words, so both paths read the same
QUERY_LOCATIONS = ("query", "querystring")


class InvolveParser(FlaskParser):
    # Query strings are checked against the schema's own ``unknown`` (marshmallow's default is
    # RAISE) instead of webargs' EXCLUDE; headers and cookies still carry unrelated keys.
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }

    def load_json(self, req, schema):
        body = super().load_json(req, schema)
        if body is core.missing and req.method == "PATCH":
            raise ma.ValidationError({"_body": [NO_BODY_MESSAGE]})
        return body


def declares_query_arguments(view_function) -> bool:
    arguments = getattr(view_function, "_apidoc", {}).get("arguments", {})
    return any(parameter.get("in") in QUERY_LOCATIONS for parameter in arguments.get("parameters", []))


def refusing_query_keys(view_function):
    """``view_function``, answering 422 naming each query key (it takes none)."""

    @wraps(view_function)
    def guarded(*args, **kwargs):
        if request.args:
            from core.errors import ValidationFailed

            raise ValidationFailed({key: [UNKNOWN_FIELD_MESSAGE] for key in request.args})
        return view_function(*args, **kwargs)

    return guarded


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint whose arguments follow the API-wide input rules above."""

    ARGUMENTS_PARSER = InvolveParser()

    def route(self, rule, **options):
        register = super().route(rule, **options)

        def decorator(view):
            if isinstance(view, type):  # a MethodView: guard its get() if it takes no query
                get = getattr(view, "get", None)
                if get is not None and not declares_query_arguments(get):
                    view.get = refusing_query_keys(get)
                return register(view)
            if "GET" in options.get("methods", ("GET",)) and not declares_query_arguments(view):
                view = refusing_query_keys(view)
            return register(view)

        return decorator
