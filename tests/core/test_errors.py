"""Every error is a translated page or the API's JSON error, never a traceback."""

import pytest
from flask import Blueprint


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAX_CONTENT_LENGTH": 1024}


@pytest.fixture
def broken_app(app):
    """An app with routes that fail, to see what users get."""
    crash = Blueprint("crash", __name__)

    @crash.get("/crash")
    def crash_page():
        raise RuntimeError("secret internals")

    @crash.get("/api/v1/crash")
    def crash_api():
        raise RuntimeError("secret internals")

    app.register_blueprint(crash)
    return app


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/no/such/page?lang=fr")
    assert response.status_code == 404
    assert "Cette page n’existe pas." in response.get_data(as_text=True)


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_method_not_allowed(client):
    assert client.delete("/login").status_code == 405
    response = client.get("/api/v1/auth/token")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_too_large_body_is_413(client):
    response = client.post("/api/v1/auth/token", data="x" * 5000, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_server_error_shows_no_traceback(broken_app):
    client = broken_app.test_client()
    page = client.get("/crash?lang=en")
    assert page.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "Nothing was saved" in page.get_data(as_text=True)
    api = client.get("/api/v1/crash")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "server_error"
    assert "secret" not in api.get_data(as_text=True)


@pytest.mark.parametrize(
    "language,text", [("ar", "هذه الصفحة غير موجودة"), ("es", "Esta página no existe")]
)
def test_error_messages_follow_the_language(client, language, text):
    body = client.get("/api/v1/editions/none", headers={"Accept-Language": language}).get_json()
    page = client.get(f"/nowhere?lang={language}").get_data(as_text=True)
    assert body["error"]["code"] == "unknown_edition"
    assert text in page


def test_readyz_is_503_when_the_database_is_down(app_config):
    from app import create_app

    app = create_app(
        {**app_config, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert app.test_client().get("/healthz").status_code == 200


def test_secret_key_is_required_outside_development(monkeypatch):
    from app import create_app

    monkeypatch.delenv("SOUK_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
