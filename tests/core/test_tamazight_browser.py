"""Tamazight on a phone in the real browser: the shipped Tifinagh font draws it, left to right."""

from tests.conftest import PASSWORD

FONT_LOADED = """() => document.fonts.ready.then(() =>
    Array.from(document.fonts).some(f => f.family.replace(/"/g, "") === "Noto Sans Tifinagh"
                                         && f.status === "loaded"))"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_tamazight_pages_on_a_phone(live_server, chromium, make_edition, make_user):
    edition = make_edition(names={"fr": "Édition de Taza", "zgh": "ⵜⴰⵙⵓⵜⵍⵜ ⵏ ⵜⴰⵣⴰ"})
    organiser = make_user("organiser")
    base = live_server.url()
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="fr-FR", timezone_id="Africa/Casablanca"
    )
    context.set_default_navigation_timeout(90_000)
    page = context.new_page()
    try:
        page.goto(f"{base}/login")
        with page.expect_navigation():
            page.select_option("#lang", "zgh")
        assert page.get_attribute("html", "lang") == "zgh"
        assert page.get_attribute("html", "dir") == "ltr"
        assert page.evaluate(FONT_LOADED)
        # The brand stays on the left: the layout is not mirrored.
        assert page.locator(".brand").bounding_box()["x"] < 100
        page.fill("#username", organiser.username)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("main form.stack button[type=submit]")
        for path in ("/", f"/editions/{edition.slug}", f"/editions/{edition.slug}/ticket"):
            page.goto(base + path)
            assert page.get_attribute("html", "lang") == "zgh"  # the choice is remembered
            assert page.evaluate(OVERFLOW) <= 0, path
        assert "ⵜⴰⵙⵓⵜⵍⵜ ⵏ ⵜⴰⵣⴰ" in page.inner_text("main")
        page.screenshot(path="/tmp/souk-ticket-zgh.png", full_page=True)
    finally:
        context.close()
