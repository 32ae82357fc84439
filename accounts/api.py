"""Field API: bearer tokens (POST /api/v1/auth/token)."""

from apiflask import Schema
from apiflask.fields import DateTime, String
from apiflask.validators import Length, OneOf
from flask import current_app, request
from flask_babel import gettext as _

from accounts import api_bp as api
from accounts import services
from accounts.models import ROLES
from core.errors import Unauthorized
from core.extensions import limiter
from core.timeutil import iso_utc


class TokenRequest(Schema):
    username = String(required=True, validate=Length(1, 80))
    password = String(required=True, validate=Length(1, 500))


class TokenResponse(Schema):
    token = String(required=True)
    role = String(required=True, validate=OneOf(ROLES))
    expires_at = DateTime(required=True)


def failed_token_request(response):
    return response.status_code == 401


def token_throttle_key():
    body = request.get_json(silent=True) or {}
    username = body.get("username") if isinstance(body, dict) else ""
    return f"{request.remote_addr}:{str(username or '').strip().lower()}"


@api.post("/auth/token")
@api.input(TokenRequest, arg_name="credentials")
@api.doc(
    summary="Exchange a username and password for a bearer token", responses=[200, 400, 401, 429]
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT"],
    key_func=token_throttle_key,
    deduct_when=failed_token_request,
)
def issue_token(credentials):
    user = services.authenticate(credentials["username"], credentials["password"])
    if user is None:
        raise Unauthorized(_("Wrong username or password."), code="bad_credentials")
    token, expires_at = services.issue_api_token(user)
    return {"token": token, "role": user.role, "expires_at": iso_utc(expires_at)}
