"""Workshops: the programme, registrations with a waiting list, attendance, certificates,
feedback, and the outbox of messages the organiser sends by hand (there is no SMS gateway)."""

from core.extensions import db
from core.i18n import localized
from core.timeutil import utc_now

TOPICS = (
    "marketing",
    "online_selling",
    "management",  # administrative and financial management
    "quality",  # quality and certification
    "success_stories",
    "other",
)
FORMATS = ("workshop", "seminar", "talk")
AUDIENCES = ("cooperatives", "public")
REGISTRATION_STATUSES = ("registered", "waitlisted", "cancelled")
GENDERS = ("female", "male")
ATTENDANCE_SOURCES = ("scan", "walk_in")
MESSAGE_KINDS = ("promotion", "cancellation")


def quoted(values):
    return ", ".join(f"'{value}'" for value in values)


class Room(db.Model):
    """A room or tent of a site: named in every language; its code stays internal."""

    __tablename__ = "rooms"

    id = db.Column(db.Integer, primary_key=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    code = db.Column(db.String(80), nullable=False)
    names = db.Column(db.JSON, nullable=False, default=dict)
    position = db.Column(db.Integer, nullable=False, default=0)

    site = db.relationship("Site")

    __table_args__ = (db.UniqueConstraint("site_id", "code"),)

    @property
    def name(self):
        """The room's name in the request's language (with the usual fallback)."""
        return localized(self.names)

    def __repr__(self):
        return f"<Room {self.code} of site {self.site_id}>"


class Workshop(db.Model):
    """A session of the programme: a workshop, seminar or talk in a room of a site."""

    __tablename__ = "workshops"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False)
    titles = db.Column(db.JSON, nullable=False, default=dict)  # {"ar", "fr", "en", "es", "zgh"}
    descriptions = db.Column(db.JSON, nullable=False, default=dict)
    topic = db.Column(db.String(30), nullable=False)
    format = db.Column(db.String(20), nullable=False, default="workshop")
    room_id = db.Column(db.Integer, db.ForeignKey("rooms.id"), nullable=False, index=True)
    capacity = db.Column(db.Integer, nullable=False)
    starts_at = db.Column(db.DateTime, nullable=False)  # naive UTC
    ends_at = db.Column(db.DateTime, nullable=False)
    audience = db.Column(db.String(20), nullable=False, default="public")
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    edition = db.relationship("Edition")
    site = db.relationship("Site")
    place = db.relationship("Room")
    speakers = db.relationship(
        "Speaker",
        back_populates="workshop",
        order_by="Speaker.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        db.CheckConstraint(f"topic IN ({quoted(TOPICS)})", name="topic"),
        db.CheckConstraint(f"format IN ({quoted(FORMATS)})", name="format"),
        db.CheckConstraint(f"audience IN ({quoted(AUDIENCES)})", name="audience"),
        db.CheckConstraint("capacity > 0", name="capacity_positive"),
        db.CheckConstraint("ends_at > starts_at", name="times_ordered"),
        db.Index("ix_workshops_site_starts", "site_id", "starts_at"),
    )

    @property
    def room(self):
        """The room's name in the request's language (pages, PDFs, .ics and the API show it)."""
        return self.place.name if self.place is not None else ""

    @room.setter
    def room(self, room):
        self.place = room

    def __repr__(self):
        return f"<Workshop {self.id} {self.topic} site={self.site_id} {self.starts_at}>"


class Speaker(db.Model):
    __tablename__ = "workshop_speakers"

    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(
        db.Integer, db.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False, default=0)
    name = db.Column(db.String(200), nullable=False)
    # The name folded (lower case, single spaces) to find a speaker booked twice.
    name_key = db.Column(db.String(200), nullable=False, index=True)
    organisation = db.Column(db.String(200), nullable=False, default="")
    bio = db.Column(db.Text, nullable=False, default="")

    workshop = db.relationship("Workshop", back_populates="speakers")

    def __repr__(self):
        return f"<Speaker {self.name} workshop={self.workshop_id}>"


