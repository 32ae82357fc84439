"""The stock page of a site holding thousands of products: filters and pages, counts of the whole
site, and bad filter values that filter nothing instead of failing."""

import re

import pytest

from core.extensions import db
from store.views import stock as stock_views


@pytest.fixture
def site_stock(store_edition, make_cooperative, make_product, stock, sell):
    """Two cooperatives at one site: plenty of thyme honey, a little spurge honey, olive oil
    sold out, a blocked fig jam."""
    site = store_edition.sites[0]
    honey, olives = make_cooperative(), make_cooperative()
    products = {
        "thyme": make_product(honey, names={"fr": "Miel de thym", "ar": "عسل الزعتر"}),
        "spurge": make_product(honey, names={"fr": "Miel d'euphorbe", "ar": "عسل الدغموس"}),
        "oil": make_product(olives, names={"fr": "Huile d'olive", "ar": "زيت الزيتون"}),
        "jam": make_product(olives, names={"fr": "Confiture de figues", "ar": "مربى التين"}),
    }
    for name, quantity in (("thyme", 20), ("spurge", 2), ("oil", 4), ("jam", 9)):
        stock(products[name], site, quantity)
    sell(store_edition, site, [(products["oil"], 4)])
    products["jam"].blocked = True
    db.session.commit()
    return {"site": site, "honey": honey, "olives": olives, **products}


def listed(client, edition, site, query=""):
    response = client.get(f"/store/editions/{edition.slug}/sites/{site.slug}/stock?lang=fr&{query}")
    assert response.status_code == 200, query
    html = response.get_data(as_text=True)
    table = html[html.index("<tbody") : html.index("</tbody>")]
    return re.findall(r'href="/store/products/(\d+)"', table), html


def ids(*products):
    return [str(product.id) for product in products]


def test_the_stock_page_filters_by_words_cooperative_and_state(
    client, login, organiser, store_edition, site_stock
):
    login(organiser)
    site, edition = site_stock["site"], store_edition
    everything, html = listed(client, edition, site)
    assert everything == ids(
        site_stock["thyme"], site_stock["spurge"], site_stock["oil"], site_stock["jam"]
    )
    assert "4 produits, dont 2 en stock bas" in html  # spurge honey low, olive oil sold out
    assert listed(client, edition, site, "q=عسل")[0] == ids(
        site_stock["thyme"], site_stock["spurge"]
    )
    assert listed(client, edition, site, "q=figues")[0] == ids(site_stock["jam"])
    by_cooperative = f"cooperative={site_stock['olives'].id}"
    assert listed(client, edition, site, by_cooperative)[0] == ids(
        site_stock["oil"], site_stock["jam"]
    )
    assert listed(client, edition, site, "state=low")[0] == ids(
        site_stock["spurge"], site_stock["oil"]
    )
    assert listed(client, edition, site, "state=out")[0] == ids(site_stock["oil"])
    assert listed(client, edition, site, "state=blocked")[0] == ids(site_stock["jam"])
    nothing, html = listed(client, edition, site, "q=argan")
    assert nothing == [] and "Aucun produit ne correspond." in html


def test_the_stock_page_shows_a_page_at_a_time_and_keeps_its_filters(
    client, login, organiser, store_edition, site_stock, monkeypatch
):
    monkeypatch.setattr(stock_views, "PAGE_SIZE", 2)
    login(organiser)
    site = site_stock["site"]
    first, html = listed(client, store_edition, site)
    assert first == ids(site_stock["thyme"], site_stock["spurge"])
    assert "Page 1 sur 2" in html
    assert "4 produits, dont 2 en stock bas" in html  # the whole site, not the page
    second, _html = listed(client, store_edition, site, "page=2")
    assert second == ids(site_stock["oil"], site_stock["jam"])
    _ids, html = listed(client, store_edition, site, "q=Miel")
    assert "Page" not in html.split("</tbody>")[1].split("<h2>")[0]  # one page: no pager
    # The adjustment form offers the products of the page shown, named in the page's language.
    options = re.findall(
        r'<option value="(\d+)">([^<]*)</option>',
        html.split('id="product_id"')[1].split("</select>")[0],
    )
    assert options == [
        (str(site_stock["thyme"].id), f"{site_stock['thyme'].sku} · Miel de thym"),
        (str(site_stock["spurge"].id), f"{site_stock['spurge'].sku} · Miel d&#39;euphorbe"),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "cooperative=abc",
        "cooperative=999999",
        "state=nonsense",
        "q=" + "x" * 500,
        "page=-3",
        "page=zz",
    ],
)
def test_a_wrong_filter_value_filters_nothing_and_never_fails(
    client, login, organiser, store_edition, site_stock, query
):
    login(organiser)
    found, _html = listed(client, store_edition, site_stock["site"], query)
    expected = (
        []
        if query == "cooperative=999999"
        else ids(site_stock["thyme"], site_stock["spurge"], site_stock["oil"], site_stock["jam"])
    )
    assert found == expected
