"""Visitors pages: the public ticket, PNG and PDF, blank batches, the scanner, the dashboard."""

import io
import json
import re

import pytest
import zxingcpp
from flask_babel import refresh
from PIL import Image

from core import queue
from core.extensions import db
from tests.pdf_tools import pdf_page_count, pdf_qr_codes, pdf_text
from visitors.models import Ticket
from visitors.services import record_scans

ROLES = ("organiser", "volunteer", "cashier", "cooperative")


def test_public_ticket_page_makes_a_ticket(client, edition):
    page = client.get(f"/editions/{edition.slug}/ticket")
    assert page.status_code == 200
    response = client.post(
        f"/editions/{edition.slug}/ticket",
        data={"name": "Khadija", "phone": "+212 612 345 678", "city": "Azrou", "consent": "y"},
    )
    assert response.status_code == 303
    ticket = db.session.query(Ticket).one()
    assert (ticket.name, ticket.city, ticket.consent, ticket.source) == (
        "Khadija",
        "Azrou",
        True,
        "public",
    )
    shown = client.get(response.headers["Location"])
    assert shown.status_code == 200
    assert "<svg" in shown.get_data(as_text=True)


def test_ticket_without_any_detail(client, edition):
    assert client.post(f"/editions/{edition.slug}/ticket", data={}).status_code == 303
    ticket = db.session.query(Ticket).one()
    assert (ticket.name, ticket.phone, ticket.city, ticket.consent) == (None, None, None, False)


def test_bad_phone_is_shown_on_the_form(client, edition):
    response = client.post(f"/editions/{edition.slug}/ticket", data={"phone": "abc"})
    assert response.status_code == 422
    assert db.session.query(Ticket).count() == 0


def test_ticket_page_in_arabic_is_rtl(client, edition):
    page = client.get(f"/editions/{edition.slug}/ticket?lang=ar")
    assert 'dir="rtl"' in page.get_data(as_text=True)


def test_ticket_page_of_a_draft_edition_is_404(client, make_edition):
    draft = make_edition(status="draft")
    assert client.get(f"/editions/{draft.slug}/ticket").status_code == 404


def test_public_ticket_form_is_rate_limited(app, client, edition):
    app.config["PUBLIC_FORM_LIMIT"] = "2 per hour"
    for _ in range(2):
        assert client.post(f"/editions/{edition.slug}/ticket", data={}).status_code == 303
    assert client.post(f"/editions/{edition.slug}/ticket", data={}).status_code == 429


