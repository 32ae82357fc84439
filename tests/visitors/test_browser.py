"""The scanner page in headless Chromium: offline checks, the IndexedDB queue, the sync."""

import re
from datetime import date, timedelta

import pytest

from core.extensions import db
from tests.conftest import PASSWORD
from visitors.models import Scan


@pytest.fixture
def live_edition(make_edition):
    today = date.today()
    return make_edition(
        status="open",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=3),
        hours=(0, 1440),
    )


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def open_scanner(page, base):
    page.goto(f"{base}/scanner")
    page.wait_for_selector("body[data-scanner-ready=true]")
    page.select_option("#site", "meknes")
    page.select_option("#gate", "gate-south")
    page.click("#place-form button[type=submit]")
    page.wait_for_selector("#scanning:not([hidden])")


def enter_code(page, code):
    page.fill("#code-input", code)
    page.press("#code-input", "Enter")


def test_offline_scans_are_checked_queued_and_synced_once(
    live_server, page, make_user, live_edition, client, api_headers
):
    from visitors.services import create_ticket

    ticket = create_ticket(live_edition, {"name": "Amina"}, None)
    db.session.commit()
    volunteer = make_user("volunteer", username="youssef")
    headers = api_headers(make_user("organiser"))
    code, slug, username = ticket.code, live_edition.slug, volunteer.username
    # SQLite writers begin IMMEDIATE: this process must hold no open transaction while the
    # live server writes, so read what the test needs now and end the read.
    db.session.rollback()
    base = live_server.url()
    sign_in(page, base, username)
    open_scanner(page, base)

    page.context.set_offline(True)
    page.wait_for_selector("#connection[data-online=false]")
    enter_code(page, code)
    page.wait_for_selector("#verdict[data-status=queued]")
    assert "green" in page.get_attribute("#verdict", "class")
    # Same payload, another signature: a forgery is refused on the phone itself, offline.
    forged = code[:-6] + ("AAAAAA" if not code.endswith("AAAAAA") else "BBBBBB")
    enter_code(page, forged)
    page.wait_for_selector("#verdict[data-status=invalid]")
    assert "red" in page.get_attribute("#verdict", "class")
    enter_code(page, "not even a code")
    page.wait_for_selector("#verdict[data-status=invalid]")
    page.wait_for_selector("#pending[data-count='3']")
    page.click("#tally-button")
    page.wait_for_selector("#pending[data-count='4']")

    page.context.set_offline(False)
    page.wait_for_selector("#pending[data-count='0']", timeout=30000)
    # The server's answers replace the phone's verdicts in the list of last scans.
    page.wait_for_selector("#history li[data-status=accepted]")
    assert page.locator("#history li[data-status=invalid]").count() == 2

    summary = client.get(f"/api/v1/editions/{slug}/attendance", headers=headers).json
    meknes = next(site for site in summary["sites"] if site["site"] == "meknes")
    assert (meknes["visitors"], meknes["entries"], meknes["tallied"]) == (2, 2, 1)
    assert (summary["visitors"], summary["entries"]) == (2, 2)
    statuses = sorted(status for (status,) in db.session.query(Scan.status))
    assert statuses == ["accepted", "invalid", "invalid"]
    db.session.rollback()  # end the read: SQLite writers begin IMMEDIATE and would wait for it
    # Scanning the same ticket again online: re-entry, amber.
    enter_code(page, code)
    page.wait_for_selector("#verdict[data-status=reentry]")
    assert "amber" in page.get_attribute("#verdict", "class")


def test_scanner_in_arabic_is_rtl_and_decodes_qr_with_local_wasm(
    live_server, page, make_user, live_edition
):
    from visitors.services import create_ticket

    ticket = create_ticket(live_edition, {}, None)
    db.session.commit()
    username, token_id, code = make_user("volunteer").username, ticket.token_id, ticket.code
    db.session.rollback()
    base = live_server.url()
    sign_in(page, base, username)
    page.goto(f"{base}/scanner?lang=ar")
    page.wait_for_selector("body[data-scanner-ready=true]")
    assert page.get_attribute("html", "dir") == "rtl"
    outside = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(base) else None,
    )
    decoded = page.evaluate(
        """async ([png, module, wasm]) => {
            const zxing = await import(module);
            zxing.prepareZXingModule({overrides: {locateFile: (path, prefix) =>
                path.endsWith(".wasm") ? wasm + path : prefix + path}, fireImmediately: true});
            const image = new Image();
            image.src = png;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const found = await zxing.readBarcodes(context.getImageData(0, 0, canvas.width, canvas.height), {formats: ["QRCode"]});
            return found.map((item) => item.text);
        }""",
        [
            f"{base}/tickets/{token_id}.png",
            f"{base}/vendor/zxing-wasm/dist/es/reader/index.js",
            f"{base}/vendor/zxing-wasm/dist/reader/",
        ],
    )
    assert decoded == [code]
    assert not [url for url in outside if re.match(r"https?://", url)]


def test_scanner_page_opens_offline_from_the_service_worker(
    live_server, page, make_user, live_edition
):
    from visitors.services import create_ticket

    ticket = create_ticket(live_edition, {}, None)
    db.session.commit()
    username, code = make_user("volunteer").username, ticket.code
    db.session.rollback()
    base = live_server.url()
    sign_in(page, base, username)
    open_scanner(page, base)
    page.wait_for_selector("body[data-offline-ready=true]", timeout=30000)

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-scanner-ready=true]")
    # The place chosen before is remembered; a code typed offline is checked and queued.
    page.wait_for_selector("#scanning:not([hidden])")
    assert page.get_attribute("#connection", "data-online") == "false"
    enter_code(page, code)
    page.wait_for_selector("#verdict[data-status=queued]")
    page.wait_for_selector("#pending[data-count='1']")
    page.context.set_offline(False)
    page.wait_for_selector("#pending[data-count='0']", timeout=30000)
    page.wait_for_selector("#history li[data-status=accepted]")


def test_scanner_says_not_open_outside_the_site_dates_even_offline(
    live_server, page, make_user, make_edition
):
    from visitors.services import create_ticket

    later = date.today() + timedelta(days=5)
    edition = make_edition(status="open", starts_on=later, ends_on=later + timedelta(days=2))
    ticket = create_ticket(edition, {}, None)
    db.session.commit()
    username, code = make_user("volunteer").username, ticket.code
    db.session.rollback()
    base = live_server.url()
    sign_in(page, base, username)
    open_scanner(page, base)
    page.context.set_offline(True)
    enter_code(page, code)
    page.wait_for_selector("#verdict[data-status=not_open]")
    assert "red" in page.get_attribute("#verdict", "class")
    page.context.set_offline(False)
    page.wait_for_selector("#pending[data-count='0']", timeout=30000)
    page.wait_for_selector("#history li[data-status=not_open]")
