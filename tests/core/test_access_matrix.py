"""Every page and endpoint checks who is asking: a sweep over the whole URL map.

PUBLIC_ENDPOINTS names, one by one, the endpoints anyone may call (visitors, self-registration,
feeds, verification, health, sign-in). Every other endpoint carries a role guard
(`roles_required` for pages, `api_roles` for the API, which mark the view with the roles they let
in), and the sweeps below check it: an anonymous caller gets the login page (pages) or 401 (API),
whatever the URL's arguments or body; a signed-in user of any other role gets 403.
A new public endpoint is added here on purpose, never matched by a word in its name.
"""

import pytest
from werkzeug.routing import IntegerConverter, UUIDConverter

from accounts.models import ROLES
from accounts.services import issue_api_token

PUBLIC_ENDPOINTS = {
    "store.public_receipt",  # the digital receipt behind the QR on a paper receipt (by UUID)
    "static",
    "health.healthz",
    "health.readyz",
    "openapi.docs",
    "openapi.spec",
    "openapi.swagger_ui_oauth_redirect",
    "accounts.login",
    "accounts.logout",
    "accounts.forgot_password",  # self-service: asking for a reset link or SMS code
    "accounts.reset_requested",
    "accounts.reset_password",
    "accounts.reset_with_code",
    "accounts.accept_invitation",
    "accounts_api.issue_token",
    "markets.calendar",
    "markets.edition",
    "markets.edition_data",
    "markets_api.list_editions",
    "markets_api.get_edition",
    "markets_api.get_territory",  # the regions and provinces, for forms and the field app
    "booths.register",
    "booths.public_plan",
    "visitors.ticket_editions",
    "visitors.new_ticket",
    "visitors.ticket",
    "visitors.ticket_png",
    "visitors.ticket_pdf",
    "visitors.field_worker",
    "visitors.vendor",
    "visitors.scanner",  # the field app's shell: the same for everyone, no data in it
    "visitors.scanner_session",  # answers 401 in JSON itself (the shell fetches it)
    "visitors.offline",
    "visitors.manifest",
    "visitors.favicon",
    "visitors.provision",  # a phone opening its one-time QR link
    "visitors.provision_confirm",
    "visitors_api.create_ticket",
    "workshops.programme",
    "workshops.workshop_page",
    "workshops.register",
    "workshops.my_workshops",
    "workshops.my_registration",
    "workshops.cancel_my_registration",
    "workshops.my_certificate",
    "workshops.verify_certificate",
    "workshops.survey",
    "workshops.timetable",
    "workshops.timetable_pdf",
    "workshops.edition_calendar",
    "workshops.site_calendar",
    "workshops_api.list_workshops",
}


def allowed_roles(view):
    """The roles the view's guard lets in, or None for a view without a guard."""
    while view is not None:
        if hasattr(view, "allowed_roles"):
            return view.allowed_roles
        view = getattr(view, "__wrapped__", None)
    return None


def concrete_url(rule):
    url = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name]
        value = (
            "1"
            if isinstance(converter, IntegerConverter)
            else "00000000-0000-0000-0000-000000000001"
            if isinstance(converter, UUIDConverter)
            else "x1"
        )
        url = url.replace(f"<{name}>", value)
        for prefix in ("int", "string", "path", "uuid", "any", "float"):
            url = url.replace(f"<{prefix}:{name}>", value)
    return url


def guarded_rules(app, method):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint not in PUBLIC_ENDPOINTS
    ]


def test_public_endpoints_are_exactly_those_without_a_guard(app):
    unguarded = {
        endpoint for endpoint, view in app.view_functions.items() if allowed_roles(view) is None
    }
    assert unguarded == PUBLIC_ENDPOINTS


def test_every_guard_names_known_roles(app):
    for endpoint, view in app.view_functions.items():
        roles = allowed_roles(view)
        if roles is not None:
            assert roles and set(roles) <= set(ROLES), endpoint


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_anonymous_callers_are_turned_away(app, client, method):
    rules = guarded_rules(app, method)
    assert rules
    open_doors = []
    for rule in rules:
        response = client.open(concrete_url(rule), method=method, json={"x": "not a valid body"})
        response.close()
        if rule.rule.startswith("/api/"):
            if response.status_code != 401:
                open_doors.append((rule.rule, rule.endpoint, response.status_code))
        elif response.status_code != 302 or "/login" not in response.headers["Location"]:
            open_doors.append((rule.rule, rule.endpoint, response.status_code))
    assert open_doors == [], "\n".join(map(str, open_doors))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_api_with_a_bad_token_is_401(app, client, method):
    open_doors = []
    for rule in guarded_rules(app, method):
        if rule.rule.startswith("/api/"):
            response = client.open(
                concrete_url(rule),
                method=method,
                headers={"Authorization": "Bearer forged"},
                json={"x": "not a valid body"},
            )
            if response.status_code != 401:
                open_doors.append((rule.rule, response.status_code))
    assert open_doors == [], "\n".join(map(str, open_doors))


@pytest.mark.parametrize("role", ROLES)
def test_a_wrong_role_is_refused_everywhere(app, client, login, make_user, role):
    """Every guarded page and endpoint answers 403 to each role its guard does not name."""
    user = make_user(role)
    token, _expires = issue_api_token(user)
    login(user)
    open_doors, checked = [], 0
    for method in ("GET", "POST"):
        for rule in guarded_rules(app, method):
            if role in allowed_roles(app.view_functions[rule.endpoint]):
                continue
            checked += 1
            response = client.open(
                concrete_url(rule),
                method=method,
                headers={"Authorization": f"Bearer {token}"},
                json={"x": "not a valid body"},
            )
            response.close()
            if response.status_code != 403:
                open_doors.append((method, rule.rule, rule.endpoint, response.status_code))
    assert checked > 0
    assert open_doors == [], "\n".join(map(str, open_doors))
