"""The store's scheduled work with a fixed clock: payouts attached and watched on time, overdue
and due-tomorrow notices recorded once each, and the task registered with the scheduler."""

from datetime import datetime, timedelta

import pytest

from accounts.models import OutboundMessage
from core import queue
from core.extensions import db
from core.notices import notices_of
from core.timeutil import local_to_utc_naive, to_local
from store.models import Payout
from store.tasks import daily_sales_summaries, watch_payout_deadlines


@pytest.fixture
def site(store_edition):
    return store_edition.sites[0]


def local(text):
    return local_to_utc_naive(datetime.fromisoformat(text))


def test_payouts_fall_overdue_on_time_and_organisers_are_told_once(
    store_edition, site, make_product, stock, sell
):
    product = make_product()
    stock(product, site, 20)
    sold_at = local("2024-05-01T10:00")
    sell(store_edition, site, [(product, 1)], sold_at=sold_at)  # due 72 h later
    sell(store_edition, site, [(product, 1)], sold_at=sold_at, channel="retail")  # 10 days later
    due = sold_at + timedelta(hours=72)

    # Two days before: nothing to say, but the lines are attached to payouts already.
    assert watch_payout_deadlines(due - timedelta(hours=48)) == {"overdue": 0, "due_soon": 0}
    db.session.commit()
    assert db.session.query(Payout).count() == 2
    # 23 hours before the deadline: one reminder, and only one however often the task runs.
    assert watch_payout_deadlines(due - timedelta(hours=23)) == {"overdue": 0, "due_soon": 1}
    assert watch_payout_deadlines(due - timedelta(hours=1)) == {"overdue": 0, "due_soon": 0}
    # A second after the deadline, unpaid: overdue, the organisers are told once.
    assert watch_payout_deadlines(due + timedelta(seconds=1)) == {"overdue": 1, "due_soon": 0}
    assert watch_payout_deadlines(due + timedelta(hours=5)) == {"overdue": 0, "due_soon": 0}
    db.session.commit()
    [overdue] = notices_of("payout_overdue")
    [reminder] = notices_of("payout_due_soon")
    assert overdue.subject == reminder.subject
    assert overdue.audience == "organiser" and overdue.edition_id == store_edition.id
    payout = db.session.get(Payout, overdue.payload["payout"])
    assert payout.due_at == due and overdue.payload["amount_centimes"] == payout.amount_centimes
    assert overdue.created_at == due + timedelta(seconds=1)


def test_a_paid_payout_is_never_called_overdue(store_edition, site, make_product, stock, sell):
    product = make_product()
    stock(product, site, 5)
    sold_at = local("2024-05-01T10:00")
    sell(store_edition, site, [(product, 1)], sold_at=sold_at)
    watch_payout_deadlines(sold_at)
    db.session.query(Payout).update({Payout.paid_at: sold_at, Payout.reference: "VIR-1"})
    db.session.commit()
    assert watch_payout_deadlines(sold_at + timedelta(days=4)) == {"overdue": 0, "due_soon": 0}


def test_the_payout_watch_is_scheduled_every_five_minutes():
    due = [task.name for task in queue.huey.read_periodic(datetime(2026, 11, 29, 8, 5))]
    assert "store_payout_deadlines" in due and "reap_jobs" in due
    later = [task.name for task in queue.huey.read_periodic(datetime(2026, 11, 29, 8, 6))]
    assert "store_payout_deadlines" not in later and "reap_jobs" in later


def test_payout_notices_are_sent_to_the_organisers_once(
    store_edition, site, make_product, stock, sell, make_user
):
    organiser = make_user("organiser", username="treasurer")
    organiser.email, organiser.language = "treasurer@example.ma", "en"
    make_user("volunteer", username="helper").email = "helper@example.ma"
    product = make_product()
    stock(product, site, 5)
    sold_at = local("2024-05-01T10:00")
    sell(store_edition, site, [(product, 1)], sold_at=sold_at)
    due = sold_at + timedelta(hours=72)
    for hours in (-23, -1, 1, 5):
        watch_payout_deadlines(due + timedelta(hours=hours))
        db.session.commit()
    sent = db.session.query(OutboundMessage).order_by(OutboundMessage.id).all()
    assert [(m.event, m.address) for m in sent] == [
        ("payout_due_soon", "treasurer@example.ma"),
        ("payout_overdue", "treasurer@example.ma"),
    ]
    assert sent[0].subject.startswith("Payout due soon: ")
    assert sent[1].subject.startswith("Payout overdue: ")


def test_the_daily_sales_summary_is_sent_once_per_day(
    store_edition, site, make_product, stock, sell
):
    product = make_product()
    stock(product, site, 5)
    sold_at = local("2024-05-01T10:00")
    sell(store_edition, site, [(product, 2)], sold_at=sold_at)
    next_morning = local("2024-05-02T06:30")
    assert to_local(next_morning).date().isoformat() == "2024-05-02"
    assert daily_sales_summaries(next_morning) == 1
    db.session.commit()
    assert daily_sales_summaries(next_morning + timedelta(minutes=1)) == 0  # the same day
    db.session.commit()
    [summary] = db.session.query(OutboundMessage).filter_by(event="daily_sales").all()
    assert summary.cooperative_id == product.cooperative_id
    assert [n.subject for n in notices_of("daily_sales")] == ["day:2024-05-01"]
    assert "store_daily_sales" in queue.PERIODIC_TASKS
