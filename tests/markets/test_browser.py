"""The real app in headless Chromium: an organiser plans an edition in Arabic."""

import re

from tests.conftest import PASSWORD


def test_organiser_plans_an_edition_in_arabic(live_server, page, make_user):
    organiser = make_user("organiser", username="nadia")
    base = live_server.url()
    page.goto(f"{base}/login")
    page.fill("#username", organiser.username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")

    with page.expect_navigation():
        page.select_option("#lang", "ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    # The layout mirrors: the brand sits on the right in Arabic.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2

    page.goto(f"{base}/editions/new")
    page.fill("#name_ar", "سوق تازة")
    page.fill("#name_fr", "Marché de Taza")
    page.fill("#slug", "taza-2031")
    page.fill("#number", "1")
    page.fill("#visitor_target", "4000")
    page.fill("#starts_on", "2031-04-01")
    page.fill("#ends_on", "2031-04-08")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/editions/taza-2031/sites/new"))

    for slug, city, venue in (("taza", "Taza", "الساحة الكبرى"), ("fes", "Fès", "باب بوجلود")):
        page.goto(f"{base}/editions/taza-2031/sites/new")
        page.fill("#slug", slug)
        page.fill("#city", city)
        page.fill("#name_ar", city)
        page.fill("#venue_ar", venue)
        page.fill("#area_m2", "500")
        page.fill("#visitor_target", "2000")
        page.fill("#opens_on", "2031-04-01")
        page.fill("#closes_on", "2031-04-07")
        page.fill("#gates", "gate-main")
        page.click("form.stack button[type=submit]")
        page.wait_for_url(re.compile(r".*/editions/taza-2031$"))

    assert page.get_attribute("html", "dir") == "rtl"
    distance = page.locator(".distance").inner_text()
    kilometres = float(re.sub(r"[^0-9.,٫]", "", distance).replace("٫", ".").replace(",", "."))
    assert 90 < kilometres < 100  # Taza to Fès, geodesic
    page.screenshot(path="/tmp/souk-edition-ar.png", full_page=True)
