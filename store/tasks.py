"""The store's scheduled work: payouts attached and watched on time, the organisers told when one
falls overdue, and reminded 24 hours before a deadline."""

from sqlalchemy import exists

from core.extensions import db
from core.notices import record_notices
from core.queue import periodic
from markets.models import Edition
from store.models import Payout, SaleLine
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
        "overdue": record_notices("payout_overdue", [payout_notice(p) for p in overdue], now),
        "due_soon": record_notices("payout_due_soon", [payout_notice(p) for p in soon], now),
    }
