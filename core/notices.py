"""Notices the scheduled work decides to send (an overdue payout, a deadline tomorrow).

Each notice is recorded here, once per kind and subject, in the same transaction as the messages
the feature sends for it (accounts.messaging.notify): the unique (kind, subject) makes the
scheduled tasks idempotent, so a notice is never sent twice.
"""

from core.database import conflict_insert
from core.extensions import db
from core.timeutil import utc_now


class ScheduledNotice(db.Model):
    """What the scheduled work would tell someone (the outbox until notifications land)."""

    __tablename__ = "scheduled_notices"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)
    subject = db.Column(db.String(120), nullable=False)  # e.g. "payout:12"
    audience = db.Column(db.String(40), nullable=False)  # a role ("organiser") or "cooperative:7"
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=True, index=True)
    payload = db.Column(db.JSON, nullable=False, default=dict)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    __table_args__ = (db.UniqueConstraint("kind", "subject", name="uq_scheduled_notices_subject"),)

    def __repr__(self):
        return f"<ScheduledNotice {self.kind} {self.subject}>"


def record_notices(kind, notices, now=None):
    """Record these notices [{subject, audience, edition_id, payload}] unless already recorded;
    returns how many are new."""
    if not notices:
        return 0
    now = now or utc_now()
    rows = [{"kind": kind, "created_at": now, **notice} for notice in notices]
    before = db.session.query(ScheduledNotice).filter_by(kind=kind).count()
    db.session.execute(
        conflict_insert(ScheduledNotice).on_conflict_do_nothing(index_elements=["kind", "subject"]),
        rows,
    )
    return db.session.query(ScheduledNotice).filter_by(kind=kind).count() - before


def notices_of(kind):
    return db.session.query(ScheduledNotice).filter_by(kind=kind).order_by(ScheduledNotice.id).all()
