"""Visitors: tickets, gate scans, first entries per site, tallies and hourly attendance counters.

Counting rules (API.md, *Attendance*): a ticket holder is one unique visitor per site (the first
entry, `first_entries`, unique per site and token), every accepted or re-entry scan is an entry,
and a tally adds visitors without a ticket. `attendance_hours` keeps those three numbers per site
and UTC hour, updated in the same transaction as the scans (``SET n = n + k``), so that the
dashboard reads a few hundred rows however many scans there are.
"""

from core.extensions import db
from core.timeutil import utc_now

TICKET_SOURCES = ("public", "batch", "gate")
SCAN_STATUSES = (
    "accepted",
    "reentry",
    "exhibitor",
    "invalid",
    "revoked",
    "wrong_edition",
    "wrong_site",
    "not_open",
    "rejected",
)
DIRECTIONS = ("in", "out")
TALLY_STATUSES = ("accepted", "rejected")


class Ticket(db.Model):
    """A free visitor ticket: a signed QR token of kind V, valid at every site of its edition."""

    __tablename__ = "tickets"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    token_id = db.Column(db.String(16), nullable=False, unique=True)
    code = db.Column(db.Text, nullable=False)
    name = db.Column(db.String(200), nullable=True)
    phone = db.Column(db.String(40), nullable=True)
    city = db.Column(db.String(120), nullable=True)
    consent = db.Column(db.Boolean, nullable=False, default=False)
    source = db.Column(db.String(10), nullable=False, default="public")
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    edition = db.relationship("Edition")

    __table_args__ = (db.CheckConstraint("source IN ('public', 'batch', 'gate')", name="source"),)

    def __repr__(self):
        return f"<Ticket {self.token_id} edition={self.edition_id} {self.source}>"


class TicketCount(db.Model):
    """How many tickets an edition has from each source: kept by every write that makes tickets
    (``SET count = count + n``, visitors.services.counters), read by the attendance page."""

    __tablename__ = "ticket_counts"

    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), primary_key=True)
    source = db.Column(db.String(10), primary_key=True)
    count = db.Column(db.Integer, nullable=False, default=0)

    def __repr__(self):
        return f"<TicketCount edition={self.edition_id} {self.source}={self.count}>"


class Scan(db.Model):
    """One scan sent by a phone, kept with the device's time and the server's time.

    ``client_id`` is the phone's UUID: a scan sent again is found by it and answered with its
    first result. Rejected scans that carried an id are kept too, so that a retry gets the same
    answer; the edition, site and times are then null when the phone sent nonsense.
    """

    __tablename__ = "scans"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.String(64), nullable=False, unique=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=True)
    checkpoint = db.Column(db.String(80), nullable=True)
    direction = db.Column(db.String(3), nullable=False, default="in")
    code = db.Column(db.String(200), nullable=True)
    # Not indexed: nothing reads scans by token (re-entries are judged from first_entries), and
    # an index of random tokens cost every batch of scans hundreds of scattered pages.
    token_id = db.Column(db.String(16), nullable=True)
    kind = db.Column(db.String(10), nullable=True)  # visitor | exhibitor | null
    status = db.Column(db.String(20), nullable=False)
    error = db.Column(db.String(300), nullable=True)
    scanned_at = db.Column(db.DateTime, nullable=True)  # device time (naive UTC)
    received_at = db.Column(db.DateTime, nullable=False, default=utc_now)  # server time
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    __table_args__ = (
        db.CheckConstraint(
            "status IN ('accepted', 'reentry', 'exhibitor', 'invalid', 'revoked', "
            "'wrong_edition', 'wrong_site', 'not_open', 'rejected')",
            name="status",
        ),
        db.CheckConstraint("direction IN ('in', 'out')", name="direction"),
        db.Index("ix_scans_site_status_scanned", "site_id", "status", "scanned_at"),
    )

    def __repr__(self):
        return f"<Scan {self.client_id} {self.status}>"


class FirstEntry(db.Model):
    """The first entry of a ticket holder at a site: the unique key that makes `accepted` race-safe."""

    __tablename__ = "first_entries"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False)
    token_id = db.Column(db.String(16), nullable=False)
    scan_client_id = db.Column(db.String(64), nullable=False)
    entered_at = db.Column(db.DateTime, nullable=False)

    __table_args__ = (db.UniqueConstraint("site_id", "token_id"),)

    def __repr__(self):
        return f"<FirstEntry {self.token_id} site={self.site_id}>"


class EditionEntry(db.Model):
    """The first entry of a ticket holder at any site of the edition (one visitor of the edition)."""

    __tablename__ = "edition_entries"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False)
    token_id = db.Column(db.String(16), nullable=False)
    entered_at = db.Column(db.DateTime, nullable=False)

    __table_args__ = (db.UniqueConstraint("edition_id", "token_id"),)

    def __repr__(self):
        return f"<EditionEntry {self.token_id} edition={self.edition_id}>"


class Tally(db.Model):
    """Visitors without a ticket counted with the +1 button, sent by the phone with a UUID."""

    __tablename__ = "tallies"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.String(64), nullable=False, unique=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=True, index=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=True)
    checkpoint = db.Column(db.String(80), nullable=True)
    count = db.Column(db.Integer, nullable=False, default=0)
    status = db.Column(db.String(10), nullable=False)
    error = db.Column(db.String(300), nullable=True)
    counted_at = db.Column(db.DateTime, nullable=True)  # device time (naive UTC)
    received_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    __table_args__ = (
        db.CheckConstraint("status IN ('accepted', 'rejected')", name="status"),
        db.CheckConstraint("count >= 0 AND count <= 500", name="count_range"),
    )

    def __repr__(self):
        return f"<Tally {self.client_id} {self.count}>"


class AttendanceHour(db.Model):
    """Counters per site and UTC hour, incremented with the scans and tallies that feed them."""

    __tablename__ = "attendance_hours"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False)
    hour = db.Column(db.DateTime, nullable=False)  # start of the UTC hour (naive)
    visitors = db.Column(db.Integer, nullable=False, default=0)  # first entries (ticket holders)
    # first entries that were also the ticket's first at any site of the edition
    edition_visitors = db.Column(db.Integer, nullable=False, default=0)
    entries = db.Column(db.Integer, nullable=False, default=0)  # accepted + reentry scans
    tallied = db.Column(db.Integer, nullable=False, default=0)

    __table_args__ = (db.UniqueConstraint("site_id", "hour"),)

    def __repr__(self):
        return f"<AttendanceHour site={self.site_id} {self.hour:%Y-%m-%d %H}h>"
