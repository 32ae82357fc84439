"""The organiser's live pages and the volunteer's sync summary in headless Chromium: the gate
operations and devices pages change their figures in place after a scan (no reload), pass
axe-core in Arabic on a phone and in French on a desktop; the scanner's sync summary counts
what was sent, what waits, when it last synced and what the server refused."""

import re
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from accounts.devices import create_device, provision_device
from core.extensions import db
from markets.models import Site
from tests.visitors.test_field_app import (
    axe_violations,
    choose_place,
    enter_code,
    open_scanner,
    overflow,
    sign_in,
)

SCREENS = {"ar": {"width": 360, "height": 740}, "fr": {"width": 1366, "height": 900}}


@pytest.fixture
def app_config(app_config):
    # The live pages read their JSON every FIELD_LIVE_SECONDS (15 s in use): 1 s keeps this fast.
    return {**app_config, "FIELD_LIVE_SECONDS": 1}


def a_scan(edition, code, gate="gate-north"):
    return {
        "id": str(uuid.uuid4()),
        "code": code,
        "edition": edition.slug,
        "site": "meknes",
        "checkpoint": gate,
        "direction": "in",
        "scanned_at": datetime.now(UTC).isoformat(),
    }


def marked(page):
    """Mark the page's window: a reload would lose the mark."""
    page.evaluate("window.soukTestMark = 'kept'")


def still_marked(page):
    return page.evaluate("window.soukTestMark") == "kept"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_live_pages_change_in_place_after_a_scan_and_pass_axe(
    live_server,
    chromium,
    client,
    make_user,
    live_edition,
    language,
):
    from visitors.services import create_ticket

    organiser = make_user("organiser")
    device, link = create_device(live_edition, {"name": "Phone 7"}, organiser)
    _device, token, _expires = provision_device(link)
    ticket = create_ticket(live_edition, {}, None)
    db.session.commit()
    slug, device_id, username = live_edition.slug, device.id, organiser.username
    scan = a_scan(live_edition, ticket.code)
    db.session.rollback()  # SQLite: hold no read while the live server writes
    base = live_server.url()
    context = chromium.new_context(
        viewport=SCREENS[language], locale=f"{language}-MA", timezone_id="Africa/Casablanca"
    )
    try:
        operations, devices = context.new_page(), context.new_page()
        sign_in(operations, base, username)
        operations.goto(f"{base}/editions/{slug}/operations?lang={language}")
        devices.goto(f"{base}/editions/{slug}/devices?lang={language}")
        for page, where in ((operations, "gate operations"), (devices, "devices")):
            assert page.get_attribute("html", "lang") == language
            assert overflow(page) <= 0, where
            assert axe_violations(page) == [], f"{where} in {language}"
            marked(page)
        entries = operations.locator('[data-live="site:meknes:entries_today"]')
        gate = operations.locator('[data-live="gate:meknes/gate-north:entries_today"]')
        phone_entries = operations.locator(f'[data-live="phone:{device_id}:entries_today"]')
        last_scan = devices.locator(f'[data-live="device:{device_id}:last_scan_at"]')
        queue_size = devices.locator(f'[data-live="device:{device_id}:queue_size"]')
        zero = "٠" if entries.text_content().strip() == "٠" else "0"
        expect(entries).to_have_text(zero)
        expect(gate).to_have_text(zero)
        expect(last_scan).to_have_text("–")
        expect(queue_size).to_have_text("–")
        assert phone_entries.count() == 0  # no phone has scanned today yet

        # The phone sends a scan and, after its sync, its queue (as scanner.js does).
        headers = {"Authorization": f"Bearer {token}"}
        answer = client.post("/api/v1/scans", json={"scans": [scan]}, headers=headers)
        assert [result["status"] for result in answer.get_json()["results"]] == ["accepted"]
        beat = {"app_version": "test", "queue_size": 2, "oldest_unsent_at": scan["scanned_at"]}
        assert client.post("/api/v1/field/heartbeat", json=beat, headers=headers).status_code == 200
        db.session.rollback()

        one = "١" if zero == "٠" else "1"
        expect(entries).to_have_text(one, timeout=15_000)
        expect(gate).to_have_text(one)
        expect(queue_size).to_have_text(
            "2" if zero == "0" else re.compile("^[2٢]$"), timeout=15_000
        )
        expect(last_scan).not_to_have_text("–")
        assert re.search(r"\d|[٠-٩]", last_scan.text_content())  # a time, shown in place
        assert still_marked(operations) and still_marked(devices)  # no reload
        assert int(operations.get_attribute("#operations", "data-refreshed")) >= 1
        for page, where in ((operations, "gate operations"), (devices, "devices")):
            assert axe_violations(page) == [], f"{where} in {language}, after the update"
    finally:
        context.close()


def summary(page):
    return {
        key: page.text_content(f"#{key}").strip()
        for key in ("sent-today", "waiting", "last-sync", "sync-errors")
    }


def test_the_sync_summary_counts_sent_waiting_last_sync_and_refusals(
    live_server,
    phone,
    make_user,
    live_edition,
):
    from visitors.services import create_ticket

    tickets = [create_ticket(live_edition, {}, None) for _ in range(3)]
    db.session.commit()
    username, codes = make_user("volunteer").username, [ticket.code for ticket in tickets]
    site_id = live_edition.site("meknes").id
    db.session.rollback()
    base = live_server.url()
    sign_in(phone, base, username)
    open_scanner(phone, base)
    choose_place(phone)  # Meknès, south gate
    assert summary(phone) == {
        "sent-today": "0",
        "waiting": "0",
        "last-sync": "–",
        "sync-errors": "0",
    }

    enter_code(phone, codes[0])
    phone.wait_for_selector("#history li[data-status=accepted]")
    expect(phone.locator("#sent-today")).to_have_text("1")
    last = phone.text_content("#last-sync")
    assert re.fullmatch(r"\d\d:\d\d", last), last

    phone.context.set_offline(True)
    phone.wait_for_selector("#connection[data-online=false]")
    enter_code(phone, codes[1])
    enter_code(phone, "not a code")
    phone.wait_for_selector("#pending[data-count='2']")
    # Another gate of the same site, still offline.
    phone.click("#change-place")
    phone.select_option("#gate", "gate-north")
    phone.click("#place-form button[type=submit]")
    phone.wait_for_selector("#scanning:not([hidden])")
    enter_code(phone, codes[2])
    phone.click("#tally-button")
    phone.wait_for_selector("#pending[data-count='4']")
    assert summary(phone) == {
        "sent-today": "1",
        "waiting": "4",
        "last-sync": last,
        "sync-errors": "0",
    }

    # Meanwhile the organisers closed the south gate: its two scans are refused at the sync.
    site = db.session.get(Site, site_id)
    site.gates = ["gate-north"]
    db.session.commit()
    db.session.rollback()
    phone.context.set_offline(False)
    phone.wait_for_selector("#pending[data-count='0']", timeout=30_000)
    expect(phone.locator("#sent-today")).to_have_text("5")
    assert summary(phone)["waiting"] == "0"
    assert summary(phone)["sync-errors"] == "2"
    assert re.fullmatch(r"\d\d:\d\d", summary(phone)["last-sync"])
    # The summary is kept on the phone: a reload shows the same figures.
    phone.reload()
    phone.wait_for_selector("body[data-scanner-ready=true]")
    expect(phone.locator("#sent-today")).to_have_text("5")
    assert summary(phone)["sync-errors"] == "2"
