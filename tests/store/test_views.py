"""Store pages: every page renders for the roles that may see it, forms apply the rules, and a
cooperative never sees another cooperative's data."""

import base64
import re
import uuid
from datetime import timedelta

import pytest
from babel.dates import format_date, format_skeleton
from sqlalchemy import text

from core import queue
from core.extensions import db
from core.timeutil import to_local, utc_now
from store import services
from store.models import Payout, Sale, StockLevel, TillClose
from store.views import catalogue as catalogue_views
from store.views import pos as pos_views
from tests.html_tools import hidden_inputs
from tests.pdf_tools import pdf_text


@pytest.fixture
def shop(store_edition, make_product, make_cooperative, stock, sell, make_user):
    """Two cooperatives with a product each, stock at the first site, one sale, payouts."""
    site = store_edition.sites[0]
    mine, theirs = make_cooperative(), make_cooperative()
    product = make_product(mine, names={"fr": "Miel de thym", "ar": "عسل الزعتر"})
    other = make_product(theirs, names={"fr": "Huile d'olive"}, sector="olive_oil")
    stock(product, site, 10)
    deposit = stock(other, site, 5)
    sale = sell(store_edition, site, [(product, 2), (other, 1)])
    services.compute_payouts(store_edition)
    db.session.commit()
    return {
        "edition": store_edition,
        "site": site,
        "mine": mine,
        "theirs": theirs,
        "product": product,
        "other": other,
        "sale": sale,
        "deposit": deposit,
        "coop_user": make_user("cooperative", cooperative=mine),
        "payout_theirs": db.session.query(Payout).filter_by(cooperative_id=theirs.id).one(),
    }


def pages(shop):
    edition, site = shop["edition"].slug, shop["site"].slug
    base = f"/store/editions/{edition}"
    return {
        "organiser": [
            "/store/products",
            "/store/products/new",
            f"/store/products/{shop['product'].id}",
            f"/store/products/{shop['product'].id}/edit",
            f"{base}/sites/{site}/stock",
            f"{base}/sites/{site}/handover?cooperative={shop['mine'].id}",
            f"/store/deposits/{shop['deposit'].id}",
            f"{base}/sites/{site}/pos",
            "/store/pos",
            f"{base}/sites/{site}/sales",
            f"/store/sales/{shop['sale'].id}",
            f"/store/receipts/{shop['sale'].client_id}?lang=ar",
            f"/store/receipts/{shop['sale'].client_id}?lang=fr",
            f"{base}/sites/{site}/tills",
            f"{base}/payouts",
            f"{base}/payouts?status=due",
            f"{base}/import",
            f"{base}/report",
            f"{base}/report?lang=ar",
        ],
        "cashier": [
            "/store/pos",
            f"{base}/sites/{site}/pos",
            f"{base}/sites/{site}/stock",
            f"/store/sales/{shop['sale'].id}",
            f"{base}/sites/{site}/tills",
            f"/store/products/{shop['product'].id}",
            f"{base}/sites/{site}/sales",
            f"/store/receipts/{shop['sale'].client_id}?lang=ar",
            f"/store/receipts/{shop['sale'].client_id}?lang=fr",
            f"{base}/sites/{site}/handover?cooperative={shop['mine'].id}",
            f"/store/deposits/{shop['deposit'].id}",
        ],
        "cooperative": [
            "/store/me",
            "/store/me?lang=ar",
            "/store/products",
            "/store/products/new",
            f"/store/products/{shop['product'].id}",
            f"/store/products/{shop['product'].id}/edit",
        ],
    }


@pytest.mark.parametrize("role", ["organiser", "cashier", "cooperative"])
def test_pages_render_for_their_roles(client, login, make_user, shop, role):
    user = shop["coop_user"] if role == "cooperative" else make_user(role)
    login(user)
    for url in pages(shop)[role]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:400])


@pytest.mark.parametrize("role", ["volunteer", "cooperative", "cashier"])
def test_organiser_pages_are_refused_to_others(client, login, make_user, shop, role):
    user = shop["coop_user"] if role == "cooperative" else make_user(role)
    login(user)
    allowed = set(pages(shop)[role]) if role != "volunteer" else set()
    for url in pages(shop)["organiser"]:
        if url in allowed:
            continue
        assert client.get(url).status_code in (403, 404), url


