"""Users, their roles, and the bearer tokens of the field API."""

from flask_login import UserMixin

from core.extensions import db
from core.timeutil import utc_now

ROLES = ("organiser", "volunteer", "cashier", "cooperative")
NOTIFY_CHANNELS = ("email", "sms", "none")
TOKEN_PURPOSES = ("reset", "invitation")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False, unique=True)
    full_name = db.Column(db.String(200), nullable=False, default="")
    email = db.Column(db.String(200), nullable=True)
    password_hash = db.Column(db.String(255), nullable=False)
    role = db.Column(db.String(20), nullable=False)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=True, index=True
    )
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    last_login_at = db.Column(db.DateTime, nullable=True)
    phone = db.Column(db.String(40), nullable=True)
    language = db.Column(db.String(5), nullable=False, default="fr", server_default="fr")
    notify_by = db.Column(db.String(10), nullable=False, default="email", server_default="email")
    # Part of the session id: bumping it (logout, new password, deactivation) ends every session.
    session_version = db.Column(db.Integer, nullable=False, default=1, server_default="1")

    cooperative = db.relationship("Cooperative", foreign_keys=[cooperative_id])

    __table_args__ = (
        db.CheckConstraint(
            "role IN ('organiser', 'volunteer', 'cashier', 'cooperative')", name="role"
        ),
        db.CheckConstraint(
            "(role = 'cooperative') = (cooperative_id IS NOT NULL)", name="cooperative_link"
        ),
        db.CheckConstraint("notify_by IN ('email', 'sms', 'none')", name="notify_by"),
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """The id Flask-Login keeps in the session and remember cookies: user id and version."""
        return f"{self.id}.{self.session_version}"

    def has_role(self, *roles):
        return self.role in roles

    def __repr__(self):
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    expires_at = db.Column(db.DateTime, nullable=False)

    user = db.relationship("User")

    def __repr__(self):
        return f"<ApiToken user={self.user_id} expires={self.expires_at}>"


class AccountToken(db.Model):
    """A single-use password-reset link (and SMS code) or invitation; only hashes are stored."""

    __tablename__ = "account_tokens"

    id = db.Column(db.Integer, primary_key=True)
    purpose = db.Column(db.String(12), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    code_hash = db.Column(db.String(64), nullable=True)  # the SMS code of a reset
    code_attempts = db.Column(db.Integer, nullable=False, default=0)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    # What an invitation creates once accepted.
    role = db.Column(db.String(20), nullable=True)
    cooperative_id = db.Column(db.Integer, db.ForeignKey("cooperatives.id"), nullable=True)
    full_name = db.Column(db.String(200), nullable=False, default="")
    email = db.Column(db.String(200), nullable=True)
    phone = db.Column(db.String(40), nullable=True)
    language = db.Column(db.String(5), nullable=False, default="fr")
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime, nullable=True)

    user = db.relationship("User", foreign_keys=[user_id])
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    cooperative = db.relationship("Cooperative", foreign_keys=[cooperative_id])

    __table_args__ = (db.CheckConstraint("purpose IN ('reset', 'invitation')", name="purpose"),)

    def __repr__(self):
        return f"<AccountToken {self.purpose} user={self.user_id} used={self.used_at}>"


DEVICE_ROLES = ("volunteer", "cashier")


class Device(db.Model):
    """A phone lent for an edition, provisioned by a one-time QR link instead of a password.

    It acts through its own account (``user``, role volunteer or cashier, no password), so that
    its device token passes the same role checks as a person's; the device row scopes it to one
    edition (and optionally a site and gate) and keeps what the phone reports at each sync.
    Only the SHA-256 of the provisioning link is stored.
    """

    __tablename__ = "devices"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    lent_to = db.Column(db.String(200), nullable=False, default="")
    role = db.Column(db.String(20), nullable=False, default="volunteer")
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=True)
    gate_code = db.Column(db.String(80), nullable=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    link_hash = db.Column(db.String(64), nullable=True, unique=True)
    link_expires_at = db.Column(db.DateTime, nullable=True)
    provisioned_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)
    last_seen_at = db.Column(db.DateTime, nullable=True)
    app_version = db.Column(db.String(40), nullable=True)
    queue_size = db.Column(db.Integer, nullable=True)
    oldest_unsent_at = db.Column(db.DateTime, nullable=True)
    last_scan_at = db.Column(db.DateTime, nullable=True)

    user = db.relationship("User", foreign_keys=[user_id])
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    edition = db.relationship("Edition")
    site = db.relationship("Site")

    __table_args__ = (
        db.CheckConstraint("role IN ('volunteer', 'cashier')", name="role"),
        db.CheckConstraint("queue_size IS NULL OR queue_size >= 0", name="queue_size"),
    )

    @property
    def status(self):
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.provisioned_at is not None else "waiting"

    def __repr__(self):
        return f"<Device {self.id} {self.name!r} edition={self.edition_id} {self.status}>"


