"""Issue 10: login throttling locks the guessing, not the person (web and API together)."""

import pytest

from accounts import services
from tests.conftest import PASSWORD


def web(client, username, password="wrong-password", address="10.0.0.1", **headers):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    ).status_code


def api(client, username, password="wrong-password", address="10.0.0.1", **headers):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    ).status_code


@pytest.fixture
def hashes(monkeypatch):
    """Counts the password hashes computed (a throttled attempt must cost none)."""
    counted = {"n": 0}
    real = services.password_hasher

    class Counting:
        def __init__(self, hasher):
            self.hasher = hasher

        def hash(self, *args):
            counted["n"] += 1
            return self.hasher.hash(*args)

        def verify(self, *args):
            counted["n"] += 1
            return self.hasher.verify(*args)

        def __getattr__(self, name):
            return getattr(self.hasher, name)

    monkeypatch.setattr(services, "password_hasher", lambda: Counting(real()))
    return counted


def test_spraying_new_usernames_from_one_address_is_throttled(client, hashes):
    statuses = [
        (web if n % 2 else api)(client, f"nobody-{n}", address="10.0.0.9") for n in range(40)
    ]
    failures = [s for s in statuses if s in (200, 401)]
    assert len(failures) == 20  # LOGIN_ADDRESS_LIMIT: 20 failures per 5 minutes
    assert statuses[20:] == [429] * 20
    assert hashes["n"] == 20  # the 20 refusals computed no hash at all
    assert web(client, "someone-else", address="10.0.0.10") == 200  # another address is free


def test_the_account_counter_is_shared_by_web_and_api(client, make_user):
    user = make_user("volunteer")
    statuses = [web(client, user.username) for _ in range(3)]
    statuses += [api(client, user.username) for _ in range(2)]
    assert statuses == [200, 200, 200, 401, 401]
    assert api(client, user.username) == 429
    assert web(client, user.username) == 429
    assert web(client, user.username, PASSWORD) == 429  # this address guessed: it waits


def test_a_correct_password_from_another_address_is_not_blocked(client, make_user):
    user = make_user("volunteer")
    for _ in range(5):
        web(client, user.username, address="10.0.0.66")
    assert web(client, user.username, PASSWORD, address="10.0.0.66") == 429
    assert web(client, user.username, PASSWORD, address="10.0.0.7") == 302
    assert api(client, user.username, PASSWORD, address="10.0.0.8") == 200


def test_a_distributed_guess_gets_one_try_per_address_once_the_account_is_hot(
    client, make_user, hashes
):
    user = make_user("volunteer")
    for n in range(20):  # LOGIN_ACCOUNT_LIMIT: 20 failures on the account from 20 addresses
        assert api(client, user.username, address=f"10.1.0.{n}") == 401
    before = hashes["n"]
    assert api(client, user.username, address="10.1.0.3") == 429  # it guessed already
    assert hashes["n"] == before
    assert api(client, user.username, address="10.1.0.99") == 401  # a new address: one try
    assert api(client, user.username, address="10.1.0.99") == 429
    assert web(client, user.username, PASSWORD, address="10.2.0.1") == 302  # the volunteer


def test_without_proxy_hops_forwarded_addresses_are_ignored(client, make_user):
    user = make_user("volunteer")
    for n in range(5):
        web(client, user.username, address="127.0.0.1", X_Forwarded_For=f"198.51.100.{n}")
    assert web(client, user.username, PASSWORD, "127.0.0.1", X_Forwarded_For="203.0.113.5") == 429
