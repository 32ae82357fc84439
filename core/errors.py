"""Domain errors raised by services, and the handlers that turn every error into a page or JSON."""

import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from core.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A broken business rule, with a machine code and a translated message."""

    status = 422
    code = "rule_broken"

    def __init__(self, message, code=None, field=None, status=None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.field = field  # the form field the error belongs to, when there is one


class RuleBroken(DomainError):
    status = 422
    code = "rule_broken"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Gone(DomainError):
    status = 410
    code = "gone"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


# Plain messages for HTTP statuses, shown on pages and in API errors.
HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in to continue."),
    403: _l("You are not allowed to do this."),
    404: _l("This page does not exist."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with what is already recorded."),
    413: _l("The request is too large."),
    422: _l("The request breaks a rule."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Nothing was saved."),
    503: _l("The service is not available right now."),
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "rule_broken",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


def wants_json():
    return request.path.startswith("/api/") or request.path in ("/healthz", "/readyz")


def error_response(status, code, message):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": str(message)}})
        response.status_code = status
        return response
    return render_template("errors/error.html", status=status, message=message), status


def handle_domain_error(error):
    db.session.rollback()
    return error_response(error.status, error.code, error.message)


def handle_http_error(error):
    db.session.rollback()
    status = error.code or 500
    code = HTTP_CODES.get(status, "error")
    message = HTTP_MESSAGES.get(status, error.description)
    # Our own abort() calls may carry a more precise translated description.
    detail = getattr(error, "souk_message", None)
    response = error_response(status, code, detail or message)
    if status == 429 and isinstance(response, tuple):
        return response
    return response


def handle_unexpected_error(error):
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    db.session.rollback()
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(
        500, "server_error", _("Something went wrong on our side. Nothing was saved.")
    )


def register_error_handlers(app):
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def describe_validation(detail):
    """Flatten apiflask/marshmallow validation details into one short sentence."""
    if not isinstance(detail, dict):
        return ""
    parts = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in ("json", "query", "form", "files", "headers"):
                    walk(prefix, inner)
                else:
                    walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            parts.append(f"{prefix}: {'; '.join(str(item) for item in value)}")

    walk("", detail)
    return " ".join(parts[:5])
