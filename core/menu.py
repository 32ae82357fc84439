"""The navigation menu, filled by each feature's views (so a feature that is not built adds nothing)."""

MAIN_MENU = []  # (order, endpoint, label, roles)
PUBLIC_MENU = []  # (order, endpoint, label)
EDITION_LINKS = []  # (order, endpoint, label): organiser links on an edition's page, endpoint(slug=)
SITE_LINKS = []  # (order, endpoint, label): links per site, endpoint(slug=, site_slug=)
PUBLIC_SITE_LINKS = []  # the same, shown to everyone on a published edition's page


def register(entries, entry):
    """Add an (order, endpoint, ...) entry once (views may be imported again), kept in order."""
    if all(item[1] != entry[1] for item in entries):
        entries.append(entry)
        entries.sort(key=lambda item: item[0])


def add_menu_item(endpoint, label, roles, order=50):
    register(MAIN_MENU, (order, endpoint, label, tuple(roles)))


def add_public_item(endpoint, label, order=50):
    register(PUBLIC_MENU, (order, endpoint, label))


def add_edition_link(endpoint, label, order=50):
    register(EDITION_LINKS, (order, endpoint, label))


def add_site_link(endpoint, label, order=50):
    register(SITE_LINKS, (order, endpoint, label))


def add_public_site_link(endpoint, label, order=50):
    register(PUBLIC_SITE_LINKS, (order, endpoint, label))


def menu_globals():
    return {
        "main_menu": [(endpoint, label, roles) for _, endpoint, label, roles in MAIN_MENU],
        "public_menu": [(endpoint, label) for _, endpoint, label in PUBLIC_MENU],
    }


def link_globals():
    return {
        "edition_links": [(endpoint, label) for _, endpoint, label in EDITION_LINKS],
        "site_links": [(endpoint, label) for _, endpoint, label in SITE_LINKS],
        "public_site_links": [(endpoint, label) for _, endpoint, label in PUBLIC_SITE_LINKS],
    }
