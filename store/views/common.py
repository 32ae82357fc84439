"""Helpers shared by the store's pages."""

from flask_babel import gettext as _

from core.errors import RuleBroken
from core.money import parse_mad
from markets.services import get_edition, get_site


def edition_and_site(slug, site_slug):
    edition = get_edition(slug)
    return edition, get_site(edition, site_slug)


def mad_field(form, name):
    """A MAD amount typed in a form field, as centimes (a form error when unreadable)."""
    field = getattr(form, name)
    try:
        return parse_mad(field.data)
    except ValueError:
        field.errors = list(field.errors) + [_("Write an amount such as 45 or 45,50.")]
        return None


def posted_quantities(form_data, prefix):
    """{id: quantity} from inputs named <prefix><id>; blanks skipped, garbage refused."""
    quantities = {}
    for key, value in form_data.items():
        if not key.startswith(prefix) or not value.strip():
            continue
        try:
            quantities[int(key[len(prefix) :])] = int(value)
        except ValueError:
            raise RuleBroken(_("Write whole numbers."), code="bad_quantity") from None
    return quantities
