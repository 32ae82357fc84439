"""Solidarity store: catalogue, quality checks, consignment stock ledger, sales, tills, payouts.

Money is integer centimes of MAD; times are naive UTC. Nothing recorded is ever edited away:
stock moves, refunds and voids are new rows. Stock levels and payout amounts are kept as rows
updated with guarded set-based statements so that concurrent tills stay consistent.
"""

from booths.models import FOOD_SECTORS
from core.extensions import db
from core.timeutil import utc_now

UNITS = ("piece", "jar", "bottle", "box", "bag", "kg", "g", "l", "ml")
QUALITY_RESULTS = ("pass", "fail")
MOVEMENT_KINDS = ("deposit", "return", "adjustment", "sale", "refund", "void")
ADJUSTMENT_REASONS = ("breakage", "count", "expired", "theft", "other")
CHANNELS = ("store", "online", "retail")
PAYMENTS = ("cash", "card", "mobile", "transfer", "split")
PAYMENT_METHODS = ("cash", "card", "mobile", "transfer")  # one part of a (split) payment
CASH_MOVEMENT_KINDS = ("in", "out")
# Moroccan dirham notes and coins a cashier counts at the close, in centimes.
DENOMINATIONS = (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10)
LINE_KINDS = ("sale", "refund", "void")
SALE_SOURCES = ("pos", "import", "demo")
# What ONSSA granted the packing establishment (Law 28-07): an authorisation (plant products) or
# an approval ("agrément", products of animal origin such as honey and dairy).
ONSSA_KINDS = ("authorisation", "approval")


def food_by_sector(context):
    """The default of Product.food on insert (bulk loaders too): a food sector's product is food."""
    return context.get_current_parameters().get("sector") in FOOD_SECTORS


