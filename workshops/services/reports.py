"""Figures: attendance by workshop, topic and site, fill rates, women and young participants."""

from sqlalchemy import case, func, select

from core.extensions import db
from core.numbers import share
from markets.models import Site
from workshops.models import Attendance, Feedback, Registration, Workshop


def ratio(part, whole):
    """An exact share (the CSV and the report round it their own way)."""
    return share(part, whole, digits=None)


def attendance_counts(edition):
    """{workshop id: {attendance, coop, coop_gender_known, women, coop_age_known, young}}."""
    cooperative = Attendance.cooperative_id.isnot(None)
    rows = db.session.execute(
        select(
            Attendance.workshop_id,
            func.count(Attendance.id),
            func.sum(case((cooperative, 1), else_=0)),
            func.sum(case((cooperative & Attendance.gender.isnot(None), 1), else_=0)),
            func.sum(case((cooperative & (Attendance.gender == "female"), 1), else_=0)),
            func.sum(case((cooperative & Attendance.under_35.isnot(None), 1), else_=0)),
            func.sum(case((cooperative & Attendance.under_35.is_(True), 1), else_=0)),
        )
        .join(Workshop, Workshop.id == Attendance.workshop_id)
        .where(Workshop.edition_id == edition.id)
        .group_by(Attendance.workshop_id)
    ).all()
    keys = ("attendance", "cooperative", "gender_known", "women", "age_known", "young")
    return {
        row[0]: dict(zip(keys, (int(value or 0) for value in row[1:]), strict=True)) for row in rows
    }


def registration_counts(edition):
    rows = db.session.execute(
        select(Registration.workshop_id, Registration.status, func.count())
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Workshop.edition_id == edition.id)
        .group_by(Registration.workshop_id, Registration.status)
    ).all()
    counts = {}
    for workshop_id, status, count in rows:
        counts.setdefault(workshop_id, {})[status] = count
    return counts


def rating_counts(edition):
    rows = db.session.execute(
        select(Feedback.workshop_id, func.count(), func.sum(Feedback.rating))
        .join(Workshop, Workshop.id == Feedback.workshop_id)
        .where(Workshop.edition_id == edition.id)
        .group_by(Feedback.workshop_id)
    ).all()
    return {workshop_id: (answers, int(total)) for workshop_id, answers, total in rows}


def workshop_report_rows(edition):
    """One dict per workshop of the edition, in time order (four queries in all)."""
    workshops = db.session.execute(
        select(Workshop, Site.slug)
        .join(Site, Site.id == Workshop.site_id)
        .where(Workshop.edition_id == edition.id)
        .order_by(Workshop.starts_at, Workshop.room_id)
    ).all()
    attendance = attendance_counts(edition)
    registrations = registration_counts(edition)
    ratings = rating_counts(edition)
    empty = {
        "attendance": 0,
        "cooperative": 0,
        "gender_known": 0,
        "women": 0,
        "age_known": 0,
        "young": 0,
    }
    rows = []
    for workshop, site_slug in workshops:
        counts = attendance.get(workshop.id, empty)
        answers, total = ratings.get(workshop.id, (0, 0))
        seats = registrations.get(workshop.id, {})
        rows.append(
            {
                "workshop": workshop,
                "site": site_slug,
                "registered": seats.get("registered", 0),
                "waitlisted": seats.get("waitlisted", 0),
                "cancelled": seats.get("cancelled", 0),
                "fill_rate": ratio(counts["attendance"], workshop.capacity),
                "answers": answers,
                "rating_total": total,
                "average_rating": ratio(total, answers),
                **counts,
            }
        )
    return rows


def add_up(rows, key_of):
    """Sum report rows into groups: {key: {sessions, capacity, attendance, ...}}."""
    groups = {}
    summed = (
        "capacity",
        "attendance",
        "registered",
        "cooperative",
        "gender_known",
        "women",
        "age_known",
        "young",
        "answers",
        "rating_total",
    )
    for row in rows:
        group = groups.setdefault(key_of(row), {"sessions": 0, **dict.fromkeys(summed, 0)})
        group["sessions"] += 1
        for key in summed:
            group[key] += row["workshop"].capacity if key == "capacity" else row[key]
    for group in groups.values():
        group["fill_rate"] = ratio(group["attendance"], group["capacity"])
        group["women_share"] = ratio(group["women"], group["gender_known"])
        group["young_share"] = ratio(group["young"], group["age_known"])
        group["average_rating"] = ratio(group["rating_total"], group["answers"])
    return groups


def edition_workshop_figures(edition):
    """The workshop figures of the edition dashboard and the partners' report."""
    rows = workshop_report_rows(edition)
    total = add_up(rows, lambda row: "all").get("all")
    by_topic = add_up(rows, lambda row: row["workshop"].topic)
    if total is None:
        return {
            "workshops": 0,
            "attendance": 0,
            "capacity": 0,
            "fill_rate": None,
            "average_rating": None,
            "by_topic": {},
            "women_share": None,
            "young_share": None,
        }
    return {
        "workshops": total["sessions"],
        "attendance": total["attendance"],
        "capacity": total["capacity"],
        "fill_rate": total["fill_rate"],
        "average_rating": total["average_rating"],
        "by_topic": {
            topic: {
                "sessions": group["sessions"],
                "attendance": group["attendance"],
                "capacity": group["capacity"],
            }
            for topic, group in by_topic.items()
        },
        "women_share": total["women_share"],
        "young_share": total["young_share"],
    }
