"""booths: HTML pages (registry, applications, floor plans, badges, the cooperative's space)."""

from flask_babel import lazy_gettext as _l

from booths import bp
from booths.forms import DECISION_CHOICES
from booths.identifiers import find_court
from booths.labels import (
    AGREEMENT_LABELS,
    APPLICATION_LABELS,
    BADGE_ROLE_LABELS,
    LEGAL_FORM_LABELS,
    NEED_LABELS,
    SECTOR_LABELS,
    STALL_STATE_LABELS,
    STALL_TYPE_LABELS,
    ZONE_LABELS,
)
from core.i18n import current_language
from core.menu import (
    add_edition_link,
    add_menu_item,
    add_public_item,
    add_public_site_link,
    add_site_link,
)

# Colours of the sectors on floor plans (readable with black text, distinct in print).
SECTOR_COLOURS = {
    "honey": "#f6c453",
    "figs_dried_fruit": "#c9a0dc",
    "medicinal_herbs": "#9ed99b",
    "olive_oil": "#c8d66a",
    "argan": "#e0b084",
    "couscous_cereals": "#f3e3a2",
    "dairy": "#d6ecf5",
    "carpentry_wood": "#c49a6c",
    "sewing_textiles": "#f4a6b7",
    "pottery": "#e38b6d",
    "carpets": "#b5a4e8",
    "other": "#cfd8dc",
}
EMPTY_COLOUR = "#ffffff"

add_menu_item("booths.registry", _l("Cooperatives"), ["organiser"], order=20)
add_menu_item("booths.my_cooperative", _l("My cooperative"), ["cooperative"], order=10)
add_public_item("booths.register", _l("Register a cooperative"), order=40)
add_edition_link("booths.edition_applications", _l("Stall applications"), order=20)
add_edition_link("booths.edition_message", _l("Message to the exhibitors"), order=22)
add_site_link("booths.floor_plan", _l("Floor plan"), order=20)
add_site_link("booths.site_badges_page", _l("Badges"), order=21)
add_public_site_link("booths.public_plan", _l("Who is where"), order=10)


@bp.app_context_processor
def booth_labels():
    return {
        "booth_labels": {
            "sector": SECTOR_LABELS,
            "legal_form": LEGAL_FORM_LABELS,
            "agreement": AGREEMENT_LABELS,
            "application": APPLICATION_LABELS,
            "decision": dict(DECISION_CHOICES),
            "stall_type": STALL_TYPE_LABELS,
            "need": NEED_LABELS,
            "zone": ZONE_LABELS,
            "stall_state": STALL_STATE_LABELS,
            "role": BADGE_ROLE_LABELS,
        },
        "sector_colours": SECTOR_COLOURS,
        "court_label": court_label,
    }


def court_label(code):
    court = find_court(code)
    return court.name(current_language()) if court else ""


@bp.app_template_filter("rib")
def show_rib(rib):
    """A RIB in the groups printed on bank slips: bank, city, account, key."""
    return f"{rib[:3]} {rib[3:6]} {rib[6:22]} {rib[22:]}"


from booths.views import (  # noqa: E402, F401
    activity,
    applications,
    badges,
    floorplans,
    messages,
    registry,
    space,
)
