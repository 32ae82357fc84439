"""Sessions: not tied to the User-Agent, revoked on logout, password change and deactivation."""

from core.extensions import db
from tests.conftest import PASSWORD


def session_cookie(client):
    return client.get_cookie("session").value


def replay(app, cookie):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/account")


def test_a_session_survives_a_user_agent_change(app, client, make_user, login):
    login(make_user("volunteer"))
    assert (
        client.get(
            "/account", headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14)"}
        ).status_code
        == 200
    )
    desktop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"
    assert client.get("/account", headers={"User-Agent": desktop}).status_code == 200


def test_a_session_cookie_replayed_after_logout_is_refused(app, client, make_user, login):
    login(make_user("organiser"))
    cookie = session_cookie(client)
    assert replay(app, cookie).status_code == 200
    client.post("/logout")
    response = replay(app, cookie)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_remember_me_cookie_replayed_after_logout_is_refused(app, client, make_user):
    user = make_user("cashier")
    client.post("/login", data={"username": user.username, "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token").value
    client.post("/logout")
    other = app.test_client()
    other.set_cookie("remember_token", remember)
    assert other.get("/account").status_code == 302


def test_a_password_change_signs_out_every_other_browser(app, client, make_user, login):
    user = make_user("volunteer")
    login(user)
    elsewhere = session_cookie(client)
    response = client.post(
        "/account",
        data={
            "part": "password",
            "pw-current_password": PASSWORD,
            "pw-password": "another-long-one",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this browser goes on
    assert replay(app, elsewhere).status_code == 302


def test_deactivation_ends_the_sessions(app, client, make_user, login):
    user = make_user("volunteer")
    login(user)
    cookie = session_cookie(client)
    organiser = make_user("organiser")
    admin = app.test_client()
    admin.post("/login", data={"username": organiser.username, "password": PASSWORD})
    assert admin.post(f"/users/{user.id}/active", data={"active": "0"}).status_code == 302
    assert replay(app, cookie).status_code == 302
    db.session.refresh(user)
    assert user.active is False
