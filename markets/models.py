"""Editions of the mobile markets, their sites in several cities, and each edition's QR
signing keys and revoked tokens."""

from core.extensions import db
from core.timeutil import utc_now

EDITION_STATUSES = ("draft", "published", "open", "closed")


class Edition(db.Model):
    __tablename__ = "editions"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    number = db.Column(db.Integer, nullable=False)
    names = db.Column(db.JSON, nullable=False, default=dict)  # {"ar": ..., "fr": ...}
    slogans = db.Column(db.JSON, nullable=False, default=dict)
    organiser = db.Column(db.String(300), nullable=False, default="")
    partners = db.Column(db.Text, nullable=False, default="")
    visitor_target = db.Column(db.Integer, nullable=False)
    commission_basis_points = db.Column(db.Integer, nullable=False, default=0)  # 100 = 1 %
    starts_on = db.Column(db.Date, nullable=False)
    ends_on = db.Column(db.Date, nullable=False)
    status = db.Column(db.String(20), nullable=False, default="draft", index=True)
    previous_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    sites = db.relationship(
        "Site",
        back_populates="edition",
        order_by="Site.opens_on, Site.slug",
        cascade="all, delete-orphan",
    )
    previous = db.relationship("Edition", remote_side=[id])

    __table_args__ = (
        db.CheckConstraint("status IN ('draft', 'published', 'open', 'closed')", name="status"),
        db.CheckConstraint("visitor_target > 0", name="target_positive"),
        db.CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        db.CheckConstraint(
            "commission_basis_points >= 0 AND commission_basis_points <= 10000", name="commission"
        ),
    )

    def site(self, slug):
        return next((site for site in self.sites if site.slug == slug), None)

    def __repr__(self):
        return f"<Edition {self.slug} {self.status}>"


class Site(db.Model):
    """A market ground in one city, with its dates, daily hours, stall area and gates."""

    __tablename__ = "sites"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    slug = db.Column(db.String(80), nullable=False)
    city = db.Column(db.String(120), nullable=False)  # gazetteer name (Latin script)
    province = db.Column(db.String(120), nullable=False, default="")
    names = db.Column(db.JSON, nullable=False, default=dict)
    venue = db.Column(db.String(300), nullable=False, default="")
    address = db.Column(db.String(300), nullable=False, default="")
    latitude = db.Column(db.Float, nullable=False)
    longitude = db.Column(db.Float, nullable=False)
    area_m2 = db.Column(db.Integer, nullable=False)
    opens_on = db.Column(db.Date, nullable=False)
    closes_on = db.Column(db.Date, nullable=False)
    # Daily hours in minutes after local midnight (Africa/Casablanca); 0..1440 is round the clock.
    opens_minute = db.Column(db.Integer, nullable=False, default=600)
    closes_minute = db.Column(db.Integer, nullable=False, default=1320)
    visitor_target = db.Column(db.Integer, nullable=False)
    gates = db.Column(db.JSON, nullable=False, default=list)  # ["gate-north", ...]

    edition = db.relationship("Edition", back_populates="sites")

    __table_args__ = (
        db.UniqueConstraint("edition_id", "slug"),
        db.CheckConstraint("area_m2 > 0", name="area_positive"),
        db.CheckConstraint("visitor_target > 0", name="target_positive"),
        db.CheckConstraint("closes_on >= opens_on", name="dates_ordered"),
        db.CheckConstraint(
            "opens_minute >= 0 AND closes_minute <= 1440 AND opens_minute < closes_minute",
            name="hours_ordered",
        ),
    )

    def __repr__(self):
        return f"<Site {self.slug} of edition {self.edition_id}>"


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
