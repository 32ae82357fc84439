"""Who may do what: role checks for pages (Flask-Login session) and the API (bearer token)."""

from functools import wraps

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from core.errors import Forbidden, Unauthorized
from core.extensions import login_manager


def roles_required(*roles):
    """Page decorator: signed-in user with one of these roles, else login page or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                raise Forbidden(_("You are not allowed to see this page."))
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the access sweep (tests/core/test_access_matrix.py)
        return wrapped

    return decorator


TOKEN_LOOKUP = []  # the accounts feature registers its user_for_token(token) here


def register_token_lookup(user_for_token):
    """Called once by the accounts feature: how a bearer token becomes a user (or None)."""
    TOKEN_LOOKUP[:] = [user_for_token]


def bearer_user():
    """The user of the request's bearer token, or None (the lookup is the accounts feature's)."""
    # Cached on the request itself (not on g, which outlives a request in tests).
    if not hasattr(request, "souk_api_user"):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        (user_for_token,) = TOKEN_LOOKUP  # fails loudly when accounts did not register
        request.souk_api_user = user_for_token(token)
    return request.souk_api_user


def api_roles(*roles):
    """API decorator: a valid bearer token (401) of one of these roles (403); see bearer_user()."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = bearer_user()
            if user is None:
                raise Unauthorized(_("A valid bearer token is required."))
            if user.role not in roles:
                raise Forbidden(_("Your role may not do this."))
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the access sweep (tests/core/test_access_matrix.py)
        return wrapped

    return decorator


def cooperative_of(user):
    """The cooperative a cooperative user acts for (403 for anyone else)."""
    if user is None or user.role != "cooperative" or user.cooperative_id is None:
        raise Forbidden(_("Only a cooperative account can see this."))
    return user.cooperative
