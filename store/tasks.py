"""The store's scheduled work: payouts attached and watched on time, the organisers told when one
falls overdue, and reminded 24 hours before a deadline."""

from datetime import timedelta

from sqlalchemy import exists

from core.extensions import db
from core.notices import record_notices
from core.queue import periodic
from core.timeutil import to_local
from markets.models import Edition
from store.models import Payout, SaleLine
from store.services.notices import tell_daily_sales, tell_organisers_of_payout
from store.services.payouts import DUE_SOON, compute_payouts


def payout_notice(payout):
    return {
        "subject": f"payout:{payout.id}",
        "audience": "organiser",
        "edition_id": payout.edition_id,
        "payload": {
            "payout": payout.id,
            "cooperative": payout.cooperative_id,
            "amount_centimes": payout.amount_centimes,
            "due_at": payout.due_at.isoformat() + "Z",
        },
    }


@periodic("store_payout_deadlines", minute="*/5")
def watch_payout_deadlines(now):
    """Attach new sale lines to payouts, then tell the organisers about every payout that fell
    overdue and every payout due within 24 hours (each notice once)."""
    unattached = (
        db.session.query(Edition)
        .filter(exists().where(SaleLine.edition_id == Edition.id, SaleLine.payout_id.is_(None)))
        .all()
    )
    for edition in unattached:
        compute_payouts(edition)
    unpaid = db.session.query(Payout).filter(Payout.paid_at.is_(None))
    overdue = unpaid.filter(Payout.due_at < now).order_by(Payout.id).all()
    soon = (
        unpaid.filter(Payout.due_at >= now, Payout.due_at <= now + DUE_SOON)
        .order_by(Payout.id)
        .all()
    )
    return {
        "overdue": tell_once("payout_overdue", overdue, now),
        "due_soon": tell_once("payout_due_soon", soon, now),
    }


def tell_once(kind, payouts, now):
    """Record each payout's notice; the organisers are sent the message only for a new one (the
    notice and its messages commit together, so a second run sends nothing)."""
    new = 0
    for payout in payouts:
        if record_notices(kind, [payout_notice(payout)], now):
            new += 1
            if payout.amount_centimes > 0:
                tell_organisers_of_payout(kind, payout)
    return new


def send_daily_sales(day, now):
    """The day's sales summaries, at most once per local day (a unique notice key)."""
    key = {"subject": f"day:{day.isoformat()}", "audience": "cooperative", "payload": {}}
    if not record_notices("daily_sales", [{**key, "edition_id": None}], now):
        return 0
    return tell_daily_sales(day)


@periodic("store_daily_sales", hour="5", minute="30")
def daily_sales_summaries(now):
    """Every morning (06:30 in Casablanca): yesterday's sales, one summary per cooperative."""
    return send_daily_sales(to_local(now).date() - timedelta(days=1), now)