class FieldReport(db.Model):
    """Something a phone could not deliver (a scan, tally or sale that needs a person).

    The field queue keeps the entry on the phone and reports it here so that the organiser
    sees it too (issue 10); one row per entry (the phone's UUID), updated when reported again.
    """

    __tablename__ = "field_reports"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.String(64), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    kind = db.Column(db.String(20), nullable=False)  # scan, tally, sale, refund, other
    http_status = db.Column(db.Integer, nullable=True)
    error_code = db.Column(db.String(60), nullable=True)
    error_message = db.Column(db.String(500), nullable=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    body = db.Column(db.Text, nullable=False, default="{}")
    first_reported_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    reported_at = db.Column(db.DateTime, nullable=False, default=utc_now, index=True)

    user = db.relationship("User")

    def __repr__(self):
        return f"<FieldReport {self.kind} {self.client_id} {self.http_status}>"


MESSAGE_STATES = ("queued", "sent", "failed", "retried")


class OutboundMessage(db.Model):
    """One e-mail or SMS, rendered in its recipient's language when queued, then sent."""

    __tablename__ = "outbound_messages"

    id = db.Column(db.Integer, primary_key=True)
    event = db.Column(db.String(40), nullable=False)
    channel = db.Column(db.String(10), nullable=False)
    recipient_user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    recipient_name = db.Column(db.String(200), nullable=False, default="")
    address = db.Column(db.String(200), nullable=False)  # e-mail address or phone number
    language = db.Column(db.String(5), nullable=False, default="fr")
    subject = db.Column(db.String(300), nullable=False, default="")
    body_text = db.Column(db.Text, nullable=False)
    body_html = db.Column(db.Text, nullable=True)
    attachment_name = db.Column(db.String(200), nullable=True)
    attachment_type = db.Column(db.String(100), nullable=True)
    attachment = db.Column(db.LargeBinary, nullable=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=True, index=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=True, index=True
    )
    state = db.Column(db.String(10), nullable=False, default="queued")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.String(500), nullable=False, default="")
    next_attempt_at = db.Column(db.DateTime, nullable=True, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    sent_at = db.Column(db.DateTime, nullable=True)
    sent_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    __table_args__ = (
        db.CheckConstraint("channel IN ('email', 'sms')", name="channel"),
        db.CheckConstraint("state IN ('queued', 'sent', 'failed', 'retried')", name="state"),
    )

    def __repr__(self):
        return f"<OutboundMessage {self.event} {self.channel} {self.state}>"


class ActivityEntry(db.Model):
    """Append-only: who did what, when, to what and why (see core.activity)."""

    __tablename__ = "activity_log"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    actor_name = db.Column(db.String(200), nullable=False, default="")
    action = db.Column(db.String(40), nullable=False, index=True)
    subject_type = db.Column(db.String(40), nullable=False)
    subject_id = db.Column(db.Integer, nullable=True)
    subject_label = db.Column(db.String(300), nullable=False, default="")
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=True, index=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=True, index=True
    )
    reason = db.Column(db.Text, nullable=False, default="")
    details = db.Column(db.JSON, nullable=False, default=dict)

    def __repr__(self):
        return f"<ActivityEntry {self.action} {self.subject_type}:{self.subject_id}>"
