"""The shared domain's models, one module per concept; importing this package registers them all."""

from core.models.account import ApiToken, LoginFailure, Membership, User, UserSession
from core.models.audit import CrossOrgRead
from core.models.organisation import Organisation, OrganisationPlugin

__all__ = [
    "ApiToken",
    "CrossOrgRead",
    "LoginFailure",
    "Membership",
    "Organisation",
    "OrganisationPlugin",
    "User",
    "UserSession",
]
