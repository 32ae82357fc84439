"""Login throttling shared by the sign-in page and the API token endpoint (issue 10).

Three counters of *failed* attempts, in the limiter's storage (Redis in deployments), the same
for the web and the API:

* per client address, whatever the username (spraying new names from one address);
* per account and address (guessing one account's password from one address);
* per account from every address: once it is reached, only addresses that have not failed on
  this account yet may still try, so a volunteer signing in from her own phone is never locked
  out by someone guessing elsewhere — the guessing is locked, not the person.

A refusal is decided before any password hash is computed, so throttled guesses cost nothing.
"""

import logging

from flask import current_app, request
from limits import parse

from core.extensions import limiter

log = logging.getLogger(__name__)


def keys(username):
    account = (username or "").strip().lower()[:80] if isinstance(username, str) else ""
    return account, request.remote_addr or "unknown"


def limit(name):
    return parse(current_app.config[name])


def login_refused(username):
    """True when this attempt must be refused (429) without checking the password."""
    if not limiter.enabled:
        return False
    try:
        return counters_reached(username)
    except Exception:  # the limiter's storage (Redis) is down: sign-in must still work
        log.exception("Login throttling unavailable: the limiter's storage did not answer")
        return False


def counters_reached(username):
    account, address = keys(username)
    strategy = limiter.limiter
    if not strategy.test(limit("LOGIN_ADDRESS_LIMIT"), "login-address", address):
        return True
    pair = limit("LOGIN_LIMIT")
    if not strategy.test(pair, "login-account-address", account, address):
        return True
    if not strategy.test(limit("LOGIN_ACCOUNT_LIMIT"), "login-account", account):
        stats = strategy.get_window_stats(pair, "login-account-address", account, address)
        return stats.remaining < pair.amount  # this address has already failed on the account
    return False


def record_failed_login(username):
    if not limiter.enabled:
        return
    account, address = keys(username)
    strategy = limiter.limiter
    try:
        strategy.hit(limit("LOGIN_ADDRESS_LIMIT"), "login-address", address)
        strategy.hit(limit("LOGIN_LIMIT"), "login-account-address", account, address)
        strategy.hit(limit("LOGIN_ACCOUNT_LIMIT"), "login-account", account)
    except Exception:  # see login_refused
        log.exception("Login throttling unavailable: the failure was not counted")
