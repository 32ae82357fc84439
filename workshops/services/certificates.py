"""Attendance certificates: only for recorded attendance, each with a signed QR (kind C)."""

from flask_babel import gettext as _
from sqlalchemy import select

from accounts.activity import record_activity
from core.errors import Forbidden, RuleBroken
from core.extensions import db
from markets import tokens
from markets.models import RevokedToken
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


def withdrawal_of(certificate):
    """The revocation of a withdrawn certificate, or None while it is valid."""
    return db.session.get(RevokedToken, certificate.token_id)


def issuable_certificate(attendance):
    """The attendance's certificate for printing; a withdrawn one is never printed again."""
    certificate = certificate_for(attendance)
    withdrawal = withdrawal_of(certificate)
    if withdrawal is not None:
        raise RuleBroken(
            _("This certificate was withdrawn: %(reason)s", reason=withdrawal.reason),
            code="certificate_withdrawn",
        )
    return certificate


def withdraw_certificate(attendance, reason, actor):
    """Withdraw a certificate given by mistake: its QR then checks as withdrawn, for good."""
    if actor is None or actor.role != "organiser":
        raise Forbidden(_("Only organisers withdraw certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken(_("Say why the certificate is withdrawn."), field="reason")
    certificate = certificate_for(attendance)
    if withdrawal_of(certificate) is not None:
        raise RuleBroken(_("This certificate was already withdrawn."), code="certificate_withdrawn")
    tokens.revoke_token(attendance.workshop.edition, certificate.token_id, reason[:200])
    record_activity(
        actor,
        "certificate.withdraw",
        attendance,
        label=attendance.person_name,
        reason=reason,
        edition_id=attendance.workshop.edition_id,
        cooperative_id=getattr(attendance, "cooperative_id", None),
        workshop=attendance.workshop_id,
    )
    return certificate


def withdrawals_for_workshop(workshop):
    """{attendance id: revocation} for the workshop's withdrawn certificates (one query)."""
    rows = db.session.execute(
        select(Certificate.attendance_id, RevokedToken)
        .join(RevokedToken, RevokedToken.token_id == Certificate.token_id)
        .join(Attendance, Attendance.id == Certificate.attendance_id)
        .where(Attendance.workshop_id == workshop.id)
    )
    return {attendance_id: revocation for attendance_id, revocation in rows}


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
    return issuable_certificate(attendance)


def certificates_for_workshop(workshop):
    """The certificates of everyone recorded present, leaving out the withdrawn ones."""
    attendances = attendance_list(workshop)
    if not attendances:
        raise RuleBroken(
            _("No attendance was recorded for this workshop yet."), code="not_attended"
        )
    withdrawn = withdrawals_for_workshop(workshop)
    certificates = [
        certificate_for(attendance) for attendance in attendances if attendance.id not in withdrawn
    ]
    if not certificates:
        raise RuleBroken(
            _("Every certificate of this workshop was withdrawn."), code="certificate_withdrawn"
        )
    return certificates


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
