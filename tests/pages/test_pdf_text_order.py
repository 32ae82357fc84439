"""Arabic and French PDFs read in the right order: date ranges start first, each date, time and
RIB whole (PDFium extracts text in reading order, bidi included), and the QR codes still decode."""

import io
import re
import subprocess
from datetime import date

import pypdfium2
import pytest

from core.cli import DEMO_PASSWORD
from core.extensions import db
from tests.pdf_tools import pdf_page_count, pdf_qr_codes

DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def reading_text(pdf_bytes):
    """The text of every page in reading order (right to left in Arabic lines)."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def poppler_text(pdf_bytes):
    """pdftotext's reading (poppler-utils, installed by the Makefile): left-to-right runs inside
    Arabic lines come out in their visual order, which is how a RIB must read."""
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf_bytes, capture_output=True, check=True)
    return done.stdout.decode()


def day_month_year(day):
    return f"{day.day}/{day.month}/{day.year}"


@pytest.fixture
def demo(app, client):
    from booths.models import Cooperative
    from core.cli import load_demo
    from markets.services import get_edition
    from store.models import Payout

    load_demo(date(2026, 11, 21))
    db.session.commit()
    edition = get_edition("fes-meknes-live")
    site = edition.site("meknes")
    payout = (
        db.session.query(Payout)
        .join(Cooperative)
        .filter(Cooperative.bank_account.is_not(None))
        .first()
    )
    facts = {
        "edition": edition.slug,
        "site": site.slug,
        "opens_on": site.opens_on,
        "closes_on": site.closes_on,
        "payout": payout.id,
        "rib": payout.cooperative.bank_account,
    }
    db.session.rollback()
    response = client.post("/login", data={"username": "organiser", "password": DEMO_PASSWORD})
    assert response.status_code in (302, 303)
    return facts


def fetch(client, path, language):
    response = client.get(f"{path}?lang={language}")
    assert response.status_code == 200, path
    assert response.mimetype == "application/pdf"
    return response.data


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_pdf_dates_times_and_rib_read_in_order(demo, client, language):
    base = f"/editions/{demo['edition']}/sites/{demo['site']}"
    opens, closes = day_month_year(demo["opens_on"]), day_month_year(demo["closes_on"])

    # Badges: the site's dates, start first, whole; one A6 page per badge, every QR decodes.
    badges = fetch(client, f"{base}/badges.pdf", language)
    text = reading_text(badges)
    if language == "ar":
        assert f"{opens} – {closes}" in text
    assert not re.search(r"\d{5,}/|/\d{5,}", text)  # no "282026/12/5" scrambles
    assert len(pdf_qr_codes(badges)) == pdf_page_count(badges)

    # Floor plan: one page, the date range in order.
    plan = fetch(client, f"{base}/floor-plan.pdf", language)
    assert pdf_page_count(plan) == 1
    plan_text = reading_text(plan)
    if language == "ar":
        assert f"{opens} – {closes}" in plan_text
        assert plan_text.index(opens) < plan_text.index(closes)

    # Timetable: every session's time range reads start – end, each time whole.
    timetable = reading_text(fetch(client, f"{base}/timetable.pdf", language))
    ranges = re.findall(r"(\d{1,2}:\d{2})(?: ?[صم])? – (\d{1,2}:\d{2})", timetable)
    assert ranges
    for start, end in ranges:
        assert tuple(map(int, start.split(":"))) < tuple(map(int, end.split(":"))) or (
            language == "ar"  # 12-hour clock in Arabic: 11:00 ص – 12:30 م
        )
    assert not re.search(r"[صم]–\d", timetable)

    # Payout statement: the RIB left to right, in its four groups, as on the bank's slip.
    statement = poppler_text(
        fetch(client, f"/store/payouts/{demo['payout']}/statement.pdf", language)
    )
    rib = demo["rib"]
    assert f"{rib[:3]} {rib[3:6]} {rib[6:22]} {rib[22:]}" in statement
