"""Till closes: per register and local day, expected cash from the ledger against counted cash."""

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from store.models import SaleLine, TillClose


def register_day_summary(site, register, day):
    """Sales count, totals per payment, refunds and expected cash of a register on a local day."""
    rows = (
        db.session.query(
            SaleLine.payment,
            SaleLine.kind,
            func.sum(SaleLine.amount_centimes),
            func.count(func.distinct(SaleLine.sale_id)),
        )
        .filter(
            SaleLine.site_id == site.id, SaleLine.register == register, SaleLine.local_day == day
        )
        .group_by(SaleLine.payment, SaleLine.kind)
        .all()
    )
    totals, refunds, sales = {}, 0, 0
    for payment, kind, amount, count in rows:
        totals[payment] = totals.get(payment, 0) + int(amount)
        if kind == "sale":
            sales += count
        else:
            refunds += int(amount)
    return {
        "sales_count": sales,
        "totals": totals,
        "refunds_centimes": refunds,
        "expected_cash_centimes": totals.get("cash", 0),
    }


def registers_of(site):
    rows = db.session.query(SaleLine.register).filter(SaleLine.site_id == site.id).distinct()
    return sorted(register for (register,) in rows if register)


def close_till(site, register, day, counted_cash, comment, actor):
    """Close a register for a day once: expected cash from the ledger against counted cash."""
    if actor.role not in ("cashier", "organiser"):
        raise Forbidden(_("Only cashiers and organisers close a till."))
    register = (register or "").strip()
    if not register:
        raise RuleBroken(_("Name the register."), field="register", code="register_required")
    if not isinstance(counted_cash, int) or counted_cash < 0:
        raise RuleBroken(
            _("The counted cash cannot be negative."), field="counted_cash", code="bad_amount"
        )
    already = (
        db.session.query(TillClose.id)
        .filter_by(site_id=site.id, register=register, day=day)
        .first()
    )
    if already:
        raise RuleBroken(_("This till is already closed for that day."), code="till_closed")
    summary = register_day_summary(site, register, day)
    difference = counted_cash - summary["expected_cash_centimes"]
    if difference and not (comment or "").strip():
        raise RuleBroken(
            _("Explain the difference between counted and expected cash."),
            field="comment",
            code="comment_required",
        )
    close = TillClose(
        edition_id=site.edition_id,
        site_id=site.id,
        register=register,
        day=day,
        counted_cash_centimes=counted_cash,
        difference_centimes=difference,
        comment=(comment or "").strip(),
        closed_by_id=actor.id,
        **summary,
    )
    try:
        with db.session.begin_nested():
            db.session.add(close)
            db.session.flush()
    except IntegrityError:  # the unique (site, register, day) caught a concurrent close
        raise RuleBroken(
            _("This till is already closed for that day."), code="till_closed"
        ) from None
    return close


def get_till_close(close_id, user):
    close = db.session.get(TillClose, close_id)
    if close is None or user.role not in ("organiser", "cashier"):
        raise NotFound(_("No such till close."))
    return close


def till_closes(site):
    return (
        db.session.query(TillClose)
        .filter_by(site_id=site.id)
        .order_by(TillClose.day.desc(), TillClose.register)
        .all()
    )
