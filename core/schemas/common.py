"""Shared pieces of resource schemas: list envelopes, query arguments, choice fields."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate

from core.schemas.fields import UtcDateTime

# Ids are 32-bit integers in the database; a larger number is no record's id.
MAX_ID = 2**31 - 1

# Every string a request can carry has a maximum length (tests/test_input_bounds.py checks each
# schema): free text a person writes (descriptions, reasons, notes) is at most LONG_TEXT; a period
# label ("2025-26-Q1") or a year is at most PERIOD_TEXT.
LONG_TEXT_MAX = 20_000
LONG_TEXT = validate.Length(max=LONG_TEXT_MAX)
PERIOD_TEXT = validate.Length(max=12)


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


def scalar_values(max_length: int):
    """Validator of a dict of free-form JSON values (survey answers, counts): each must be a
    string of at most ``max_length`` characters, a number, a boolean or null, never a list or an
    object. Errors are keyed by the dict's key, so they read ``answers.COMMENTS``."""

    def check(mapping) -> None:
        problems = {}
        for key, value in mapping.items():
            if isinstance(value, list | dict):
                problems[key] = ["Must be a single value, not a list or an object."]
            elif isinstance(value, str) and len(value) > max_length:
                problems[key] = [f"At most {max_length} characters."]
        if problems:
            raise ValidationError(problems)

    return check


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


# Pages past this are beyond any list (and page × per_page must fit a database integer).
MAX_PAGE = 1_000_000


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


__all__ = [
    "LONG_TEXT",
    "LONG_TEXT_MAX",
    "MAX_ID",
    "MAX_PAGE",
    "PERIOD_TEXT",
    "PageArgs",
    "UtcDateTime",
    "scalar_values",
    "calendar_date",
    "choice",
    "choice_list",
    "holds_nul",
    "list_schema",
    "query_record_id",
    "record_id",
]
