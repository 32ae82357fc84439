"""People look after their own accounts: password reset, invitations, contact details.

Reset links and invitations are single-use tokens; only their SHA-256 is stored. A reset asked
for an unknown account does the same visible thing as one for a known account.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from accounts import cooperatives
from accounts.activity import record_activity
from accounts.messaging import Recipient, notify
from accounts.models import NOTIFY_CHANNELS, AccountToken, User
from accounts.services import (
    MIN_PASSWORD_LENGTH,
    check_password,
    create_user,
    end_sessions,
    hash_password,
    revoke_api_tokens,
    set_user_active,
)
from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.timeutil import utc_now

CODE_ATTEMPTS = 5
INVITABLE_ROLES = {
    "organiser": ("volunteer", "cashier", "cooperative"),
    "cooperative": ("cooperative",),
}


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def phone_digits(phone):
    """A phone number reduced to its digits, the national 0 kept (+212 6.. becomes 06..)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("212") and len(digits) == 12:
        digits = "0" + digits[3:]
    return digits


def find_account(identifier):
    """The active user known by this username, e-mail address or phone number, or None."""
    text = (identifier or "").strip()
    if not text:
        return None
    lowered = text.lower()
    conditions = [User.username == lowered, func.lower(User.email) == lowered]
    users = db.session.scalars(select(User).where(User.active, or_(*conditions))).all()
    if not users and len(phone_digits(text)) >= 8:
        wanted = phone_digits(text)
        candidates = db.session.scalars(select(User).where(User.active, User.phone.isnot(None)))
        users = [user for user in candidates if phone_digits(user.phone) == wanted]
    return users[0] if len(users) == 1 else None


def check_new_password(password):
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise RuleBroken(
            _("The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            field="password",
        )


# ---------------------------------------------------------------- password reset


def request_password_reset(identifier, link_for):
    """Send a reset link by e-mail, or a code by SMS, to the account behind `identifier`.

    Returns nothing the caller could show: an unknown account looks exactly like a known one.
    """
    user = find_account(identifier)
    if user is None:
        return None
    db.session.query(AccountToken).filter(
        AccountToken.user_id == user.id,
        AccountToken.purpose == "reset",
        AccountToken.used_at.is_(None),
    ).update({AccountToken.used_at: utc_now()}, synchronize_session=False)
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}"
    hours = current_app.config["RESET_LINK_HOURS"]
    row = AccountToken(
        purpose="reset",
        token_hash=_digest(token),
        code_hash=_digest(f"{user.id}:{code}"),
        user_id=user.id,
        language=user.language,
        expires_at=utc_now() + timedelta(hours=hours),
    )
    db.session.add(row)
    db.session.flush()
    context = {"user": user, "link": link_for(token), "code": code, "hours": hours}
    channel = "sms" if (user.notify_by == "sms" or not user.email) and user.phone else None
    notify("password_reset", user, context, channel=channel, required=True)
    return row


def usable_token(token, purpose):
    """The unused, unexpired token, else a RuleBroken with a clear code and message."""
    row = db.session.scalars(
        select(AccountToken).where(
            AccountToken.token_hash == _digest(token or ""), AccountToken.purpose == purpose
        )
    ).first()
    if row is None:
        raise NotFound(_("This link is not valid. Ask for a new one."), code="unknown_link")
    if row.used_at is not None:
        raise RuleBroken(
            _("This link has already been used. Ask for a new one if you need it."),
            code="used_link",
            status=410,
        )
    if row.expires_at < utc_now():
        raise RuleBroken(
            _("This link has expired. Ask for a new one."), code="expired_link", status=410
        )
    return row


def reset_password_with_link(token, password):
    row = usable_token(token, "reset")
    return _set_new_password(row, password)


def reset_password_with_code(identifier, code, password):
    """Check the SMS code of the account's latest reset (a few tries only), then set the password."""
    failure = RuleBroken(
        _("This code is not valid or has expired. Ask for a new one."), code="bad_code"
    )
    user = find_account(identifier)
    if user is None:
        raise failure
    row = db.session.scalars(
        select(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == "reset",
            AccountToken.used_at.is_(None),
            AccountToken.expires_at >= utc_now(),
        )
        .order_by(AccountToken.id.desc())
        .with_for_update()
    ).first()
    if row is None or row.code_attempts >= CODE_ATTEMPTS:
        raise failure
    expected = row.code_hash or ""
    if not hmac.compare_digest(expected, _digest(f"{user.id}:{(code or '').strip()}")):
        row.code_attempts += 1
        db.session.flush()
        db.session.commit()  # the failed try counts even though the request ends in an error
        raise failure
    return _set_new_password(row, password)


