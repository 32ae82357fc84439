"""The store's daily messages: each cooperative that sold hears its day's sales; organisers
hear about overdue payouts."""

from sqlalchemy import func, select

from accounts.messaging import notify, page_link
from accounts.models import User
from booths.models import Cooperative
from booths.services.notices import tell_cooperative
from core.extensions import db
from core.timeutil import to_local, utc_now
from store.models import Payout, SaleLine


def tell_daily_sales(day):
    """One summary per cooperative and edition that sold on this local day; returns the count."""
    rows = db.session.execute(
        select(
            SaleLine.cooperative_id,
            SaleLine.edition_id,
            func.sum(SaleLine.quantity),
            func.sum(SaleLine.amount_centimes),
        )
        .where(SaleLine.local_day == day)
        .group_by(SaleLine.cooperative_id, SaleLine.edition_id)
        .order_by(SaleLine.cooperative_id)
    ).all()
    told = 0
    for cooperative_id, edition_id, quantity, amount in rows:
        if not quantity or quantity <= 0:
            continue
        cooperative = db.session.get(Cooperative, cooperative_id)
        context = {
            "day": day,
            "count": int(quantity),
            "amount": int(amount),
            "cooperative": cooperative.name_latin,
        }
        told += len(
            [m for m in tell_cooperative("daily_sales", cooperative, context, edition_id) if m]
        )
    return told


def tell_organisers_of_payout(event_name, payout):
    """Every organiser who wants to be told hears of this payout (overdue, or due soon)."""
    organisers = db.session.scalars(
        select(User).where(User.role == "organiser", User.active, User.notify_by != "none")
    ).all()
    context = {
        "amount": payout.amount_centimes,
        "cooperative": payout.cooperative.name_latin,
        "due": to_local(payout.due_at).date(),
        "link": page_link("store.payouts", slug=payout.edition.slug),
    }
    return sum(
        1
        for organiser in organisers
        if notify(
            event_name,
            organiser,
            context,
            edition_id=payout.edition_id,
            cooperative_id=payout.cooperative_id,
        )
    )


def tell_overdue_payouts(now=None):
    """Every organiser who wants to be told hears of each unpaid payout past its due time."""
    now = now or utc_now()
    payouts = db.session.scalars(
        select(Payout)
        .where(Payout.paid_at.is_(None), Payout.due_at < now, Payout.amount_centimes > 0)
        .order_by(Payout.due_at)
    ).all()
    organisers = db.session.scalars(
        select(User).where(User.role == "organiser", User.active, User.notify_by != "none")
    ).all()
    told = 0
    for payout in payouts:
        context = {
            "amount": payout.amount_centimes,
            "cooperative": payout.cooperative.name_latin,
            "due": to_local(payout.due_at).date(),
            "link": page_link("store.payouts", slug=payout.edition.slug),
        }
        for organiser in organisers:
            if notify(
                "payout_overdue",
                organiser,
                context,
                edition_id=payout.edition_id,
                cooperative_id=payout.cooperative_id,
            ):
                told += 1
    return told
