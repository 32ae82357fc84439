"""The names people read for the booths' codes (sectors, legal forms, statuses, stall types...).

One home for them: forms, pages, PDFs, CSV headers and the edition report all read these.
"""

from flask_babel import lazy_gettext as _l

LEGAL_FORM_LABELS = {
    "cooperative": _l("Cooperative"),
    "cooperative_union": _l("Union of cooperatives"),
    "cooperative_federation": _l("Federation of cooperatives"),
    "social_enterprise": _l("Social enterprise"),
    "association": _l("Association"),
    "economic_interest_group": _l("Economic interest group"),
}
SECTOR_LABELS = {
    "honey": _l("Honey"),
    "figs_dried_fruit": _l("Figs and dried fruit"),
    "medicinal_herbs": _l("Medicinal and aromatic herbs"),
    "olive_oil": _l("Olive oil"),
    "argan": _l("Argan"),
    "couscous_cereals": _l("Couscous and cereals"),
    "dairy": _l("Dairy"),
    "carpentry_wood": _l("Carpentry and wood"),
    "sewing_textiles": _l("Sewing and textiles"),
    "pottery": _l("Pottery"),
    "carpets": _l("Carpets"),
    "other": _l("Other"),
}
AGREEMENT_LABELS = {
    "applicant": _l("applicant"),
    "under_review": _l("under review"),
    "signed": _l("signed"),
    "suspended": _l("suspended"),
}
APPLICATION_LABELS = {
    "pending": _l("pending"),
    "approved": _l("approved"),
    "waitlisted": _l("waitlisted"),
    "rejected": _l("rejected"),
}
STALL_TYPE_LABELS = {
    "standard": _l("Standard stall (3 × 3 m)"),
    "double": _l("Double stall (6 × 3 m)"),
    "demonstration": _l("Demonstration space (6 × 6 m)"),
}
NEED_LABELS = {
    "electricity": _l("Electricity"),
    "water": _l("Water"),
    "shade": _l("Shade"),
    "ground_access": _l("Ground access for heavy goods"),
}
ZONE_LABELS = {
    "food": _l("Food products"),
    "crafts": _l("Crafts"),
    "demonstration": _l("Demonstrations"),
}
STALL_STATE_LABELS = {  # the floor plan's filter (booths.services.floorplan.STALL_STATES)
    "free": _l("Free"),
    "allocated": _l("Allocated"),
    "pinned": _l("Pinned"),
}
# The registry's columns as an import error names them ("ICE: 15 digits expected, 14 given").
COLUMN_LABELS = {
    "registration_number": _l("Registration number"),
    "name_ar": _l("Name in Arabic"),
    "name_latin": _l("Name in Latin script"),
    "legal_form": _l("Legal form"),
    "province": _l("Province"),
    "province_code": _l("Province"),
    "city": _l("City"),
    "sectors": _l("Sectors"),
    "members": _l("Members"),
    "women_members": _l("of whom women"),
    "young_members": _l("of whom under 35"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "bank_account": _l("RIB"),
    "ice": _l("ICE"),
    "odco_number": _l("ODCO register"),
    "registration_court": _l("Court of first instance"),
    "agreement_status": _l("Agreement"),
}
BADGE_ROLE_LABELS = {
    "representative": _l("Representative"),
    "helper": _l("Helper"),
    "speaker": _l("Speaker"),
}


def label(labels, key):
    """The translated name of a code, as a string; a code without a name shows as itself."""
    return str(labels.get(key, key)) if key else ""


def sector_label(key):
    return label(SECTOR_LABELS, key)


# Words that every cooperative's name starts with: a printed plan shows what follows them.
GENERIC_NAME_WORDS = {
    "coopérative",
    "cooperative",
    "coop",
    "association",
    "entreprise",
    "sociale",
    "groupement",
    "تعاونية",
    "جمعية",
    "مجموعة",
    "مقاولة",
    "اجتماعية",
}


def distinguishing_name(name):
    """The part of a cooperative's name that tells it apart: "Coopérative Yasmine des Figues"
    → "Yasmine des Figues", "تعاونية الياسمين للتين" → "الياسمين للتين"."""
    words = (name or "").split()
    while len(words) > 1 and words[0].casefold().strip(".,") in GENERIC_NAME_WORDS:
        words.pop(0)
    return " ".join(words)
