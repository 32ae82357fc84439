"""Sales: recording a basket once (client UUID), refunds and voids as new rows, till closes.

Amounts: a line's amount is quantity × unit price. The store keeps the edition's commission,
`core.money.share_of(amount, commission_basis_points)` (rounded half up to the centime; for a
refund the same rule applies to the refunded amount's absolute value, sign restored), and the
cooperative is owed the rest, so owed + commission == amount for every line, to the centime.
"""

import uuid
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accounts.activity import record_activity
from core.database import conflict_insert
from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.money import share_of
from core.timeutil import to_local, utc_now
from store.models import CHANNELS, PAYMENTS, Sale, SaleLine
from store.services.catalogue import products_by_sku
from store.services.payments import check_payments, refund_method, write_payments
from store.services.payouts import due_time, keep_payouts_current, refund_due_at
from store.services.stock import move_stock
from store.services.tallies import tally_sale_lines

MAX_LINES = 200
MAX_QUANTITY = 10_000
FUTURE_TOLERANCE = timedelta(minutes=10)


def split_amount(amount, commission_basis_points):
    """(commission, owed) of a signed amount; commission rounded half up on the absolute value."""
    sign = -1 if amount < 0 else 1
    commission = sign * share_of(abs(amount), commission_basis_points)
    return commission, amount - commission


def normalise_client_id(client_id):
    try:
        return str(uuid.UUID(str(client_id)))
    except (ValueError, TypeError, AttributeError):
        raise RuleBroken(_("The sale needs a client UUID id."), code="bad_id", field="id") from None


def check_sale_header(edition, site, channel, payment, sold_at, actor):
    if actor.role not in ("cashier", "organiser"):
        raise Forbidden(_("Only cashiers and organisers record sales."))
    if channel not in CHANNELS:
        raise RuleBroken(_("Unknown channel."), code="bad_channel", field="channel")
    if payment is not None and (payment not in PAYMENTS or payment == "split"):
        raise RuleBroken(_("Unknown payment method."), code="bad_payment", field="payment")
    if channel == "store" and site is None:
        raise RuleBroken(_("A store sale happens at a site."), code="site_required", field="site")
    if site is not None and site.edition_id != edition.id:
        raise NotFound(_("No such site in this edition."), code="unknown_site")
    if sold_at is None or sold_at > utc_now() + FUTURE_TOLERANCE:
        raise RuleBroken(
            _("The sale time is missing or in the future."), code="bad_time", field="sold_at"
        )


def check_lines(lines):
    """[(sku, quantity, unit_price)] → {sku: (quantity, unit price)} with the catalogue checks."""
    if not lines:
        raise RuleBroken(_("The basket is empty."), code="empty_basket")
    if len(lines) > MAX_LINES:
        raise RuleBroken(_("Too many lines in one sale."), code="too_many_lines")
    products = products_by_sku({sku for sku, _q, _p in lines})
    checked = []
    for sku, quantity, unit_price in lines:
        product = products.get(sku)
        if product is None or not product.active:
            raise RuleBroken(_("Unknown product %(sku)s.", sku=sku), code="unknown_product")
        if product.blocked:
            raise RuleBroken(
                _("%(sku)s is blocked by a quality check.", sku=sku), code="blocked_product"
            )
        if not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
            raise RuleBroken(
                _("Quantities must be whole numbers above zero."),
                code="bad_quantity",
                field="quantity",
            )
        if not isinstance(unit_price, int) or unit_price <= 0:
            raise RuleBroken(_("Prices must be above zero."), code="bad_price")
        if unit_price != product.price_centimes:
            raise RuleBroken(
                _("The price of %(sku)s differs from the catalogue.", sku=sku),
                code="price_mismatch",
            )
        checked.append((product, quantity, unit_price))
    return checked


def insert_sale_row(values):
    """INSERT ... ON CONFLICT (client_id) DO NOTHING; the new id, or None for a replay."""
    statement = (
        conflict_insert(Sale)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(Sale.id)
    )
    return db.session.execute(statement).scalar()


def existing_sale(client_id):
    return db.session.query(Sale).filter(Sale.client_id == client_id).one_or_none()


