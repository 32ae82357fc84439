"""How a sale is paid: cash, card on a CMI terminal (approval code), mobile wallet (MarocPay
transaction reference, the payer's phone masked), split across methods.

A sale without explicit parts is paid whole by its single `payment`. The parts always add up to
the sale's total. A sale paid with several methods is recorded with the payment `split`; its
parts (rows of SalePayment) say how much each method took, and reports sum them per method.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import func

from core.errors import RuleBroken
from core.extensions import db
from store.models import PAYMENT_METHODS, Sale, SalePayment

MAX_PARTS = 10
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_-]{0,79}$")


def mask_phone(phone):
    """Keep only the last two digits of a payer's phone: '06 12 34 56 78' → '••••••••78'."""
    digits = re.sub(r"\D", "", str(phone or ""))
    if not digits:
        return None
    if len(digits) < 6 or len(digits) > 15:
        raise RuleBroken(
            _("The payer's phone number is not valid."), code="bad_phone", field="payments"
        )
    return "•" * (len(digits) - 2) + digits[-2:]


def check_part(part):
    """One part {method, amount_centimes, reference, phone} → (method, amount, reference, phone)."""
    method = part.get("method")
    if method not in PAYMENT_METHODS:
        raise RuleBroken(_("Unknown payment method."), code="bad_payment", field="payments")
    amount = part.get("amount_centimes")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise RuleBroken(
            _("Each payment must be an amount above zero."), code="bad_amount", field="payments"
        )
    reference = (part.get("reference") or "").strip() or None
    if reference is not None and not REFERENCE.match(reference):
        raise RuleBroken(
            _("The payment reference is not valid."), code="bad_reference", field="payments"
        )
    if method == "card" and reference is None:
        raise RuleBroken(
            _("A card payment needs the terminal's approval code."),
            code="approval_code_required",
            field="payments",
        )
    phone = mask_phone(part.get("phone")) if method == "mobile" else None
    return method, amount, reference if method in ("card", "mobile") else None, phone


def check_payments(payment, parts, total, cash_received=None):
    """The sale's payment and its checked parts [(method, amount, reference, masked phone)]."""
    if parts is None:  # the whole total paid one way (the field API's `payment`, kept working)
        if payment not in PAYMENT_METHODS:
            raise RuleBroken(_("Unknown payment method."), code="bad_payment", field="payment")
        if payment == "cash" and cash_received is not None and cash_received < total:
            raise RuleBroken(_("The cash received is less than the total."), code="cash_short")
        return payment, [(payment, total, None, None)]
    if not parts:
        raise RuleBroken(_("Say how the sale was paid."), code="payment_required", field="payments")
    if len(parts) > MAX_PARTS:
        raise RuleBroken(_("Too many payments in one sale."), code="too_many_payments")
    checked = [check_part(part) for part in parts]
    if sum(amount for _m, amount, _r, _p in checked) != total:
        raise RuleBroken(
            _("The payments must add up to the total of the sale."),
            code="payments_mismatch",
            field="payments",
        )
    cash = sum(amount for method, amount, _r, _p in checked if method == "cash")
    if cash_received is not None and cash and cash_received < cash:
        raise RuleBroken(_("The cash received is less than the total."), code="cash_short")
    methods = {method for method, _a, _r, _p in checked}
    return (methods.pop() if len(methods) == 1 else "split"), checked


def write_payments(sale_id, checked):
    for method, amount, reference, phone in checked:
        db.session.add(
            SalePayment(
                sale_id=sale_id,
                method=method,
                amount_centimes=amount,
                reference=reference,
                payer_phone=phone,
            )
        )


def cash_part(sale):
    """The part of a sale paid in cash (its whole total when it was paid in cash alone)."""
    if sale.payment != "split":
        return sale.total_centimes if sale.payment == "cash" else 0
    return sum(part.amount_centimes for part in sale.payments if part.method == "cash")


def refund_method(sale):
    """How a refund of the sale is given back: as it was paid, cash first for a split sale."""
    if sale.payment != "split":
        return sale.payment
    methods = [part.method for part in sale.payments]
    return "cash" if "cash" in methods else methods[0]


def split_totals(*filters):
    """{method: centimes} of the parts of split sales matching the filters (on Sale)."""
    rows = (
        db.session.query(SalePayment.method, func.sum(SalePayment.amount_centimes))
        .join(Sale, Sale.id == SalePayment.sale_id)
        .filter(Sale.payment == "split", *filters)
        .group_by(SalePayment.method)
    )
    return {method: int(amount) for method, amount in rows}


def spread_split(by_payment, split_parts):
    """Replace the 'split' entry of a {payment: amount} by the amounts of its methods."""
    result = {key: value for key, value in by_payment.items() if key != "split"}
    for method, amount in split_parts.items():
        result[method] = result.get(method, 0) + amount
    return result
