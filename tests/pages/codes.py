"""Internal codes that must never show on a page: enum keys from the code, slugs from the database."""

from accounts.models import ROLES, User
from booths.models import (
    AGREEMENT_STATUSES,
    APPLICATION_STATUSES,
    BADGE_ROLES,
    LEGAL_FORMS,
    NEEDS,
    SECTORS,
    STALL_TYPES,
    ZONES,
)
from core.extensions import db
from markets.models import EDITION_STATUSES, Edition, Site
from store.models import ADJUSTMENT_REASONS, CHANNELS, MOVEMENT_KINDS, PAYMENTS, Sale
from visitors.models import SCAN_STATUSES
from workshops.models import AUDIENCES, FORMATS, REGISTRATION_STATUSES, TOPICS

ENUMS = (
    ROLES,
    AGREEMENT_STATUSES,
    APPLICATION_STATUSES,
    BADGE_ROLES,
    LEGAL_FORMS,
    NEEDS,
    SECTORS,
    STALL_TYPES,
    ZONES,
    EDITION_STATUSES,
    ADJUSTMENT_REASONS,
    CHANNELS,
    MOVEMENT_KINDS,
    PAYMENTS,
    SCAN_STATUSES,
    AUDIENCES,
    FORMATS,
    REGISTRATION_STATUSES,
    TOPICS,
)
# Enum keys that are also ordinary words of a language shown (French "public", "store"), units
# written the same in every language, or proper names; they are not evidence of a leak.
ALLOWED = {"kg", "g", "l", "ml", "in", "out", "other", "quality", "talk"}
# Keys that are also French words, in the French labels themselves ("Paiement mobile",
# "Stand standard", "Ouvert au public"): allowed on French pages only.
FRENCH_WORDS = {"public", "store", "mobile", "standard", "double", "association", "cooperative"}
# Tills are named ("Caisse 1"): their codes ("till-1") are looked for too.


def codes_for(codes, language):
    """The codes to look for on pages in one language."""
    return codes - FRENCH_WORDS if language == "fr" else codes


def demo_codes():
    """Every code a person must not see: the enum keys, the slugs of editions and sites, the
    codes of the tills sales were made at."""
    codes = {key for enum in ENUMS for key in enum}
    codes |= set(db.session.scalars(db.select(Edition.slug)))
    codes |= set(db.session.scalars(db.select(Site.slug)))
    codes |= set(db.session.scalars(db.select(Sale.register).distinct()))
    # Usernames are proper names people chose (the demo's are "organiser", "cashier"...).
    usernames = set(db.session.scalars(db.select(User.username)))
    return {code for code in codes if code not in ALLOWED | usernames}