def test_ticket_png_and_pdf_hold_the_signed_code(client, ticket):
    png = client.get(f"/tickets/{ticket.token_id}.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert [result.text for result in decoded] == [ticket.code]
    pdf = client.get(f"/tickets/{ticket.token_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf_qr_codes(pdf.data) == [ticket.code]
    assert "Édition" in pdf_text(pdf.data)
    # A ticket fits one A6 page, in French and in Arabic (longer edition names).
    assert pdf_page_count(pdf.data) == 1
    arabic = client.get(f"/tickets/{ticket.token_id}.pdf?lang=ar")
    assert pdf_page_count(arabic.data) == 1 and pdf_qr_codes(arabic.data) == [ticket.code]


@pytest.mark.parametrize("token_id", ["0000000000000000", "nope", "../etc"])
def test_unknown_ticket_is_404(client, token_id, edition):
    assert client.get(f"/tickets/{token_id}").status_code == 404
    assert client.get(f"/tickets/{token_id}.png").status_code == 404


def test_organiser_prints_blank_tickets(client, login, make_user, edition, make_scan):
    organiser = make_user("organiser")
    login(organiser)
    assert client.get(f"/editions/{edition.slug}/tickets/batch").status_code == 200
    response = client.post(f"/editions/{edition.slug}/tickets/batch", data={"count": 6})
    assert response.status_code == 302  # the PDF is drawn by a job; its page has the file
    job_url = response.headers["Location"]
    queue.run_pending()
    job = client.get(job_url + ".json").get_json()["job"]
    assert job["status"] == "done"
    response = client.get(job["result_url"])
    assert response.mimetype == "application/pdf"
    codes = pdf_qr_codes(response.data)
    tickets = db.session.query(Ticket).filter_by(source="batch").all()
    assert len(tickets) == 6 and sorted(codes) == sorted(t.code for t in tickets)
    assert pdf_page_count(response.data) == 1
    results = record_scans([make_scan(code) for code in codes], organiser)
    assert {result["status"] for result in results} == {"accepted"}


def test_blank_ticket_count_is_checked(client, login, make_user, edition):
    login(make_user("organiser"))
    response = client.post(f"/editions/{edition.slug}/tickets/batch", data={"count": 5000})
    assert response.status_code == 422
    assert db.session.query(Ticket).count() == 0


ORGANISER_PAGES = [
    "/editions/{slug}/tickets/batch",
    "/editions/{slug}/attendance",
    "/editions/{slug}/attendance.csv",
]


@pytest.mark.parametrize("path", ORGANISER_PAGES)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_page_access(client, login, make_user, edition, path, role):
    if role:
        login(make_user(role))
    response = client.get(path.format(slug=edition.slug))
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role == "organiser":
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", [None, *ROLES])
def test_scanner_session_is_for_volunteers_and_organisers(client, login, make_user, edition, role):
    if role:
        login(make_user(role))
    response = client.get("/scanner/session")
    expected = {None: 401, "organiser": 200, "volunteer": 200}.get(role, 403)
    assert response.status_code == expected
    assert response.is_json
    if expected != 200:
        assert response.get_json()["error"]["code"] in ("unauthorized", "forbidden")


def test_scanner_shell_is_the_same_for_everyone_and_the_session_carries_the_data(
    client, login, make_user, edition
):
    anonymous = client.get("/scanner?lang=fr").get_data(as_text=True)
    login(make_user("volunteer"))
    page = client.get("/scanner?lang=fr")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "public, no-cache"
    assert html == anonymous  # no person's data: the service worker keeps one copy
    assert 'id="scanner-config"' in html and "js/scanner.js" in html
    assert "gate-north" not in html and '"token"' not in html
    # Every language travels in the shell: the phone switches without the network.
    texts = json.loads(
        re.search(r'<script type="application/json" id="field-texts">(.*?)</script>', html).group(1)
    )
    assert texts["ar"]["title"] == "ماسح المداخل" and texts["es"]["title"] == "Escáner de acceso"
    assert texts["fr"]["title"] == "Scanner aux entrées" and texts["en"]["title"] == "Gate scanner"
    session = client.get("/scanner/session")
    assert session.headers["Cache-Control"].startswith("no-store")
    answer = session.get_json()
    assert answer["token"] and answer["role"] == "volunteer"
    [site] = [s for s in answer["editions"][0]["sites"] if s["slug"] == "meknes"]
    assert [gate["code"] for gate in site["gates"]] == ["gate-north", "gate-south"]
    assert site["gates"][0]["names"]["fr"] == "Porte 1" and site["gates"][0]["role"] == "both"
    assert answer["editions"][0]["keys"][0]["alg"] == "Ed25519"


def test_service_worker_is_served_at_the_root(client):
    response = client.get("/field-sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.mimetype == "text/javascript"
    assert response.data.startswith(b"const FIELD = ")
    assert b"/scanner" in response.data and b"/offline" in response.data
    response.close()


def test_vendor_serves_declared_packages_only(client):
    wasm = client.get("/vendor/zxing-wasm/dist/reader/zxing_reader.wasm")
    assert wasm.status_code == 200 and wasm.mimetype == "application/wasm"
    assert wasm.data[:4] == b"\0asm"
    wasm.close()
    module = client.get("/vendor/zxing-wasm/dist/es/reader/index.js")
    assert module.status_code == 200 and module.mimetype == "text/javascript"
    assert b"readBarcodes" in module.data
    module.close()
    assert client.get("/vendor/type-fest/package.json").status_code == 404
    assert client.get("/vendor/zxing-wasm/../../package.json").status_code == 404


def test_dashboard_shows_counts_chart_and_projection(
    client, login, make_user, edition, ticket, make_scan
):
    volunteer = make_user("volunteer")
    record_scans([make_scan(ticket.code)], volunteer)
    db.session.commit()
    login(make_user("organiser"))
    page = client.get(f"/editions/{edition.slug}/attendance?day=2022-11-06")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # The open edition's figures update in place from JSON (pausable), never by a reload.
    assert 'http-equiv="refresh"' not in html
    assert "data-live-url" in html and "data-live-toggle" in html
    assert 'class="chart"' in html and 'role="progressbar" aria-label=' in html
    live = client.get(f"/editions/{edition.slug}/attendance/figures.json").get_json()
    assert live["figures"]["visitors"] == "1" and live["bars"]["edition"]["value"] == 1
    assert "2022-11-06" in html
    refresh()  # the test keeps one app context: forget the locale cached by earlier requests
    arabic = client.get(f"/editions/{edition.slug}/attendance?lang=ar")
    assert 'dir="rtl"' in arabic.get_data(as_text=True)


def test_attendance_csv(client, login, make_user, edition, ticket, make_scan):
    record_scans([make_scan(ticket.code)], make_user("volunteer"))
    db.session.commit()
    login(make_user("organiser"))
    response = client.get(f"/editions/{edition.slug}/attendance.csv")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "site,date,hour,visitors,entries,tallied"
    assert "meknes,2022-11-06,11:00,1,1,0" in lines


def test_public_ticket_list_redirects_to_the_only_edition(client, edition):
    response = client.get("/tickets")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/editions/{edition.slug}/ticket")


def test_public_ticket_list_offers_every_edition_taking_tickets(client, make_edition):
    first, second = make_edition(status="open"), make_edition(status="published")
    hidden = make_edition(status="draft")
    html = client.get("/tickets").get_data(as_text=True)
    assert f"/editions/{first.slug}/ticket" in html
    assert f"/editions/{second.slug}/ticket" in html
    assert f"/editions/{hidden.slug}/ticket" not in html
