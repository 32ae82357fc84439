"""Till closes: per register and local day, expected cash from the ledger against counted cash."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from store.models import Sale, SaleLine, TillClose
from store.services.payments import split_totals, spread_split
from store.services.shifts import find_till, shifts_of_day


def register_day_summary(site, register, day):
    """The Z figures of a register on a local day: sales count, net amount per payment method
    (split sales spread over their methods), refunds, voids, the float counted at the first
    opening, cash in and out, the shifts' differences, and the cash expected in the drawer:
    float + cash sales - cash refunds + cash in - cash out."""
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
    totals, refunds, voids, sales = {}, 0, 0, 0
    for payment, kind, amount, count in rows:
        totals[payment] = totals.get(payment, 0) + int(amount)
        if kind == "sale":
            sales += count
        elif kind == "refund":
            refunds += int(amount)
        else:
            voids += int(amount)
    day_sales = select(SaleLine.sale_id).where(
        SaleLine.site_id == site.id,
        SaleLine.register == register,
        SaleLine.local_day == day,
        SaleLine.kind == "sale",
    )
    totals = spread_split(totals, split_totals(Sale.id.in_(day_sales)))
    till = find_till(site, register)
    shifts = shifts_of_day(till, day) if till is not None else []
    float_centimes = sum(shift.float_centimes for shift in shifts if shift.previous_id is None)
    movements = [movement for shift in shifts for movement in shift.movements]
    cash_in = sum(m.amount_centimes for m in movements if m.kind == "in")
    cash_out = sum(m.amount_centimes for m in movements if m.kind == "out")
    return {
        "sales_count": sales,
        "totals": totals,
        "refunds_centimes": refunds,
        "voids_centimes": voids,
        "float_centimes": float_centimes,
        "cash_in_centimes": cash_in,
        "cash_out_centimes": cash_out,
        "shifts_difference_centimes": sum(s.difference_centimes or 0 for s in shifts),
        "expected_cash_centimes": float_centimes + totals.get("cash", 0) + cash_in - cash_out,
    }


def day_shifts(site, register, day):
    till = find_till(site, register)
    return shifts_of_day(till, day) if till is not None else []


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
