"""Accounts: password hashing, sign-in, throttling, API tokens, user management, CLI."""

import pytest

from accounts.models import ApiToken, User
from accounts.services import (
    authenticate,
    check_password,
    create_user,
    issue_api_token,
    user_for_token,
)
from core.errors import Conflict, RuleBroken
from core.extensions import db
from tests.conftest import PASSWORD


def test_passwords_are_hashed_with_argon2(make_user):
    user = make_user("volunteer")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert check_password(user, PASSWORD)
    assert not check_password(user, PASSWORD + "x")


def test_create_user_rules(app, make_cooperative):
    with pytest.raises(RuleBroken) as short:
        create_user("someone", "short", "organiser")
    assert short.value.field == "password"
    with pytest.raises(RuleBroken) as link:
        create_user("coopuser", PASSWORD, "cooperative")
    assert link.value.field == "cooperative"
    with pytest.raises(RuleBroken):
        create_user("bad name!", PASSWORD, "organiser")
    create_user("nadia", PASSWORD, "organiser")
    with pytest.raises(Conflict):
        create_user("Nadia", PASSWORD, "volunteer")


def test_sign_in_and_out(client, make_user):
    user = make_user("organiser")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/users").status_code == 200
    client.post("/logout")
    assert client.get("/users").status_code == 302


def test_wrong_password_shows_translated_error(client, make_user):
    user = make_user("organiser")
    response = client.post(
        "/login?lang=fr", data={"username": user.username, "password": "nope-nope-nope"}
    )
    assert response.status_code == 200
    assert "Nom d’utilisateur ou mot de passe incorrect" in response.get_data(as_text=True)


def test_login_is_throttled_after_repeated_failures(client, make_user):
    user = make_user("organiser")
    statuses = [
        client.post(
            "/login", data={"username": user.username, "password": "wrong-password"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    # Even the right password is refused while throttled.
    assert (
        client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code
        == 429
    )


def test_successful_logins_do_not_count_toward_the_throttle(client, make_user):
    user = make_user("organiser")
    for _ in range(7):
        assert (
            client.post(
                "/login", data={"username": user.username, "password": PASSWORD}
            ).status_code
            == 302
        )


def test_deactivated_user_cannot_sign_in_and_loses_tokens(client, make_user, login):
    organiser = make_user("organiser")
    volunteer = make_user("volunteer")
    token, _ = issue_api_token(volunteer)
    db.session.commit()
    login(organiser)
    assert client.post(f"/users/{volunteer.id}/active", data={"active": "0"}).status_code == 302
    assert db.session.get(User, volunteer.id).active is False
    assert db.session.query(ApiToken).filter_by(user_id=volunteer.id).count() == 0
    assert user_for_token(token) is None
    assert authenticate(volunteer.username, PASSWORD) is None


def test_organiser_creates_users_from_the_page(client, make_user, login, make_cooperative):
    login(make_user("organiser"))
    cooperative = make_cooperative()
    response = client.post(
        "/users",
        data={
            "username": "amina",
            "full_name": "Amina",
            "role": "cooperative",
            "cooperative": str(cooperative.id),
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert db.session.query(User).filter_by(username="amina").one().cooperative_id == cooperative.id


def test_user_form_shows_service_errors(client, make_user, login):
    login(make_user("organiser"))
    response = client.post(
        "/users?lang=en", data={"username": "x", "role": "volunteer", "password": "short"}
    )
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="x").count() == 0


def test_organiser_cannot_deactivate_self(client, make_user, login):
    organiser = make_user("organiser")
    login(organiser)
    response = client.post(f"/users/{organiser.id}/active", data={"active": "0"})
    assert response.status_code == 422
    assert db.session.get(User, organiser.id).active is True


@pytest.mark.parametrize("role", ["volunteer", "cashier", "cooperative"])
@pytest.mark.parametrize(
    ("method", "url"), [("get", "/users"), ("post", "/users"), ("post", "/users/1/active")]
)
def test_user_management_is_for_organisers_only(client, make_user, login, role, method, url):
    login(make_user(role))
    assert getattr(client, method)(url).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/users")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("organiser")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_is_refused(client, make_user):
    user = make_user("organiser")
    response = client.post(
        "/login?next=https://evil.example/", data={"username": user.username, "password": PASSWORD}
    )
    assert "evil.example" not in response.headers["Location"]


def test_cli_creates_first_organiser(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "first", "--role", "organiser", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert db.session.query(User).filter_by(username="first", role="organiser").count() == 1
    again = runner.invoke(
        args=["users", "create", "first", "--role", "organiser", "--password", PASSWORD]
    )
    assert again.exit_code == 1
    assert "déjà pris" in again.output  # CLI messages use the default locale (fr)
