"""Marshmallow schemas, one per resource shape; the OpenAPI document is generated from them."""
