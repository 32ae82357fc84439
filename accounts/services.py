"""Accounts: creating users, checking passwords, issuing and reading API tokens."""

import hashlib
import json
import secrets
from datetime import timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_

from accounts.activity import record_activity
from accounts.models import ROLES, ApiToken, Device, FieldReport, User
from core.errors import Conflict, NotFound, RuleBroken, Unauthorized
from core.extensions import db
from core.inputs import fits_int32, holds_unstorable
from core.timeutil import utc_now


def password_hasher():
    """Argon2id with the configured profile (tests use the cheapest one to stay fast)."""
    profile = getattr(profiles, current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY"))
    return PasswordHasher.from_parameters(profile)


MIN_PASSWORD_LENGTH = 10


def hash_password(password):
    return password_hasher().hash(password)


def check_password(user, password):
    try:
        return password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def validate_new_user(username, password, role, cooperative):
    if (
        not username
        or len(username) > 80
        or not username.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise RuleBroken(_("Use letters, digits, dots, dashes or underscores."), field="username")
    if role not in ROLES:
        raise RuleBroken(_("Unknown role."), field="role")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise RuleBroken(
            _("The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if (role == "cooperative") != (cooperative is not None):
        raise RuleBroken(
            _("A cooperative user must be linked to one cooperative."), field="cooperative"
        )
    if db.session.query(User.id).filter_by(username=username).first():
        raise Conflict(_("This username is already taken."), field="username")


def create_user(username, password, role, full_name="", email=None, cooperative=None, actor=None):
    username = (username or "").strip().lower()
    validate_new_user(username, password, role, cooperative)
    user = User(
        username=username,
        full_name=full_name or "",
        email=email or None,
        password_hash=hash_password(password),
        role=role,
        cooperative_id=cooperative.id if cooperative else None,
    )
    db.session.add(user)
    db.session.flush()
    if actor is not None:
        record_activity(actor, "user.create", user, label=user.username, role=role)
    return user


def set_user_active(user, active, actor):
    if user.id == actor.id and not active:
        raise RuleBroken(_("You cannot deactivate your own account."))
    changed = user.active != active
    user.active = active
    if not active:
        end_sessions(user)
        db.session.query(ApiToken).filter_by(user_id=user.id).delete()
    db.session.flush()
    if changed:
        record_activity(
            actor, "user.activate" if active else "user.deactivate", user, label=user.username
        )
    return user


def user_for_session(session_id):
    """Flask-Login's loader: the active user whose session version matches the cookie's."""
    user_id, _dot, version = str(session_id or "").partition(".")
    if not user_id.isdigit() or not version.isdigit():
        return None  # a cookie from before versions, or forged: sign in again
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(user):
    """Revoke every session and remember-me cookie of this user (logout, new password...)."""
    db.session.query(User).filter_by(id=user.id).update(
        {User.session_version: User.session_version + 1}, synchronize_session=False
    )
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def revoke_api_tokens(user):
    """End the field API tokens too (a new password, a deactivated account)."""
    db.session.query(ApiToken).filter_by(user_id=user.id).delete()
    db.session.flush()


def authenticate(username, password):
    """The active user with these credentials, or None."""
    user = db.session.query(User).filter_by(username=(username or "").strip().lower()).first()
    if user is None:
        # Hash anyway so that timing does not tell which usernames exist.
        password_hasher().hash(password or "x")
        return None
    if not user.active or not check_password(user, password or ""):
        return None
    user.last_login_at = utc_now()
    return user


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user, expires_at=None):
    """Create a bearer token; returns (token text, expiry)."""
    token = secrets.token_urlsafe(32)
    # Field pages ask for a token on every load: drop this user's expired ones as we go.
    db.session.query(ApiToken).filter(
        ApiToken.user_id == user.id, ApiToken.expires_at < utc_now()
    ).delete()
    expires_at = expires_at or utc_now() + timedelta(hours=current_app.config["API_TOKEN_HOURS"])
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=expires_at))
    db.session.flush()
    return token, expires_at


def reusable_api_token(user, remembered, now=None):
    """The token a field page handed this user before, while it is valid and has at least half
    its life ahead; otherwise a new one. `remembered` is (token, expires_at) or None.

    Loading the scanner or the till again must not write a token row each time (no state
    change on GET); a phone that keeps the page for days still gets a fresh token in time.
    """
    now = now or utc_now()
    if remembered:
        token, expires_at = remembered
        half_life = timedelta(hours=current_app.config["API_TOKEN_HOURS"] / 2)
        if expires_at - now >= half_life and user_for_token(token) == user:
            return token, expires_at
    return issue_api_token(user)


def user_for_token(token):
    """The active user owning a valid, unexpired token, or None."""
    if not token:
        return None
    row = db.session.query(ApiToken).filter_by(token_hash=_digest(token)).first()
    if row is not None and not row.user.active:
        device = db.session.query(Device).filter_by(user_id=row.user_id).first()
        if device is not None and device.revoked_at is not None:
            raise Unauthorized(
                _(
                    "This phone's access was withdrawn by the organisers. Its unsent scans are kept on it: an organiser can sign in on this phone to send them."
                ),
                code="device_revoked",
            )
    if row is None or row.expires_at < utc_now() or not row.user.active:
        return None
    return row.user


def get_user(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def users_query(search=None, role=None):
    """The accounts in role, then username order; `search`, part of a username or a full name
    (a national salon's registry gives each of its hundreds of cooperatives an account)."""
    query = (
        db.session.query(User)
        .options(db.joinedload(User.cooperative))
        .order_by(User.role, User.username)
    )
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        query = query.filter(or_(User.username.ilike(pattern), User.full_name.ilike(pattern)))
    if role in ROLES:
        query = query.filter(User.role == role)
    return query


# ---------------------------------------------------------------- field reports

FIELD_KINDS = {"/api/v1/scans": "scan", "/api/v1/tallies": "tally", "/api/v1/sales": "sale"}
MAX_FIELD_REPORTS = 200


def field_kind(url):
    path = str(url or "")
    if path in FIELD_KINDS:
        return FIELD_KINDS[path]
    return "refund" if path.startswith("/api/v1/sales/") and path.endswith("/refunds") else "other"


def record_field_reports(reports, actor):
    """Keep what a phone could not deliver, for the organiser; returns how many were kept."""
    if len(reports) > MAX_FIELD_REPORTS:
        raise RuleBroken(
            _("At most %(count)d reports at once.", count=MAX_FIELD_REPORTS), code="too_many"
        )
    kept = 0
    now = utc_now()
    for report in reports:
        client_id = report.get("id") if isinstance(report, dict) else None
        if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > 64:
            continue
        if holds_unstorable(client_id):
            continue
        error = report.get("error") if isinstance(report.get("error"), dict) else {}
        if holds_unstorable(error):
            error = {}
        status = report.get("http_status")
        values = {
            "kind": field_kind(report.get("url")),
            "http_status": status if fits_int32(status) else None,
            "error_code": str(error.get("code") or "")[:60] or None,
            "error_message": str(error.get("message") or "")[:500] or None,
            "attempts": report["attempts"] if fits_int32(report.get("attempts")) else 0,
            # ASCII JSON: whatever the phone queued (a NUL, a lone surrogate) is stored escaped.
            "body": json.dumps(report.get("body"))[:20000],
            "reported_at": now,
        }
        row = db.session.query(FieldReport).filter_by(client_id=client_id.strip()).first()
        if row is None:
            row = FieldReport(client_id=client_id.strip(), user_id=actor.id, first_reported_at=now)
            db.session.add(row)
        elif row.user_id != actor.id:
            continue  # another person's entry: never overwritten
        for key, value in values.items():
            setattr(row, key, value)
        kept += 1
    db.session.flush()
    return kept


def list_field_reports(limit=300):
    return (
        db.session.query(FieldReport)
        .order_by(FieldReport.reported_at.desc(), FieldReport.id.desc())
        .limit(limit)
        .all()
    )
