"""The store's receipt in Tamazight: Tifinagh labels, left to right, the amounts intact."""

import re

from core.extensions import db
from tests.pdf_tools import pdf_page_count, pdf_text

TIFINAGH = re.compile("[\u2d30-\u2d7f]")


def test_receipt_in_tamazight(
    client, login, cashier, store_edition, make_product, make_cooperative, stock, sell
):
    site = store_edition.sites[0]
    product = make_product(make_cooperative(), names={"fr": "Miel de thym", "ar": "عسل الزعتر"})
    stock(product, site, 10)
    sale = sell(store_edition, site, [(product, 2)])
    db.session.commit()
    login(cashier)
    page = client.get(f"/store/sales/{sale.id}?lang=zgh").get_data(as_text=True)
    assert "ⴰⵡⵚⵍ (ⵜⴰⵎⴰⵣⵉⵖⵜ)" in page and f"/store/receipts/{sale.client_id}?language=zgh" in page
    receipt = client.get(f"/store/receipts/{sale.client_id}?lang=zgh").get_data(as_text=True)
    assert 'lang="zgh"' in receipt and 'dir="rtl"' not in receipt
    response = client.get(f"/store/receipts/{sale.client_id}.pdf?lang=zgh")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "2 × 45,00\xa0MAD" in text and "90,00\xa0MAD" in text
    assert "Miel de thym" in text  # no Tamazight name: the French one
    assert "ⴰⵡⵚⵍ" in text and len(TIFINAGH.findall(text)) > 20
    assert pdf_page_count(response.data) == 1
