"""Shared tables: signing keys, revoked QR tokens, the message outbox and the activity log."""

from core.extensions import db
from core.timeutil import utc_now


class SigningKey(db.Model):
    """An Ed25519 key pair of an edition; the private half never leaves the server."""

    __tablename__ = "signing_keys"

    id = db.Column(db.Integer, primary_key=True)
    kid = db.Column(db.String(8), nullable=False, unique=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    private_key = db.Column(db.LargeBinary, nullable=False)
    public_key = db.Column(db.LargeBinary, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    def __repr__(self):
        return f"<SigningKey {self.kid} edition={self.edition_id}>"


class RevokedToken(db.Model):
    """A token id that must scan as `revoked` (a reissued badge, a cancelled ticket)."""

    __tablename__ = "revoked_tokens"

    token_id = db.Column(db.String(16), primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    reason = db.Column(db.String(200), nullable=False, default="")
    revoked_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    def __repr__(self):
        return f"<RevokedToken {self.token_id}>"


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
