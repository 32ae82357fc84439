"""The survey after a workshop: once per attendee, results per workshop and per topic."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.database import conflict_insert
from core.errors import Conflict, NotFound, RuleBroken
from core.extensions import db
from core.timeutil import utc_now
from workshops.models import Attendance, Feedback, Workshop


def get_attendance(key):
    attendance = db.session.scalars(select(Attendance).where(Attendance.key == (key or ""))).first()
    if attendance is None:
        raise NotFound(_("No such attendance."), code="unknown_attendance")
    return attendance


def has_answered(attendance):
    return (
        db.session.scalar(select(Feedback.id).where(Feedback.attendance_id == attendance.id))
        is not None
    )


def submit_feedback(attendance, values, now=None):
    """Record the survey answer; a second answer is refused (a unique key makes it race-safe)."""
    now = now or utc_now()
    if now < attendance.workshop.starts_at:
        raise RuleBroken(_("The survey opens when the workshop starts."), code="too_early")
    try:
        rating = int(values.get("rating"))
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise RuleBroken(_("Give a rating from 1 to 5."), field="rating")
    result = db.session.execute(
        conflict_insert(Feedback)
        .values(
            workshop_id=attendance.workshop_id,
            attendance_id=attendance.id,
            rating=rating,
            useful=(values.get("useful") or "").strip()[:2000],
            improve=(values.get("improve") or "").strip()[:2000],
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(Feedback.id)
    )
    if result.first() is None:
        raise Conflict(
            _("You have already answered this survey. Thank you!"), code="already_answered"
        )


def feedback_for_workshop(workshop):
    rows = db.session.execute(
        select(Feedback.rating, Feedback.useful, Feedback.improve)
        .where(Feedback.workshop_id == workshop.id)
        .order_by(Feedback.id)
    ).all()
    distribution = {rating: 0 for rating in range(1, 6)}
    for row in rows:
        distribution[row.rating] += 1
    return {
        "answers": len(rows),
        "average": sum(row.rating for row in rows) / len(rows) if rows else None,
        "distribution": distribution,
        "useful": [row.useful for row in rows if row.useful],
        "improve": [row.improve for row in rows if row.improve],
    }


def feedback_by_topic(edition):
    """{topic: {"answers": n, "average": float}} for the edition's workshops."""
    rows = db.session.execute(
        select(Workshop.topic, func.count(Feedback.id), func.avg(Feedback.rating))
        .join(Feedback, Feedback.workshop_id == Workshop.id)
        .where(Workshop.edition_id == edition.id)
        .group_by(Workshop.topic)
    ).all()
    return {
        topic: {"answers": answers, "average": float(average)} for topic, answers, average in rows
    }
