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
