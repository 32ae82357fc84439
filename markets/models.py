"""Editions of the mobile markets, their sites in several cities, and each edition's QR
signing keys and revoked tokens."""

from datetime import datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property

from core.extensions import db
from core.i18n import LANGUAGE_NAMES
from core.timeutil import local_to_utc_naive, to_local, utc_now
from markets.territory import province_code_default

GATE_ROLES = ("entry", "exit", "both")

# An edition's lifecycle: draft -> published -> open -> closed (and open -> published, a pause).
# What each status allows is written once, below, and read through the Edition's predicates,
# in Python (`edition.takes_field_work`) and in SQL (`filter(Edition.takes_field_work)`).
EDITION_STATUSES = ("draft", "published", "open", "closed")
PUBLIC_STATUSES = ("published", "open", "closed")  # everyone may see the edition
TAKING_STATUSES = ("published", "open")  # stall applications, tickets, workshop registrations
FIELD_STATUSES = ("open",)  # gate scans, tallies, sales at the till
OPENED_STATUSES = ("open", "closed")  # the market has run: sales may be imported


class Edition(db.Model):
    __tablename__ = "editions"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    number = db.Column(db.Integer, nullable=False)
    names = db.Column(db.JSON, nullable=False, default=dict)  # {"ar": ..., "fr": ...}
    slogans = db.Column(db.JSON, nullable=False, default=dict)
    # Master data people read, per language like names ({"ar": ..., "fr": ...}), shown with
    # core.i18n.localized (falls back to French, then Arabic).
    organiser = db.Column(db.JSON, nullable=False, default=dict)
    partners = db.Column(db.JSON, nullable=False, default=dict)
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

    @hybrid_property
    def is_public(self):
        """Everyone may see it (drafts exist only for organisers)."""
        return self.status in PUBLIC_STATUSES

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return cls.status.in_(PUBLIC_STATUSES)

    @hybrid_property
    def takes_applications(self):
        """Cooperatives may apply for stalls (each site until it opens)."""
        return self.status in TAKING_STATUSES

    @takes_applications.inplace.expression
    @classmethod
    def _takes_applications_expression(cls):
        return cls.status.in_(TAKING_STATUSES)

    @hybrid_property
    def takes_registrations(self):
        """Visitors may take tickets and register for workshops."""
        return self.status in TAKING_STATUSES

    @takes_registrations.inplace.expression
    @classmethod
    def _takes_registrations_expression(cls):
        return cls.status.in_(TAKING_STATUSES)

    @hybrid_property
    def takes_field_work(self):
        """The field phones work: gate scans, tallies and sales at the till are recorded."""
        return self.status in FIELD_STATUSES

    @takes_field_work.inplace.expression
    @classmethod
    def _takes_field_work_expression(cls):
        return cls.status.in_(FIELD_STATUSES)

    @hybrid_property
    def has_opened(self):
        """The market has run (open or closed): sales made elsewhere may be imported."""
        return self.status in OPENED_STATUSES

    @has_opened.inplace.expression
    @classmethod
    def _has_opened_expression(cls):
        return cls.status.in_(OPENED_STATUSES)

    @property
    def is_closed(self):
        """A closed edition is history: nothing of it changes any more."""
        return self.status == "closed"

    def __repr__(self):
        return f"<Edition {self.slug} {self.status}>"


