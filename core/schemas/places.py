"""Schemas of areas and households (with UK postcodes normalised on the way in)."""

import re
from collections.abc import Mapping

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from core.models.vocab import AREA_KINDS, TENURES
from core.schemas.common import MAX_ID, PageArgs, UtcDateTime, choice, holds_nul, list_schema


class AreaSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = choice(AREA_KINDS, required=True)
    parent_id = fields.Integer(allow_none=True, load_default=None)
    created_at = UtcDateTime(dump_only=True)


class AreaUpdateSchema(AreaSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = choice(AREA_KINDS)
    parent_id = fields.Integer(allow_none=True)


class AreaArgs(PageArgs):
    kind = choice(AREA_KINDS)
    parent_id = fields.Integer()


class NulFree(Schema):
    """PostgreSQL text cannot hold a NUL character: refuse one as a 422 instead of failing to save."""

    @pre_load
    def refuse_nul(self, data, **kwargs):
        if isinstance(data, Mapping):
            message = ["Must not contain NUL characters."]
            bad = {str(key): message for key in data if holds_nul(key) or holds_nul(data[key])}
            if bad:
                raise ValidationError(bad)
        return data


def id_field(**kwargs) -> fields.Integer:
    """The id of a record where strings are acceptable too (query strings): a positive 32-bit
    integer (a larger number is no record's id)."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """``"wa8 7ab "`` → ``"WA8 7AB"``; ValueError unless it has the shape of a UK postcode."""
    compact = re.sub(r"\s+", "", value).upper()
    if not POSTCODE.match(compact):
        raise ValueError("Not a UK postcode (for example WA8 7AB).")
    return f"{compact[:-3]} {compact[-3:]}"


class Postcode(fields.String):
    """A UK postcode, stored upper case with one space before the inward code."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_postcode(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


def address_lines(**kwargs) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(max=200)), validate=validate.Length(max=6), **kwargs
    )


class HouseholdSchema(NulFree):
    id = fields.Integer(dump_only=True)
    reference = fields.String(required=True, validate=validate.Length(min=1, max=64))
    address_lines = address_lines(load_default=list)
    postcode = Postcode(allow_none=True, load_default=None, validate=validate.Length(max=10))
    area_id = id_field(allow_none=True, load_default=None)
    tenure = choice(TENURES, allow_none=True, load_default=None)
    active = fields.Boolean(load_default=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)

    @post_load
    def tidy(self, household, **kwargs):
        if "reference" in household:
            household["reference"] = household["reference"].strip()
            if not household["reference"]:
                raise ValidationError("A reference cannot be blank.", "reference")
        if "address_lines" in household:
            household["address_lines"] = [line.strip() for line in household["address_lines"] if line.strip()]
        return household


class HouseholdUpdateSchema(HouseholdSchema):
    reference = fields.String(validate=validate.Length(min=1, max=64))
    address_lines = address_lines()
    postcode = Postcode(allow_none=True, validate=validate.Length(max=10))
    area_id = id_field(allow_none=True)
    tenure = choice(TENURES, allow_none=True)
    active = fields.Boolean()


class HouseholdArgs(NulFree, PageArgs):
    area_id = id_field(metadata={"description": "In this area or any area inside it."})
    tenure = choice(TENURES)
    active = fields.Boolean()
    postcode = fields.String(
        validate=validate.Length(max=20),
        metadata={"description": "Postcode starting with this (case and spaces ignored)."},
    )
    q = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Part of the reference or address (case ignored)."},
    )


class ImportResultSchema(Schema):
    """What an all-or-nothing CSV import did, matching rows on their reference."""

    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()


AreaListSchema = list_schema(AreaSchema, "AreaList")
HouseholdListSchema = list_schema(HouseholdSchema, "HouseholdList")
