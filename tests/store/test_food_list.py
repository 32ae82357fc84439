"""The inspector's food list at a national salon's size: found by a product's or a cooperative's
words, narrowed to the pre-packed food still without its ONSSA number, a page at a time; the
PDF still prints the whole list."""

import re

import pytest

from core.extensions import db
from store.models import Product
from store.views import shelf_labels as shelf_label_views
from tests.pdf_tools import pdf_text


@pytest.fixture
def food(store_edition, make_product, make_cooperative, stock):
    """Annahla: thyme honey (numbered) and amlou (its number lost since); Tafyoucht: couscous
    sold loose; Itto: a carpet (not food). All in stock at the first site."""
    site = store_edition.sites[0]
    annahla = make_cooperative(name_latin="Coopérative Annahla", name_ar="تعاونية النحلة")
    tafyoucht = make_cooperative(name_latin="Coopérative Tafyoucht", name_ar="تعاونية تافيوشت")
    products = {
        "honey": make_product(annahla, sku="MIEL-1", names={"fr": "Miel de thym", "ar": "عسل"}),
        "amlou": make_product(annahla, sku="AMLOU-1", names={"fr": "Amlou", "ar": "أملو"}),
        "couscous": make_product(
            tafyoucht,
            sku="KSKS-1",
            names={"fr": "Couscous d'orge", "ar": "كسكس الشعير"},
            sector="couscous_cereals",
            prepacked=False,
            onssa_number=None,
        ),
        "carpet": make_product(
            make_cooperative(name_latin="Coopérative Itto"),
            sku="TAPIS-1",
            names={"fr": "Tapis"},
            sector="carpets",
            onssa_number=None,
        ),
    }
    for product in products.values():
        stock(product, site, 4)
    products["amlou"].onssa_number = None  # taken in with it, then cleared by mistake
    db.session.commit()
    return store_edition, site


def listed(client, edition, site, query=""):
    """The products of the page in their order, by code (the page shows barcodes), and the page."""
    response = client.get(f"/store/editions/{edition.slug}/sites/{site.slug}/food?lang=fr&{query}")
    assert response.status_code == 200, query
    html = response.get_data(as_text=True)
    sku_of = {product.barcode: product.sku for product in db.session.query(Product)}
    shown = re.findall(r'<span class="muted"><bdi dir="ltr">\u2066([^<]+)\u2069</bdi>', html)
    return [sku_of[barcode] for barcode in shown if barcode in sku_of], html


def test_the_list_is_found_by_a_products_or_a_cooperatives_words(client, login, organiser, food):
    edition, site = food
    login(organiser)

    def found(query=""):
        return listed(client, edition, site, query)[0]

    assert found() == ["AMLOU-1", "MIEL-1", "KSKS-1"]  # by cooperative, then code
    assert found("q=عسل") == ["MIEL-1"]
    assert found("q=orge") == ["KSKS-1"]
    assert found("q=النحلة") == ["AMLOU-1", "MIEL-1"]
    assert found("q=tapis") == []  # crafts are not food, whatever is typed
    assert found("missing=1") == ["AMLOU-1"]  # loose couscous needs no number
    _rows, html = listed(client, edition, site, "q=safran")
    assert "Aucun produit ne correspond." in html
    assert "Aucun aliment en stock" not in html


def test_the_alert_counts_the_whole_site_and_leads_to_the_missing_ones(
    client, login, organiser, food
):
    edition, site = food
    login(organiser)
    _rows, html = listed(client, edition, site, "q=orge")
    assert "1 produit alimentaire préemballé n’a pas de numéro ONSSA." in html
    link = f"/store/editions/{edition.slug}/sites/{site.slug}/food?missing=1"
    assert f'href="{link}">Les afficher</a>' in html
    _rows, html = listed(client, edition, site, "missing=1")
    assert "Les afficher" not in html and 'name="missing" type="checkbox" value="1" checked' in html


def test_the_list_comes_a_page_at_a_time_and_the_pdf_prints_it_whole(
    client, login, organiser, food, monkeypatch
):
    monkeypatch.setattr(shelf_label_views, "PAGE_SIZE", 2)
    edition, site = food
    login(organiser)
    first, html = listed(client, edition, site)
    assert len(first) == 2 and "Page 1 sur 2" in html
    second, html = listed(client, edition, site, "page=2")
    assert len(second) == 1 and set(first).isdisjoint(second)
    text = pdf_text(client.get(f"/store/editions/{edition.slug}/sites/{site.slug}/food.pdf").data)
    for name in ("Miel de thym", "Amlou", "Couscous d'orge"):
        assert name in text
