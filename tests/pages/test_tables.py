"""Tables through templates/_table.html: each has its own caption naming its region, and on
phones its rows become cards whose cells are labelled by their column headers (core/tables.py)."""

import re
from pathlib import Path

import pytest

from core.tables import stack_cells
from tests.report.test_report_data import build_report_world

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Tables still written by hand: the POS basket that JavaScript fills, the receipt (one template
# for the page and the till-roll PDF), the scanner's devices and operations pages (visitors,
# another engineer's files this session).
HAND_WRITTEN = {
    "visitors/operations.html",
    "visitors/devices.html",
    "store/pos.html",
    "store/_receipt_body.html",  # shared with the receipt PDF, whose width is a till roll
}


def test_cells_are_labelled_by_their_column_header_and_keep_table_roles():
    html = stack_cells(
        '<table><caption id="t">Stock</caption><thead><tr><th>Product</th>'
        '<th colspan="2">Quantity &amp; unit</th><th><span class="visually-hidden">Actions</span>'
        '</th></tr></thead><tbody><tr><th scope="row">Miel</th><td dir="ltr">12</td>'
        '<td>kg</td><td><a href="/x">Adjust</a></td></tr><tr><td colspan="4">None</td></tr>'
        "</tbody></table>"
    )
    assert '<table role="table">' in html
    assert '<thead role="rowgroup"><tr role="row"><th role="columnheader">Product</th>' in html
    assert (
        '<th scope="row" role="rowheader" data-label="Product"><div class="cell-value">Miel</div></th>'
        in html
    )
    # A left-to-right value keeps its direction inside; the cell keeps the page's.
    assert (
        '<td role="cell" data-label="Quantity &amp; unit"><div class="cell-value" dir="ltr">12</div></td>'
        in html
    )
    assert (
        '<td role="cell" data-label="Quantity &amp; unit"><div class="cell-value">kg</div></td>'
        in html
    )
    assert (
        '<td role="cell" data-label="Actions"><div class="cell-value"><a href="/x">Adjust</a></div></td>'
        in html
    )
    # A cell across columns has no single header: no label, full width.
    assert '<td colspan="4" role="cell">None</td>' in html


def test_a_header_on_two_lines_labels_with_a_space():
    html = stack_cells(
        '<table><thead><tr><th>2e édition<br><span class="muted">au 12 nov.</span></th></tr>'
        "</thead><tbody><tr><td>12</td></tr></tbody></table>"
    )
    assert 'data-label="2e édition au 12 nov."' in html and "<br>" in html


def test_a_table_without_header_row_is_left_unlabelled():
    html = stack_cells("<table><tbody><tr><td>Total</td><td>12 MAD</td></tr></tbody></table>")
    assert html == (
        '<table role="table"><tbody role="rowgroup"><tr role="row"><td role="cell">Total</td>'
        '<td role="cell">12 MAD</td></tr></tbody></table>'
    )


def test_every_page_table_goes_through_the_macro():
    by_hand = set()
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith("pdf/") or name == "_table.html":
            continue
        text = path.read_text()
        assert "Table, scrolls sideways" not in text, name
        if "<table" in text:
            by_hand.add(name)
    assert by_hand <= HAND_WRITTEN, sorted(by_hand - HAND_WRITTEN)


def test_every_column_header_says_something_to_a_screen_reader():
    """A column of buttons still has a header, visually hidden ("Actions"): axe-core's
    empty-table-header rule, found on the gates' phones page."""
    empty = re.compile(r"<th(?: [^>]*)?>\s*</th>")
    found = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if empty.search(path.read_text())
    ]
    assert found == []


REGION = re.compile(
    r'<div class="table-wrap( table-stack)?" tabindex="0" role="region" aria-labelledby="([\w-]+)">'
)


def tables_of(html):
    """[(stacked, caption, header labels, body cell labels)] of a page's tables."""
    found = []
    for match in REGION.finditer(html):
        stacked, caption_id = match.groups()
        end = html.index("</table>", match.end())
        table = html[match.end() : end]
        caption = re.search(rf'<caption id="{caption_id}"[^>]*>(.*?)</caption>', table, re.S)
        assert caption, table[:300]
        head = re.search(r"<thead.*?</thead>", table, re.S)
        headers = re.findall(r"<th[^>]*>(.*?)</th>", head.group(0), re.S) if head else []
        labels = re.findall(r'<t[dh] [^>]*data-label="([^"]*)"', table)
        found.append((bool(stacked), caption.group(1).strip(), headers, labels))
    return found


@pytest.fixture
def world(app, make_edition, make_cooperative, make_user):
    return build_report_world(make_edition, make_cooperative, make_user)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_organiser_pages_caption_every_table_and_label_every_cell(
    world, make_user, login, language
):
    edition = world["edition"]
    site = edition.sites[0]
    client = login(make_user("organiser"))
    client.get(f"/?lang={language}")
    pages = {
        "/cooperatives": {"ar": "التعاونيات", "fr": "Coopératives"}[language],
        f"/editions/{edition.slug}/applications": edition.names[language],
        f"/store/editions/{edition.slug}/payouts": edition.names[language],
        f"/store/editions/{edition.slug}/sites/{site.slug}/stock": None,
        f"/editions/{edition.slug}/dashboard": None,
    }
    for url, in_caption in pages.items():
        html = client.get(url).get_data(as_text=True)
        assert "<table" in html, url
        tables = tables_of(html)
        assert tables and len(tables) == html.count("<table"), url
        captions = [caption for _, caption, _, _ in tables]
        assert all(captions) and len(set(captions)) == len(captions), (url, captions)
        if in_caption:
            assert in_caption in captions[0], (url, captions)
        for stacked, caption, headers, labels in tables:
            if stacked and labels:
                plain = {re.sub(r"<[^>]+>", "", header).strip() for header in headers}
                assert set(labels) <= plain, (url, caption, labels, headers)
    registry = tables_of(client.get("/cooperatives").get_data(as_text=True))[0]
    assert registry[0] and registry[3][:2] == [
        {"ar": "الاسم", "fr": "Nom"}[language],
        {"ar": "رقم التسجيل", "fr": "Numéro d’immatriculation"}[language],
    ]