def test_anonymous_is_sent_to_login(client, shop):
    for url in pages(shop)["organiser"] + ["/store/me"]:
        response = client.get(url)
        assert response.status_code in (302, 401), url


def test_cooperative_never_sees_another_cooperatives_data(client, login, shop):
    login(shop["coop_user"])
    other = shop["other"]
    for url in [
        f"/store/products/{other.id}",
        f"/store/products/{other.id}/edit",
        f"/store/products/{other.id}/photo",
        f"/store/deposits/{shop['deposit'].id}",
        f"/store/deposits/{shop['deposit'].id}.pdf",
        f"/store/payouts/{shop['payout_theirs'].id}/statement.pdf",
        f"/store/sales/{shop['sale'].id}",
        f"/store/receipts/{shop['sale'].client_id}",
    ]:
        assert client.get(url).status_code in (403, 404), url
    portal = client.get("/store/me").get_data(as_text=True)
    assert "Miel de thym" in portal and "Huile d&#39;olive" not in portal
    assert "Huile d'olive" not in portal


def test_portal_shows_own_sales_stock_and_payouts(client, login, shop):
    login(shop["coop_user"])
    page = client.get("/store/me").get_data(as_text=True)
    assert "SKU" in page or shop["product"].sku in page
    assert shop["product"].sku in page
    assert "90,00" in page  # 2 × 45.00 MAD sold
    assert "/statement.pdf" in page


