"""Scheduled clean-up of expired links (fixed clock): reset and invitation links, and the phones'
one-time provisioning links, go a day after they expire and not before."""

from datetime import datetime, timedelta

import pytest

from accounts.devices import create_device, device_for_link
from accounts.models import AccountToken, Device
from accounts.self_service import invite_user, request_password_reset
from accounts.tasks import delete_expired_links
from core import queue
from core.errors import DomainError
from core.extensions import db


@pytest.fixture
def links(app, make_user, make_edition):
    organiser = make_user("organiser")
    organiser.email = "organiser@example.org"
    with app.test_request_context():
        request_password_reset(organiser.username, lambda token: f"/reset/{token}")
        invite_user(organiser, "volunteer", lambda token: f"/join/{token}", email="v@example.org")
        device, link = create_device(make_edition(), {"name": "Gate phone"}, organiser)
    db.session.commit()
    return device, link


def test_expired_links_are_cleaned_up_a_day_after_their_expiry(app, links):
    device, link = links
    latest = max(row.expires_at for row in db.session.query(AccountToken))
    assert delete_expired_links(device.link_expires_at + timedelta(hours=23)) == 0
    db.session.commit()
    assert device_for_link(link) == device  # not cleaned yet: still "expired", not "unknown"
    assert delete_expired_links(device.link_expires_at + timedelta(days=1, minutes=1)) == 1
    db.session.commit()
    device = db.session.get(Device, device.id, populate_existing=True)
    assert (device.link_hash, device.link_expires_at, device.status) == (None, None, "waiting")
    with pytest.raises(DomainError):
        device_for_link(link)
    assert db.session.query(AccountToken).count() == 2  # a reset lives hours, an invitation days
    assert delete_expired_links(latest + timedelta(days=1, minutes=1)) == 2
    db.session.commit()
    assert db.session.query(AccountToken).count() == 0
    assert db.session.query(Device).count() == 1  # the phone itself stays


def test_the_link_cleanup_is_scheduled_with_the_others(app):
    scheduled = {task.name for task in queue.huey.read_periodic(datetime(2026, 11, 29, 3, 19))}
    assert "accounts_expired_links" in scheduled
    assert queue.PERIODIC_TASKS["accounts_expired_links"] is delete_expired_links
