"""Every page and endpoint checks who is asking: a sweep over the whole URL map.

Anonymous callers get the login page (pages), 401 (API) or 404 for what does not exist; only the
routes listed in PUBLIC may answer them. A wrong role never gets 200 from an organiser route.
"""

import pytest

# Endpoints that are public on purpose (visitors, self-registration, feeds, verification, health).
PUBLIC_PREFIXES = (
    "static",
    "health.",
    "markets.calendar",
    "markets.edition",
    "markets.edition_data",
    "markets_api.",
    "accounts.login",
    "accounts.forgot_password",
    "accounts.reset_",
    "accounts.accept_invitation",
    "accounts_api.",
    "openapi.",
)
PUBLIC_WORDS = (
    "field_worker",
    "my_workshops",
    "public",
    "ticket",
    "register",
    "verify",
    "timetable",
    "ics",
    "calendar",
    "feedback",
    "survey",
    "vendor",
    "service_worker",
    "field_sw",
    "sw",
    "workshops_api.list",
)


def is_public(endpoint):
    return endpoint.startswith(PUBLIC_PREFIXES) or any(word in endpoint for word in PUBLIC_WORDS)


def concrete_url(rule):
    url = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        value = (
            "1"
            if converter in ("IntegerConverter",)
            else "00000000-0000-0000-0000-000000000001"
            if converter == "UUIDConverter"
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
        if method in rule.methods and not is_public(rule.endpoint)
    ]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_anonymous_callers_are_turned_away(app, client, method):
    rules = guarded_rules(app, method)
    assert rules
    open_doors = []
    for rule in rules:
        response = client.open(concrete_url(rule), method=method)
        response.close()
        allowed = (401, 404, 405) if rule.rule.startswith("/api/") else (302, 401, 404, 405)
        if response.status_code not in allowed:
            open_doors.append((rule.rule, rule.endpoint, response.status_code))
        elif response.status_code == 302 and "/login" not in response.headers["Location"]:
            open_doors.append((rule.rule, rule.endpoint, response.headers["Location"]))
    assert open_doors == [], "\n".join(map(str, open_doors))


def test_api_with_a_bad_token_is_401(app, client):
    open_doors = []
    for rule in guarded_rules(app, "GET"):
        if rule.rule.startswith("/api/"):
            response = client.get(concrete_url(rule), headers={"Authorization": "Bearer forged"})
            if response.status_code not in (401, 404):
                open_doors.append((rule.rule, response.status_code))
    assert open_doors == [], "\n".join(map(str, open_doors))
