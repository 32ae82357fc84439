"""Sessions: not tied to the User-Agent, revoked on logout, password change and deactivation."""

from sqlalchemy import select

from accounts.models import ActivityEntry, User
from accounts.services import user_for_token
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


def test_a_new_password_ends_the_api_tokens_and_user_changes_are_logged(
    app, client, make_user, login, api_headers
):
    organiser = make_user("organiser")
    login(organiser)
    response = client.post(
        "/users",
        data={"username": "newbie", "password": "long-enough-pass", "role": "volunteer"},
    )
    assert response.status_code == 302
    user = db.session.scalars(select(User).filter_by(username="newbie")).one()
    headers = api_headers(user)
    assert client.post(f"/users/{user.id}/active", data={"active": "0"}).status_code == 302
    assert client.post(f"/users/{user.id}/active", data={"active": "1"}).status_code == 302
    logged = [
        (entry.action, entry.actor_id, entry.subject_label)
        for entry in db.session.scalars(select(ActivityEntry).order_by(ActivityEntry.id))
    ]
    assert logged == [
        ("user.create", organiser.id, "newbie"),
        ("user.deactivate", organiser.id, "newbie"),
        ("user.activate", organiser.id, "newbie"),
    ]
    assert user_for_token(headers["Authorization"][7:]) is None  # deactivation ended it
    client.post("/logout")

    volunteer = make_user("volunteer")
    token_headers = api_headers(volunteer)
    login(volunteer)
    client.post(
        "/account",
        data={
            "part": "password",
            "pw-current_password": PASSWORD,
            "pw-password": "another-long-one",
        },
    )
    assert user_for_token(token_headers["Authorization"][7:]) is None
