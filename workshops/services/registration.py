"""Registration: seats up to the capacity, then a waiting list promoted on cancellation.

Every change that counts seats runs with the workshop's row locked (SELECT ... FOR UPDATE on
PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE), so concurrent registrations for
the last seat never put the workshop over capacity.
"""

import secrets

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.messaging import Recipient, notify
from core.errors import Conflict, NotFound, RuleBroken
from core.extensions import db
from core.i18n import current_language, localized
from core.timeutil import show_datetime, utc_now
from workshops.models import GENDERS, Message, Registration, Workshop
from workshops.services.attendance import phone_key
from workshops.services.locking import lock_workshop


def get_registration(key):
    registration = db.session.scalars(
        select(Registration).where(Registration.key == (key or ""))
    ).first()
    if registration is None:
        raise NotFound(_("No such registration."), code="unknown_registration")
    return registration


def clean_person(values, member):
    name = " ".join((values.get("person_name") or "").split())[:200]
    phone = " ".join((values.get("phone") or "").split())[:40]
    if not name:
        raise RuleBroken(_("Give the person's name."), field="person_name")
    if len(phone_key(phone)) < 9:
        raise RuleBroken(_("Give a phone number (at least 9 digits)."), field="phone")
    gender, under_35 = values.get("gender") or None, values.get("under_35")
    if gender is not None and gender not in GENDERS:
        raise RuleBroken(_("Choose from the list."), field="gender")
    if member and (gender is None or under_35 is None):
        raise RuleBroken(
            _("For members of a cooperative, say whether the person is a woman and under 35."),
            field="gender",
        )
    return {"person_name": name, "phone": phone, "gender": gender, "under_35": under_35}


def check_registration_open(workshop, now):
    if not workshop.edition.takes_registrations:
        raise RuleBroken(
            _("Registration is not open for this edition."), code="registration_closed"
        )
    if now >= workshop.starts_at:
        raise RuleBroken(
            _("This workshop has started: registration is closed."), code="registration_closed"
        )


def registration_refusal(workshop, now=None):
    """Why nobody can register for the workshop now (the DomainError), or None: pages offer the
    registration forms only when sending them can succeed."""
    try:
        check_registration_open(workshop, now or utc_now())
    except RuleBroken as error:
        return error
    return None


def registered_count(workshop_id):
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.workshop_id == workshop_id, Registration.status == "registered")
    )


def add_registration(workshop, person, cooperative, actor, now):
    """Lock the workshop, refuse a duplicate, then take a seat or join the waiting list."""
    workshop = lock_workshop(workshop.id)
    check_registration_open(workshop, now)
    key = phone_key(person["phone"])
    duplicate = db.session.scalars(
        select(Registration).where(
            Registration.workshop_id == workshop.id,
            Registration.phone_key == key,
            Registration.status != "cancelled",
        )
    ).first()
    if duplicate is not None:
        raise Conflict(
            _("This phone number is already registered for this workshop."),
            code="already_registered",
            field="phone",
        )
    full = registered_count(workshop.id) >= workshop.capacity
    registration = Registration(
        workshop=workshop,
        key=secrets.token_urlsafe(16),
        cooperative_id=cooperative.id if cooperative is not None else None,
        phone_key=key,
        status="waitlisted" if full else "registered",
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
        **person,
    )
    db.session.add(registration)
    db.session.flush()
    tell_person(registration, "registration")
    return registration


def register_member(workshop, cooperative, values, actor, now=None):
    """A cooperative registers one of its members (gender and age are recorded for reports)."""
    person = clean_person(values, member=True)
    return add_registration(workshop, person, cooperative, actor, now or utc_now())


def register_visitor(workshop, values, actor=None, now=None):
    """A visitor registers through the public form: public workshops only."""
    if workshop.audience != "public":
        raise RuleBroken(_("This workshop is for cooperatives only."), code="cooperatives_only")
    person = clean_person(values, member=False)
    return add_registration(workshop, person, None, actor, now or utc_now())


def tell_person(registration, kind):
    """An SMS to the person registered (sent by the gateway, or by hand from the outbox)."""
    workshop = registration.workshop
    link = (
        url_for("workshops.my_registration", key=registration.key, _external=True)
        if has_request_context()
        else ""
    )
    notify(
        f"workshop_{kind}",
        Recipient(
            name=registration.person_name,
            phone=registration.phone,
            language=current_language(),
            notify_by="sms",
        ),
        {
            "title": localized(workshop.titles),
            "when": show_datetime(workshop.starts_at),
            "waitlisted": registration.status == "waitlisted",
            "link": link,
        },
        edition_id=workshop.edition_id,
        cooperative_id=registration.cooperative_id,
    )


def queue_message(registration, kind):
    tell_person(registration, kind)
    db.session.add(
        Message(
            workshop_id=registration.workshop_id,
            registration=registration,
            kind=kind,
            phone=registration.phone,
            language=current_language(),
        )
    )


def fill_free_seats(workshop, now=None):
    """Promote people from the waiting list, first come first served, while seats are free.

    The caller holds the workshop's row lock. Returns the promoted registrations.
    """
    now = now or utc_now()
    if now >= workshop.ends_at:
        return []
    free = workshop.capacity - registered_count(workshop.id)
    if free <= 0:
        return []
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.status == "waitlisted")
        .order_by(Registration.id)
        .limit(free)
    ).all()
    for registration in waiting:
        registration.status = "registered"
        registration.promoted_at = now
        queue_message(registration, "promotion")
    db.session.flush()
    return waiting


def cancel_registration(registration, actor, by="person", now=None):
    """Cancel a seat or a place on the waiting list; a freed seat goes to the next in line."""
    now = now or utc_now()
    workshop = lock_workshop(registration.workshop_id)
    db.session.refresh(registration)
    if registration.status == "cancelled":
        raise Conflict(_("This registration is already cancelled."), code="already_cancelled")
    was_registered = registration.status == "registered"
    registration.status = "cancelled"
    registration.cancelled_at = now
    registration.cancelled_by = by
    if by == "organiser":
        queue_message(registration, "cancellation")
    db.session.flush()
    return fill_free_seats(workshop, now) if was_registered else []


def seen_promotion(registration, now=None):
    """The person opened their page and saw that they got a seat."""
    if registration.promotion_unseen:
        registration.promotion_seen_at = now or utc_now()
        db.session.flush()


def mark_message_sent(message, actor, now=None):
    if message.sent_at is None:
        message.sent_at = now or utc_now()
        message.sent_by_id = actor.id
        db.session.flush()
    return message


def outbox(edition, pending_only=False):
    query = (
        select(Message)
        .join(Workshop, Workshop.id == Message.workshop_id)
        .where(Workshop.edition_id == edition.id)
    )
    if pending_only:
        query = query.where(Message.sent_at.is_(None))
    return db.session.scalars(query.order_by(Message.sent_at.isnot(None), Message.id)).all()


def registrations_of(workshop, statuses=("registered", "waitlisted")):
    return db.session.scalars(
        select(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.status.in_(statuses))
        .order_by(Registration.status, Registration.id)
    ).all()


def cooperative_registrations(cooperative, edition=None):
    query = (
        select(Registration)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Registration.cooperative_id == cooperative.id)
    )
    if edition is not None:
        query = query.where(Workshop.edition_id == edition.id)
    return db.session.scalars(query.order_by(Workshop.starts_at, Registration.id)).all()