def test_create_product_with_photo_and_duplicate_sku(client, login, organiser, shop):
    login(organiser)
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    import io

    data = {
        "cooperative_id": shop["mine"].id,
        "sku": "fig-001",
        "barcode": "6111999000012",
        "name_fr": "Figues sèches",
        "unit": "bag",
        "price": "32,50",
        "sector": "figs_dried_fruit",
        "low_stock_at": "4",
        "photo": (io.BytesIO(png), "fig.png", "image/png"),
    }
    response = client.post("/store/products/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    product = services.list_products(search="FIG-001")[0]
    assert product.price_centimes == 3250 and product.photo_type == "image/png"
    assert client.get(f"/store/products/{product.id}/photo").data == png
    data = dict(data, barcode="x1", photo=(io.BytesIO(png), "fig.png", "image/png"))
    response = client.post(
        "/store/products/new?lang=en", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Another product already uses this code." in response.get_data(as_text=True)


def test_cooperative_cannot_create_for_another(client, login, shop):
    login(shop["coop_user"])
    data = {
        "cooperative_id": shop["theirs"].id,
        "sku": "X-1",
        "barcode": "X-1",
        "name_fr": "X",
        "unit": "jar",
        "price": "10",
        "sector": "honey",
        "low_stock_at": "1",
    }
    client.post("/store/products/new", data=data)
    product = services.list_products(search="X-1")
    assert not product or product[0].cooperative_id == shop["mine"].id


def test_quality_check_blocks_and_cooperative_sees_why(client, login, organiser, shop):
    login(organiser)
    product = shop["product"]
    response = client.post(
        f"/store/products/{product.id}/checks",
        data={
            "checked_on": "2024-03-01",
            "inspector": "ONSSA",
            "result": "fail",
            "notes": "Humidité trop élevée",
        },
    )
    assert response.status_code == 302
    client.post("/logout")
    login(shop["coop_user"])
    page = client.get("/store/me").get_data(as_text=True)
    assert "Humidité trop élevée" in page and "ONSSA" in page


def test_handover_prints_a_delivery_note(client, login, organiser, shop):
    login(organiser)
    edition, site, product = shop["edition"], shop["site"], shop["product"]
    response = client.post(
        f"/store/editions/{edition.slug}/sites/{site.slug}/handover?cooperative={shop['mine'].id}",
        data={"kind": "deposit", "handed_by": "Khadija", f"qty-{product.id}": "7"},
    )
    assert response.status_code == 302
    note_id = int(response.headers["Location"].rsplit("/", 1)[1])
    text = pdf_text(client.get(f"/store/deposits/{note_id}.pdf").data)
    assert product.sku in text and "Khadija" in text and "7" in text
    level = db.session.get(StockLevel, (product.id, site.id))
    assert level.quantity == 10 - 2 + 7


def test_return_more_than_in_stock_is_refused(client, login, organiser, shop):
    login(organiser)
    edition, site, product = shop["edition"], shop["site"], shop["product"]
    response = client.post(
        f"/store/editions/{edition.slug}/sites/{site.slug}/handover?cooperative={shop['mine'].id}",
        data={"kind": "return", "handed_by": "Khadija", f"qty-{product.id}": "99"},
    )
    assert response.status_code == 422
    assert db.session.get(StockLevel, (product.id, site.id)).quantity == 8


def test_adjustment_needs_reason(client, login, organiser, shop):
    login(organiser)
    edition, site, product = shop["edition"], shop["site"], shop["product"]
    url = f"/store/editions/{edition.slug}/sites/{site.slug}/adjust"
    response = client.post(
        url, data={"product_id": product.id, "quantity": "-1", "reason": "other", "comment": ""}
    )
    assert response.status_code == 422
    response = client.post(
        url,
        data={
            "product_id": product.id,
            "quantity": "-1",
            "reason": "breakage",
            "comment": "jar broken",
        },
    )
    assert response.status_code == 302
    assert db.session.get(StockLevel, (product.id, site.id)).quantity == 7


def test_refund_and_void_from_the_sale_page(client, login, cashier, shop):
    login(cashier)
    sale = shop["sale"]
    line = sale.lines[0]
    # Without its confirmation a refund only shows what it will do, with the reason kept.
    owed = sum(line.amount_centimes for line in sale.lines)
    response = client.post(
        f"/store/sales/{sale.id}/refund",
        data={"reason": "cassé", f"refund-{line.id}": "1", "restock": "y"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "cassé" in text and f'name="refund-{line.id}"' in text
    db.session.expire_all()
    assert sum(line.amount_centimes for line in db.session.get(Sale, sale.id).lines) == owed
    confirmed = {"reason": "cassé", "restock": "y", "confirmed": "1"}
    response = client.post(
        f"/store/sales/{sale.id}/refund", data={**confirmed, "reason": "", f"refund-{line.id}": "1"}
    )
    assert response.status_code == 422  # a reason is needed
    response = client.post(
        f"/store/sales/{sale.id}/refund", data={**confirmed, f"refund-{line.id}": "3"}
    )
    assert response.status_code == 422  # only 2 were sold
    response = client.post(
        f"/store/sales/{sale.id}/refund", data={**confirmed, f"refund-{line.id}": "1"}
    )
    assert response.status_code == 302
    response = client.post(f"/store/sales/{sale.id}/void", data={"reason": "erreur"})
    assert response.status_code == 200 and "erreur" in response.get_data(as_text=True)
    assert sum(line.amount_centimes for line in db.session.get(Sale, sale.id).lines) > 0
    data = {"reason": "erreur", "confirmed": "1"}
    response = client.post(f"/store/sales/{sale.id}/void", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert sum(line.amount_centimes for line in db.session.get(Sale, sale.id).lines) == 0
    data = {"reason": "encore", "confirmed": "1"}
    assert client.post(f"/store/sales/{sale.id}/void", data=data).status_code == 422


def test_receipt_pdf_in_arabic_and_french(client, login, cashier, shop):
    login(cashier)
    sale = shop["sale"]
    french = pdf_text(client.get(f"/store/receipts/{sale.client_id}.pdf?lang=fr").data)
    assert "Miel de thym" in french and "135,00" in french
    arabic = pdf_text(client.get(f"/store/receipts/{sale.client_id}.pdf?lang=ar").data)
    assert "عسل الزعتر" in arabic and "135.00" in arabic
    page = client.get(f"/store/receipts/{sale.client_id}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and "عسل الزعتر" in page


def test_till_close_once_with_z_report(client, login, cashier, shop):
    login(cashier)
    edition, site = shop["edition"], shop["site"]
    url = f"/store/editions/{edition.slug}/sites/{site.slug}/tills"
    day = shop["sale"].lines[0].local_day.isoformat()
    response = client.post(url, data={"register": "till-1", "day": day, "counted_cash": "120"})
    assert response.status_code == 422  # 135.00 expected: the difference needs a comment
    response = client.post(
        url,
        data={"register": "till-1", "day": day, "counted_cash": "120", "comment": "15 MAD missing"},
    )
    assert response.status_code == 302
    close = db.session.query(TillClose).one()
    assert close.expected_cash_centimes == 13500 and close.difference_centimes == -1500
    text = pdf_text(client.get(f"/store/tills/{close.id}/z.pdf").data)
    assert "Caisse: Caisse 1" in text and "till-1" not in text  # named, never its code
    response = client.post(url, data={"register": "till-1", "day": day, "counted_cash": "135"})
    assert response.status_code == 422
    assert db.session.query(TillClose).count() == 1


def test_mark_paid_once_and_statement(client, login, organiser, shop):
    login(organiser)
    payout = shop["payout_theirs"]
    # An hour ago in Casablanca: a fixed hour of today would be in the future some mornings.
    paid = to_local(utc_now() - timedelta(hours=1))
    data = {
        "paid_on": paid.date().isoformat(),
        "paid_time": paid.strftime("%H:%M"),
        "reference": "VIR-1",
    }
    response = client.post(f"/store/payouts/{payout.id}/paid", data=data)
    assert response.status_code == 302
    response = client.post(f"/store/payouts/{payout.id}/paid", data=dict(data, reference="VIR-2"))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Payout, payout.id).reference == "VIR-1"
    shop["theirs"].bank_account = "011519000001205000534921"
    db.session.commit()
    text = pdf_text(client.get(f"/store/payouts/{payout.id}/statement.pdf").data)
    assert shop["other"].sku in text and "VIR-1" in text
    assert "011 519 0000012050005349 21" in text


def test_bank_transfer_csv(client, login, organiser, shop):
    shop["theirs"].bank_account = "011519000001205000534921"
    db.session.commit()
    login(organiser)
    response = client.get(f"/store/editions/{shop['edition'].slug}/payouts.csv")
    text = response.data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("payout,beneficiary,registration_number,bank_account,amount")
    rows = {line.split(",")[2]: line.split(",") for line in lines[1:]}
    assert rows[shop["theirs"].registration_number][3] == "011519000001205000534921"
    assert rows[shop["mine"].registration_number][3] == ""
    assert "78.75" in text  # 90.00 MAD minus 12.5 % commission (11.25)
    assert "39.37" in text  # 45.00 MAD minus 5.625 commission rounded half up to 5.63


def test_payouts_page_names_cooperatives_without_a_rib(client, login, organiser, shop):
    shop["theirs"].bank_account = "011519000001205000534921"
    db.session.commit()
    login(organiser)
    page = client.get(f"/store/editions/{shop['edition'].slug}/payouts?lang=fr")
    text = page.get_data(as_text=True)
    warning = text[text.index('class="flash flash-warning"') :].split("</p>")[0]
    assert "sans RIB" in warning
    assert f"/cooperatives/{shop['mine'].id}" in warning
    assert f"/cooperatives/{shop['theirs'].id}" not in warning


def test_the_report_names_cooperatives_in_the_pages_language(client, login, organiser, shop):
    """Arabic names on the Arabic page, Latin ones elsewhere and for a cooperative without one."""
    shop["theirs"].name_ar = ""
    db.session.commit()
    login(organiser)
    url = f"/store/editions/{shop['edition'].slug}/report"

    def cooperatives_table(language):
        html = client.get(f"{url}?lang={language}").get_data(as_text=True)
        start = html.index('id="by-cooperative"')
        return html[start : html.index("</table>", start)]

    arabic, french = cooperatives_table("ar"), cooperatives_table("fr")
    assert shop["mine"].name_ar in arabic and shop["mine"].name_latin not in arabic
    assert shop["theirs"].name_latin in arabic
    assert shop["mine"].name_latin in french and shop["mine"].name_ar not in french


def test_report_csv_per_breakdown(client, login, organiser, shop):
    login(organiser)
    for by in ("cooperative", "sector", "province", "site", "day", "payment", "channel"):
        response = client.get(f"/store/editions/{shop['edition'].slug}/report-{by}.csv")
        assert response.status_code == 200
        assert "135.00" in response.data.decode("utf-8-sig") or by in ("cooperative", "sector")
    assert client.get(f"/store/editions/{shop['edition'].slug}/report-nope.csv").status_code == 404


def test_import_preview_then_all_or_nothing(client, login, organiser, shop):
    login(organiser)
    url = f"/store/editions/{shop['edition'].slug}/import?lang=en"
    product = shop["product"]
    good = (
        "date,channel,reference,sku,quantity,unit_price\n"
        f"2024-02-01 10:00,online,W-1,{product.sku},2,45.00\n"
        f"2024-02-01 11:00,retail,R-9,{product.sku},1,45\n"
    ).encode()
    bad = good + f"2024-02-02 10:00,online,W-2,{product.sku},1,44.00\n".encode()
    import io

    response = client.post(
        url, data={"file": (io.BytesIO(bad), "s.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "differs from the catalogue" in response.get_data(as_text=True)
    assert db.session.query(Sale).count() == 1
    response = client.post(
        url, data={"file": (io.BytesIO(good), "s.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200 and db.session.query(Sale).count() == 1
    confirm = {**hidden_inputs(response.get_data(as_text=True), "upload", "once"), "confirm": "1"}
    response = client.post(url, data=confirm)
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    queue.run_pending()  # the import runs as a job (tests/jobs/test_import_jobs.py)
    assert db.session.query(Sale).count() == 3
    retail = db.session.query(Sale).filter_by(channel="retail").one()
    assert (retail.lines[0].due_at - retail.sold_at).days == 10
    again = client.post(url, data=confirm)  # a double click: the same job, nothing twice
    assert again.headers["Location"] == response.headers["Location"]
    queue.run_pending()
    assert db.session.query(Sale).count() == 3


def test_pos_page_carries_a_working_token(client, login, cashier, shop):
    login(cashier)
    edition, site = shop["edition"], shop["site"]
    page = client.get(f"/store/editions/{edition.slug}/sites/{site.slug}/pos?register=till-2")
    html = page.get_data(as_text=True)
    token = html.split('data-token="', 1)[1].split('"', 1)[0]
    answer = client.get(
        f"/api/v1/products?edition={edition.slug}&site={site.slug}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200 and len(answer.json["products"]) == 2
    assert 'data-register="till-2"' in html
    assert str(uuid.UUID(shop["sale"].client_id))


def test_the_report_writes_provinces_and_days_as_its_reader_does(client, login, organiser, shop):
    """Provinces in the page's language; days as the reader writes them, in the chart without
    the year ("11-29" was the 11th of a 29th month to a French reader), ISO in the CSV only."""
    login(organiser)
    url = f"/store/editions/{shop['edition'].slug}/report"
    day = to_local(shop["sale"].sold_at).date()

    def section(language, by):
        html = client.get(f"{url}?lang={language}").get_data(as_text=True)
        start = html.index(f'id="by-{by}"')
        return html[start : html.index("</section>", start)]

    arabic = section("ar", "province")
    assert 'dir="rtl">\u2067مكناس\u2069</bdi>' in arabic and "Meknès" not in arabic
    assert 'dir="ltr">\u2066Meknès\u2069</bdi>' in section("fr", "province")
    french_days = section("fr", "day")
    assert f">{format_skeleton('MMMd', day, locale='fr')}</text>" in french_days
    assert f"<td>{format_date(day, 'medium', locale='fr')}</td>" in french_days
    assert day.isoformat() not in french_days
    csv = client.get(f"{url.replace('/report', '/report-day.csv')}").data.decode("utf-8-sig")
    assert csv.splitlines()[1] == f"{day.isoformat()},135.00"
    arabic_days = section("ar", "day")
    assert f"<td>\u2066{day:%d/%m/%Y}\u2069</td>" in arabic_days  # one unit, read day first


def test_a_cooperative_reads_its_latest_sales_by_product_name(client, login, shop):
    """Not by shelf code alone: the code kept whole, then the name in the page's language."""
    login(shop["coop_user"])
    html = client.get("/store/me?lang=ar").get_data(as_text=True)
    table = html[
        html.index('id="latest-sales"') : html.index("</table>", html.index('id="latest-sales"'))
    ]
    sku = shop["product"].sku
    assert f'<bdi dir="ltr">\u2066{sku}\u2069</bdi> · عسل الزعتر</div>' in table
    assert f'"cell-value">{sku}</div>' not in table


def test_the_stock_pages_last_column_is_the_products_state(client, login, organiser, shop):
    """Its badges (low, out of stock, blocked) were under a hidden "Actions" header: a phone's
    card read "Actions: low stock"."""
    shop["product"].low_stock_at = 20
    db.session.commit()
    login(organiser)
    url = f"/store/editions/{shop['edition'].slug}/sites/{shop['site'].slug}/stock?lang=fr"
    html = client.get(url).get_data(as_text=True)
    assert '<th role="columnheader">État</th></tr></thead>' in html
    assert (
        '<td role="cell" data-label="État"><div class="cell-value"><span class="badge status-due">stock bas</span>'
        in html
    )


def test_the_product_search_finds_a_name_typed_in_arabic(client, login, organiser, shop):
    """Names are stored with their letters (core.database.json_text): "\\u0639..." escapes
    matched nothing typed in Arabic, "Miel" matched."""
    login(organiser)
    for typed in ("عسل", "الزعتر", "Miel de", "SKU-0001"):
        html = client.get(f"/store/products?q={typed}&lang=fr").get_data(as_text=True)
        assert f'/store/products/{shop["product"].id}"' in html, typed
        assert f'/store/products/{shop["other"].id}"' not in html, typed
    stored = db.session.execute(
        text("SELECT CAST(names AS TEXT) FROM store_products WHERE id = :id"),
        {"id": shop["product"].id},
    ).scalar()
    assert "عسل الزعتر" in stored


@pytest.mark.parametrize("role", ["organiser", "cashier"])
def test_a_handover_for_a_cooperative_without_products_says_so_instead_of_a_form(
    client, login, make_user, make_cooperative, shop, role
):
    login(make_user(role))
    edition, site = shop["edition"], shop["site"]
    empty = make_cooperative()
    url = f"/store/editions/{edition.slug}/sites/{site.slug}/handover?cooperative={empty.id}"
    page = client.get(url + "&lang=fr").get_data(as_text=True)
    assert "Cette coopérative n’a encore aucun produit au catalogue." in page
    assert 'name="handed_by"' not in page and "qty-" not in page
    assert ('href="/store/products/new"' in page) is (role == "organiser")


def test_the_catalogue_comes_a_page_at_a_time(
    client, login, organiser, shop, make_product, monkeypatch
):
    """A national salon's catalogue holds thousands of products: 50 a page, filters kept."""
    monkeypatch.setattr(catalogue_views, "PAGE_SIZE", 2)
    third = make_product(shop["mine"])
    login(organiser)

    def listed(query):
        html = client.get(f"/store/products?lang=fr&{query}").get_data(as_text=True)
        return re.findall(r'<a href="/store/products/(\d+)">', html), html

    first, html = listed("")
    assert first == [str(shop["product"].id), str(shop["other"].id)] and "Page 1 sur 2" in html
    assert 'href="/store/products?lang=fr&amp;page=2"' in html
    assert listed("page=2")[0] == [str(third.id)]
    mine = f"cooperative={shop['mine'].id}"
    assert listed(mine)[0] == [str(shop["product"].id), str(third.id)]
    none, html = listed("q=safran")
    assert none == [] and "Aucun produit ne correspond." in html


def test_the_sale_and_stock_pages_have_each_id_once(client, login, organiser, shop):
    """The refund's and the void's "reason" (and the stock page's two cooperative choices)
    shared an id: each label named the first field."""
    login(organiser)
    base = f"/store/editions/{shop['edition'].slug}/sites/{shop['site'].slug}"
    for url in (f"/store/sales/{shop['sale'].id}", f"{base}/stock"):
        response = client.get(url)
        assert response.status_code == 200, url
        ids = re.findall(r'\sid="([^"]+)"', response.get_data(as_text=True))
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], url


def test_a_sites_sales_name_their_till_and_come_a_page_at_a_time(
    client, login, cashier, shop, sell, monkeypatch
):
    """The list showed the till's code ("till-1"), and only the latest 200 sales."""
    monkeypatch.setattr(pos_views, "SALES_PAGE_SIZE", 1)
    later = sell(shop["edition"], shop["site"], [(shop["product"], 1)])
    login(cashier)
    url = f"/store/editions/{shop['edition'].slug}/sites/{shop['site'].slug}/sales?lang=fr"
    first = client.get(url).get_data(as_text=True)
    assert f'href="/store/sales/{later.id}"' in first and "Page 1 sur 2" in first
    assert 'data-label="Caisse"><div class="cell-value">Caisse 1</div>' in first
    assert "till-1" not in first.replace(f"/store/receipts/{later.client_id}", "")
    second = client.get(url + "&page=2").get_data(as_text=True)
    assert f'href="/store/sales/{shop["sale"].id}"' in second
