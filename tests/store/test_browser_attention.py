"""Issue 10 in headless Chromium: a sale the server refuses is never dropped. It needs
attention on the till (still there after a reload) and the organiser sees it; no page breaks
the Content-Security-Policy."""

from playwright.sync_api import expect

from core.extensions import db
from store.models import Product, Sale
from tests.conftest import PASSWORD


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_refused_sale_needs_attention_and_survives_a_reload(
    live_server, chromium, store_edition, make_product, make_cooperative, make_user, stock
):
    # Its own context keeps the Content-Security-Policy (the `page` fixture bypasses it), so
    # it waits with selectors and expect(), never with string predicates.
    context = chromium.new_context(locale="fr-FR", timezone_id="Africa/Casablanca")
    context.set_default_navigation_timeout(90_000)
    page = context.new_page()
    site = store_edition.sites[0]
    honey = make_product(make_cooperative(), price=4500, names={"fr": "Miel de thym"})
    stock(honey, site, 4)
    cashier = make_user("cashier", username="salma")
    organiser = make_user("organiser", username="nadia")
    pos_url = f"/store/editions/{store_edition.slug}/sites/{site.slug}/pos?register=till-1"
    barcode, honey_id = honey.barcode, honey.id
    cashier_name, organiser_name = cashier.username, organiser.username
    db.session.rollback()
    base = live_server.url()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    sign_in(page, base, cashier_name)
    page.goto(base + pos_url)
    page.wait_for_selector("#pos[data-ready='1']")
    page.context.set_offline(True)
    page.wait_for_selector("#pos.offline")
    page.fill("#search", barcode)
    page.press("#search", "Enter")
    page.click("#finish")
    expect(page.locator("#pending")).to_have_text("1")

    # Meanwhile the catalogue price changes: the server will refuse the sale (422).
    db.session.get(Product, honey_id).price_centimes = 5000
    db.session.commit()
    page.context.set_offline(False)
    page.wait_for_selector("#field-attention:not([hidden]) li", timeout=30000)
    assert page.locator("#field-attention li").count() == 1
    expect(page.locator("#pending")).to_have_text("1")  # never dropped
    assert db.session.query(Sale).count() == 0
    db.session.rollback()

    page.reload()
    page.wait_for_selector("#pos[data-ready='1']")
    page.wait_for_selector("#field-attention:not([hidden]) li", timeout=15000)
    expect(page.locator("#pending")).to_have_text("1")

    office = chromium.new_context(locale="fr-FR").new_page()
    sign_in(office, base, organiser_name)
    office.goto(f"{base}/field-attention")
    assert office.locator("tbody tr").count() == 1
    assert "Vente" in office.inner_text("tbody")
    office.context.close()
    context.close()
    assert violations == []
