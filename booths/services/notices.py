"""Who hears about a cooperative's news: its members with an account, else its contact."""

from sqlalchemy import select

from accounts.messaging import Recipient, notify
from accounts.models import User
from core.i18n import localized


def cooperative_recipients(cooperative):
    members = (
        User.query.session.scalars(
            select(User).where(
                User.cooperative_id == cooperative.id, User.active, User.notify_by != "none"
            )
        ).all()
        if cooperative is not None
        else []
    )
    if members:
        return members
    if cooperative is None or not (cooperative.email or cooperative.phone):
        return []
    return [
        Recipient(
            name=cooperative.contact_name or cooperative.name_latin,
            email=cooperative.email,
            phone=cooperative.phone or None,
            language="fr",
            notify_by="email" if cooperative.email else "sms",
        )
    ]


def cooperative_language(cooperative):
    """The language the cooperative reads: its members' most common one (French by default)."""
    languages = [
        getattr(person, "language", None) or "fr" for person in cooperative_recipients(cooperative)
    ]
    return max(sorted(set(languages)), key=languages.count) if languages else "fr"


def tell_cooperative(event_name, cooperative, context, edition_id=None, attachment=None):
    """Queue the event's message for everyone who speaks for the cooperative."""
    return [
        notify(
            event_name,
            person,
            context,
            edition_id=edition_id,
            cooperative_id=cooperative.id,
            attachment=attachment,
        )
        for person in cooperative_recipients(cooperative)
    ]


def site_name(site):
    return localized(site.names) or site.city
