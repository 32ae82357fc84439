"""The navigation menu, filled by each feature's views (so a feature that is not built adds nothing)."""

MAIN_MENU = []  # (order, endpoint, label, roles)
PUBLIC_MENU = []  # (order, endpoint, label)


def add_menu_item(endpoint, label, roles, order=50):
    if all(item[1] != endpoint for item in MAIN_MENU):
        MAIN_MENU.append((order, endpoint, label, tuple(roles)))
        MAIN_MENU.sort(key=lambda item: item[0])


def add_public_item(endpoint, label, order=50):
    if all(item[1] != endpoint for item in PUBLIC_MENU):
        PUBLIC_MENU.append((order, endpoint, label))
        PUBLIC_MENU.sort(key=lambda item: item[0])


def menu_globals():
    return {
        "main_menu": [(endpoint, label, roles) for _, endpoint, label, roles in MAIN_MENU],
        "public_menu": [(endpoint, label) for _, endpoint, label in PUBLIC_MENU],
    }


EDITION_LINKS = []  # (order, endpoint, label): organiser links on an edition's page, endpoint(slug=)
SITE_LINKS = []  # (order, endpoint, label): links per site, endpoint(slug=, site_slug=)
PUBLIC_SITE_LINKS = []  # the same, shown to everyone on a published edition's page


def add_edition_link(endpoint, label, order=50):
    if all(item[1] != endpoint for item in EDITION_LINKS):
        EDITION_LINKS.append((order, endpoint, label))
        EDITION_LINKS.sort(key=lambda item: item[0])


def add_site_link(endpoint, label, order=50):
    if all(item[1] != endpoint for item in SITE_LINKS):
        SITE_LINKS.append((order, endpoint, label))
        SITE_LINKS.sort(key=lambda item: item[0])


def add_public_site_link(endpoint, label, order=50):
    if all(item[1] != endpoint for item in PUBLIC_SITE_LINKS):
        PUBLIC_SITE_LINKS.append((order, endpoint, label))
        PUBLIC_SITE_LINKS.sort(key=lambda item: item[0])


def link_globals():
    return {
        "edition_links": [(endpoint, label) for _, endpoint, label in EDITION_LINKS],
        "site_links": [(endpoint, label) for _, endpoint, label in SITE_LINKS],
        "public_site_links": [(endpoint, label) for _, endpoint, label in PUBLIC_SITE_LINKS],
    }