def record_sale(
    edition,
    site,
    client_id,
    register,
    channel,
    payment,
    sold_at,
    lines,
    actor,
    cash_received=None,
    source="pos",
    reference=None,
    payments=None,
):
    """Record a basket once; returns (sale, replayed). Raises with nothing written on any error.

    `lines` is [(sku, quantity, unit_price_centimes)]; `sold_at` naive UTC (device time);
    `payments` the parts [{method, amount_centimes, reference, phone}] (None: `payment` whole).
    """
    client_id = normalise_client_id(client_id)
    replay = existing_sale(client_id)
    if replay is not None:
        return replay, True
    if not edition.takes_field_work and source == "pos":
        raise RuleBroken(_("This edition is not open: no sales now."), code="not_open")
    check_sale_header(edition, site, channel, payment if payments is None else None, sold_at, actor)
    checked = check_lines(lines)
    total = sum(quantity * price for _p, quantity, price in checked)
    payment, parts = check_payments(payment, payments, total, cash_received)
    with db.session.begin_nested():
        sale_id = insert_sale_row(
            {
                "client_id": client_id,
                "edition_id": edition.id,
                "site_id": site.id if site else None,
                "register": (register or "")[:40],
                "channel": channel,
                "payment": payment,
                "source": source,
                "reference": reference,
                "cash_received_centimes": cash_received
                if any(part[0] == "cash" for part in parts)
                else None,
                "total_centimes": total,
                "sold_at": sold_at,
                "recorded_at": utc_now(),
                "cashier_id": actor.id,
            }
        )
        if sale_id is None:  # another request recorded the same id meanwhile
            return existing_sale(client_id), True
        if site is not None:
            take_from_stock(checked, site, sale_id, actor)
        new_lines = write_sale_lines(
            sale_id, edition, site, register, channel, payment, sold_at, checked, actor
        )
        write_payments(sale_id, parts)
        tally_sale_lines(new_lines, parts if payment == "split" else ())
        db.session.flush()
    sale = db.session.get(Sale, sale_id)
    return sale, False


def take_from_stock(checked, site, sale_id, actor):
    """Guarded decrements in product-id order (no deadlock between two tills)."""
    wanted = {}
    for product, quantity, _price in checked:
        wanted[product] = wanted.get(product, 0) + quantity
    for product in sorted(wanted, key=lambda item: item.id):
        move_stock(product, site.id, "sale", -wanted[product], actor, sale_id=sale_id)


def write_sale_lines(sale_id, edition, site, register, channel, payment, sold_at, checked, actor):
    due_at = due_time(sold_at, channel)
    local_day, due_on = to_local(sold_at).date(), to_local(due_at).date()
    lines = []
    for product, quantity, price in checked:
        amount = quantity * price
        commission, owed = split_amount(amount, edition.commission_basis_points)
        lines.append(
            SaleLine(
                sale_id=sale_id,
                kind="sale",
                product_id=product.id,
                cooperative_id=product.cooperative_id,
                edition_id=edition.id,
                site_id=site.id if site else None,
                channel=channel,
                payment=payment,
                register=(register or "")[:40],
                quantity=quantity,
                unit_price_centimes=price,
                amount_centimes=amount,
                commission_centimes=commission,
                owed_centimes=owed,
                occurred_at=sold_at,
                local_day=local_day,
                due_at=due_at,
                due_on=due_on,
                actor_id=actor.id,
            )
        )
    db.session.add_all(lines)
    db.session.flush()
    keep_payouts_current(lines)
    return lines


def get_sale(sale_id, user):
    sale = db.session.get(Sale, sale_id)
    if sale is None or user.role not in ("organiser", "cashier"):
        raise NotFound(_("No such sale."), code="unknown_sale")
    return sale


def refundable_quantities(sale):
    """{line id: quantity still refundable} for the sale's lines."""
    refunded = dict(
        db.session.query(SaleLine.refund_of_id, func.sum(SaleLine.quantity))
        .filter(SaleLine.sale_id == sale.id, SaleLine.refund_of_id.isnot(None))
        .group_by(SaleLine.refund_of_id)
        .all()
    )
    return {
        line.id: line.quantity + int(refunded.get(line.id) or 0)
        for line in sale.lines
        if line.kind == "sale"
    }


def refund_sale(sale, quantities, reason, actor, kind="refund", restock=True, client_id=None):
    """Give back part or all of a sale: new negative lines (and stock back), never an edit.

    `quantities` is {sale line id: quantity to refund}. Returns the new lines.
    """
    lines, _replayed = refund_sale_once(
        sale, quantities, reason, actor, kind=kind, restock=restock, client_id=client_id
    )
    return lines


def refund_replay(client_id):
    """The lines an earlier refund request with this client id wrote, or None."""
    first = db.session.query(SaleLine).filter(SaleLine.client_id == client_id).first()
    if first is None:
        return None
    return (
        db.session.query(SaleLine)
        .filter(SaleLine.refund_request == client_id)
        .order_by(SaleLine.id)
        .all()
    )


