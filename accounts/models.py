"""Users, their roles, and the bearer tokens of the field API."""

from flask_login import UserMixin

from core.extensions import db
from core.timeutil import utc_now

ROLES = ("organiser", "volunteer", "cashier", "cooperative")


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

    cooperative = db.relationship("Cooperative", foreign_keys=[cooperative_id])

    __table_args__ = (
        db.CheckConstraint(
            "role IN ('organiser', 'volunteer', 'cashier', 'cooperative')", name="role"
        ),
        db.CheckConstraint(
            "(role = 'cooperative') = (cooperative_id IS NOT NULL)", name="cooperative_link"
        ),
    )

    @property
    def is_active(self):
        return self.active

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