class Site(db.Model):
    """A market ground in one city, with its dates, daily hours, stall area and gates."""

    __tablename__ = "sites"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    slug = db.Column(db.String(80), nullable=False)
    city = db.Column(db.String(120), nullable=False)  # gazetteer name (Latin script)
    province = db.Column(db.String(120), nullable=False, default="")  # its French name
    # ISO 3166-2:MA code (markets/territory.py); derived from the name when only that is given.
    province_code = db.Column(
        db.String(6), nullable=False, index=True, default=province_code_default
    )
    names = db.Column(db.JSON, nullable=False, default=dict)
    venue = db.Column(db.JSON, nullable=False, default=dict)  # per language, like names
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

    edition = db.relationship("Edition", back_populates="sites")
    gate_list = db.relationship(
        "Gate",
        back_populates="site",
        order_by="Gate.position, Gate.id",
        cascade="all, delete-orphan",
    )

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

    @property
    def gates(self):
        """The codes of the site's gates (the field API speaks codes: ["gate-north", ...])."""
        return [gate.code for gate in self.gate_list]

    @gates.setter
    def gates(self, items):
        """Set the gates from codes or {"code", "names", "role"}: kept gates keep their names."""
        kept = {gate.code: gate for gate in self.gate_list}
        gates = []
        for position, item in enumerate(items):
            values = item if isinstance(item, dict) else {"code": item}
            gate = kept.get(values["code"]) or Gate(code=values["code"])
            gate.names = values.get("names") or gate.names or default_gate_names(position + 1)
            gate.role = values.get("role") or gate.role or "both"
            gate.position = position
            gates.append(gate)
        self.gate_list = gates

    def gate(self, code):
        return next((gate for gate in self.gate_list if gate.code == code), None)

    # A site's days and opening window, written once (dates and minutes are local time,
    # Africa/Casablanca; moments in and out are naive UTC). The scanner judges offline from the
    # windows opening_windows() computes here; it repeats none of these rules.

    @property
    def days(self):
        """Every local date the site is open, first to last."""
        return [
            self.opens_on + timedelta(days=n)
            for n in range((self.closes_on - self.opens_on).days + 1)
        ]

    def opens_at(self, day):
        """When the site opens on a local date, as naive UTC."""
        return local_to_utc_naive(
            datetime.combine(day, time()) + timedelta(minutes=self.opens_minute)
        )

    def closes_at(self, day):
        """When the site closes on a local date, as naive UTC."""
        return local_to_utc_naive(
            datetime.combine(day, time()) + timedelta(minutes=self.closes_minute)
        )

    @property
    def first_opening(self):
        """When the site first opens, as naive UTC (stall applications close then)."""
        return self.opens_at(self.opens_on)

    @property
    def last_closing(self):
        """When the site closes for the last time, as naive UTC."""
        return self.closes_at(self.closes_on)

    def opening_windows(self):
        """[(opens, closes)] per day as naive UTC, closing excluded: the scanner's offline copy."""
        return [(self.opens_at(day), self.closes_at(day)) for day in self.days]

    def is_open_at(self, moment_utc):
        """Whether a naive UTC moment falls in the window of its local day. A window never leaves
        its day (Morocco changes its clock at night), so this is "inside one of
        opening_windows()", Morocco's clock changes included."""
        day = to_local(moment_utc).date()
        if not self.opens_on <= day <= self.closes_on:
            return False
        return self.opens_at(day) <= moment_utc < self.closes_at(day)

    def takes_applications_at(self, moment_utc):
        """Cooperatives may apply for a stall here: the edition takes applications and the
        site has not opened yet."""
        return self.edition.takes_applications and moment_utc < self.first_opening

    def __repr__(self):
        return f"<Site {self.slug} of edition {self.edition_id}>"


def default_gate_names(number):
    """ "Gate 1" in every language, for a gate made from a bare code."""
    names = {}
    for language in LANGUAGE_NAMES:
        with force_locale(language):
            names[language] = str(_l("Gate %(number)s", number=number))
    return names


class Gate(db.Model):
    """A way into (or out of) a site: named in every language; its code stays internal."""

    __tablename__ = "gates"

    id = db.Column(db.Integer, primary_key=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    code = db.Column(db.String(80), nullable=False)
    names = db.Column(db.JSON, nullable=False, default=dict)
    role = db.Column(db.String(10), nullable=False, default="both")
    position = db.Column(db.Integer, nullable=False, default=0)

    site = db.relationship("Site", back_populates="gate_list")

    __table_args__ = (
        db.UniqueConstraint("site_id", "code"),
        db.CheckConstraint("role IN ('entry', 'exit', 'both')", name="role"),
    )

    def __repr__(self):
        return f"<Gate {self.code} of site {self.site_id}>"


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
