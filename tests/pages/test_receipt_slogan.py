"""The receipt's footer gives the edition's slogan in the receipt's language, with the Arabic
original under it (the market's own words, as on its banners); none when the edition has none."""

import re

import pytest

from core.extensions import db
from store.models import Sale
from tests.report.test_report_data import build_report_world

SLOGANS = {
    "ar": "في الإنتاج متعاونون وفي الشراء متضامنون",
    "fr": "Coopérer pour produire, être solidaires pour acheter",
    "zgh": "ⴳ ⵓⴼⴰⵔⵙ ⵏⵎⵢⴰⵡⴰⵙ, ⴳ ⵓⵙⵖⵉ ⵏⵎⵏⵎⵎⴰⵡⴰⵙ",
}


@pytest.fixture
def sale(app, make_edition, make_cooperative, make_user):
    world = build_report_world(make_edition, make_cooperative, make_user)
    world["edition"].slogans = dict(SLOGANS)
    db.session.commit()
    return db.session.query(Sale).filter(Sale.edition_id == world["edition"].id).first()


def footer(client, sale, language):
    html = client.get(f"/store/r/{sale.client_id}?language={language}").get_data(as_text=True)
    found = re.search(r'<p class="receipt-thanks">(.*?)</p>', html, re.S)
    assert found, html[-2000:]
    return found.group(1)


@pytest.mark.parametrize("language", ["fr", "zgh"])  # the receipts' languages besides Arabic
def test_the_slogan_in_the_receipts_language_then_the_arabic_original(client, sale, language):
    text = footer(client, sale, language)
    assert f"«{SLOGANS[language]}»" in text
    assert f'<span class="slogan" lang="ar" dir="rtl">«{SLOGANS["ar"]}»</span>' in text
    assert text.index(SLOGANS[language]) < text.index(SLOGANS["ar"])


def test_an_arabic_receipt_gives_the_slogan_once(client, sale):
    assert footer(client, sale, "ar").count(SLOGANS["ar"]) == 1


def test_a_missing_translation_falls_back_to_french_and_no_slogan_means_none(client, sale):
    sale.edition.slogans = {"ar": SLOGANS["ar"], "fr": SLOGANS["fr"]}
    db.session.commit()
    assert f"«{SLOGANS['fr']}»" in footer(client, sale, "zgh")
    sale.edition.slogans = {}
    db.session.commit()
    assert "«" not in footer(client, sale, "fr")
