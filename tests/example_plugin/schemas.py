"""Schemas of the example plugin."""

from marshmallow import Schema, fields, validate


class ExampleSettings(Schema):
    greeting = fields.String(load_default="Welcome", validate=validate.Length(min=1, max=100))
    max_notes = fields.Integer(load_default=100, validate=validate.Range(min=1))


class NoteSchema(Schema):
    id = fields.Integer(dump_only=True)
    body = fields.String(required=True, validate=validate.Length(min=1, max=500))
    reply_to_id = fields.Integer(allow_none=True, load_default=None)


class NoteListSchema(Schema):
    items = fields.List(fields.Nested(NoteSchema))
    total = fields.Integer()