def _set_new_password(row, password):
    check_new_password(password)
    user = row.user
    user.password_hash = hash_password(password)
    row.used_at = utc_now()
    end_sessions(user)
    revoke_api_tokens(user)
    record_activity(user, "user.password", user, label=user.username)
    return user


def change_password(user, current_password, new_password):
    if not check_password(user, current_password or ""):
        raise RuleBroken(_("The current password is not right."), field="current_password")
    check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    revoke_api_tokens(user)
    record_activity(user, "user.password", user, label=user.username)
    return user


# ---------------------------------------------------------------- invitations


def invite_user(
    actor, role, link_for, full_name="", email=None, phone=None, language="fr", cooperative=None
):
    """Invite someone by link; they choose their username and password when they accept."""
    if role not in INVITABLE_ROLES.get(actor.role, ()):
        raise Forbidden(_("You may not invite someone with this role."), field="role")
    if actor.role == "cooperative":
        cooperative = actor.cooperative
    if role == "cooperative" and cooperative is None:
        raise RuleBroken(
            _("A cooperative user must be linked to one cooperative."), field="cooperative"
        )
    if not (email or phone):
        raise RuleBroken(_("Give an e-mail address or a phone number."), field="email")
    if language not in current_app.config["LANGUAGES"]:
        language = "fr"
    token = secrets.token_urlsafe(32)
    row = AccountToken(
        purpose="invitation",
        token_hash=_digest(token),
        role=role,
        cooperative_id=cooperative.id if role == "cooperative" else None,
        full_name=(full_name or "").strip()[:200],
        email=(email or "").strip() or None,
        phone=(phone or "").strip() or None,
        language=language,
        created_by_id=actor.id,
        expires_at=utc_now() + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(row)
    db.session.flush()
    recipient = Recipient(
        name=row.full_name,
        email=row.email,
        phone=row.phone,
        language=language,
        notify_by="email" if row.email else "sms",
    )
    context = {"invitation": row, "inviter": actor, "link": link_for(token)}
    notify("invitation", recipient, context, required=True, cooperative_id=row.cooperative_id)
    record_activity(
        actor,
        "user.invite",
        row,
        label=row.full_name or row.email or row.phone,
        cooperative_id=row.cooperative_id,
        role=role,
    )
    return row


def accept_invitation(token, username, password):
    row = usable_token(token, "invitation")
    user = create_user(
        username,
        password,
        row.role,
        full_name=row.full_name,
        email=row.email,
        cooperative=row.cooperative,
    )
    user.phone = row.phone
    user.language = row.language
    user.notify_by = "email" if row.email else "sms"
    row.used_at = utc_now()
    row.user_id = user.id
    db.session.flush()
    record_activity(user, "user.join", user, label=user.username, cooperative_id=row.cooperative_id)
    return user


def pending_invitations(actor):
    query = select(AccountToken).where(
        AccountToken.purpose == "invitation",
        AccountToken.used_at.is_(None),
        AccountToken.expires_at >= utc_now(),
    )
    if actor.role == "cooperative":
        query = query.where(AccountToken.cooperative_id == actor.cooperative_id)
    return db.session.scalars(query.order_by(AccountToken.created_at.desc())).all()


# ---------------------------------------------------------------- own account


def update_contact_details(user, full_name, email, phone, language, notify_by):
    email = (email or "").strip() or None
    phone = (phone or "").strip() or None
    if phone and len(phone_digits(phone)) < 8:
        raise RuleBroken(_("This phone number looks too short."), field="phone")
    if notify_by not in NOTIFY_CHANNELS:
        raise RuleBroken(_("Choose how you want to be told."), field="notify_by")
    if notify_by == "email" and not email:
        raise RuleBroken(_("Give an e-mail address to be told by e-mail."), field="email")
    if notify_by == "sms" and not phone:
        raise RuleBroken(_("Give a phone number to be told by SMS."), field="phone")
    if language not in current_app.config["LANGUAGES"]:
        raise RuleBroken(_("Unknown language."), field="language")
    user.full_name = (full_name or "").strip()[:200]
    user.email = email
    user.phone = phone
    user.language = language
    user.notify_by = notify_by
    db.session.flush()
    return user


def cooperative_by_id(cooperative_id):
    if not str(cooperative_id or "").isdigit():
        return None
    return cooperatives.cooperative_by_id(int(cooperative_id))


def cooperative_choices():
    return [(str(key), name) for key, name in cooperatives.cooperative_choices()]


def members_of(cooperative):
    return db.session.scalars(
        select(User).where(User.cooperative_id == cooperative.id).order_by(User.username)
    ).all()


def set_member_active(member, active, actor):
    """A cooperative switches its own members' accounts on and off."""
    if actor.role == "cooperative" and member.cooperative_id != actor.cooperative_id:
        raise Forbidden(_("This person is not a member of your cooperative."))
    return set_user_active(member, active, actor)
