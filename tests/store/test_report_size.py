"""The store report at a national salon's size: the page lists the 20 cooperatives that sold
most (with a note), the CSV every one."""

import re

from core.extensions import db
from store.services import reports


def test_the_page_lists_the_twenty_best_sellers_and_the_csv_all(
    client, login, store_edition, make_cooperative, make_product, stock, sell, organiser
):
    site = store_edition.sites[0]
    for number in range(22):
        cooperative = make_cooperative(name_latin=f"Coop {number:02d}")
        product = make_product(cooperative, price=1000 + 100 * number)
        stock(product, site, 5)
        sell(store_edition, site, [(product, 1)])
    db.session.commit()
    login(organiser)
    page = client.get(f"/store/editions/{store_edition.slug}/report").get_data(as_text=True)
    section = page[page.index('id="by-cooperative"') : page.index('id="by-sector"')]
    names = re.findall(r"<td>(Coop \d\d)</td>", section)
    assert names == [f"Coop {number:02d}" for number in range(21, 1, -1)]  # largest first
    assert "Les 20 coopératives ayant le plus vendu" in section
    csv = client.get(f"/store/editions/{store_edition.slug}/report-cooperative.csv")
    assert sorted(re.findall(r"Coop \d\d", csv.get_data(as_text=True))) == [
        f"Coop {number:02d}" for number in range(22)
    ]


def test_a_store_of_few_cooperatives_lists_them_all_without_a_note(
    client, login, store_edition, make_cooperative, make_product, stock, sell, organiser
):
    site = store_edition.sites[0]
    for number in range(3):
        product = make_product(make_cooperative(name_latin=f"Coop {number:02d}"))
        stock(product, site, 5)
        sell(store_edition, site, [(product, 1)])
    login(organiser)
    page = client.get(f"/store/editions/{store_edition.slug}/report").get_data(as_text=True)
    section = page[page.index('id="by-cooperative"') : page.index('id="by-sector"')]
    assert len(re.findall(r"<td>Coop \d\d</td>", section)) == 3
    assert "Les 20 coopératives" not in section


def test_the_dashboard_lists_the_twenty_best_sellers_as_the_pdf_does(
    client, login, store_edition, make_cooperative, make_product, stock, sell, organiser
):
    site = store_edition.sites[0]
    for number in range(21):
        product = make_product(
            make_cooperative(name_latin=f"Coop {number:02d}"), price=500 + number
        )
        stock(product, site, 5)
        sell(store_edition, site, [(product, 1)])
    login(organiser)
    page = client.get(f"/editions/{store_edition.slug}/dashboard").get_data(as_text=True)
    table = page[page.index('data-table="sales-by-cooperative"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r"Coop \d\d", table) == [f"Coop {n:02d}" for n in range(20, 0, -1)]
    assert "Les 20 coopératives ayant le plus vendu" in page


def test_how_many_best_sellers_a_page_lists_is_one_rule(
    client,
    login,
    store_edition,
    make_cooperative,
    make_product,
    stock,
    sell,
    organiser,
    monkeypatch,
):
    """The store report and the dashboard (and its PDF) list as many as `TOP_SELLERS` says."""
    monkeypatch.setattr(reports, "TOP_SELLERS", 2)
    site = store_edition.sites[0]
    for number in range(3):
        product = make_product(
            make_cooperative(name_latin=f"Coop {number:02d}"), price=500 + number
        )
        stock(product, site, 5)
        sell(store_edition, site, [(product, 1)])
    login(organiser)
    page = client.get(f"/store/editions/{store_edition.slug}/report?lang=fr").get_data(as_text=True)
    section = page[page.index('id="by-cooperative"') : page.index('id="by-sector"')]
    assert re.findall(r"<td>(Coop \d\d)</td>", section) == ["Coop 02", "Coop 01"]
    assert (
        "Les 2 coopératives ayant le plus vendu ; toutes les coopératives figurent dans le CSV."
        in section
    )
    page = client.get(f"/editions/{store_edition.slug}/dashboard?lang=ar").get_data(as_text=True)
    table = page[page.index('data-table="sales-by-cooperative"') :]
    assert table[: table.index("</table>")].count("<tr data-key=") == 2
    assert "أكثر \u20662\u2069 تعاونية مبيعًا" in page