class Product(db.Model):
    """A cooperative's product in the network's catalogue."""

    __tablename__ = "store_products"

    id = db.Column(db.Integer, primary_key=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=False, index=True
    )
    sku = db.Column(db.String(40), nullable=False, unique=True)
    barcode = db.Column(db.String(40), nullable=False, unique=True)
    names = db.Column(db.JSON, nullable=False, default=dict)  # {"ar", "fr", "en", "es", "zgh"}
    unit = db.Column(db.String(10), nullable=False, default="piece")
    price_centimes = db.Column(db.Integer, nullable=False)
    sector = db.Column(db.String(40), nullable=False)
    low_stock_at = db.Column(db.Integer, nullable=False, default=5)
    photo = db.Column(db.LargeBinary, nullable=True)
    photo_type = db.Column(db.String(40), nullable=True)
    # Kept equal to "the latest quality check failed", by the quality-check service.
    blocked = db.Column(db.Boolean, nullable=False, default=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Eaten or drunk; set from the sector unless said otherwise (olive oil soap is not food).
    food = db.Column(
        db.Boolean,
        nullable=False,
        default=food_by_sector,
        server_default=db.false(),
    )
    # Sold in its own jar, bottle, bag or box (décret 2-12-389 labels pre-packed food); loose
    # goods weighed at the stall are not.
    prepacked = db.Column(db.Boolean, nullable=False, default=True, server_default=db.true())
    onssa_number = db.Column(db.String(60), nullable=True)  # of the establishment that packs it
    onssa_kind = db.Column(db.String(14), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    cooperative = db.relationship("Cooperative")
    checks = db.relationship(
        "QualityCheck",
        back_populates="product",
        order_by="QualityCheck.checked_on.desc(), QualityCheck.id.desc()",
    )

    __table_args__ = (
        db.CheckConstraint("price_centimes > 0", name="price_positive"),
        db.CheckConstraint("low_stock_at >= 0", name="low_stock_not_negative"),
        db.CheckConstraint(
            "onssa_kind IS NULL OR onssa_kind IN ('authorisation', 'approval')", name="onssa_kind"
        ),
    )

    @property
    def needs_onssa(self):
        """Pre-packed food: its label must carry the packer's ONSSA number."""
        return self.food and self.prepacked

    def __repr__(self):
        return f"<Product {self.sku}>"


class QualityCheck(db.Model):
    """An inspection of a product; a failed one blocks it until a later check passes."""

    __tablename__ = "store_quality_checks"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(
        db.Integer, db.ForeignKey("store_products.id"), nullable=False, index=True
    )
    checked_on = db.Column(db.Date, nullable=False)
    inspector = db.Column(db.String(200), nullable=False)
    result = db.Column(db.String(10), nullable=False)
    notes = db.Column(db.Text, nullable=False, default="")
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    product = db.relationship("Product", back_populates="checks")

    __table_args__ = (db.CheckConstraint("result IN ('pass', 'fail')", name="result"),)

    def __repr__(self):
        return f"<QualityCheck product={self.product_id} {self.result}>"


class StockLevel(db.Model):
    """What the ledger adds up to for one product at one site; never negative."""

    __tablename__ = "store_stock_levels"

    product_id = db.Column(db.Integer, db.ForeignKey("store_products.id"), primary_key=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), primary_key=True, index=True)
    quantity = db.Column(db.Integer, nullable=False, default=0)

    product = db.relationship("Product")
    site = db.relationship("Site")

    __table_args__ = (db.CheckConstraint("quantity >= 0", name="quantity_not_negative"),)

    def __repr__(self):
        return f"<StockLevel product={self.product_id} site={self.site_id} {self.quantity}>"


class Deposit(db.Model):
    """A delivery note: what a cooperative handed over to the store of a site."""

    __tablename__ = "store_deposits"

    id = db.Column(db.Integer, primary_key=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=False, index=True
    )
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    kind = db.Column(db.String(10), nullable=False, default="deposit")  # deposit | return
    client_id = db.Column(db.String(64), nullable=True, unique=True)  # a retried API request
    handed_by = db.Column(db.String(200), nullable=False, default="")
    notes = db.Column(db.Text, nullable=False, default="")
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    cooperative = db.relationship("Cooperative")
    site = db.relationship("Site")
    movements = db.relationship("StockMovement", back_populates="deposit")

    __table_args__ = (db.CheckConstraint("kind IN ('deposit', 'return')", name="kind"),)

    def __repr__(self):
        return f"<Deposit {self.id} {self.kind} coop={self.cooperative_id}>"


class StockMovement(db.Model):
    """One row of the consignment ledger; `quantity` is signed (+ into stock, - out)."""

    __tablename__ = "store_stock_movements"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("store_products.id"), nullable=False)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False)
    kind = db.Column(db.String(12), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.String(40), nullable=True)
    comment = db.Column(db.Text, nullable=False, default="")
    deposit_id = db.Column(db.Integer, db.ForeignKey("store_deposits.id"), nullable=True)
    sale_id = db.Column(db.Integer, db.ForeignKey("store_sales.id"), nullable=True, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    product = db.relationship("Product")
    deposit = db.relationship("Deposit", back_populates="movements")

    __table_args__ = (
        db.Index("ix_store_stock_movements_product_site", "product_id", "site_id"),
        db.CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        db.CheckConstraint(
            "kind IN ('deposit', 'return', 'adjustment', 'sale', 'refund', 'void')", name="kind"
        ),
    )

    def __repr__(self):
        return f"<StockMovement {self.kind} {self.quantity:+d} product={self.product_id}>"


class Sale(db.Model):
    """A receipt: one basket paid once. Its lines (and later refunds) carry the amounts."""

    __tablename__ = "store_sales"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.String(36), nullable=False, unique=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=True, index=True)
    register = db.Column(db.String(40), nullable=False, default="")
    channel = db.Column(db.String(10), nullable=False)
    payment = db.Column(db.String(10), nullable=False)
    source = db.Column(db.String(10), nullable=False, default="pos")
    reference = db.Column(db.String(80), nullable=True)  # order number of an imported sale
    cash_received_centimes = db.Column(db.Integer, nullable=True)
    total_centimes = db.Column(db.Integer, nullable=False)
    sold_at = db.Column(db.DateTime, nullable=False)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    cashier_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    edition = db.relationship("Edition")
    site = db.relationship("Site")
    cashier = db.relationship("User")
    lines = db.relationship("SaleLine", back_populates="sale", order_by="SaleLine.id")
    payments = db.relationship(
        "SalePayment", back_populates="sale", order_by="SalePayment.id", lazy="selectin"
    )

    __table_args__ = (
        db.CheckConstraint("channel IN ('store', 'online', 'retail')", name="channel"),
        db.CheckConstraint(
            "payment IN ('cash', 'card', 'mobile', 'transfer', 'split')", name="payment"
        ),
        db.CheckConstraint("total_centimes > 0", name="total_positive"),
    )

    def __repr__(self):
        return f"<Sale {self.client_id} {self.total_centimes}>"


