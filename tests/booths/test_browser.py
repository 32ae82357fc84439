"""The real app in headless Chromium: an organiser lays out a site and allocates it in Arabic;
a cooperative registers itself in Arabic."""

import re

from booths.models import Cooperative, Stall
from core.extensions import db
from tests.conftest import PASSWORD


def sign_in(page, base, user):
    page.goto(f"{base}/login")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_organiser_lays_out_and_allocates_a_site_in_arabic(
    live_server, page, future_edition, make_user, make_application, make_cooperative
):
    edition = future_edition()
    site = sorted(edition.sites, key=lambda one: one.slug)[0]
    make_application(make_cooperative(name_ar="تعاونية النحلة", name_latin="Annahla"), site)
    organiser = make_user("organiser", username="nadia")
    base = live_server.url()
    sign_in(page, base, organiser)
    page.goto(f"{base}/editions/{edition.slug}/sites/{site.slug}/floor-plan?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("#standard", "20")
    page.fill("#double", "2")
    with page.expect_navigation():
        page.click("form[action$='/floor-plan/generate'] button[type=submit]")
    assert page.locator("svg.floor-plan g.stall").count() == 22
    with page.expect_navigation():
        page.click("form[action$='/allocate'] button[type=submit]")
    assert page.locator("svg.floor-plan text", has_text="تعاونية النحلة").count() == 1
    # The plan fills the card and stays inside the page, mirrored layout or not.
    box = page.locator("svg.floor-plan").bounding_box()
    assert box["width"] > 300 and box["x"] >= 0
    assert box["x"] + box["width"] <= page.viewport_size["width"] + 1
    db.session.expire_all()
    assert db.session.query(Stall).filter(Stall.application_id.isnot(None)).count() == 1
    page.screenshot(path="/tmp/booths-floor-plan-ar.png", full_page=True)


def test_a_cooperative_registers_itself_in_arabic(live_server, page):
    base = live_server.url()
    page.goto(f"{base}/cooperatives/register?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("#name_ar", "تعاونية الأمل للزربية")
    page.fill("#name_latin", "Coopérative Al Amal du Tapis")
    page.fill("#registration_number", "ar-2031-7")
    page.fill("#city", "تازة")
    page.check("input[name=sectors][value=carpets]")
    page.fill("#members", "15")
    page.fill("#women_members", "15")
    page.fill("#young_members", "6")
    page.fill("#contact_name", "إيطو")
    page.fill("#phone", "0655443322")
    page.check("#consent")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert re.search("Al Amal du Tapis", page.content())
    db.session.expire_all()
    cooperative = db.session.query(Cooperative).one()
    assert cooperative.city == "Taza" and cooperative.agreement_status == "applicant"
