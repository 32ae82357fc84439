"""Field API: bearer tokens (POST /api/v1/auth/token)."""

from apiflask import Schema
from apiflask.fields import Integer, List, Raw, String
from apiflask.validators import Length, OneOf
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from accounts import api_bp as api
from accounts import services, throttle
from accounts.models import ROLES
from core.access import api_roles, bearer_user
from core.errors import Unauthorized
from core.timeutil import iso_utc


class TokenRequest(Schema):
    username = String(required=True, validate=Length(1, 80))
    password = String(required=True, validate=Length(1, 500))


class TokenResponse(Schema):
    token = String(required=True)
    role = String(required=True, validate=OneOf(ROLES))
    expires_at = String(required=True, metadata={"format": "date-time"})


@api.post("/auth/token")
@api.input(TokenRequest, arg_name="credentials")
@api.output(TokenResponse)
@api.doc(
    summary="Exchange a username and password for a bearer token", responses=[200, 400, 401, 429]
)
def issue_token(credentials):
    if throttle.login_refused(credentials["username"]):
        raise TooManyRequests()
    user = services.authenticate(credentials["username"], credentials["password"])
    if user is None:
        throttle.record_failed_login(credentials["username"])
        raise Unauthorized(_("Wrong username or password."), code="bad_credentials")
    token, expires_at = services.issue_api_token(user)
    return {"token": token, "role": user.role, "expires_at": iso_utc(expires_at)}


class FieldReportBatch(Schema):
    reports = List(
        Raw(allow_none=True),
        required=True,
        metadata={
            "description": "Entries the phone could not deliver: {id, url, body, http_status, error, attempts}"
        },
    )


class FieldReportsKept(Schema):
    recorded = Integer(required=True)


@api.post("/field-attention")
@api_roles("volunteer", "cashier", "organiser")
@api.input(FieldReportBatch, arg_name="batch")
@api.output(FieldReportsKept)
@api.doc(
    summary="Report queued entries that need a person (shown to the organiser)",
    responses=[200, 400, 401, 403, 422],
)
def report_field_attention(batch):
    return {"recorded": services.record_field_reports(batch["reports"], bearer_user())}
