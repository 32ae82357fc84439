"""File names of downloads: readable in the reader's language, no slug, an ASCII fallback (RFC 5987)."""

import re
from urllib.parse import unquote

import pytest
from babel.dates import format_skeleton
from hypothesis import given
from hypothesis import strategies as st

from core.downloads import ascii_name, content_disposition, download_name
from core.extensions import db
from core.timeutil import to_local
from tests.report.test_report_data import build_report_world

TIMETABLE = {"fr": "Programme", "ar": "البرنامج الزمني"}
DISPOSITION = re.compile(
    r"^(inline|attachment); filename=\"([\x20-\x7e]+)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)$"
)


def parse(header):
    """(kind, ASCII fallback, readable UTF-8 name) of a Content-Disposition header."""
    found = DISPOSITION.match(header)
    assert found, header
    kind, fallback, encoded = found.groups()
    assert '"' not in fallback and "\\" not in fallback
    return kind, fallback, unquote(encoded, encoding="utf-8", errors="strict")


def test_a_readable_name_and_its_ascii_fallback():
    name = download_name("Badges", "Meknès", "2e édition", extension="pdf")
    assert name == "Badges - Meknès - 2e édition.pdf"
    assert parse(content_disposition(name)) == (
        "attachment",
        "Badges - Meknes - 2e edition.pdf",
        "Badges - Meknès - 2e édition.pdf",
    )
    arabic = download_name("الشارات", "", "مكناس", extension="pdf")
    assert arabic == "الشارات - مكناس.pdf"
    assert parse(content_disposition(arabic, inline=True)) == ("inline", "download.pdf", arabic)
    assert download_name("a/b: c?", None, extension="csv") == "a b c.csv"


@given(st.lists(st.text(max_size=30), max_size=4), st.sampled_from(["pdf", "csv", "zip"]))
def test_any_parts_give_a_valid_header(parts, extension):
    name = download_name(*parts, extension=extension)
    assert name.endswith("." + extension) and len(name) > len(extension) + 1
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f\x7f]', name)
    header = content_disposition(name)
    header.encode("latin-1")  # a header must be Latin-1; ours is plain ASCII
    kind, fallback, readable = parse(header)
    assert readable == name and fallback == ascii_name(name)


@pytest.fixture
def world(app, make_edition, make_cooperative, make_user):
    return build_report_world(make_edition, make_cooperative, make_user)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_download_routes_name_their_files_for_people(world, make_user, login, language):
    edition = world["edition"]
    site = edition.sites[0]
    client = login(make_user("organiser"))
    client.get(f"/?lang={language}")
    edition_name, site_name = edition.names[language], site.names.get(language) or site.names["fr"]
    expected = {
        f"/editions/{edition.slug}/report.pdf?language={language}": (
            {"fr": "Rapport des partenaires", "ar": "تقرير الشركاء"}[language],
            edition_name,
        ),
        f"/editions/{edition.slug}/report.zip": (
            {"fr": "Rapport des partenaires", "ar": "تقرير الشركاء"}[language],
            edition_name,
        ),
        f"/editions/{edition.slug}/sites/{site.slug}/timetable.pdf": (
            TIMETABLE[language],
            site_name,
            edition_name,
        ),
        f"/editions/{edition.slug}/attendance.csv": (
            {"fr": "Fréquentation", "ar": "الحضور"}[language],
            edition_name,
        ),
        f"/store/editions/{edition.slug}/payouts.csv": (None, edition_name),
        f"/store/editions/{edition.slug}/report-channel.csv": (None, edition_name),
        "/cooperatives.csv": ({"fr": "Coopératives", "ar": "التعاونيات"}[language],),
        f"/editions/{edition.slug}/workshops.ics": (None, edition_name),
    }
    for url, parts in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        kind, fallback, readable = parse(response.headers["Content-Disposition"])
        assert edition.slug not in readable and site.slug not in readable, readable
        assert edition.slug not in fallback, fallback
        words = readable.rsplit(".", 1)[0].split(" - ")
        assert all(part in words for part in parts if part), (url, readable)


@pytest.mark.parametrize(
    ("language", "z_report", "receipt"),
    [
        ("fr", "Rapport Z - {site} - {day}.pdf", "Reçu n° {number} - {site} - {day}.pdf"),
        ("ar", "تقرير Z - {site} - {day}.pdf", "الوصل رقم {number} - {site} - {day}.pdf"),
    ],
)
def test_z_report_and_receipt_are_named_by_their_site_and_day_in_words(
    world, make_user, login, language, z_report, receipt
):
    from store.models import Sale
    from store.services.tills import close_till

    sale = db.session.query(Sale).filter(Sale.total_centimes > 0).order_by(Sale.id).first()
    day = to_local(sale.sold_at).date()
    organiser = make_user("organiser")
    close = close_till(sale.site, sale.register, day, 1000, "Écart", organiser)
    db.session.commit()
    client = login(organiser)
    client.get(f"/?lang={language}")
    site = sale.site.names.get(language) or sale.site.names["fr"]
    in_words = format_skeleton("yMMMd", day, locale=language)  # "12 nov. 2026", "12 نوفمبر 2026"
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d+/\d+", in_words)

    response = client.get(f"/store/tills/{close.id}/z.pdf")
    assert response.status_code == 200
    assert parse(response.headers["Content-Disposition"])[2] == z_report.format(
        site=site, day=in_words
    )
    # The receipt is named in its own language, the one it is printed in.
    response = client.get(f"/store/receipts/{sale.client_id}.pdf?language={language}")
    assert response.status_code == 200
    kind, fallback, readable = parse(response.headers["Content-Disposition"])
    assert readable == receipt.format(number=sale.id, site=site, day=in_words)
    assert day.isoformat() not in readable and not re.search(
        r"[\u200e\u200f\u2066-\u2069]", readable
    )
