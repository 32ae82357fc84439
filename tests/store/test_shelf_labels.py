"""Shelf labels (name, cooperative, price, ONSSA number, a barcode that scans), the receipt's
ONSSA line, the inspector's food list, and who may print what."""

import pytest

from store.services.shelf_labels import barcode_kind
from tests.pdf_tools import pdf_barcodes, pdf_page_count, pdf_text

EAN = "6111234567895"  # 13 digits with the right check digit


@pytest.fixture
def shelf(store_edition, make_product, make_cooperative, make_user, stock, sell):
    mine, theirs = make_cooperative(), make_cooperative()
    site = store_edition.sites[0]
    honey = make_product(
        mine,
        barcode=EAN,
        names={"fr": "Miel de thym", "ar": "عسل الزعتر"},
        onssa_number="AG.04.117.21",
    )
    long_name = "Amlou aux amandes torréfiées, à l'huile d'argan et au miel de montagne " * 3
    amlou = make_product(
        mine, sku="AMLOU-7", barcode="AMLOU-7", names={"fr": long_name}, sector="argan"
    )
    carpet = make_product(theirs, sector="carpets", onssa_number=None, names={"fr": "Tapis"})
    stock(honey, site, 5)
    stock(carpet, site, 2)
    sale = sell(store_edition, site, [(honey, 1), (carpet, 1)])
    return {
        "edition": store_edition,
        "site": site,
        "mine": mine,
        "theirs": theirs,
        "honey": honey,
        "amlou": amlou,
        "carpet": carpet,
        "sale": sale,
        "coop_user": make_user("cooperative", cooperative=mine),
    }


def test_ean13_only_when_the_check_digit_is_right():
    assert barcode_kind(EAN) == "ean13"
    assert barcode_kind(EAN[:-1] + "1") == "code128"  # never silently "corrected"
    assert barcode_kind("AMLOU-7") == "code128"


def test_a_product_label_in_french_reads_back_and_scans(client, login, cashier, shelf):
    login(cashier)
    response = client.get(f"/store/products/{shelf['honey'].id}/label.pdf?language=fr")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("Miel de thym", "عسل الزعتر", shelf["mine"].name_latin, "45,00"):
        assert expected in text
    assert "Agrément sanitaire ONSSA n° AG.04.117.21" in text
    assert pdf_barcodes(response.data) == [("EAN13", EAN)]
    assert pdf_page_count(response.data) == 1


def test_a_product_label_in_arabic_reads_back_and_scans(client, login, cashier, shelf):
    login(cashier)
    response = client.get(f"/store/products/{shelf['honey'].id}/label.pdf?language=ar")
    text = pdf_text(response.data)
    assert "عسل الزعتر" in text and "Miel de thym" in text and "45.00" in text
    assert "اعتماد صحي" in text and "AG.04.117.21" in text
    assert pdf_barcodes(response.data) == [("EAN13", EAN)]


def test_a_cooperative_sheet_labels_each_product_long_names_wrap(client, login, organiser, shelf):
    login(organiser)
    response = client.get(f"/store/cooperatives/{shelf['mine'].id}/labels.pdf?language=fr")
    assert pdf_page_count(response.data) == 1
    codes = sorted(text for _format, text in pdf_barcodes(response.data))
    assert codes == sorted([EAN, "AMLOU-7"])
    text = pdf_text(response.data)
    assert "Amlou aux amandes" in text and "Tapis" not in text


def test_a_cooperative_prints_only_its_own_labels(client, login, shelf):
    login(shelf["coop_user"])
    assert client.get(f"/store/products/{shelf['honey'].id}/label.pdf").status_code == 200
    assert client.get(f"/store/products/{shelf['carpet'].id}/label.pdf").status_code == 404
    assert client.get(f"/store/cooperatives/{shelf['mine'].id}/labels.pdf").status_code == 200
    assert client.get(f"/store/cooperatives/{shelf['theirs'].id}/labels.pdf").status_code == 404
    portal = client.get("/store/me").get_data(as_text=True)
    assert f"/store/cooperatives/{shelf['mine'].id}/labels.pdf" in portal
    assert f"/store/cooperatives/{shelf['theirs'].id}/labels.pdf" not in portal


def test_volunteers_print_no_label(client, login, make_user, shelf):
    login(make_user("volunteer"))
    assert client.get(f"/store/products/{shelf['honey'].id}/label.pdf").status_code == 403
    assert client.get(f"/store/cooperatives/{shelf['mine'].id}/labels.pdf").status_code == 403


def test_the_stock_page_picker_leads_to_the_sheet(client, login, cashier, shelf):
    login(cashier)
    response = client.get(f"/store/labels?cooperative={shelf['theirs'].id}&language=ar")
    assert response.status_code == 302
    assert response.location.endswith(
        f"/store/cooperatives/{shelf['theirs'].id}/labels.pdf?language=ar"
    )


def test_the_receipt_prints_the_number_beside_the_food_line(client, login, cashier, shelf):
    login(cashier)
    sale = shelf["sale"]
    page = client.get(f"/store/receipts/{sale.client_id}?lang=fr").get_data(as_text=True)
    assert page.count("ONSSA") == 1 and "AG.04.117.21" in page
    text = pdf_text(client.get(f"/store/receipts/{sale.client_id}.pdf?lang=ar").data)
    honey_line = text.index("عسل الزعتر")
    assert honey_line < text.index("AG.04.117.21") < text.index("Tapis")


def test_the_inspector_list_is_the_organisers(client, login, organiser, cashier, shelf):
    edition, site = shelf["edition"].slug, shelf["site"].slug
    path = f"/store/editions/{edition}/sites/{site}/food"
    login(cashier)
    assert client.get(path).status_code == 403
    login(organiser)
    page = client.get(path + "?lang=fr").get_data(as_text=True)
    assert "AG.04.117.21" in page and shelf["mine"].name_latin in page
    assert "Tapis" not in page  # crafts are not food
    text = pdf_text(client.get(path + ".pdf?lang=fr").data)
    assert "AG.04.117.21" in text and "Agrément sanitaire" in text


def test_nothing_to_label_is_a_plain_404(client, login, organiser, make_cooperative, shelf):
    login(organiser)
    empty = make_cooperative()
    assert client.get(f"/store/cooperatives/{empty.id}/labels.pdf").status_code == 404
    assert client.get("/store/cooperatives/999999/labels.pdf").status_code == 404
    assert client.get("/store/labels").status_code == 404
