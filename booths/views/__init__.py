"""booths: HTML pages (registry, applications, floor plans, badges, the cooperative's space)."""

from flask_babel import lazy_gettext as _l

from booths import bp
from booths.forms import (
    AGREEMENT_CHOICES,
    DECISION_CHOICES,
    LEGAL_FORM_CHOICES,
    NEED_CHOICES,
    SECTOR_CHOICES,
    STALL_TYPE_CHOICES,
    ZONE_CHOICES,
)
from booths.models import BADGE_ROLES
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
add_site_link("booths.floor_plan", _l("Floor plan"), order=20)
add_site_link("booths.site_badges_page", _l("Badges"), order=21)
add_public_site_link("booths.public_plan", _l("Who is where"), order=10)


@bp.app_context_processor
def booth_labels():
    roles = {
        "representative": _l("Representative"),
        "helper": _l("Helper"),
        "speaker": _l("Speaker"),
    }
    return {
        "booth_labels": {
            "sector": dict(SECTOR_CHOICES),
            "legal_form": dict(LEGAL_FORM_CHOICES),
            "agreement": dict(AGREEMENT_CHOICES),
            "application": {
                "pending": _l("pending"),
                "approved": _l("approved"),
                "waitlisted": _l("waitlisted"),
                "rejected": _l("rejected"),
            },
            "decision": dict(DECISION_CHOICES),
            "stall_type": dict(STALL_TYPE_CHOICES),
            "need": dict(NEED_CHOICES),
            "zone": dict(ZONE_CHOICES),
            "role": {role: roles.get(role, role) for role in BADGE_ROLES},
        },
        "sector_colours": SECTOR_COLOURS,
    }


@bp.app_template_filter("rib")
def show_rib(rib):
    """A RIB in the groups printed on bank slips: bank, city, account, key."""
    return f"{rib[:3]} {rib[3:6]} {rib[6:22]} {rib[22:]}"


from booths.views import applications, badges, floorplans, registry, space  # noqa: E402, F401
