"""Arabic and French PDFs read in the right order: date ranges start first, each date, time and
RIB whole, amounts whole; page counts what the content needs; the QR codes still decode.

PDFium (pypdfium2) extracts text in reading order, bidi included; pdftotext (poppler-utils, set
up by the Makefile) keeps left-to-right runs inside Arabic lines in their visual order, which is
how a RIB must read."""

import io
import re
import subprocess
from datetime import date

import pypdfium2
import pytest
from babel.dates import format_date

from accounts.models import User
from booths.models import Cooperative
from booths.services import site_badges
from core.bidi import strip_isolates
from core.cli import DEMO_PASSWORD, load_demo
from core.extensions import db
from core.timeutil import to_local
from markets.services import get_edition
from store.models import Deposit, Payout, Sale, SaleLine
from store.services.tills import close_till
from tests.pdf_tools import pdf_page_count, pdf_qr_codes
from visitors.models import Ticket
from workshops.models import Attendance


def reading_text(pdf_bytes):
    """The text of every page in reading order (right to left in Arabic lines)."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def page_texts(pdf_bytes):
    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def poppler_text(pdf_bytes):
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf_bytes, capture_output=True, check=True)
    return done.stdout.decode()


def shown_date(day, style, language):
    """A date as the PDFs print it (the bidi marks CLDR puts in Arabic numeric dates dropped)."""
    return strip_isolates(format_date(day, style, locale=language))


@pytest.fixture
def demo(app, client):
    load_demo(date(2026, 11, 21))
    db.session.commit()
    edition = get_edition("fes-meknes-live")
    site = edition.site("meknes")
    payout = (
        db.session.query(Payout)
        .join(Cooperative)
        .filter(Cooperative.bank_account.is_not(None))
        .order_by(Payout.id)
        .first()
    )
    facts = {
        "edition": edition.slug,
        "site": site.slug,
        "opens_on": site.opens_on,
        "closes_on": site.closes_on,
        "payout": payout.id,
        "rib": payout.cooperative.bank_account,
        "ticket": db.session.query(Ticket.token_id).filter_by(edition_id=edition.id).first()[0],
        "sale": db.session.query(Sale).order_by(Sale.id.desc()).first().client_id,
        "deposit": db.session.query(Deposit.id).order_by(Deposit.id).first()[0],
    }
    db.session.rollback()
    response = client.post("/login", data={"username": "organiser", "password": DEMO_PASSWORD})
    assert response.status_code in (302, 303)
    return facts


def fetch(client, path, language):
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}lang={language}")
    assert response.status_code == 200, path
    assert response.mimetype == "application/pdf"
    return response.data


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_pdf_dates_times_and_rib_read_in_order(demo, client, language):
    base = f"/editions/{demo['edition']}/sites/{demo['site']}"
    opens = shown_date(demo["opens_on"], "short", language)
    closes = shown_date(demo["closes_on"], "short", language)
    if language == "ar":
        opens, closes = (
            f"{d.day}/{d.month}/{d.year}" for d in (demo["opens_on"], demo["closes_on"])
        )

    # Badges: the site's dates, start first, whole; one A6 page per badge, every QR decodes.
    badges = fetch(client, f"{base}/badges.pdf", language)
    text = reading_text(badges)
    assert f"{opens} – {closes}" in text
    assert not re.search(r"\d{5,}/|/\d{5,}", text)  # no "282026/12/5" scrambles
    assert len(pdf_qr_codes(badges)) == pdf_page_count(badges)

    # Floor plan: one page, the date range in order.
    plan = fetch(client, f"{base}/floor-plan.pdf", language)
    assert pdf_page_count(plan) == 1
    medium = [shown_date(d, "medium", language) for d in (demo["opens_on"], demo["closes_on"])]
    assert f"{medium[0]} – {medium[1]}" in reading_text(plan)

    # Timetable: every session's time range reads start – end, each time whole; no empty page.
    timetable_pdf = fetch(client, f"{base}/timetable.pdf", language)
    timetable = reading_text(timetable_pdf)
    ranges = re.findall(r"(\d{1,2}:\d{2})(?: ?[صم])? – (\d{1,2}:\d{2})", timetable)
    assert ranges
    if language == "fr":  # 24-hour clock: start before end
        assert all(
            tuple(map(int, start.split(":"))) < tuple(map(int, end.split(":")))
            for start, end in ranges
        )
    assert not re.search(r"[صم]–\d", timetable)
    for page_text in page_texts(timetable_pdf):  # every printed day has sessions
        assert re.search(r"\d{1,2}:\d{2}(?: ?[صم])? – \d{1,2}:\d{2}", page_text)

    # Payout statement: the RIB left to right, in its four groups, as on the bank's slip.
    statement = poppler_text(
        fetch(client, f"/store/payouts/{demo['payout']}/statement.pdf", language)
    )
    rib = demo["rib"]
    assert f"{rib[:3]} {rib[3:6]} {rib[6:22]} {rib[22:]}" in statement

    # Ticket: one page, the site's dates in order, the QR decodes.
    ticket = fetch(client, f"/tickets/{demo['ticket']}.pdf", language)
    assert pdf_page_count(ticket) == 1 and len(pdf_qr_codes(ticket)) == 1
    assert f"{medium[0]} – {medium[1]}" in reading_text(ticket)

    # Receipt and deposit note: one page each, amounts whole (digits, separator, decimals).
    receipt = fetch(client, f"/store/receipts/{demo['sale']}.pdf", language)
    assert pdf_page_count(receipt) == 1
    assert re.search(r"\d+[.,]\d{2}", reading_text(receipt))
    note = fetch(client, f"/store/deposits/{demo['deposit']}.pdf", language)
    assert pdf_page_count(note) == 1
    assert not re.search(r"\d{5,}/|/\d{5,}", reading_text(note))


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_sheet_report_certificate_and_z_report_read_in_order(demo, client, language):
    edition = get_edition(demo["edition"])
    site = edition.site(demo["site"])
    organiser = db.session.query(User).filter_by(username="organiser").one()
    line = (
        db.session.query(SaleLine)
        .filter(SaleLine.site_id == site.id, SaleLine.register != "")
        .order_by(SaleLine.id)
        .first()
    )
    close = close_till(site, line.register, line.local_day, 12345, "Écart de caisse", organiser)
    attendance = db.session.query(Attendance).order_by(Attendance.id).first()
    workshop = attendance.workshop
    facts = {
        "badges": len(site_badges(site)),
        "close": close.id,
        "day": close.day,
        "attendance": attendance.id,
        "workshop_day": to_local(workshop.starts_at).date(),
        "starts_on": edition.starts_on,
        "ends_on": edition.ends_on,
    }
    db.session.commit()
    base = f"/editions/{demo['edition']}/sites/{demo['site']}"
    opens, closes = (
        shown_date(d, "short", language) for d in (demo["opens_on"], demo["closes_on"])
    )
    if language == "ar":
        opens, closes = (
            f"{d.day}/{d.month}/{d.year}" for d in (demo["opens_on"], demo["closes_on"])
        )

    # Badge sheet: four badges to an A4 page, the dates in order, every QR decodes.
    sheet = fetch(client, f"{base}/badges.pdf?layout=sheet", language)
    text = reading_text(sheet)
    assert f"{opens} – {closes}" in text
    assert not re.search(r"\d{5,}/|/\d{5,}", text)
    assert len(pdf_qr_codes(sheet)) == facts["badges"]
    assert pdf_page_count(sheet) == -(-facts["badges"] // 4)

    # Partners' report, in the language asked for: the edition's dates in order, amounts whole.
    report = reading_text(
        fetch(client, f"/editions/{demo['edition']}/report.pdf?language={language}", language)
    )
    long = [shown_date(facts[key], "long", language) for key in ("starts_on", "ends_on")]
    assert f"{long[0]} – {long[1]}" in report
    assert not re.search(r"\d{5,}/|/\d{5,}", report)
    assert re.search(r"\d[.,٫]\d{2}", report)

    # Certificate: one page, its QR decodes, the workshop's date whole, its hours start first.
    certificate_pdf = fetch(
        client, f"/workshops/attendance/{facts['attendance']}/certificate.pdf", language
    )
    assert pdf_page_count(certificate_pdf) == 1 and len(pdf_qr_codes(certificate_pdf)) == 1
    certificate = strip_isolates(reading_text(certificate_pdf))
    assert facts["workshop_day"].strftime("%d/%m/%Y") in certificate
    hours = re.findall(r"(\d{1,2}):(\d{2})\W*(?:إلى|à)\W*(\d{1,2}):(\d{2})", certificate)
    assert len(hours) == 2, certificate  # the Arabic half and the French half
    assert all((int(a), int(b)) < (int(c), int(d)) for a, b, c, d in hours)

    # Z report: one page, its day whole, counted cash and difference whole amounts.
    z_report = fetch(client, f"/store/tills/{facts['close']}/z.pdf", language)
    assert pdf_page_count(z_report) == 1
    z_text = reading_text(z_report)
    assert shown_date(facts["day"], "medium", language) in z_text
    assert re.search(r"(?<![\d.,٫])123[.,٫]45(?![\d])", z_text)
