"""Attendance: door scans (called by visitors.services.record_scans) and walk-ins."""

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from core.database import conflict_insert
from core.errors import Conflict, RuleBroken
from core.extensions import db
from core.timeutil import utc_now
from workshops.models import Attendance, Registration, Workshop

# The door opens this long before a workshop starts and closes when it ends.
DOOR_OPENS_BEFORE = timedelta(minutes=30)


def phone_key(phone):
    """Digits only, with Morocco's +212 written as a leading 0: '+212 6 00' -> '0600'."""
    digits = "".join(character for character in phone or "" if character.isdigit())
    if digits.startswith("212") and len(digits) > 9:
        digits = "0" + digits[3:]
    return digits


def workshop_id_of(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def door_is_open(workshop, moment_utc):
    return workshop.starts_at - DOOR_OPENS_BEFORE <= moment_utc <= workshop.ends_at


def holder_details(holder):
    """(name, phone, cooperative id) of a Badge or Ticket row; blanks for an unknown holder."""
    if holder is None:
        return "", "", None
    name = getattr(holder, "person_name", None) or getattr(holder, "name", None) or ""
    phone = getattr(holder, "person_phone", None) or getattr(holder, "phone", None) or ""
    return name, phone, getattr(holder, "cooperative_id", None)


def matching_registration(workshop_id, phone):
    """The seat registered under this phone number at this workshop, if any."""
    key = phone_key(phone)
    if not key:
        return None
    return db.session.scalars(
        select(Registration)
        .where(
            Registration.workshop_id == workshop_id,
            Registration.phone_key == key,
            Registration.status != "cancelled",
        )
        .order_by(Registration.status != "registered", Registration.id)
        .limit(1)
    ).first()


def record_door_scan(workshop_id, site, token, holder, scanned_at):
    """Judge and record one scan at the door of a workshop (checkpoint ``workshop:<id>``).

    The visitors feature has already judged the code itself (signature, revocation, edition
    status). Returns "accepted" (first attendance), "reentry" (already recorded), "wrong_site",
    "not_open" (outside the door's window) or "rejected" (no such workshop, or not a badge or
    ticket). Idempotent and race-safe: unique (workshop_id, token_id) with ON CONFLICT DO NOTHING.
    """
    workshop = db.session.get(Workshop, workshop_id_of(workshop_id) or 0)
    if workshop is None or token.kind not in ("V", "E"):
        return "rejected"
    if workshop.site_id != site.id or workshop.edition_id != token.edition_id:
        return "wrong_site"
    if not door_is_open(workshop, scanned_at):
        return "not_open"
    name, phone, cooperative_id = holder_details(holder)
    registration = matching_registration(workshop.id, phone)
    values = {
        "workshop_id": workshop.id,
        "token_id": token.token_id,
        "token_kind": token.kind,
        "registration_id": registration.id if registration else None,
        "cooperative_id": cooperative_id or (registration.cooperative_id if registration else None),
        "person_name": name or (registration.person_name if registration else ""),
        "gender": registration.gender if registration else None,
        "under_35": registration.under_35 if registration else None,
        "source": "scan",
        "key": secrets.token_urlsafe(16),
        "attended_at": scanned_at,
        "created_at": utc_now(),
    }
    result = db.session.execute(
        conflict_insert(Attendance)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(Attendance.id)
    )
    return "accepted" if result.first() is not None else "reentry"


def add_walk_in(workshop, values, actor):
    """The organiser records someone at the door: a registration, or a new name."""
    registration = values.get("registration")
    if registration is not None:
        if registration.workshop_id != workshop.id or registration.status == "cancelled":
            raise RuleBroken(
                _("This registration is not for this workshop."), code="wrong_workshop"
            )
        name, gender, under_35 = (
            registration.person_name,
            registration.gender,
            registration.under_35,
        )
        cooperative_id = registration.cooperative_id
    else:
        name = (values.get("person_name") or "").strip()
        if not name:
            raise RuleBroken(_("Give the person's name."), field="person_name")
        gender, under_35 = values.get("gender") or None, values.get("under_35")
        cooperative = values.get("cooperative")
        cooperative_id = cooperative.id if cooperative is not None else None
    if registration is not None and db.session.scalar(
        select(Attendance.id).where(
            Attendance.workshop_id == workshop.id, Attendance.registration_id == registration.id
        )
    ):
        raise Conflict(
            _("%(name)s is already on the attendance list.", name=name), code="already_present"
        )
    attendance = Attendance(
        workshop=workshop,
        registration=registration,
        cooperative_id=cooperative_id,
        person_name=name,
        gender=gender,
        under_35=under_35,
        source="walk_in",
        key=secrets.token_urlsafe(16),
        attended_at=max(workshop.starts_at, min(utc_now(), workshop.ends_at)),
    )
    db.session.add(attendance)
    db.session.flush()
    return attendance


def attendance_list(workshop):
    return db.session.scalars(
        select(Attendance)
        .where(Attendance.workshop_id == workshop.id)
        .order_by(Attendance.attended_at, Attendance.id)
    ).all()