class SalePayment(db.Model):
    """One part of how a sale was paid; the parts of a sale add up to its total."""

    __tablename__ = "store_sale_payments"

    id = db.Column(db.Integer, primary_key=True)
    sale_id = db.Column(db.Integer, db.ForeignKey("store_sales.id"), nullable=False, index=True)
    method = db.Column(db.String(10), nullable=False)
    amount_centimes = db.Column(db.Integer, nullable=False)
    # The card terminal's approval code, or the wallet's transaction reference.
    reference = db.Column(db.String(80), nullable=True)
    payer_phone = db.Column(db.String(20), nullable=True)  # masked: only the last two digits

    sale = db.relationship("Sale", back_populates="payments")

    __table_args__ = (
        db.CheckConstraint("method IN ('cash', 'card', 'mobile', 'transfer')", name="method"),
        db.CheckConstraint("amount_centimes > 0", name="amount_positive"),
    )

    def __repr__(self):
        return f"<SalePayment {self.method} {self.amount_centimes}>"


class SaleLine(db.Model):
    """What one product of a sale earned: sale lines are positive, refunds and voids negative.

    The edition, site, cooperative, channel, payment, register, local day and due time are copied
    from the sale so that reports and payouts are single set-based queries without joins.
    """

    __tablename__ = "store_sale_lines"

    id = db.Column(db.Integer, primary_key=True)
    sale_id = db.Column(db.Integer, db.ForeignKey("store_sales.id"), nullable=False, index=True)
    kind = db.Column(db.String(8), nullable=False, default="sale")
    refund_of_id = db.Column(
        db.Integer, db.ForeignKey("store_sale_lines.id"), nullable=True, index=True
    )
    client_id = db.Column(db.String(36), nullable=True, unique=True)  # of a refund request
    # The refund request's client id on every line it wrote (client_id is on the first only).
    refund_request = db.Column(db.String(36), nullable=True, index=True)
    reason = db.Column(db.String(300), nullable=True)
    product_id = db.Column(db.Integer, db.ForeignKey("store_products.id"), nullable=False)
    cooperative_id = db.Column(db.Integer, db.ForeignKey("cooperatives.id"), nullable=False)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=True)
    channel = db.Column(db.String(10), nullable=False)
    payment = db.Column(db.String(10), nullable=False)
    register = db.Column(db.String(40), nullable=False, default="")
    quantity = db.Column(db.Integer, nullable=False)
    unit_price_centimes = db.Column(db.Integer, nullable=False)
    amount_centimes = db.Column(db.Integer, nullable=False)
    commission_centimes = db.Column(db.Integer, nullable=False)
    owed_centimes = db.Column(db.Integer, nullable=False)
    occurred_at = db.Column(db.DateTime, nullable=False)  # sold_at, or when refunded
    local_day = db.Column(db.Date, nullable=False)  # occurred_at's date in Africa/Casablanca
    due_at = db.Column(db.DateTime, nullable=False)
    due_on = db.Column(db.Date, nullable=False)  # due_at's date in Africa/Casablanca
    payout_id = db.Column(db.Integer, db.ForeignKey("store_payouts.id"), nullable=True, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    sale = db.relationship("Sale", back_populates="lines")
    product = db.relationship("Product")
    refund_of = db.relationship("SaleLine", remote_side=[id])
    actor = db.relationship("User")

    __table_args__ = (
        db.Index("ix_store_sale_lines_edition_payout", "edition_id", "payout_id"),
        db.Index("ix_store_sale_lines_cooperative_edition", "cooperative_id", "edition_id"),
        db.Index("ix_store_sale_lines_site_register_day", "site_id", "register", "local_day"),
        # the lines falling due in this hour: the only rows the overdue figure reads one by one
        db.Index("ix_store_sale_lines_edition_due", "edition_id", "due_on", "due_at"),
        db.CheckConstraint("kind IN ('sale', 'refund', 'void')", name="kind"),
        db.CheckConstraint(
            "(kind = 'sale' AND quantity > 0 AND amount_centimes > 0 AND refund_of_id IS NULL) OR "
            "(kind <> 'sale' AND quantity < 0 AND amount_centimes < 0 AND refund_of_id IS NOT NULL)",
            name="signs",
        ),
        db.CheckConstraint(
            "owed_centimes + commission_centimes = amount_centimes", name="owed_plus_commission"
        ),
    )

    def __repr__(self):
        return f"<SaleLine {self.kind} {self.quantity} × {self.unit_price_centimes}>"


class TillClose(db.Model):
    """The close of one register on one local day: expected against counted cash."""

    __tablename__ = "store_till_closes"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False)
    register = db.Column(db.String(40), nullable=False)
    day = db.Column(db.Date, nullable=False)
    sales_count = db.Column(db.Integer, nullable=False)
    totals = db.Column(db.JSON, nullable=False, default=dict)  # {payment: centimes}
    refunds_centimes = db.Column(db.Integer, nullable=False, default=0)
    voids_centimes = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    float_centimes = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    cash_in_centimes = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    cash_out_centimes = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    # The differences found at the shifts' closes and handovers of the day.
    shifts_difference_centimes = db.Column(
        db.Integer, nullable=False, default=0, server_default="0"
    )
    expected_cash_centimes = db.Column(db.Integer, nullable=False)
    counted_cash_centimes = db.Column(db.Integer, nullable=False)
    difference_centimes = db.Column(db.Integer, nullable=False)
    comment = db.Column(db.Text, nullable=False, default="")
    closed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    closed_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    site = db.relationship("Site")
    closed_by = db.relationship("User")

    __table_args__ = (
        db.UniqueConstraint("site_id", "register", "day"),
        db.CheckConstraint("counted_cash_centimes >= 0", name="counted_not_negative"),
    )

    def __repr__(self):
        return f"<TillClose {self.register} {self.day}>"


