"""Schemas of staff accounts: inviting a colleague, changing a role, choosing a password, and the
e-mail address of a forgotten password. The staff pages and any future API load these, so both
refuse the same input with the same words."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.models.account import ROLES

ROLE_TEXT = {"viewer": "Viewer", "staff": "Staff", "org_admin": "Organisation administrator"}
EMAIL_MAX = 254
NAME_MAX = 200
PASSWORD_MAX = 1024


def _email(**kwargs) -> fields.Email:
    return fields.Email(
        validate=validate.Length(max=EMAIL_MAX, error="Enter an email address of 254 characters or fewer"),
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        **kwargs,
    )


def _role() -> fields.String:
    return fields.String(
        required=True,
        validate=validate.OneOf(ROLES, error="Choose a role"),
        error_messages={"required": "Choose a role"},
        metadata={"enum": list(ROLES)},
    )


class InvitationSchema(Schema):
    name = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, error="Enter their full name"),
            validate.Length(max=NAME_MAX, error="Enter a name of 200 characters or fewer"),
        ],
        error_messages={"required": "Enter their full name"},
    )
    email = _email(required=True)
    role = _role()


class RoleSchema(Schema):
    role = _role()


class NewPasswordSchema(Schema):
    password = fields.String(
        required=True,
        validate=validate.Length(max=PASSWORD_MAX, error="Use a password of 1,024 characters or fewer"),
        error_messages={"required": "Enter a new password"},
    )
    confirm = fields.String(
        required=True,
        validate=validate.Length(max=PASSWORD_MAX),
        error_messages={"required": "Enter the new password again"},
    )


class ForgottenPasswordSchema(Schema):
    email = _email(required=True)
