"""Phones provisioned by QR for an edition: one-time links, device tokens, reports, revocation.

An organiser creates a device (a name, who it is lent to, a role, optionally a site and gate);
the page shows a one-time link, as a QR code, that expires after DEVICE_LINK_MINUTES. Opening it
on the phone and confirming installs a device token: a bearer token of the device's own account
(no password is ever typed), valid until a few days after the edition ends, and scoped to that
edition by the field API. Revoking deactivates that account at once: its token answers 401
``device_revoked`` with a plain message and the phone keeps its queue.

Hand-over rule for scans made before a revocation: the phone stamps every scan with its device
id; an organiser who signs in on the revoked phone sends its queue with the organiser's token.
The server records the scans the phone made before the revocation (``scanned_at`` earlier than
``revoked_at``) and rejects the later ones: a phone reported lost may have been used by someone
else after that moment. See visitors.api.judge_device_scans.
"""

import hashlib
import secrets
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _

from accounts.activity import record_activity
from accounts.models import DEVICE_ROLES, Device, User
from accounts.services import issue_api_token
from core.errors import Forbidden, Gone, NotFound, RuleBroken
from core.extensions import db
from core.timeutil import parse_iso, utc_now

MAX_QUEUE = 10_000_000


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def create_device(edition, values, actor):
    """A new device of the edition; returns (device, one-time link token)."""
    if edition.status == "closed":
        raise Forbidden(_("A closed edition can no longer be changed."))
    name = (values.get("name") or "").strip()
    if not name or len(name) > 120:
        raise RuleBroken(_("Give the phone a name of 1 to 120 characters."), field="name")
    role = values.get("role") or "volunteer"
    if role not in DEVICE_ROLES:
        raise RuleBroken(_("Choose volunteer or cashier."), field="role")
    site = values.get("site")
    if site is not None and site.edition_id != edition.id:
        raise RuleBroken(_("Choose a site of this edition."), field="site")
    gate = values.get("gate") or None
    if gate and (site is None or site.gate(gate) is None):
        raise RuleBroken(_("Choose a gate of the chosen site."), field="gate")
    user = User(
        username=f"device-{secrets.token_hex(8)}",
        full_name=name,
        password_hash="!",  # never matches: a device never signs in with a password
        role=role,
    )
    device = Device(
        edition=edition,
        user=user,
        name=name,
        lent_to=(values.get("lent_to") or "").strip()[:200],
        role=role,
        site=site,
        gate_code=gate,
        created_by=actor,
    )
    db.session.add_all([user, device])
    link = new_device_link(device, actor, log=False)
    record_activity(
        actor, "device.change", device, label=name, change="create", role=role, gate=gate
    )
    return device, link


def new_device_link(device, actor, log=True):
    """A fresh one-time provisioning link (the previous one stops working)."""
    if device.revoked_at is not None:
        raise Forbidden(_("This phone was revoked: create a new device."))
    link = secrets.token_urlsafe(24)
    device.link_hash = digest(link)
    device.link_expires_at = utc_now() + timedelta(
        minutes=current_app.config.get("DEVICE_LINK_MINUTES", 30)
    )
    db.session.flush()
    if log:
        record_activity(actor, "device.change", device, label=device.name, change="new_link")
    return link


def device_for_link(link):
    """The device a provisioning link installs; Gone when it expired or was used."""
    device = (
        db.session.query(Device).filter_by(link_hash=digest(link or "")).first() if link else None
    )
    if device is None:
        raise Gone(
            _(
                "This link was already used or replaced by a newer one. Ask an organiser for a new QR code."
            ),
            code="link_used",
        )
    if device.revoked_at is not None:
        raise Gone(_("This phone was revoked. Ask an organiser for a new QR code."), code="revoked")
    if device.link_expires_at < utc_now():
        raise Gone(
            _("This link has expired. Ask an organiser for a new QR code."), code="link_expired"
        )
    return device


def device_token_expiry(device):
    """A few days after the edition ends, so that late scans can still be sent."""
    end = datetime.combine(device.edition.ends_on + timedelta(days=3), time(23, 59))
    return max(end, utc_now() + timedelta(hours=1))


def provision_device(link):
    """Use a one-time link: returns (device, device token, expiry)."""
    device = device_for_link(link)
    device.link_hash = None
    device.link_expires_at = None
    device.provisioned_at = utc_now()
    device.last_seen_at = utc_now()
    token, expires_at = issue_api_token(device.user, device_token_expiry(device))
    # Nobody signs in to provision: the phone's own account is the actor.
    record_activity(device.user, "device.change", device, label=device.name, change="provision")
    return device, token, expires_at


def revoke_device(device, actor):
    """Stop the phone's token at once (its account is deactivated); the phone keeps its queue."""
    if device.revoked_at is None:
        device.revoked_at = utc_now()
        device.user.active = False
        device.link_hash = None
        device.link_expires_at = None
        db.session.flush()
        record_activity(actor, "device.change", device, label=device.name, change="revoke")
    return device


def device_of(user):
    """The device a bearer token's account belongs to, or None for a person."""
    if user is None or not user.username.startswith("device-"):
        return None
    return db.session.query(Device).filter_by(user_id=user.id).first()


def get_device(edition, device_id):
    device = db.session.get(Device, device_id)
    if device is None or device.edition_id != edition.id:
        raise NotFound(_("No such device."))
    return device


def list_devices(edition):
    return (
        db.session.query(Device)
        .filter_by(edition_id=edition.id)
        .order_by(Device.revoked_at.is_not(None), Device.name, Device.id)
        .all()
    )


def record_device_report(device, report):
    """What the phone reports after each sync: app version, queue size, oldest unsent item."""
    version = report.get("app_version")
    size = report.get("queue_size")
    if version is not None and (not isinstance(version, str) or len(version) > 40):
        raise RuleBroken(_("The app version is a short text."), field="app_version")
    if size is not None and (
        not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_QUEUE
    ):
        raise RuleBroken(_("The queue size is a whole number."), field="queue_size")
    device.last_seen_at = utc_now()
    device.app_version = version
    device.queue_size = size
    oldest = report.get("oldest_unsent_at")
    try:
        device.oldest_unsent_at = parse_iso(oldest) if oldest else None
    except (TypeError, ValueError):
        raise RuleBroken(
            _("The oldest unsent item needs an ISO time."), field="oldest_unsent_at"
        ) from None
    db.session.flush()
    return device


def note_device_scans(device, latest_scanned_at):
    device.last_seen_at = utc_now()
    if latest_scanned_at and (
        device.last_scan_at is None or latest_scanned_at > device.last_scan_at
    ):
        device.last_scan_at = latest_scanned_at
