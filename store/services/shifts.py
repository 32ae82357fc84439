"""Tills as named things, and shifts: open with a counted float, cash in and out with a reason,
close with the cash counted per denomination (expected against counted), hand over.

A shift's expected cash is its float + cash taken by sales at its till while it was open
- cash given back by refunds and voids + cash put in - cash taken out. Sales are matched to a
shift by till (register code) and the device's time of sale, so offline sales count in the shift
in which they were made once they reach the server.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import case, func
from sqlalchemy.exc import IntegrityError

from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.i18n import clean_translations
from core.timeutil import to_local, utc_now
from store.models import (
    CASH_MOVEMENT_KINDS,
    DENOMINATIONS,
    CashMovement,
    Favourite,
    Sale,
    SaleLine,
    SalePayment,
    Shift,
    Till,
)

STAFF = ("cashier", "organiser")
MAX_CASH = 100_000_000  # one million dirhams: beyond it, a typing mistake


def default_till_names(code):
    match = re.fullmatch(r"till-(\d+)", code)
    if not match:
        return {"ar": code, "fr": code, "en": code, "es": code}
    number = match.group(1)
    return {
        "ar": f"الصندوق {number}",
        "fr": f"Caisse {number}",
        "en": f"Till {number}",
        "es": f"Caja {number}",
    }


def tills_of(site):
    return db.session.query(Till).filter(Till.site_id == site.id).order_by(Till.code).all()


def find_till(site, code):
    return db.session.query(Till).filter_by(site_id=site.id, code=code).one_or_none()


def ensure_till(site, code):
    """The till of a site with this code, created with names made from the code if new."""
    code = (code or "").strip()[:40] or "till-1"
    till = find_till(site, code)
    if till is not None:
        return till
    try:
        with db.session.begin_nested():
            till = Till(site_id=site.id, code=code, names=default_till_names(code))
            db.session.add(till)
            db.session.flush()
    except IntegrityError:  # created meanwhile by another request
        till = find_till(site, code)
    return till


def create_till(site, names, actor):
    """An organiser adds a named till; its internal code is the next free till-N."""
    if actor.role != "organiser":
        raise Forbidden(_("Only organisers add tills."))
    names = clean_translations(names)
    if not names:
        raise RuleBroken(_("Give the till a name."), code="name_required", field="names")
    taken = {till.code for till in tills_of(site)}
    number = 1
    while f"till-{number}" in taken:
        number += 1
    till = Till(site_id=site.id, code=f"till-{number}", names=names)
    db.session.add(till)
    db.session.flush()
    return till


def open_shift_of(till):
    return db.session.query(Shift).filter_by(till_id=till.id, closed_at=None).one_or_none()


def check_amount(amount, field):
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_CASH:
        raise RuleBroken(_("Amounts cannot be negative."), code="bad_amount", field=field)
    return amount


def open_shift(till, float_centimes, actor, previous=None):
    """Open a shift on a till with the float counted into the drawer."""
    if actor.role not in STAFF:
        raise Forbidden(_("Only cashiers and organisers open a till."))
    check_amount(float_centimes, "float")
    if open_shift_of(till) is not None:
        raise RuleBroken(_("This till is already open."), code="shift_open")
    shift = Shift(
        till_id=till.id,
        cashier_id=actor.id,
        float_centimes=float_centimes,
        previous_id=previous.id if previous else None,
        opened_at=utc_now(),
        comment="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(shift)
            db.session.flush()
    except IntegrityError:  # the partial unique index caught a concurrent opening
        raise RuleBroken(_("This till is already open."), code="shift_open") from None
    return shift


def get_shift(shift_id, actor):
    shift = db.session.get(Shift, shift_id)
    if shift is None or actor.role not in STAFF:
        raise NotFound(_("No such shift."), code="unknown_shift")
    return shift


def check_open(shift):
    if shift.closed_at is not None:
        raise RuleBroken(_("This shift is already closed."), code="shift_closed")


def record_cash_movement(shift, kind, amount, reason, actor):
    """Cash put into (in) or taken out of (out) the drawer during a shift, with its reason."""
    if actor.role not in STAFF:
        raise Forbidden(_("Only cashiers and organisers move cash."))
    check_open(shift)
    if kind not in CASH_MOVEMENT_KINDS:
        raise RuleBroken(_("Say whether cash goes in or out."), code="bad_kind", field="kind")
    if check_amount(amount, "amount") == 0:
        raise RuleBroken(_("The amount must be above zero."), code="bad_amount", field="amount")
    if not (reason or "").strip():
        raise RuleBroken(_("Give the reason."), code="reason_required", field="reason")
    # Lock the shift row: a movement never lands in a shift being closed.
    db.session.execute(db.select(Shift.id).where(Shift.id == shift.id).with_for_update())
    movement = CashMovement(
        shift_id=shift.id,
        kind=kind,
        amount_centimes=amount,
        reason=reason.strip()[:200],
        actor_id=actor.id,
        created_at=utc_now(),
    )
    db.session.add(movement)
    db.session.flush()
    return movement


def cash_sales(till, start, end):
    """Cash taken by the till's sales made in [start, end): cash sales and cash parts."""
    window = (
        Sale.site_id == till.site_id,
        Sale.register == till.code,
        Sale.sold_at >= start,
        Sale.sold_at < end,
    )
    whole = db.session.query(
        func.coalesce(func.sum(case((Sale.payment == "cash", Sale.total_centimes), else_=0)), 0)
    ).filter(*window)
    parts = (
        db.session.query(func.coalesce(func.sum(SalePayment.amount_centimes), 0))
        .join(Sale, Sale.id == SalePayment.sale_id)
        .filter(*window, Sale.payment == "split", SalePayment.method == "cash")
    )
    return int(whole.scalar()) + int(parts.scalar())


