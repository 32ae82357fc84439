"""Bearer tokens of the field API."""

from datetime import timedelta

from accounts.models import ApiToken
from core.extensions import db
from tests.conftest import PASSWORD


def test_token_for_good_credentials(client, make_user):
    user = make_user("volunteer")
    response = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["role"] == "volunteer"
    assert body["expires_at"].endswith("Z")
    stored = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    assert body["token"] not in stored.token_hash  # only a digest is stored


def test_bad_credentials_are_401(client, make_user):
    user = make_user("volunteer")
    response = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": "wrong-one-here"}
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_credentials"


def test_token_endpoint_is_throttled(client, make_user):
    user = make_user("volunteer")
    statuses = [
        client.post(
            "/api/v1/auth/token", json={"username": user.username, "password": "wrong-one"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    assert (
        client.post(
            "/api/v1/auth/token", json={"username": user.username, "password": "x"}
        ).get_json()["error"]["code"]
        == "throttled"
    )


def test_malformed_and_mistyped_bodies_are_400(client):
    malformed = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.get_json()["error"]["code"] == "invalid_request"
    mistyped = client.post("/api/v1/auth/token", json={"username": 12, "password": []})
    assert mistyped.status_code == 400
    assert "username" in mistyped.get_json()["error"]["message"]


def test_expired_token_is_refused(app, make_user):
    from accounts.services import issue_api_token, user_for_token

    user = make_user("volunteer")
    token, _ = issue_api_token(user)
    row = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    assert user_for_token(token) == user
    row.expires_at = row.expires_at - timedelta(days=365)
    db.session.commit()
    assert user_for_token(token) is None


def test_issuing_a_token_drops_the_users_expired_ones(app, make_user):
    from accounts.services import issue_api_token

    user, other = make_user("volunteer"), make_user("volunteer")
    issue_api_token(user)
    issue_api_token(other)
    db.session.query(ApiToken).update(
        {ApiToken.expires_at: ApiToken.expires_at - timedelta(days=365)}
    )
    db.session.commit()
    issue_api_token(user)
    db.session.commit()
    assert db.session.query(ApiToken).filter_by(user_id=user.id).count() == 1
    assert db.session.query(ApiToken).filter_by(user_id=other.id).count() == 1  # not someone else's