class Favourite(db.Model):
    """A product the organiser pins first on the point of sale of a site."""

    __tablename__ = "store_favourites"

    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("store_products.id"), primary_key=True)
    position = db.Column(db.Integer, nullable=False, default=0)

    product = db.relationship("Product")

    def __repr__(self):
        return f"<Favourite site={self.site_id} product={self.product_id}>"


class Till(db.Model):
    """A named cash register of a site's store; the code is internal, people see the names."""

    __tablename__ = "store_tills"

    id = db.Column(db.Integer, primary_key=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    code = db.Column(db.String(40), nullable=False)
    names = db.Column(db.JSON, nullable=False, default=dict)  # {"ar", "fr", "en", "es"}
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    site = db.relationship("Site")

    __table_args__ = (db.UniqueConstraint("site_id", "code"),)

    def __repr__(self):
        return f"<Till {self.code} site={self.site_id}>"


class Shift(db.Model):
    """A cashier's time at a till: opened with a counted float, closed with a count."""

    __tablename__ = "store_shifts"

    id = db.Column(db.Integer, primary_key=True)
    till_id = db.Column(db.Integer, db.ForeignKey("store_tills.id"), nullable=False, index=True)
    cashier_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    opened_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    float_centimes = db.Column(db.Integer, nullable=False)
    # Set when the shift follows another one on the same till (a handover): its float is the
    # cash the previous cashier counted, not new money.
    previous_id = db.Column(db.Integer, db.ForeignKey("store_shifts.id"), nullable=True)
    closed_at = db.Column(db.DateTime, nullable=True)
    closed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    counted = db.Column(db.JSON, nullable=True)  # {denomination in centimes: count}
    counted_cash_centimes = db.Column(db.Integer, nullable=True)
    expected_cash_centimes = db.Column(db.Integer, nullable=True)
    difference_centimes = db.Column(db.Integer, nullable=True)
    comment = db.Column(db.Text, nullable=False, default="")

    till = db.relationship("Till")
    cashier = db.relationship("User", foreign_keys=[cashier_id])
    closed_by = db.relationship("User", foreign_keys=[closed_by_id])
    previous = db.relationship("Shift", remote_side=[id])
    movements = db.relationship("CashMovement", back_populates="shift", order_by="CashMovement.id")

    __table_args__ = (
        # One open shift per till at a time.
        db.Index(
            "uq_store_shifts_open",
            "till_id",
            unique=True,
            sqlite_where=db.text("closed_at IS NULL"),
            postgresql_where=db.text("closed_at IS NULL"),
        ),
        db.CheckConstraint("float_centimes >= 0", name="float_not_negative"),
        db.CheckConstraint(
            "(closed_at IS NULL) = (counted_cash_centimes IS NULL)", name="closed_with_count"
        ),
    )

    def __repr__(self):
        return f"<Shift till={self.till_id} {self.opened_at}>"


class CashMovement(db.Model):
    """Cash put into (in) or taken out of (out) a till during a shift, with its reason."""

    __tablename__ = "store_cash_movements"

    id = db.Column(db.Integer, primary_key=True)
    shift_id = db.Column(db.Integer, db.ForeignKey("store_shifts.id"), nullable=False, index=True)
    kind = db.Column(db.String(4), nullable=False)
    amount_centimes = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.String(200), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    shift = db.relationship("Shift", back_populates="movements")
    actor = db.relationship("User")

    __table_args__ = (
        db.CheckConstraint("kind IN ('in', 'out')", name="kind"),
        db.CheckConstraint("amount_centimes > 0", name="amount_positive"),
    )

    def __repr__(self):
        return f"<CashMovement {self.kind} {self.amount_centimes}>"


class Payout(db.Model):
    """What the store owes one cooperative for the sales due on one local day."""

    __tablename__ = "store_payouts"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=False, index=True
    )
    due_on = db.Column(db.Date, nullable=False)
    due_at = db.Column(db.DateTime, nullable=False)  # the earliest due time of its lines
    amount_centimes = db.Column(db.Integer, nullable=False, default=0)
    lines_count = db.Column(db.Integer, nullable=False, default=0)
    paid_at = db.Column(db.DateTime, nullable=True)
    reference = db.Column(db.String(120), nullable=True)
    paid_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    marked_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    cooperative = db.relationship("Cooperative")
    edition = db.relationship("Edition")

    __table_args__ = (
        # One open (unpaid) payout per cooperative and due day; paid ones are closed for good.
        db.Index(
            "uq_store_payouts_open",
            "edition_id",
            "cooperative_id",
            "due_on",
            unique=True,
            sqlite_where=db.text("paid_at IS NULL"),
            postgresql_where=db.text("paid_at IS NULL"),
        ),
        # an edition's payouts, and those of one due day (today's, for the overdue figure)
        db.Index("ix_store_payouts_edition_due_on", "edition_id", "due_on"),
        db.CheckConstraint("(paid_at IS NULL) = (reference IS NULL)", name="paid_with_reference"),
    )

    def __repr__(self):
        return f"<Payout coop={self.cooperative_id} {self.due_on} {self.amount_centimes}>"


class SalesTally(db.Model):
    """Running sums of an edition's sale lines per figure key, added to by every sale, refund and
    void in their own transaction (store/services/tallies.py): the reports read these rows instead
    of every line. `cooperative_id` 0 holds the whole edition's keys (all, channel, payment, site,
    day, split); a cooperative's own rows hold its keys (all, product, day, site, channel, due)."""

    __tablename__ = "store_sales_tallies"

    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), primary_key=True)
    cooperative_id = db.Column(db.Integer, primary_key=True)  # 0: the whole edition
    dimension = db.Column(db.String(12), primary_key=True)
    key = db.Column(db.String(40), primary_key=True)  # id, slug-free value or ISO date; "" none
    quantity = db.Column(db.Integer, nullable=False, default=0)
    amount_centimes = db.Column(db.BigInteger, nullable=False, default=0)
    owed_centimes = db.Column(db.BigInteger, nullable=False, default=0)
    commission_centimes = db.Column(db.BigInteger, nullable=False, default=0)
    lines = db.Column(db.Integer, nullable=False, default=0)

    def __repr__(self):
        return f"<SalesTally {self.edition_id}/{self.cooperative_id} {self.dimension}={self.key}>"
