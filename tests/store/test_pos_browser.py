"""The point of sale in headless Chromium, on a phone (390×844) and a tablet (1024×768), in
Arabic and French: a favourite sold in at most four taps up to its receipt, a split payment,
an offline sale with its receipt that survives a reload as pending and then syncs, and a
receipt printed in French that leaves the Arabic interface Arabic."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from core.extensions import db
from store.models import Favourite, Sale
from tests.conftest import PASSWORD

SIZES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 1024, "height": 768}}


@pytest.fixture
def counter(store_edition, make_product, make_cooperative, stock, make_user):
    site = store_edition.sites[1]
    annahla = make_cooperative()
    honey = make_product(annahla, price=12000, names={"fr": "Miel de thym", "ar": "عسل الزعتر"})
    argan = make_product(price=9000, names={"fr": "Huile d'argan", "ar": "زيت الأركان"})
    stock(honey, site, 10)
    stock(argan, site, 10)
    db.session.add(Favourite(site_id=site.id, product_id=argan.id, position=1))
    cashier = make_user("cashier", username="salma")
    db.session.commit()
    data = {
        "base_path": f"/store/editions/{store_edition.slug}/sites/{site.slug}",
        "honey": honey.sku,
        "argan": argan.sku,
        "cashier": cashier.username,
    }
    db.session.rollback()  # hold no transaction while the live server writes (SQLite)
    return data


def open_pos(chromium, live_server, counter, language, size):
    context = chromium.new_context(
        locale=language, timezone_id="Africa/Casablanca", viewport=SIZES[size]
    )
    context.set_default_navigation_timeout(90_000)
    page = context.new_page()
    base = live_server.url()
    page.goto(f"{base}/login?lang={language}")
    page.fill("#username", counter["cashier"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{base}{counter['base_path']}/pos?register=till-2")
    page.wait_for_selector("#pos[data-ready='1']")
    page.wait_for_selector(f"#favourites .pos-tile[data-sku='{counter['argan']}']")
    return page


def recorded_sales():
    """The sales on the server, read into plain objects (no transaction left open: SQLite)."""
    db.session.rollback()
    sales = [
        SimpleNamespace(
            client_id=sale.client_id,
            total_centimes=sale.total_centimes,
            payment=sale.payment,
            register=sale.register,
            cash_received_centimes=sale.cash_received_centimes,
            payments=[
                SimpleNamespace(
                    method=part.method,
                    amount_centimes=part.amount_centimes,
                    reference=part.reference,
                )
                for part in sale.payments
            ],
        )
        for sale in db.session.query(Sale).all()
    ]
    db.session.rollback()
    return sales


@pytest.mark.parametrize("language, size", [("ar", "phone"), ("fr", "tablet")])
def test_a_favourite_from_first_tap_to_receipt_in_four_taps(
    live_server, chromium, counter, language, size
):
    page = open_pos(chromium, live_server, counter, language, size)
    assert page.evaluate("document.documentElement.lang") == language
    # The camera button's word is never cut ("الكامي|را" on a phone): one line of text.
    lines = "b => { b.hidden = false; const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects().length; }"
    assert page.eval_on_selector("#camera-button", lines) == 1
    taps = 0

    def tap(selector):
        nonlocal taps
        page.click(selector)
        taps += 1

    tap(f"#favourites .pos-tile[data-sku='{counter['argan']}']")
    if size == "phone":
        assert page.locator("#bar").is_visible()
        assert page.inner_text("#bar-count") == "1"
        tap("#bar-pay")
    else:
        assert not page.locator("#bar").is_visible()  # the basket sits beside the tiles
    tap("[data-cash=exact]")
    assert "0" in page.inner_text("#change")
    tap("#finish")
    page.wait_for_selector("#receipt-view:not([hidden])")
    assert taps <= 4
    receipt = page.inner_text("#receipt")
    assert ("زيت الأركان" if language == "ar" else "Huile d'argan") in receipt
    assert page.locator("#receipt .receipt-qr").count() == 1
    expect(page.locator("#pending")).to_have_text("0", timeout=30000)
    sales = recorded_sales()
    assert len(sales) == 1 and sales[0].total_centimes == 9000 and sales[0].payment == "cash"
    assert sales[0].register == "till-2"
    page.context.close()


@pytest.mark.parametrize("language, size", [("fr", "phone"), ("ar", "tablet")])
def test_split_payment_cash_and_card(live_server, chromium, counter, language, size):
    page = open_pos(chromium, live_server, counter, language, size)
    page.click(f".pos-tile[data-sku='{counter['honey']}'] >> nth=0")  # 120 MAD
    page.click("input[name=payment][value=cash]")
    page.fill("#part-amount", "50")
    page.click("#add-part")
    assert page.locator("#parts li").count() == 1
    assert "70" in page.inner_text("#remaining")
    page.click("input[name=payment][value=card]")
    page.click("#finish")  # no approval code yet: refused on the phone, nothing queued
    assert page.locator("#message.flash-error").is_visible()
    assert page.inner_text("#pending") == "0"
    page.fill("#approval", "A7X93K")
    page.click("#finish")
    page.wait_for_selector("#receipt-view:not([hidden])")
    assert "A7X93K" in page.inner_text("#receipt")
    page.wait_for_selector("#last-sales li.synced", timeout=30000)
    (sale,) = recorded_sales()
    parts = [(part.method, part.amount_centimes, part.reference) for part in sale.payments]
    assert sale.payment == "split" and parts == [("cash", 5000, None), ("card", 7000, "A7X93K")]
    page.context.close()


def test_offline_sale_has_its_receipt_survives_a_reload_and_syncs(live_server, chromium, counter):
    page = open_pos(chromium, live_server, counter, "ar", "phone")
    expect(page.locator("#products-age")).not_to_have_text("")
    page.wait_for_selector("#pos[data-offline-ready='1']")  # the worker keeps the till's page
    page.context.set_offline(True)
    page.wait_for_selector("#pos.offline")
    page.click(f".pos-tile[data-sku='{counter['honey']}'] >> nth=0")
    page.click("#bar-pay")
    page.click("[data-cash='20000']")
    assert "80" in page.inner_text("#change")
    page.click("#finish")
    page.wait_for_selector("#receipt-view:not([hidden])")
    assert "عسل الزعتر" in page.inner_text("#receipt")
    assert "المزامنة" in page.inner_text("#receipt .receipt-qr")  # "being synced"
    assert recorded_sales() == []
    # French receipt, Arabic interface: the receipt's language is its own
    page.click("[data-receipt-language=fr]")
    expect(page.locator("#receipt")).to_have_attribute("lang", "fr")  # drawn again, async
    expect(page.locator("#receipt")).to_contain_text("Miel de thym")
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.click("#receipt-close")
    # Reload while still offline: the page comes from the service worker, the sale from IndexedDB.
    page.reload()
    page.wait_for_selector("#pos[data-ready='1']")
    page.wait_for_selector("#last-sales li.pending")
    expect(page.locator("#pending")).to_have_text("1")
    assert "عسل الزعتر" in page.inner_text("#pos")  # the catalogue kept on the phone
    page.context.set_offline(False)
    page.click("#sync")
    page.wait_for_selector("#last-sales li.synced", timeout=30000)
    (sale,) = recorded_sales()
    assert sale.total_centimes == 12000 and sale.cash_received_centimes == 20000
    page.context.close()


def test_french_receipt_page_leaves_the_arabic_interface_arabic(live_server, chromium, counter):
    page = open_pos(chromium, live_server, counter, "ar", "tablet")
    page.click(f"#favourites .pos-tile[data-sku='{counter['argan']}']")
    page.click("#finish")
    page.wait_for_selector("#last-sales li.synced", timeout=30000)
    (sale,) = recorded_sales()
    base = live_server.url()
    page.goto(f"{base}/store/receipts/{sale.client_id}?language=fr")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert "Huile d'argan" in page.inner_text("main")
    page.goto(f"{base}/store/r/{sale.client_id}?language=fr")
    assert "Huile d'argan" in page.inner_text("main")
    page.goto(f"{base}{counter['base_path']}/pos?register=till-2")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.context.close()
