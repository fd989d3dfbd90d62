"""API tokens: exchange e-mail and password for a bearer token; list and revoke your own."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import select

from core.api.blueprint import ApiBlueprint as Blueprint
from core.auth import authenticate, create_api_token, revoke_api_token
from core.errors import InvolveError, NotFound
from core.extensions import db
from core.lifecycle import bearer_user
from core.models import ApiToken
from core.schemas.platform import TokenCreatedSchema, TokenListSchema, TokenRequestSchema

tokens_blp = Blueprint("tokens", __name__, description="Bearer tokens for the API")


class InvalidCredentials(InvolveError):
    status = 401
    code = "invalid_credentials"


@tokens_blp.route("")
class Tokens(MethodView):
    @tokens_blp.arguments(TokenRequestSchema)
    @tokens_blp.response(201, TokenCreatedSchema)
    @tokens_blp.doc(security=[])
    def post(self, body):
        """Create a token from an e-mail address and password; the token is shown only here."""
        user = authenticate(body["email"], body["password"], request.remote_addr or "")
        if user is None:
            raise InvalidCredentials("The e-mail address or password is not right.")
        token, secret = create_api_token(user, body["name"])
        token.token = secret
        return token

    @tokens_blp.response(200, TokenListSchema)
    def get(self):
        """The caller's tokens (never their secrets)."""
        user = bearer_user()
        items = db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        ).all()
        return {"items": items, "total": len(items)}


@tokens_blp.route("/<int:token_id>")
class TokenDetail(MethodView):
    @tokens_blp.response(204)
    def delete(self, token_id):
        """Revoke one of the caller's tokens."""
        if not revoke_api_token(bearer_user(), token_id):
            raise NotFound("No such token.")
