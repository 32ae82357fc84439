"""A payout's status at its boundaries, the same in Python (each payout's badge, the API) and
in SQL (the payouts page's totals): exact values, no `A and B or C`."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

import pytest

from core.extensions import db
from store.models import Payout
from store.services import payouts as payout_service
from store.services.payouts import DUE_SOON, api_status, payout_status, payout_totals

NOW = datetime(2024, 5, 10, 12, 0)
TICK = timedelta(microseconds=1)
# (due_at, paid_at) -> status, at NOW
CASES = [
    (NOW - timedelta(days=3), None, "overdue"),
    (NOW - TICK, None, "overdue"),
    (NOW, None, "due_soon"),  # due this very moment: not late yet
    (NOW + TICK, None, "due_soon"),
    (NOW + DUE_SOON, None, "due_soon"),  # exactly 24 h ahead is still soon
    (NOW + DUE_SOON + TICK, None, "due"),
    (NOW + timedelta(days=9), None, "due"),
    (NOW - timedelta(days=3), NOW - timedelta(days=4), "paid"),  # paid on time
    (NOW - timedelta(days=3), NOW, "paid"),  # paid late
    (NOW + timedelta(days=9), NOW, "paid"),  # paid early
]


@pytest.mark.parametrize(("due_at", "paid_at", "status"), CASES)
def test_payout_status_at_its_boundaries(due_at, paid_at, status):
    payout = Payout(due_at=due_at, paid_at=paid_at)
    assert payout_status(payout, NOW) == status
    assert api_status(payout, NOW) == {"due_soon": "due"}.get(status, status)


def test_api_status_never_says_due_soon():
    statuses = {api_status(Payout(due_at=due, paid_at=paid), NOW) for due, paid, _ in CASES}
    assert statuses == {"due", "overdue", "paid"}


def test_totals_in_sql_agree_with_each_payout_in_python(app, make_edition, make_cooperative):
    edition = make_edition(status="open")
    cooperative = make_cooperative()
    rows = []
    for n, (due_at, paid_at, _status) in enumerate(CASES):
        payout = Payout(
            edition_id=edition.id,
            cooperative_id=cooperative.id,
            due_on=date(2024, 1, 1) + timedelta(days=n),
            due_at=due_at,
            amount_centimes=100 * (n + 1),
            lines_count=1,
            paid_at=paid_at,
            reference=None if paid_at is None else f"VIR-{n}",
        )
        db.session.add(payout)
        rows.append(payout)
    db.session.flush()
    with patch.object(payout_service, "utc_now", return_value=NOW):
        totals = payout_totals(edition)
    assert totals == {
        "due": {"count": 2, "amount": 600 + 700},
        "due_soon": {"count": 3, "amount": 300 + 400 + 500},
        "overdue": {"count": 2, "amount": 100 + 200},
        "paid": {"count": 3, "amount": 800 + 900 + 1000},
    }
    expected = {name: {"count": 0, "amount": 0} for name in totals}
    for payout in rows:
        bucket = expected[payout_status(payout, NOW)]
        bucket["count"] += 1
        bucket["amount"] += payout.amount_centimes
    assert totals == expected


def test_totals_of_an_edition_without_payouts_are_zero(app, make_edition):
    assert payout_totals(make_edition(status="open")) == {
        name: {"count": 0, "amount": 0} for name in ("due", "due_soon", "overdue", "paid")
    }
