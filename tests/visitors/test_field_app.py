"""The gate scanner as a field app, in headless Chromium at a 390x844 phone viewport: it fits in
Arabic and French, passes axe-core, opens offline after a language switch, costs few bytes on a
repeat load, and a phone provisioned by QR is watched and revoked by an organiser."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core.extensions import db
from tests.conftest import PASSWORD

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def open_scanner(page, base, query=""):
    page.goto(f"{base}/scanner{query}")
    page.wait_for_selector("body[data-scanner-ready=true]")


def choose_place(page):
    page.select_option("#site", "meknes")
    page.select_option("#gate", "gate-south")
    page.click("#place-form button[type=submit]")
    page.wait_for_selector("#scanning:not([hidden])")


def enter_code(page, code):
    page.fill("#code-input", code)
    page.press("#code-input", "Enter")


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def too_wide(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((element) => element.getBoundingClientRect().width > window.innerWidth
                && ![...element.children].some((child) => child.getBoundingClientRect().width > window.innerWidth))
            .map((element) => [element.tagName + '#' + element.id + '.' + element.className, element.scrollWidth, Math.round(element.getBoundingClientRect().width)])"""
    )


def small_targets(page):
    """Visible buttons, inputs, selects and links styled as buttons lower than 48 px."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main button, main input:not([type=checkbox]), main select, main .button, header select')]
            .filter((element) => element.offsetParent !== null)
            .map((element) => [element.id || element.textContent.trim(), element.getBoundingClientRect().height])
            .filter(([, height]) => height < 47.5)"""
    )


def axe_violations(page):
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter((item) => item.impact === 'critical' || item.impact === 'serious')
            .map((item) => item.id + ': ' + item.nodes.map((node) => node.target.join(' ')).join(', '))"""
    )
    return found


def check_page(page, where):
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        assert overflow(page) <= 0, (f"{where} scrolls sideways at {width} px", too_wide(page))
    page.set_viewport_size(PHONE)
    assert small_targets(page) == [], where
    assert axe_violations(page) == [], where


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_field_pages_fit_a_phone_and_pass_axe(
    live_server, phone, make_user, live_edition, language
):
    from visitors.services import create_ticket

    ticket = create_ticket(live_edition, {}, None)
    db.session.commit()
    username, code = make_user("volunteer").username, ticket.code
    db.session.rollback()
    base = live_server.url()
    sign_in(phone, base, username)
    open_scanner(phone, base, f"?lang={language}")
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    check_page(phone, "place form")
    choose_place(phone)
    check_page(phone, "scanner, ready")
    enter_code(phone, "not a code at all")
    phone.wait_for_selector("#verdict[data-status=invalid]")
    assert phone.text_content("#verdict-detail")  # what to do, not only "refuse"
    check_page(phone, "scanner, red verdict")
    enter_code(phone, code)
    phone.wait_for_selector("#history li[data-status=accepted]")
    enter_code(phone, code)
    phone.wait_for_selector("#verdict[data-status=reentry]")
    assert re.search(r"\d", phone.text_content("#verdict-detail"))  # first entered at hh:mm
    check_page(phone, "scanner, amber verdict")
    # The verdict goes back to "ready" by itself after the display time (3 s by default).
    phone.wait_for_selector("#verdict[data-status='']", timeout=10_000)
    assert phone.evaluate("document.activeElement.id") == "code-input"
    phone.goto(f"{base}/offline")
    check_page(phone, "offline page")


def test_language_switch_then_offline_start(live_server, phone, make_user, live_edition):
    from visitors.services import create_ticket

    ticket = create_ticket(live_edition, {}, None)
    db.session.commit()
    username, code = make_user("volunteer").username, ticket.code
    db.session.rollback()
    base = live_server.url()
    sign_in(phone, base, username)
    open_scanner(phone, base)
    choose_place(phone)
    phone.wait_for_selector("body[data-offline-ready=true]")
    phone.select_option("#field-lang", "ar")  # chosen inside the app: the URL does not change
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.url == f"{base}/scanner"
    phone.context.set_offline(True)
    phone.reload()
    phone.wait_for_selector("body[data-scanner-ready=true]")
    assert phone.get_attribute("html", "lang") == "ar"
    assert re.search("[\u0600-\u06ff]", phone.text_content("#connection"))  # Arabic, offline
    enter_code(phone, code)
    phone.wait_for_selector("#verdict[data-status=queued]")
    phone.wait_for_selector("#pending[data-count='1']")
    # The home page was kept too, and any other page falls back to the offline page.
    phone.goto(f"{base}/")
    assert phone.locator("nav.mainnav").count() == 1  # the home page itself, not the fallback
    phone.goto(f"{base}/editions/{live_edition.slug}/attendance")
    assert phone.locator("header.field-bar").count() == 1  # the offline page
    assert phone.locator("a[href='/scanner']").count() == 1
    phone.goto(f"{base}/scanner")
    phone.wait_for_selector("body[data-scanner-ready=true]")
    phone.context.set_offline(False)
    phone.wait_for_selector("#pending[data-count='0']", timeout=30_000)
    from visitors.models import Scan

    db.session.rollback()
    assert [scan.status for scan in db.session.query(Scan)] == ["accepted"]
    db.session.rollback()


def network_bytes(page, action):
    """Bytes Chromium reads from the network (DevTools protocol) while `action` runs."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    received, urls = [], []
    session.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    session.on("Network.requestWillBeSent", lambda event: urls.append(event["request"]["url"]))
    action()
    page.wait_for_timeout(1500)
    session.detach()
    return sum(received), urls


