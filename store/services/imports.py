"""CSV import of online and retail sales (the website's and supermarkets' sales reports).

Every order (rows sharing channel and reference) is judged by `record_sale` itself inside a
savepoint, so the preview applies exactly the rules of the till; the import is all or nothing.
An order's client id is derived from the edition, channel and reference, so importing the same
report twice records nothing twice.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from core.csvio import read_csv
from core.errors import DomainError, RuleBroken
from core.extensions import db
from core.jobs import no_progress
from core.money import parse_mad
from core.timeutil import local_to_utc_naive, parse_iso
from markets.services import get_site
from store.services.sales import existing_sale, record_sale

REQUIRED_COLUMNS = ("date", "channel", "reference", "sku", "quantity", "unit_price")
IMPORT_NAMESPACE = uuid.UUID("1c7d7f0e-5b3a-4a55-9a52-5f0c3c2d7a11")
MAX_ROWS = 20000


@dataclass
class ImportOrder:
    channel: str
    reference: str
    lines: list = field(default_factory=list)  # (line number, sku, quantity, unit price)
    sold_at: datetime | None = None
    site_slug: str = ""
    payment: str = "transfer"
    errors: list = field(default_factory=list)
    already: bool = False

    @property
    def total(self):
        return sum(
            quantity * price
            for _n, _s, quantity, price in self.lines
            if isinstance(quantity, int) and isinstance(price, int)
        )


@dataclass
class ImportPreview:
    orders: list

    @property
    def rejected(self):
        return [order for order in self.orders if order.errors]

    @property
    def new_orders(self):
        return [order for order in self.orders if not order.errors and not order.already]

    @property
    def importable(self):
        return bool(self.orders) and not self.rejected

    @property
    def total(self):
        return sum(order.total for order in self.new_orders)


def order_client_id(edition, channel, reference):
    return str(uuid.uuid5(IMPORT_NAMESPACE, f"{edition.slug}:{channel}:{reference}"))


def parse_time(text):
    """ISO with an offset, or 'YYYY-MM-DD[ HH:MM]' as Moroccan wall-clock time."""
    try:
        return parse_iso(text)
    except ValueError:
        pass
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return local_to_utc_naive(datetime.strptime(text, pattern))
        except ValueError:
            continue
    raise ValueError(text)


def parse_orders(raw_bytes):
    rows = read_csv(raw_bytes, REQUIRED_COLUMNS)
    if len(rows) > MAX_ROWS:
        raise RuleBroken(_("At most %(count)d rows per file.", count=MAX_ROWS), code="too_many")
    orders = {}
    for number, row in enumerate(rows, start=2):
        key = (row["channel"].lower(), row["reference"])
        order = orders.setdefault(key, ImportOrder(channel=key[0], reference=key[1]))
        try:
            order.sold_at = parse_time(row["date"])
        except ValueError:
            order.errors.append(_("Line %(line)d: unreadable date.", line=number))
        order.site_slug = row.get("site", "") or order.site_slug
        order.payment = (row.get("payment") or order.payment).lower()
        if order.channel not in ("online", "retail"):
            order.errors.append(
                _("Line %(line)d: only online and retail sales are imported.", line=number)
            )
        if not order.reference:
            order.errors.append(_("Line %(line)d: the reference is missing.", line=number))
        try:
            quantity = int(row["quantity"])
            price = parse_mad(row["unit_price"])
        except ValueError:
            order.errors.append(_("Line %(line)d: unreadable quantity or price.", line=number))
            continue
        order.lines.append((number, row["sku"].strip().upper(), quantity, price))
    return list(orders.values())


def judge_orders(edition, orders, actor, progress=no_progress):
    """Run every order through record_sale; errors are attached to the orders.

    `progress(done, total)` is called after each order."""
    for done, order in enumerate(orders, start=1):
        judge_order(edition, order, actor)
        progress(done, len(orders))


def judge_order(edition, order, actor):
    """One order through record_sale (in the caller's savepoint); errors go on the order."""
    if order.errors:
        return
    client_id = order_client_id(edition, order.channel, order.reference)
    if existing_sale(client_id) is not None:
        order.already = True
        return
    try:
        site = get_site(edition, order.site_slug) if order.site_slug else None
        record_sale(
            edition,
            site,
            client_id,
            "",
            order.channel,
            order.payment,
            order.sold_at,
            [(sku, q, p) for _n, sku, q, p in order.lines],
            actor,
            source="import",
            reference=order.reference[:80],
        )
    except DomainError as error:
        order.errors.append(
            _(
                "Order %(reference)s: %(message)s",
                reference=order.reference,
                message=error.message,
            )
        )


def import_refusal(edition):
    """Why sales cannot be imported into the edition now (the DomainError), or None."""
    try:
        check_edition(edition)
    except RuleBroken as error:
        return error
    return None


def check_edition(edition):
    if not edition.has_opened:
        raise RuleBroken(_("Sales are imported into an open or closed edition."), code="not_open")


def preview_sales_import(edition, raw_bytes, actor, progress=no_progress):
    """What the import would do; writes nothing."""
    check_edition(edition)
    orders = parse_orders(raw_bytes)
    savepoint = db.session.begin_nested()
    try:
        judge_orders(edition, orders, actor, progress)
    finally:
        savepoint.rollback()
    return ImportPreview(orders)


def import_sales(edition, raw_bytes, actor, progress=no_progress):
    """Record every new order of the file, or none of them."""
    check_edition(edition)
    orders = parse_orders(raw_bytes)
    savepoint = db.session.begin_nested()
    judge_orders(edition, orders, actor, progress)
    preview = ImportPreview(orders)
    if not preview.importable:
        savepoint.rollback()
        raise RuleBroken(_("The file has errors: nothing was imported."), code="import_errors")
    savepoint.commit()
    return preview
