"""Payouts are kept current when sales, refunds and voids are written, and read without a lock:
opening the payouts pages, the transfer sheet, the portal or /api/v1/me/payouts writes nothing
and takes no row lock (two organisers never wait for each other)."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

import pytest
from sqlalchemy import event

from core.extensions import db
from core.timeutil import utc_now
from store import services
from store.models import Payout, SaleLine

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def statements():
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def payout_writes(seen):
    """Statements that lock or write payouts or sale lines (sessions and logins are not ours)."""
    return [
        sql
        for sql in seen
        if ("store_payouts" in sql or "store_sale_lines" in sql or "editions" in sql)
        and (sql.upper().startswith(WRITES) or "FOR UPDATE" in sql.upper())
    ]


@pytest.fixture
def sold(store_edition, make_product, stock, sell, make_user):
    site = store_edition.sites[0]
    product = make_product(price=4000)
    stock(product, site, 10)
    sale = sell(store_edition, site, [(product, 2)])
    return {
        "edition": store_edition,
        "product": product,
        "sale": sale,
        "coop_user": make_user("cooperative", cooperative=product.cooperative),
    }


def test_a_sale_is_in_its_payout_as_soon_as_it_is_written(sold):
    line = db.session.query(SaleLine).one()
    payout = db.session.get(Payout, line.payout_id)
    assert (payout.lines_count, payout.amount_centimes) == (1, 2 * 3500)
    assert payout.due_at == line.due_at and payout.due_on == line.due_on
    assert services.compute_payouts(sold["edition"]) == 0  # nothing left for the periodic task


def test_a_refund_is_taken_from_the_unpaid_payout_of_its_sale(sold, cashier):
    line = db.session.query(SaleLine).one()
    services.refund_sale(sold["sale"], {line.id: 1}, "Pot fêlé", cashier)
    db.session.commit()
    payout = db.session.get(Payout, line.payout_id)
    assert (payout.lines_count, payout.amount_centimes) == (2, 3500)
    assert db.session.query(Payout).count() == 1


def test_a_refund_after_payment_is_taken_from_the_next_payout(sold, cashier, organiser):
    line = db.session.query(SaleLine).one()
    paid = db.session.get(Payout, line.payout_id)
    services.mark_payout_paid(paid, utc_now(), "VIR-9", organiser)
    db.session.commit()
    before = utc_now()
    services.refund_sale(sold["sale"], {line.id: 1}, "Pot fêlé", cashier)
    db.session.commit()
    refund = db.session.query(SaleLine).filter(SaleLine.kind == "refund").one()
    assert before <= refund.due_at <= utc_now()
    fresh = db.session.get(Payout, refund.payout_id)
    assert fresh.id != paid.id and fresh.paid_at is None
    assert (fresh.lines_count, fresh.amount_centimes) == (1, -3500)
    db.session.refresh(paid)
    assert (paid.lines_count, paid.amount_centimes) == (1, 7000)


def test_a_void_joins_the_payout_of_its_sale(sold, cashier):
    services.void_sale(sold["sale"], "Erreur de caisse", cashier)
    db.session.commit()
    payout = db.session.query(Payout).one()
    assert (payout.lines_count, payout.amount_centimes) == (2, 0)


def test_reading_payouts_takes_no_lock_and_writes_nothing(
    sold, organiser, login, client, api_headers
):
    slug = sold["edition"].slug
    headers = api_headers(sold["coop_user"])
    login(organiser)
    with statements() as seen:
        assert client.get(f"/store/editions/{slug}/payouts").status_code == 200
        assert client.get(f"/store/editions/{slug}/payouts.csv").status_code == 200
    assert seen and payout_writes(seen) == []
    client.post("/logout")
    with statements() as seen:
        answer = client.get("/api/v1/me/payouts", headers=headers)
    assert answer.status_code == 200
    assert [p["amount_centimes"] for p in answer.get_json()["payouts"]] == [7000]
    assert seen and payout_writes(seen) == []


def test_the_portal_reads_payouts_without_writing(sold, login, client):
    login(sold["coop_user"])
    with statements() as seen:
        assert client.get("/store/me").status_code == 200
    assert seen and payout_writes(seen) == []


def test_pages_leave_bulk_written_lines_to_the_periodic_task(
    store_edition, make_product, stock, sell, organiser, login, client
):
    site = store_edition.sites[0]
    product = make_product(price=4000)
    stock(product, site, 5)
    with patch("store.services.sales.keep_payouts_current", lambda lines: []):
        sell(store_edition, site, [(product, 1)])
    login(organiser)
    with statements() as seen:
        client.get(f"/store/editions/{store_edition.slug}/payouts")
        client.get(f"/store/editions/{store_edition.slug}/payouts.csv")
    assert payout_writes(seen) == []
    assert db.session.query(SaleLine).one().payout_id is None
    assert services.compute_payouts(store_edition) == 1


def test_a_sale_shows_on_the_payouts_page_right_after(sold, organiser, login, client):
    login(organiser)
    page = client.get(f"/store/editions/{sold['edition'].slug}/payouts").get_data(as_text=True)
    assert "70,00" in page
    assert db.session.query(Payout).one().due_at > utc_now() + timedelta(hours=71)