def test_a_repeat_load_costs_under_20_kb_and_no_camera_decoder(
    live_server, phone, make_user, live_edition
):
    username = make_user("volunteer").username
    base = live_server.url()
    sign_in(phone, base, username)
    first, first_urls = network_bytes(phone, lambda: open_scanner(phone, base))
    choose_place(phone)
    phone.wait_for_selector("body[data-offline-ready=true]")
    assert not [url for url in first_urls if "zxing" in url]  # no camera, no decoder
    repeat, urls = network_bytes(
        phone,
        lambda: (phone.reload(), phone.wait_for_selector("body[data-scanner-ready=true]")),
    )
    assert repeat <= 20 * 1024, (repeat, urls)
    assert not [url for url in urls if "zxing" in url]
    assert first > repeat


def test_provisioning_story(live_server, chromium, phone, make_user, live_edition):
    from visitors.services import create_ticket

    first_ticket, second_ticket = (
        create_ticket(live_edition, {}, None),
        create_ticket(live_edition, {}, None),
    )
    db.session.commit()
    organiser = make_user("organiser").username
    codes = first_ticket.code, second_ticket.code
    slug = live_edition.slug
    db.session.rollback()
    base = live_server.url()
    office = chromium.new_context(locale="fr-FR", timezone_id="Africa/Casablanca").new_page()
    try:
        sign_in(office, base, organiser)
        office.goto(f"{base}/editions/{slug}/devices")
        office.fill("#name", "Téléphone 4")
        office.fill("#lent_to", "Samira")
        office.select_option("#place", "meknes/gate-north")
        office.click("form.card button[type=submit]")
        link = office.get_attribute("#provision-link", "href")
        assert office.locator("svg").count() >= 1

        # The QR holds the full link (pytest-flask names its server localhost.localdomain).
        phone.goto(base + urlsplit(link).path)  # no password typed on the phone
        check_page(phone, "provisioning page")
        phone.click("#provision-confirm")
        phone.wait_for_url(f"{base}/scanner")
        phone.wait_for_selector("body[data-scanner-ready=true]")
        phone.wait_for_selector("#scanning:not([hidden])")  # site and gate come with the device
        assert "Téléphone 4" in phone.text_content("#device-name")
        enter_code(phone, codes[0])
        phone.wait_for_selector("#history li[data-status=accepted]")
        phone.wait_for_selector("#pending[data-count='0']")

        office.goto(f"{base}/editions/{slug}/devices")
        assert "Téléphone 4" in office.text_content("tr[data-device]")
        answer = office.evaluate(f"fetch('/editions/{slug}/devices.json').then((r) => r.json())")
        [device] = answer["devices"]
        assert device["queue_size"] == 0 and device["last_seen_at"] and device["last_scan_at"]

        phone.context.set_offline(True)
        enter_code(phone, codes[1])
        phone.wait_for_selector("#pending[data-count='1']")

        office.click(f"[data-device-revoke='{device['id']}']")
        office.wait_for_selector("tr[data-device] >> text=Révoqué")

        phone.context.set_offline(False)
        phone.wait_for_selector("#access:not([hidden])", timeout=30_000)
        message = phone.text_content("#access-message")
        assert "retiré" in message or "withdrawn" in message
        assert phone.get_attribute("#pending", "data-count") == "1"  # the queue is kept
        assert phone.is_disabled("#code-input")
        phone.goto(base + urlsplit(link).path)  # the link was used: a clear page, not an error
        assert "a déjà servi" in phone.text_content("#link-refused")
        check_page(phone, "used link page")
    finally:
        office.context.close()
