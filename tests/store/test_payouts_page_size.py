"""The payouts page at a national salon's size: fifty payouts a page, the status filter judged in
SQL by the same rules as each payout's badge, the RIB warning judged in SQL."""

import re
from datetime import date, timedelta

import pytest

from core.database import bulk_insert
from core.extensions import db
from core.timeutil import utc_now
from store.models import Payout
from store.services.payouts import (
    payout_status,
    payouts_query,
    transfers_without_bank_account,
)

RIB = "011780000012345678901234"


@pytest.fixture
def many_payouts(store_edition, make_cooperative, make_user):
    """120 payouts of three cooperatives: 40 paid, 40 overdue, 30 due later, 10 due soon."""
    with_rib, without_rib, third = (
        make_cooperative(bank_account=RIB),
        make_cooperative(bank_account=None),
        make_cooperative(bank_account=""),
    )
    organiser = make_user("organiser")
    now = utc_now().replace(microsecond=0)
    rows = []
    for number in range(120):
        cooperative = (with_rib, without_rib, third)[number % 3]
        if number < 40:
            due_at, paid_at = now - timedelta(days=200 - number), now - timedelta(days=1)
        elif number < 80:
            due_at, paid_at = now - timedelta(hours=number), None
        elif number < 110:
            due_at, paid_at = now + timedelta(days=3 + number), None
        else:
            due_at, paid_at = now + timedelta(hours=number - 100), None
        rows.append(
            {
                "edition_id": store_edition.id,
                "cooperative_id": cooperative.id,
                "due_on": date(2023, 1, 1) + timedelta(days=number),
                "due_at": due_at,
                "amount_centimes": 1000 + number,
                "lines_count": 1,
                "paid_at": paid_at,
                "reference": "VIR-1" if paid_at else None,
                "paid_by_id": organiser.id if paid_at else None,
                "marked_at": paid_at,
                "created_at": now - timedelta(days=300),
            }
        )
    bulk_insert(Payout, rows)
    db.session.commit()
    return {"edition": store_edition, "with_rib": with_rib, "organiser": organiser}


def rows_on(html):
    return re.findall(r'<tr id="payout-(\d+)"', html)


def test_the_page_shows_fifty_payouts_and_links_the_next_pages(client, login, many_payouts):
    login(many_payouts["organiser"])
    slug = many_payouts["edition"].slug
    first = client.get(f"/store/editions/{slug}/payouts").get_data(as_text=True)
    third = client.get(f"/store/editions/{slug}/payouts?page=3").get_data(as_text=True)
    assert len(rows_on(first)) == 50
    assert len(rows_on(third)) == 20
    assert "Page 1 sur 3" in first and "Page 3 sur 3" in third
    assert f"/store/editions/{slug}/payouts?page=2" in first
    listed = rows_on(first) + rows_on(client.get(f"/store/editions/{slug}/payouts?page=2").text)
    listed += rows_on(third)
    expected = [str(p.id) for p in payouts_query(many_payouts["edition"]).all()]
    assert listed == expected and len(set(listed)) == 120


def test_a_status_filter_keeps_its_status_from_page_to_page(client, login, many_payouts):
    login(many_payouts["organiser"])
    slug = many_payouts["edition"].slug
    page = client.get(f"/store/editions/{slug}/payouts?status=overdue").get_data(as_text=True)
    assert len(rows_on(page)) == 40 and "Page 1 sur" not in page  # 40 fit on one page
    paid = client.get(f"/store/editions/{slug}/payouts?status=paid").get_data(as_text=True)
    assert len(rows_on(paid)) == 40


@pytest.mark.parametrize("status", ["paid", "overdue", "due_soon", "due"])
def test_the_sql_status_filter_agrees_with_each_payouts_badge(many_payouts, status):
    now = utc_now()
    edition = many_payouts["edition"]
    every = payouts_query(edition).all()
    expected = [p.id for p in every if payout_status(p, now) == status]
    assert [p.id for p in payouts_query(edition, status, now)] == expected
    assert len(expected) == {"paid": 40, "overdue": 40, "due_soon": 10, "due": 30}[status]


def test_only_unpaid_payouts_of_cooperatives_without_a_rib_are_flagged(many_payouts):
    lacking = transfers_without_bank_account(many_payouts["edition"])
    assert len(lacking) == 54  # 80 unpaid, two cooperatives in three lack a RIB (None or "")
    assert many_payouts["with_rib"].id not in {p.cooperative_id for p in lacking}
    assert all(p.paid_at is None for p in lacking)