class Registration(db.Model):
    """A seat (or a place on the waiting list) for one person at one workshop."""

    __tablename__ = "workshop_registrations"

    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(db.Integer, db.ForeignKey("workshops.id"), nullable=False)
    # A random key: the person's own page (status, cancellation, survey, certificate).
    key = db.Column(db.String(32), nullable=False, unique=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=True, index=True
    )
    person_name = db.Column(db.String(200), nullable=False)
    phone = db.Column(db.String(40), nullable=False)
    phone_key = db.Column(db.String(40), nullable=False)  # digits only, to spot duplicates
    gender = db.Column(db.String(10), nullable=True)
    under_35 = db.Column(db.Boolean, nullable=True)
    status = db.Column(db.String(20), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    promoted_at = db.Column(db.DateTime, nullable=True)  # moved from the waiting list
    promotion_seen_at = db.Column(db.DateTime, nullable=True)  # the person saw the news
    cancelled_at = db.Column(db.DateTime, nullable=True)
    cancelled_by = db.Column(db.String(20), nullable=True)  # person | cooperative | organiser

    workshop = db.relationship("Workshop")
    cooperative = db.relationship("Cooperative")

    __table_args__ = (
        db.CheckConstraint(f"status IN ({quoted(REGISTRATION_STATUSES)})", name="status"),
        db.CheckConstraint(f"gender IS NULL OR gender IN ({quoted(GENDERS)})", name="gender"),
        db.Index("ix_workshop_registrations_queue", "workshop_id", "status", "id"),
        db.Index("ix_workshop_registrations_phone", "workshop_id", "phone_key"),
    )

    @property
    def promotion_unseen(self):
        return self.promoted_at is not None and self.promotion_seen_at is None

    def __repr__(self):
        return f"<Registration {self.id} workshop={self.workshop_id} {self.status}>"


class Attendance(db.Model):
    """A person recorded at a workshop: by a scan at the door or added as a walk-in."""

    __tablename__ = "workshop_attendance"

    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(db.Integer, db.ForeignKey("workshops.id"), nullable=False)
    token_id = db.Column(db.String(16), nullable=True)  # the badge or ticket scanned
    token_kind = db.Column(db.String(1), nullable=True)  # V or E
    registration_id = db.Column(
        db.Integer, db.ForeignKey("workshop_registrations.id"), nullable=True
    )
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=True, index=True
    )
    person_name = db.Column(db.String(200), nullable=False, default="")
    gender = db.Column(db.String(10), nullable=True)
    under_35 = db.Column(db.Boolean, nullable=True)
    source = db.Column(db.String(10), nullable=False)
    key = db.Column(db.String(32), nullable=False, unique=True)  # the survey link
    attended_at = db.Column(db.DateTime, nullable=False)  # when scanned (device time) or added
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    workshop = db.relationship("Workshop")
    registration = db.relationship("Registration")
    cooperative = db.relationship("Cooperative")

    __table_args__ = (
        db.UniqueConstraint("workshop_id", "token_id"),
        db.UniqueConstraint("workshop_id", "registration_id"),
        db.CheckConstraint(f"source IN ({quoted(ATTENDANCE_SOURCES)})", name="source"),
        db.CheckConstraint(f"gender IS NULL OR gender IN ({quoted(GENDERS)})", name="gender"),
    )

    def __repr__(self):
        return f"<Attendance {self.id} workshop={self.workshop_id} {self.source}>"


class Certificate(db.Model):
    """An attendance certificate with a signed QR (markets.tokens kind C)."""

    __tablename__ = "workshop_certificates"

    id = db.Column(db.Integer, primary_key=True)
    attendance_id = db.Column(
        db.Integer, db.ForeignKey("workshop_attendance.id"), nullable=False, unique=True
    )
    token_id = db.Column(db.String(16), nullable=False, unique=True)
    code = db.Column(db.Text, nullable=False)
    issued_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    attendance = db.relationship("Attendance")

    def __repr__(self):
        return f"<Certificate {self.token_id} attendance={self.attendance_id}>"


class Feedback(db.Model):
    """One survey answer per attendance."""

    __tablename__ = "workshop_feedback"

    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(db.Integer, db.ForeignKey("workshops.id"), nullable=False, index=True)
    attendance_id = db.Column(
        db.Integer, db.ForeignKey("workshop_attendance.id"), nullable=False, unique=True
    )
    rating = db.Column(db.Integer, nullable=False)
    useful = db.Column(db.Text, nullable=False, default="")
    improve = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    __table_args__ = (db.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    def __repr__(self):
        return f"<Feedback {self.rating} workshop={self.workshop_id}>"


class Message(db.Model):
    """The outbox: a text the organiser sends by hand (no SMS gateway), then marks as sent."""

    __tablename__ = "workshop_messages"

    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(db.Integer, db.ForeignKey("workshops.id"), nullable=False, index=True)
    registration_id = db.Column(
        db.Integer, db.ForeignKey("workshop_registrations.id"), nullable=False, index=True
    )
    kind = db.Column(db.String(20), nullable=False)
    phone = db.Column(db.String(40), nullable=False)
    language = db.Column(db.String(8), nullable=False, default="fr")  # "zgh" has three letters
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    sent_at = db.Column(db.DateTime, nullable=True)
    sent_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    workshop = db.relationship("Workshop")
    registration = db.relationship("Registration")

    __table_args__ = (db.CheckConstraint(f"kind IN ({quoted(MESSAGE_KINDS)})", name="kind"),)

    def __repr__(self):
        return f"<Message {self.kind} to={self.phone} sent={self.sent_at}>"