def refund_sale_once(sale, quantities, reason, actor, kind="refund", restock=True, client_id=None):
    """refund_sale that also says whether the answer is a replay: (lines, replayed).

    A request retried with the same client id answers the lines of its first run, even when
    the retries race: the sale's row lock orders them, the replay is looked up again once the
    lock is held, and the unique client id catches whatever slips through.
    """
    if actor.role not in ("cashier", "organiser"):
        raise Forbidden(_("Only cashiers and organisers refund sales."))
    if not (reason or "").strip():
        raise RuleBroken(
            _("Give the reason of the refund."), code="reason_required", field="reason"
        )
    if client_id is not None:
        client_id = normalise_client_id(client_id)
        replay = refund_replay(client_id)
        if replay is not None:
            return replay, True
    # Lock the sale: two refunds of the same sale are judged one after the other.
    db.session.execute(select(Sale.id).where(Sale.id == sale.id).with_for_update())
    if client_id is not None:  # a concurrent retry may have finished while we waited
        replay = refund_replay(client_id)
        if replay is not None:
            return replay, True
    wanted = check_refund(sale, quantities)
    try:
        with db.session.begin_nested():
            new_lines = write_refund(sale, wanted, reason, actor, kind, restock, client_id)
    except IntegrityError:
        replay = refund_replay(client_id) if client_id is not None else None
        if replay is None:
            raise
        return replay, True
    db.session.expire(sale, ["lines"])
    return new_lines, False


def check_refund(sale, quantities):
    """{line id: quantity} of a refund request, judged against what is still refundable."""
    available = refundable_quantities(sale)
    wanted = {int(key): value for key, value in quantities.items() if value}
    if not wanted:
        raise RuleBroken(_("Choose what to refund."), code="empty")
    for line_id, quantity in wanted.items():
        if line_id not in available:
            raise RuleBroken(_("This line is not part of the sale."), code="unknown_line")
        if not isinstance(quantity, int) or quantity <= 0:
            raise RuleBroken(
                _("Quantities must be whole numbers above zero."),
                code="bad_quantity",
                field="quantity",
            )
        if quantity > available[line_id]:
            raise RuleBroken(
                _("You cannot refund more than was sold."),
                code="refund_too_large",
                field="quantity",
            )
    return wanted


def write_refund(sale, wanted, reason, actor, kind, restock, client_id):
    lines_by_id = {line.id: line for line in sale.lines}
    method = refund_method(sale)
    now = utc_now()
    new_lines = []
    for index, (line_id, quantity) in enumerate(sorted(wanted.items())):
        line = write_refund_line(
            lines_by_id[line_id],
            quantity,
            reason,
            actor,
            kind,
            now,
            client_id if index == 0 else None,
        )
        line.payment = method
        line.refund_request = client_id
        new_lines.append(line)
        if restock and sale.site_id is not None:
            move_stock(
                lines_by_id[line_id].product,
                sale.site_id,
                kind,
                quantity,
                actor,
                sale_id=sale.id,
                comment=reason.strip(),
            )
    db.session.flush()
    keep_payouts_current(new_lines)
    tally_sale_lines(new_lines)
    record_activity(
        actor,
        "sale.void" if kind == "void" else "sale.refund",
        sale,
        label=sale.client_id,
        reason=reason,
        edition_id=sale.edition_id,
        amount_centimes=sum(line.amount_centimes for line in new_lines),
    )
    return new_lines


def write_refund_line(original, quantity, reason, actor, kind, now, client_id):
    amount = -quantity * original.unit_price_centimes
    commission, owed = split_amount(amount, original.sale.edition.commission_basis_points)
    due_at = refund_due_at(original, now)
    line = SaleLine(
        sale_id=original.sale_id,
        kind=kind,
        refund_of_id=original.id,
        client_id=client_id,
        reason=reason.strip()[:300],
        product_id=original.product_id,
        cooperative_id=original.cooperative_id,
        edition_id=original.edition_id,
        site_id=original.site_id,
        channel=original.channel,
        payment=original.payment,
        register=original.register,
        quantity=-quantity,
        unit_price_centimes=original.unit_price_centimes,
        amount_centimes=amount,
        commission_centimes=commission,
        owed_centimes=owed,
        occurred_at=now,
        local_day=to_local(now).date(),
        due_at=due_at,
        due_on=to_local(due_at).date(),
        actor_id=actor.id,
    )
    db.session.add(line)
    return line


def void_sale(sale, reason, actor):
    """Cancel everything still standing on a sale (a mistake at the till)."""
    available = {line_id: left for line_id, left in refundable_quantities(sale).items() if left}
    if not available:
        raise RuleBroken(_("Nothing is left to void on this sale."), code="already_void")
    return refund_sale(sale, available, reason, actor, kind="void")


def sales_by_client_id(client_id):
    sale = db.session.query(Sale).filter(Sale.client_id == str(client_id)).one_or_none()
    if sale is None:
        raise NotFound(_("No such sale."), code="unknown_sale")
    return sale
