"""Visitor tickets: free, optional details, a signed QR token of kind V."""

import re

from flask_babel import gettext as _

from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from markets.tokens import current_signing_key, sign_token
from visitors.models import TICKET_SOURCES, Ticket, TicketCount
from visitors.services.counters import add_ticket_counts

PHONE_PATTERN = re.compile(r"^\+?[0-9 ().-]{6,25}$")
MAX_BATCH = 200


def clean_text(value, limit, field):
    if value is None:
        return None
    if not isinstance(value, str):
        raise RuleBroken(_("This value must be text."), code="invalid_field", field=field)
    value = " ".join(value.split())
    if len(value) > limit:
        raise RuleBroken(
            _("Use at most %(count)d characters.", count=limit), code="too_long", field=field
        )
    return value or None


def clean_ticket_values(values):
    phone = clean_text(values.get("phone"), 40, "phone")
    if phone and (not PHONE_PATTERN.match(phone) or sum(c.isdigit() for c in phone) < 6):
        raise RuleBroken(
            _("Give a phone number (digits, spaces and + only)."), code="bad_phone", field="phone"
        )
    consent = values.get("consent") or False
    if not isinstance(consent, bool):
        raise RuleBroken(_("Consent is yes or no."), code="invalid_field", field="consent")
    return {
        "name": clean_text(values.get("name"), 200, "name"),
        "phone": phone,
        "city": clean_text(values.get("city"), 120, "city"),
        "consent": consent,
    }


def check_edition_takes_tickets(edition):
    if not edition.takes_registrations:
        raise RuleBroken(_("Tickets are not available for this edition."), code="edition_not_open")


def create_ticket(edition, values, actor=None, source="public"):
    """A new ticket for one visitor; ``actor`` is the volunteer at a gate, or None online."""
    if source not in TICKET_SOURCES:
        raise RuleBroken(_("Unknown ticket source."), code="invalid_field")
    check_edition_takes_tickets(edition)
    details = clean_ticket_values(values or {})
    token_id, code = sign_token(edition, "V")
    ticket = Ticket(edition_id=edition.id, token_id=token_id, code=code, source=source, **details)
    db.session.add(ticket)
    db.session.flush()
    add_ticket_counts({(edition.id, source): 1})
    return ticket


def create_ticket_batch(edition, count, actor):
    """``count`` blank pre-signed tickets to print for visitors without a phone (organisers)."""
    if actor is None or actor.role != "organiser":
        raise Forbidden(_("Only organisers print batches of tickets."))
    check_edition_takes_tickets(edition)
    if not isinstance(count, int) or not 1 <= count <= MAX_BATCH:
        raise RuleBroken(
            _("Print between 1 and %(count)d tickets at a time.", count=MAX_BATCH),
            code="bad_count",
            field="count",
        )
    tickets, key = [], current_signing_key(edition)
    for _index in range(count):
        token_id, code = sign_token(edition, "V", key=key)
        tickets.append(Ticket(edition_id=edition.id, token_id=token_id, code=code, source="batch"))
    db.session.add_all(tickets)
    db.session.flush()
    add_ticket_counts({(edition.id, "batch"): len(tickets)})
    return tickets


def get_ticket(token_id):
    ticket = None
    if isinstance(token_id, str) and re.fullmatch(r"[0-9a-f]{16}", token_id):
        ticket = db.session.query(Ticket).filter_by(token_id=token_id).first()
    if ticket is None:
        raise NotFound(_("No such ticket."), code="unknown_ticket")
    return ticket


def count_tickets(edition):
    """{source: tickets} of the edition, from its few ticket_counts rows (no scan of tickets)."""
    rows = db.session.execute(
        db.select(TicketCount.source, TicketCount.count).where(
            TicketCount.edition_id == edition.id, TicketCount.count > 0
        )
    ).all()
    return dict(rows)
