"""Attendance certificates: only for recorded attendance, each with a signed QR (kind C)."""

from flask_babel import gettext as _
from sqlalchemy import select

from core import tokens
from core.errors import RuleBroken
from core.extensions import db
from workshops.models import Attendance, Certificate
from workshops.services.attendance import attendance_list


def certificate_for(attendance):
    """The attendance's certificate, signed the first time it is asked for."""
    certificate = db.session.scalars(
        select(Certificate).where(Certificate.attendance_id == attendance.id)
    ).first()
    if certificate is None:
        token_id, code = tokens.sign_token(attendance.workshop.edition, "C")
        certificate = Certificate(attendance=attendance, token_id=token_id, code=code)
        db.session.add(certificate)
        db.session.flush()
    return certificate


def certificate_for_registration(registration):
    """A registered person's certificate; refused when their attendance was not recorded."""
    attendance = db.session.scalars(
        select(Attendance).where(Attendance.registration_id == registration.id)
    ).first()
    if attendance is None:
        raise RuleBroken(
            _(
                "No attendance was recorded for %(name)s: there is no certificate.",
                name=registration.person_name,
            ),
            code="not_attended",
        )
    return certificate_for(attendance)


def certificates_for_workshop(workshop):
    attendances = attendance_list(workshop)
    if not attendances:
        raise RuleBroken(
            _("No attendance was recorded for this workshop yet."), code="not_attended"
        )
    return [certificate_for(attendance) for attendance in attendances]


def verify_certificate(code):
    """(certificate or None, reason): reason is "genuine", "invalid" or "revoked"."""
    try:
        token = tokens.verify_token(code)
    except tokens.TokenInvalid:
        return None, "invalid"
    if token.kind != "C":
        return None, "invalid"
    certificate = db.session.scalars(
        select(Certificate).where(Certificate.token_id == token.token_id)
    ).first()
    if certificate is None:
        return None, "invalid"
    if tokens.is_revoked(token.token_id):
        return certificate, "revoked"
    return certificate, "genuine"
