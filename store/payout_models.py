"""Payout runs: how a cooperative is paid (its payee), the runs that pay everything due up to a
date in one bank batch, their transfers (one per cooperative) and the sale lines each pays.

A sale line is paid at most once: `store_payout_run_lines.sale_line_id` is unique, so no two
runs (nor one run twice) can hold the same line, whatever the code above does.
"""

from core.extensions import db
from core.timeutil import utc_now

PAYEE_METHODS = ("rib", "wallet")


class Payee(db.Model):
    """Where a cooperative wants its money: its RIB (the registry's bank account) or a wallet."""

    __tablename__ = "store_payees"

    cooperative_id = db.Column(db.Integer, db.ForeignKey("cooperatives.id"), primary_key=True)
    method = db.Column(db.String(8), nullable=False, default="rib")
    wallet_phone = db.Column(db.String(10), nullable=True)  # 06/07 and 8 digits
    updated_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    __table_args__ = (
        db.CheckConstraint("method IN ('rib', 'wallet')", name="method"),
        db.CheckConstraint("method <> 'wallet' OR wallet_phone IS NOT NULL", name="wallet_phone"),
    )


class PayoutRun(db.Model):
    """Everything due up to a date, paid in one bank batch: a draft until posted."""

    __tablename__ = "store_payout_runs"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    up_to = db.Column(db.Date, nullable=False)  # pays payouts due on or before this local day
    minimum_centimes = db.Column(db.Integer, nullable=False, default=0)
    total_centimes = db.Column(db.Integer, nullable=False, default=0)
    left_out = db.Column(db.JSON, nullable=False, default=list)  # carried to the next run
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    posted_at = db.Column(db.DateTime, nullable=True)
    paid_at = db.Column(db.DateTime, nullable=True)  # the bank's transfer time
    reference = db.Column(db.String(120), nullable=True)  # the bank batch's reference
    posted_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    edition = db.relationship("Edition")
    transfers = db.relationship(
        "PayoutRunTransfer", order_by="PayoutRunTransfer.id", back_populates="run"
    )

    __table_args__ = (
        db.CheckConstraint("(posted_at IS NULL) = (reference IS NULL)", name="posted_reference"),
        db.CheckConstraint("minimum_centimes >= 0", name="minimum"),
        # One draft per edition: building a new preview replaces the old one.
        db.Index(
            "uq_store_payout_runs_draft",
            "edition_id",
            unique=True,
            sqlite_where=db.text("posted_at IS NULL"),
            postgresql_where=db.text("posted_at IS NULL"),
        ),
        # A replaced draft's number is never given again (its transfer references may be out).
        {"sqlite_autoincrement": True},
    )


class PayoutRunTransfer(db.Model):
    """One bank transfer (or wallet transfer) of a run: a cooperative's total."""

    __tablename__ = "store_payout_run_transfers"

    id = db.Column(db.Integer, primary_key=True)
    run_id = db.Column(db.Integer, db.ForeignKey("store_payout_runs.id"), nullable=False)
    cooperative_id = db.Column(db.Integer, db.ForeignKey("cooperatives.id"), nullable=False)
    method = db.Column(db.String(8), nullable=False)
    account = db.Column(db.String(24), nullable=False)  # the RIB or the wallet's phone
    amount_centimes = db.Column(db.Integer, nullable=False)
    payouts_count = db.Column(db.Integer, nullable=False)
    lines_count = db.Column(db.Integer, nullable=False)
    reference = db.Column(db.String(40), nullable=False, unique=True)  # on the bank statement
    reconciled_at = db.Column(db.DateTime, nullable=True)
    statement_line = db.Column(db.String(300), nullable=True)
    reconciled_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    run = db.relationship("PayoutRun", back_populates="transfers")
    cooperative = db.relationship("Cooperative")

    __table_args__ = (
        db.UniqueConstraint("run_id", "cooperative_id", name="uq_store_payout_run_cooperative"),
        db.CheckConstraint("amount_centimes > 0", name="amount_positive"),
        db.CheckConstraint("method IN ('rib', 'wallet')", name="method"),
    )


class PayoutRunLine(db.Model):
    """A sale line paid by a run (through its payout and its cooperative's transfer)."""

    __tablename__ = "store_payout_run_lines"

    id = db.Column(db.Integer, primary_key=True)
    run_id = db.Column(
        db.Integer, db.ForeignKey("store_payout_runs.id"), nullable=False, index=True
    )
    transfer_id = db.Column(
        db.Integer, db.ForeignKey("store_payout_run_transfers.id"), nullable=False, index=True
    )
    payout_id = db.Column(db.Integer, db.ForeignKey("store_payouts.id"), nullable=False, index=True)
    sale_line_id = db.Column(
        db.Integer, db.ForeignKey("store_sale_lines.id"), nullable=False, unique=True
    )
    owed_centimes = db.Column(db.Integer, nullable=False)
