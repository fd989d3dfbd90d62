"""The flask-smorest pieces every API blueprint of core and plugins is built from.

:class:`ApiBlueprint` parses arguments with :class:`InvolveParser`, which holds the API-wide input
rules in one place, so a new endpoint follows them without doing anything:

- a query string key that the operation's query-args schema does not know is a 422 naming it
  (``?overdue=true`` on a list without that filter is refused, not silently ignored); a schema that
  really accepts arbitrary keys says so with ``class Meta: unknown = EXCLUDE``. A ``GET`` that
  declares no query arguments at all refuses every key the same way;
- ``PATCH`` without a JSON body is a 422 (there is nothing to change), not a silent no-op;
- a JSON body's booleans and integers are JSON booleans and integers, as the document says
  (marshmallow alone would take ``0`` for false and ``2.5e-42`` for the integer 0).

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


def refuse_loose_json_types(schema: ma.Schema, body: dict) -> None:
    """422 naming each top-level field whose JSON type is not the one documented."""
    errors = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        value = body.get(key)
        if value is None or field.dump_only:
            continue
        if isinstance(field, ma.fields.Boolean) and not isinstance(value, bool):
            errors[key] = ["Not a valid boolean."]
        elif isinstance(field, ma.fields.Integer) and (isinstance(value, bool) or not isinstance(value, int)):
            errors[key] = ["Not a valid integer."]
    if errors:
        raise ma.ValidationError(errors)


class InvolveParser(FlaskParser):
    # Query strings are checked against the schema's own ``unknown`` (marshmallow's default is
    # RAISE) instead of webargs' EXCLUDE; headers and cookies still carry unrelated keys.
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }

    def pre_load(self, location_data, *, schema, req, location):
        if location == "json" and isinstance(location_data, dict):
            refuse_loose_json_types(schema, location_data)
        return location_data

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

    def arguments(self, schema, *, location="json", required=None, **kwargs):
        """As flask-smorest's, but a JSON body is documented as required only when the request
        cannot do without one: a PATCH (refused without a body), or a schema with required fields.
        An action whose body is all optional (``POST …/objection``) may be sent without one."""

        def decorator(view_function):
            needed = required
            if needed is None:
                if location != "json":
                    needed = True
                else:
                    instance = schema() if isinstance(schema, type) else schema
                    needed = view_function.__name__ == "patch" or any(
                        field.required for field in instance.fields.values()
                    )
            return Blueprint.arguments(self, schema, location=location, required=needed, **kwargs)(
                view_function
            )

        return decorator

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