def cash_refunds(till, start, end):
    """Cash given back (a positive number) by refunds and voids of the till's sales in [start, end)."""
    amount = (
        db.session.query(func.coalesce(func.sum(SaleLine.amount_centimes), 0))
        .filter(
            SaleLine.site_id == till.site_id,
            SaleLine.register == till.code,
            SaleLine.kind != "sale",
            SaleLine.payment == "cash",
            SaleLine.occurred_at >= start,
            SaleLine.occurred_at < end,
        )
        .scalar()
    )
    return -int(amount)


def shift_figures(shift, until=None):
    """The running figures of a shift: float, cash sales and refunds, movements, expected cash."""
    end = shift.closed_at or until or utc_now()
    sales = cash_sales(shift.till, shift.opened_at, end)
    refunds = cash_refunds(shift.till, shift.opened_at, end)
    cash_in = sum(m.amount_centimes for m in shift.movements if m.kind == "in")
    cash_out = sum(m.amount_centimes for m in shift.movements if m.kind == "out")
    return {
        "float_centimes": shift.float_centimes,
        "cash_sales_centimes": sales,
        "cash_refunds_centimes": refunds,
        "cash_in_centimes": cash_in,
        "cash_out_centimes": cash_out,
        "expected_cash_centimes": shift.float_centimes + sales - refunds + cash_in - cash_out,
    }


def counted_cash(counted):
    """{denomination in centimes: count} → (clean counts, total in centimes)."""
    clean = {}
    for denomination, count in (counted or {}).items():
        try:
            denomination = int(denomination)
        except (TypeError, ValueError):
            denomination = None
        if denomination not in DENOMINATIONS:
            raise RuleBroken(_("Unknown note or coin."), code="bad_denomination", field="counted")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 100_000:
            raise RuleBroken(
                _("Counts must be whole numbers, zero or more."), code="bad_count", field="counted"
            )
        if count:
            clean[str(denomination)] = count
    return clean, sum(int(denomination) * count for denomination, count in clean.items())


def close_shift(shift, counted, comment, actor):
    """Close a shift with the cash counted per denomination; the difference is recorded."""
    if actor.role not in STAFF:
        raise Forbidden(_("Only cashiers and organisers close a till."))
    db.session.execute(db.select(Shift.id).where(Shift.id == shift.id).with_for_update())
    db.session.refresh(shift)
    check_open(shift)
    clean, total = counted_cash(counted)
    now = utc_now()
    figures = shift_figures(shift, until=now)
    difference = total - figures["expected_cash_centimes"]
    if difference and not (comment or "").strip():
        raise RuleBroken(
            _("Explain the difference between counted and expected cash."),
            field="comment",
            code="comment_required",
        )
    shift.closed_at = now
    shift.closed_by_id = actor.id
    shift.counted = clean
    shift.counted_cash_centimes = total
    shift.expected_cash_centimes = figures["expected_cash_centimes"]
    shift.difference_centimes = difference
    shift.comment = (comment or "").strip()
    db.session.flush()
    return shift


def hand_over(shift, counted, comment, actor, next_cashier):
    """Close a shift and open the next one on the same till, with the counted cash as float."""
    if next_cashier is None or next_cashier.role not in STAFF or not next_cashier.active:
        raise RuleBroken(_("Choose the next cashier."), code="cashier_required", field="cashier")
    closed = close_shift(shift, counted, comment, actor)
    return open_shift(closed.till, closed.counted_cash_centimes, next_cashier, previous=closed)


def open_shifts(site):
    """[(shift, running figures)] of the site's open tills, for the organiser."""
    shifts = (
        db.session.query(Shift)
        .join(Till, Till.id == Shift.till_id)
        .filter(Till.site_id == site.id, Shift.closed_at.is_(None))
        .order_by(Till.code)
        .all()
    )
    return [(shift, shift_figures(shift)) for shift in shifts]


def shifts_of_day(till, day):
    """The till's shifts opened on a local day, oldest first."""
    shifts = (
        db.session.query(Shift).filter(Shift.till_id == till.id).order_by(Shift.opened_at).all()
    )
    return [shift for shift in shifts if to_local(shift.opened_at).date() == day]


def favourites_of(site):
    """{product id: position} of the products the organiser pinned for the site."""
    return dict(
        db.session.query(Favourite.product_id, Favourite.position).filter(
            Favourite.site_id == site.id
        )
    )


def pin_favourite(site, product, pinned, actor):
    """Pin (or unpin) a product first on the site's points of sale; returns its position."""
    if actor.role != "organiser":
        raise Forbidden(_("Only organisers pin favourites for a site."))
    existing = db.session.get(Favourite, (site.id, product.id))
    if not pinned:
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
        return None
    if existing is not None:
        return existing.position
    last = (
        db.session.query(func.max(Favourite.position)).filter(Favourite.site_id == site.id).scalar()
    )
    favourite = Favourite(site_id=site.id, product_id=product.id, position=(last or 0) + 1)
    try:
        with db.session.begin_nested():
            db.session.add(favourite)
            db.session.flush()
    except IntegrityError:  # pinned meanwhile
        favourite = db.session.get(Favourite, (site.id, product.id))
    return favourite.position
