"""The API's words on the form field they are about, when the API names a nested field.

The API answers ``results.2.comment`` or ``new_target.reference``; a page's form has a field for
each of those under its own name. :class:`Renamed` wraps the API's schema and service for
``save_form`` so that every message keeps its words and lands on the field it is about (or on
the form, in the error summary, when no field matches)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError

from core.errors import ValidationFailed


def flat(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as ``{"results.0.passed": [...]}``."""
    if isinstance(messages, str):
        return {prefix.rstrip("."): [messages]}
    if isinstance(messages, dict):
        found: dict[str, list[str]] = {}
        for key, value in messages.items():
            for name, words in flat(value, f"{prefix}{key}.").items():
                found.setdefault(name, []).extend(words)
        return found
    if all(isinstance(message, str) for message in messages):
        return {prefix.rstrip("."): list(messages)}
    found = {}
    for n, value in enumerate(messages):
        found.update(flat(value, f"{prefix}{n}."))
    return found


class Renamed:
    """``schema`` and services whose field names ``rename(name)`` turns into the form's (None keeps
    the name)."""

    def __init__(self, schema: Schema, rename: Callable[[str], str | None]):
        self.schema = schema
        self.rename = rename

    def names(self, fields: dict[str, list[str]]) -> dict[str, list[str]]:
        renamed: dict[str, list[str]] = {}
        for name, words in fields.items():
            renamed.setdefault(self.rename(name) or name, []).extend(words)
        return renamed

    def load(self, body: dict, partial: bool = False) -> dict:
        try:
            return self.schema.load(body, partial=partial)
        except ValidationError as exc:
            raise ValidationError(self.names(flat(exc.messages))) from None

    def save(self, save: Callable[[dict], Any]) -> Callable[[dict], Any]:
        def run(values: dict) -> Any:
            try:
                return save(values)
            except ValidationFailed as exc:
                raise ValidationFailed(self.names(exc.fields), exc.message) from None

        return run
