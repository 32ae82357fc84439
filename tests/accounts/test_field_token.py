"""Opening a field page (scanner, point of sale) again reuses the token it handed out: a GET
writes no new token row while the one it holds is good."""

from datetime import timedelta

from accounts.models import ApiToken
from accounts.services import issue_api_token, reusable_api_token, user_for_token
from core.extensions import db
from core.timeutil import utc_now


def scanner_token(client):
    # The scanner's shell holds no data; its token comes from the session endpoint it reads.
    return client.get("/scanner/session").get_json()["token"]


def token_rows():
    return db.session.query(ApiToken).count()


def test_the_scanner_reloaded_keeps_its_token(client, login, make_user, make_edition):
    make_edition(status="open")
    volunteer = make_user("volunteer")
    login(volunteer)
    first = scanner_token(client)
    assert token_rows() == 1
    assert [scanner_token(client) for _ in range(3)] == [first] * 3
    assert token_rows() == 1
    assert user_for_token(first) == volunteer


def test_another_user_in_the_same_browser_gets_their_own_token(
    client, login, make_user, make_edition
):
    make_edition(status="open")
    login(make_user("volunteer"))
    first = scanner_token(client)
    client.post("/logout")
    other = make_user("organiser")
    login(other)
    second = scanner_token(client)
    assert second != first and user_for_token(second) == other
    assert token_rows() == 2


def test_a_token_past_half_its_life_or_no_longer_valid_is_replaced(app, make_user):
    user = make_user("volunteer")
    token, expires_at = issue_api_token(user)
    now = utc_now()
    hours = app.config["API_TOKEN_HOURS"]
    assert reusable_api_token(user, (token, expires_at), now) == (token, expires_at)
    # Less than half its life ahead: a new one.
    late = expires_at - timedelta(hours=hours / 2) + timedelta(seconds=1)
    renewed, renewed_expiry = reusable_api_token(user, (token, expires_at), late)
    assert renewed != token and renewed_expiry > expires_at - timedelta(seconds=1)
    # Someone else's token, or an unknown one, is never reused.
    other = make_user("cashier")
    assert reusable_api_token(other, (token, expires_at), now)[0] != token
    assert reusable_api_token(user, ("forged", expires_at), now)[0] != "forged"
    assert reusable_api_token(user, None, now)[0] not in (token, renewed)
