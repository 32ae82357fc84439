"""store: HTML pages (catalogue, stock, point of sale, tills, payouts, portal, reports)."""

from flask_babel import lazy_gettext as _l

from core.i18n import localized
from core.menu import add_edition_link, add_menu_item, add_site_link
from store import bp
from store.labels import (
    CHANNEL_LABELS,
    LINE_LABELS,
    MOVEMENT_LABELS,
    ONSSA_KIND_LABELS,
    PAYMENT_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
)
from store.services.shifts import default_till_names, find_till
from store.services.tills import day_shifts

add_menu_item("store.products", _l("Products"), ["organiser", "cooperative"], order=40)
add_menu_item("store.cashier_home", _l("Point of sale"), ["cashier", "organiser"], order=41)
add_menu_item("store.portal", _l("My sales"), ["cooperative"], order=42)
add_edition_link("store.report", _l("Store sales"), order=60)
add_edition_link("store.payouts", _l("Payouts"), order=61)
add_edition_link("store.import_sales", _l("Import sales"), order=62)
add_site_link("store.site_stock", _l("Store stock"), order=60)
add_site_link("store.pos", _l("Point of sale"), order=61)
add_site_link("store.tills", _l("Tills"), order=62)
add_site_link("store.shifts", _l("Till shifts"), order=63)
add_site_link("store.food_list", _l("Food and ONSSA numbers"), order=64)

from store.views import (  # noqa: E402, F401
    catalogue,
    payout_runs,
    payouts,
    portal,
    pos,
    reports,
    shelf_labels,
    shifts,
    stock,
)


@bp.context_processor
def store_labels():
    return {
        "till_name": till_name,
        "day_shifts": lambda close: day_shifts(close.site, close.register, close.day),
        "store_labels": {
            "payment": PAYMENT_LABELS,
            "channel": CHANNEL_LABELS,
            "status": STATUS_LABELS,
            "unit": UNIT_LABELS,
            "reason": REASON_LABELS,
            "movement": MOVEMENT_LABELS,
            "line": LINE_LABELS,
            "onssa_kind": ONSSA_KIND_LABELS,
        },
    }


def till_name(sale_or_close):
    """The name of the till a sale or close was made at (its code stays internal)."""
    if sale_or_close.site is None or not sale_or_close.register:
        return ""
    till = find_till(sale_or_close.site, sale_or_close.register)
    names = till.names if till is not None else default_till_names(sale_or_close.register)
    return localized(names)
