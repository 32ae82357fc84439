"""CSRF on every form, OpenAPI generated from the code."""

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def form_urls(app):
    """Every page route that accepts POST (the API uses bearer tokens instead of cookies)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            arguments = {name: "1" for name in rule.arguments}
            urls.append(rule.rule if not rule.arguments else None or _fill(rule.rule, arguments))
    return urls


def _fill(path, arguments):
    for name in arguments:
        for pattern in (
            f"<int:{name}>",
            f"<{name}>",
            f"<path:{name}>",
            f"<string:{name}>",
            f"<uuid:{name}>",
        ):
            path = path.replace(
                pattern, "00000000-0000-0000-0000-000000000001" if "uuid" in pattern else "1"
            )
    return path


def test_every_form_post_without_csrf_token_is_refused(app, client, make_user):
    user = make_user("organiser")
    urls = form_urls(app)
    assert "/login" in urls and "/editions/new" in urls
    for url in urls:
        response = client.post(url, data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 400, url


def test_login_with_csrf_token_works(client, make_user):
    import re

    user = make_user("organiser")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_openapi_is_generated_from_the_code(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    assert "/api/v1/auth/token" in paths
    assert "/api/v1/editions" in paths and "/api/v1/editions/{slug}" in paths
    token_body = paths["/api/v1/auth/token"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert token_body  # the request schema comes from the code
    assert client.get("/api/v1/docs").status_code == 200
