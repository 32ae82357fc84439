"""Tamazight (zgh, Tifinagh) as a fifth language, and every catalogue complete."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from pypdf import PdfReader

from core.extensions import db
from core.i18n import LANGUAGE_NAMES, current_language, localized
from core.money import format_mad
from markets.models import Edition
from tests.pdf_tools import pdf_text

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TIFINAGH = re.compile("[\u2d30-\u2d7f]")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|<[^>]+>")


def pdf_fonts(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }


def catalogue(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", ["ar", "fr", "es", "zgh"])
def test_catalogue_is_completely_translated(language):
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        template = read_po(pot)
    template_ids = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in template
        if message.id
    }
    problems = []
    seen = set()
    for message in catalogue(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        seen.add(ids[0])
        if message.fuzzy:
            problems.append(("fuzzy", ids[0]))
        if not all(form and form.strip() for form in forms):
            problems.append(("empty", ids[0]))
            continue
        if len(ids) == 1:
            if placeholders(forms[0]) != placeholders(ids[0]):
                problems.append(("placeholders", ids[0]))
        else:  # plural: the general form keeps every placeholder, the others no new one
            allowed = set(placeholders(ids[0]) + placeholders(ids[1]))
            if placeholders(forms[-1]) != placeholders(ids[1]):
                problems.append(("placeholders", ids[0]))
            if any(not set(placeholders(form)) <= allowed for form in forms):
                problems.append(("placeholders", ids[0]))
    assert problems == []
    assert seen == template_ids  # no entry missing from the catalogue


def test_tamazight_catalogue_is_written_in_tifinagh():
    ircam = set("ⴰⴱⴳⴷⴹⴻⴼⴽⵀⵃⵄⵅⵇⵉⵊⵍⵎⵏⵓⵔⵕⵖⵙⵚⵛⵜⵟⵡⵢⵣⵥⵯ")
    for message in catalogue("zgh"):
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for form in forms:
            # Only the letters of the IRCAM Tifinagh alphabet (no Tuareg or extended letters).
            assert set(TIFINAGH.findall(form)) <= ircam, form
    header = dict(catalogue("zgh").mime_headers)
    assert header["Language"] == "zgh"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_tamazight_is_in_the_switcher_left_to_right(client):
    assert LANGUAGE_NAMES["zgh"] == "ⵜⴰⵎⴰⵣⵉⵖⵜ"
    page = client.get("/login?lang=zgh").get_data(as_text=True)
    assert '<html lang="zgh" dir="ltr">' in page
    assert '<option value="zgh" lang="zgh" selected>ⵜⴰⵎⴰⵣⵉⵖⵜ</option>' in page
    assert "ⴽⵛⵎ" in page  # "Sign in"
    # Other languages offer Tamazight in the switcher too, by its own name.
    assert '<option value="zgh" lang="zgh" >ⵜⴰⵎⴰⵣⵉⵖⵜ</option>' in (
        client.get("/login?lang=ar").get_data(as_text=True)
    )


def test_browser_asking_for_tamazight_gets_it(app):
    page = app.test_client().get("/login", headers={"Accept-Language": "zgh-MA, fr;q=0.5"})
    assert '<html lang="zgh" dir="ltr">' in page.get_data(as_text=True)


def test_current_language_keeps_the_three_letter_code(app):
    with app.test_request_context("/?lang=zgh"):
        assert current_language() == "zgh"
        assert render_template_string("{{ _('Sign in') }}") == "ⴽⵛⵎ"


def test_tamazight_formats_follow_cldr(app):
    with app.test_request_context("/?lang=zgh"):
        # CLDR's zgh: space grouping, decimal comma; the code kept apart from the digits.
        assert format_mad(123450) == "1\xa0234,50\xa0MAD"
        rendered = render_template_string("{{ day | date }}", day=date(2026, 11, 5))
    assert "ⵏⵓⵡ" in rendered and "2026" in rendered


def test_texts_stored_per_language_fall_back_for_tamazight(app):
    with app.test_request_context("/?lang=zgh"):
        assert localized({"fr": "Meknès", "ar": "مكناس", "zgh": "ⵎⴽⵏⴰⵙ"}) == "ⵎⴽⵏⴰⵙ"
        assert localized({"fr": "Meknès", "ar": "مكناس"}) == "Meknès"
        assert localized({"ar": "مكناس"}) == "مكناس"
    with app.test_request_context("/?lang=ar"):
        assert localized({"zgh": "ⵎⴽⵏⴰⵙ"}) == "ⵎⴽⵏⴰⵙ"


def test_edition_form_takes_names_and_slogans_in_tamazight(client, make_user, login):
    login(make_user("organiser"))
    form = client.get("/editions/new?lang=zgh").get_data(as_text=True)
    assert 'name="name_zgh"' in form and 'name="slogan_zgh"' in form
    response = client.post(
        "/editions/new",
        data={
            "slug": "taza-2031",
            "number": "1",
            "name_zgh": "ⴰⵙⵙⵓⴳ ⵏ ⵜⴰⵣⴰ",
            "slogan_zgh": "ⴳ ⵓⴼⴰⵔⵙ ⵏⵎⵢⴰⵡⴰⵙ",
            "visitor_target": "3000",
            "commission_percent": "0",
            "starts_on": "2031-04-01",
            "ends_on": "2031-04-08",
        },
    )
    assert response.status_code == 302
    edition = db.session.query(Edition).filter_by(slug="taza-2031").one()
    assert edition.names == {"zgh": "ⴰⵙⵙⵓⴳ ⵏ ⵜⴰⵣⴰ"}
    assert edition.slogans == {"zgh": "ⴳ ⵓⴼⴰⵔⵙ ⵏⵎⵢⴰⵡⴰⵙ"}
    page = client.get("/editions/taza-2031?lang=fr").get_data(as_text=True)
    assert "ⴰⵙⵙⵓⴳ ⵏ ⵜⴰⵣⴰ" in page  # the only name there is, whatever the reader's language


def test_workshop_and_product_forms_offer_tamazight(client, make_user, make_edition, login):
    edition = make_edition()
    login(make_user("organiser"))
    workshop_form = client.get(f"/editions/{edition.slug}/workshops/new").get_data(as_text=True)
    assert 'name="title_zgh"' in workshop_form and 'name="description_zgh"' in workshop_form
    product_form = client.get("/store/products/new").get_data(as_text=True)
    assert 'name="name_zgh"' in product_form


def test_tifinagh_font_is_shipped_with_its_licence(client):
    fonts = ROOT / "static" / "fonts"
    licence = (fonts / "NOTO-SANS-TIFINAGH-LICENSE.txt").read_text()
    assert "SIL Open Font License" in licence and "Noto Sans Tifinagh" in licence
    for name in ("NotoSansTifinagh-Regular.ttf", "NotoSansTifinagh-Regular.woff2"):
        response = client.get(f"/static/fonts/{name}")
        assert response.status_code == 200 and len(response.data) > 10_000
        response.close()
    css = client.get("/static/css/souk.css")
    stylesheet = css.get_data(as_text=True)
    css.close()
    assert 'font-family: "Noto Sans Tifinagh"' in stylesheet
    assert (
        "NotoSansTifinagh-Regular.woff2" in stylesheet
        and "unicode-range: U+2D30-2D7F" in stylesheet
    )


def test_ticket_pdf_in_tamazight_holds_tifinagh(client, make_edition):
    edition = make_edition(names={"fr": "Édition de Taza", "zgh": "ⵜⴰⵙⵓⵜⵍⵜ ⵏ ⵜⴰⵣⴰ"})
    created = client.post(f"/editions/{edition.slug}/ticket?lang=zgh", data={})
    assert created.status_code == 303
    token_id = created.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    response = client.get(f"/tickets/{token_id}.pdf?lang=zgh")
    assert response.status_code == 200
    fonts = {name.replace("-", "") for name in pdf_fonts(response.data)}
    assert any(name.endswith("+NotoSansTifinagh") for name in fonts)  # the shipped font
    text = pdf_text(response.data)
    assert "ⵜⴰⵙⵓⵜⵍⵜ ⵏ ⵜⴰⵣⴰ" in text
    assert len(TIFINAGH.findall(text)) > 30  # the labels too, not only the name


def test_partners_report_pdf_in_tamazight(client, make_user, make_edition, login):
    edition = make_edition(names={"fr": "Édition de Taza", "zgh": "ⵜⴰⵙⵓⵜⵍⵜ ⵏ ⵜⴰⵣⴰ"})
    login(make_user("organiser"))
    dashboard = client.get(f"/editions/{edition.slug}/dashboard?lang=zgh").get_data(as_text=True)
    assert '<option value="zgh" lang="zgh" selected>ⵜⴰⵎⴰⵣⵉⵖⵜ</option>' in dashboard
    response = client.get(f"/editions/{edition.slug}/report.pdf?language=zgh")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "ⵜⴰⵙⵓⵜⵍⵜ ⵏ ⵜⴰⵣⴰ" in text and "ⴰⵏⵏⴰⵥ ⵏ ⵉⵎⴷⴷⵓⴽⴽⴰⵍ" in text  # "Partners' report"
    assert "Partners" not in text and "Rapport" not in text
