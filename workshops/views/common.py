"""Small helpers shared by the workshop pages."""

from datetime import datetime

from flask import request, session
from flask_babel import gettext as _
from flask_login import current_user

from core.errors import NotFound
from core.timeutil import to_local, utc_now
from markets.services import get_edition, get_site
from workshops import services

REMEMBERED = "workshop_registrations"


def is_organiser():
    return current_user.is_authenticated and current_user.role == "organiser"


def visible_edition(slug):
    """An edition the reader may see: drafts only for organisers."""
    edition = get_edition(slug)
    if not edition.is_public and not is_organiser():
        raise NotFound(_("No edition called %(slug)s.", slug=slug), code="unknown_edition")
    return edition


def visible_site(slug, site_slug):
    edition = visible_edition(slug)
    return edition, get_site(edition, site_slug)


def visible_workshop(workshop_id):
    workshop = services.get_workshop(workshop_id)
    if not workshop.edition.is_public and not is_organiser():
        raise NotFound(_("No such workshop."), code="unknown_workshop")
    return workshop


def chosen_day(days, busy_days=()):
    """The ?day=YYYY-MM-DD of the request if it is one of these days; otherwise today during the
    market, else the first day that has workshops, else the first day."""
    text = request.args.get("day", "")
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        day = None
    if day in days:
        return day
    today = to_local(utc_now()).date()
    if today in days:
        return today
    return next((day for day in days if day in busy_days), days[0] if days else None)


def remember_registration(registration):
    """Keep the key in the visitor's session so that their next visit shows their news."""
    keys = [key for key in session.get(REMEMBERED, []) if key != registration.key]
    session[REMEMBERED] = ([registration.key] + keys)[:20]


def remembered_keys():
    return list(session.get(REMEMBERED, []))
