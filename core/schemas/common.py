"""Shared pieces of resource schemas: list envelopes, query arguments, choice fields."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, fields, validate

from core.schemas.fields import UtcDateTime

# Ids are 32-bit integers in the database; a larger number is no record's id.
MAX_ID = 2**31 - 1


def holds_nul(value) -> bool:
    """Does a string, or any string inside a JSON value, hold a NUL character?"""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(v) for v in value)
    return False


def record_id(**kwargs) -> fields.Integer:
    """The id of a record: a JSON integer that fits the database's integer column."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def query_record_id(**kwargs) -> fields.Integer:
    """The id of a record as a query-string filter: the text of a whole number (a query string
    has no JSON integers, so :func:`record_id`'s strictness would refuse every value)."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def calendar_date(**kwargs) -> fields.Date:
    """A ``YYYY-MM-DD`` date in a range where adding months or years cannot overflow."""
    return fields.Date(validate=validate.Range(min=date(1900, 1, 1), max=date(2999, 12, 31)), **kwargs)


def choice(values, **kwargs) -> fields.String:
    """A string field limited to ``values``; the OpenAPI document lists them as an enum."""
    # A field that may be empty lists null among its values too, or the document would refuse it.
    allowed = [*values, None] if kwargs.get("allow_none") else list(values)
    metadata = {"enum": allowed, **kwargs.pop("metadata", {})}
    return fields.String(validate=validate.OneOf(values), metadata=metadata, **kwargs)


def choice_list(values, **kwargs) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(values)), load_default=list, **kwargs)


def list_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """The list envelope of API.md: items, total, page, per_page."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "total": fields.Integer(),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
        },
        name=name,
    )


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


__all__ = [
    "MAX_ID",
    "PageArgs",
    "UtcDateTime",
    "calendar_date",
    "choice",
    "choice_list",
    "holds_nul",
    "list_schema",
    "query_record_id",
    "record_id",
]
