"""Shared tables: the signing keys of each edition and the list of revoked QR tokens."""

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
