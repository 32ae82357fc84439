"""Issue 10: behind a TLS proxy (PROXY_HOPS), cookies, caching, CSP, HSTS, the secret key."""

import sys
from types import SimpleNamespace

import pytest

from core import config as config_module
from core.config import DEVELOPMENT_SECRET
from tests.conftest import PASSWORD

HTTPS = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PROXY_HOPS": 1}


def sign_in(client, user, headers, remember=True):
    data = {"username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, headers=headers)


def test_behind_the_proxy_each_client_has_its_own_throttle(client, make_user):
    user = make_user("volunteer")
    guesser = {"X-Forwarded-For": "198.51.100.7"}
    for _ in range(5):
        client.post("/login", data={"username": user.username, "password": "no"}, headers=guesser)
    assert sign_in(client, user, guesser).status_code == 429
    assert sign_in(client, user, {"X-Forwarded-For": "203.0.113.5"}).status_code == 302


def test_cookies_are_secure_httponly_lax_over_https(client, make_user):
    response = sign_in(client, make_user("organiser"), HTTPS)
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"session", "remember_token"} <= names
    for cookie in cookies:
        assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_cookies_are_not_marked_secure(client, make_user):
    response = sign_in(client, make_user("organiser"), {})
    assert all("Secure" not in c for c in response.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" not in response.headers


def test_api_links_are_https_behind_the_proxy(client, make_edition):
    edition = make_edition(status="open")
    response = client.post("/api/v1/tickets", json={"edition": edition.slug}, headers=HTTPS)
    assert response.status_code == 201
    assert response.get_json()["ticket"]["png_url"].startswith("https://")


def test_authenticated_pages_and_downloads_are_not_cached(client, make_user, login):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(make_user("organiser"))
    assert client.get("/users").headers["Cache-Control"] == "private, no-store"
    download = client.get("/cooperatives.csv")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"


def test_api_answers_with_a_token_are_not_cached(client, make_user, api_headers):
    response = client.get("/api/v1/me/payouts", headers=api_headers(make_user("organiser")))
    assert response.headers["Cache-Control"] == "private, no-store"


def test_content_security_policy_refuses_inline_scripts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["style-src-elem"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


# ---------------------------------------------------------------- the secret key


def fake_app(tmp_path, key, testing=False):
    return SimpleNamespace(config={"SECRET_KEY": key}, testing=testing, instance_path=tmp_path)


@pytest.mark.parametrize("key", [None, "", DEVELOPMENT_SECRET])
def test_production_refuses_to_start_without_its_own_secret(monkeypatch, tmp_path, key):
    monkeypatch.delenv("SOUK_ENV", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_module.load_secret_key(fake_app(tmp_path, key))


def test_the_app_refuses_the_published_secret_even_with_flask_debug(monkeypatch):
    from app import create_app

    monkeypatch.delenv("SOUK_ENV", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("SECRET_KEY", DEVELOPMENT_SECRET)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_development_generates_a_secret_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.setenv("SOUK_ENV", "development")
    first = fake_app(tmp_path, DEVELOPMENT_SECRET)
    config_module.load_secret_key(first)
    second = fake_app(tmp_path, None)
    config_module.load_secret_key(second)
    key = first.config["SECRET_KEY"]
    assert key != DEVELOPMENT_SECRET and len(key) >= 48
    assert second.config["SECRET_KEY"] == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_forged_session_with_the_published_secret_is_refused(client, make_user):
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    user = make_user("organiser")
    forger = Flask("forger")
    forger.secret_key = DEVELOPMENT_SECRET
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    forged = serializer.dumps({"_user_id": str(user.id), "_fresh": True})
    client.set_cookie("session", forged)
    assert client.get("/users").status_code == 302


# ---------------------------------------------------------------- the limiter's storage


def test_production_with_several_workers_refuses_in_memory_throttling(monkeypatch):
    monkeypatch.delenv("SOUK_ENV", raising=False)
    monkeypatch.setattr(sys, "argv", ["/srv/.venv/bin/gunicorn", "-w", "4", "app:create_app()"])
    app = SimpleNamespace(testing=False, config={"RATELIMIT_STORAGE_URI": "memory://"})
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        config_module.check_limiter_storage(app)
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    config_module.check_limiter_storage(app)


def test_one_worker_with_in_memory_throttling_warns(monkeypatch, capsys):
    monkeypatch.delenv("SOUK_ENV", raising=False)
    monkeypatch.setattr(sys, "argv", ["gunicorn", "--workers=1", "app:create_app()"])
    app = SimpleNamespace(testing=False, config={"RATELIMIT_STORAGE_URI": "memory://"})
    config_module.check_limiter_storage(app)
    assert "RATELIMIT_STORAGE_URI=memory://" in capsys.readouterr().err
