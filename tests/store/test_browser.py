"""The point of sale in headless Chromium: a sale made offline is queued, sent when the network
returns, recorded once, and shows in the cooperative's portal."""

from playwright.sync_api import expect

from core.extensions import db
from store.models import Sale, SaleLine
from tests.conftest import PASSWORD


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_cashier_sells_offline_and_the_sale_arrives_once(
    live_server, page, chromium, store_edition, make_product, make_cooperative, make_user, stock
):
    site = store_edition.sites[1]
    cooperative = make_cooperative()
    honey = make_product(cooperative, price=4500, names={"fr": "Miel de thym"})
    figs = make_product(cooperative, price=3250, names={"fr": "Figues sèches"})
    stock(honey, site, 4)
    stock(figs, site, 2)
    cashier = make_user("cashier", username="salma")
    member = make_user("cooperative", username="coop-member", cooperative=cooperative)
    pos_url = f"/store/editions/{store_edition.slug}/sites/{site.slug}/pos?register=till-3"
    honey_barcode, honey_sku, figs_sku = honey.barcode, honey.sku, figs.sku
    honey_id, figs_id = honey.id, figs.id
    cashier_name, member_name = cashier.username, member.username
    db.session.rollback()  # hold no transaction while the live server writes (SQLite)
    base = live_server.url()

    sign_in(page, base, cashier_name)
    page.goto(base + pos_url)
    page.wait_for_selector("#pos[data-ready='1']")
    expect(page.locator("#products-age")).not_to_have_text("")

    page.context.set_offline(True)
    page.wait_for_selector("#pos.offline")
    page.fill("#search", honey_barcode)  # a keyboard-wedge scanner types the code + Enter
    page.press("#search", "Enter")
    page.fill("#search", figs_sku)
    page.press("#search", "Enter")
    page.click(f"#basket tr[data-sku='{honey_sku}'] button[aria-label]:nth-of-type(2)")
    assert page.locator("#basket tbody tr").count() == 2
    page.fill("#received", "200")
    assert "77,50" in page.inner_text("#change")  # 200 − (2 × 45 + 32.50)
    page.click("#finish")
    page.wait_for_selector("#receipt-view:not([hidden])")  # the receipt, at once, offline
    page.click("#receipt-close")
    expect(page.locator("#pending")).to_have_text("1")
    assert page.locator("#last-sales li .sync-state").inner_text() != ""
    assert db.session.query(Sale).count() == 0
    db.session.rollback()

    page.context.set_offline(False)
    expect(page.locator("#pending")).to_have_text("0", timeout=30000)
    page.wait_for_selector("#last-sales li.synced")
    # a second sync (e.g. after a dropped answer) sends nothing twice
    page.click("#sync")
    page.wait_for_timeout(500)
    sales = db.session.query(Sale).all()
    assert len(sales) == 1 and sales[0].total_centimes == 12250
    assert sales[0].register == "till-3" and sales[0].cash_received_centimes == 20000
    lines = {line.product_id: line.quantity for line in db.session.query(SaleLine)}
    assert lines == {honey_id: 2, figs_id: 1}
    db.session.rollback()

    portal = chromium.new_context(locale="fr-FR", timezone_id="Africa/Casablanca").new_page()
    sign_in(portal, base, member_name)
    portal.goto(f"{base}/store/me")
    rows = portal.locator("#by-product tbody tr")
    assert rows.count() == 2
    text = portal.inner_text("#by-product")
    assert honey_sku in text and figs_sku in text
    assert "122,50" in portal.inner_text("#sales-total")
    assert portal.locator("#latest-sales tbody tr").count() == 2
    portal.context.close()
