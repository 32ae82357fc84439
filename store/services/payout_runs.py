"""Payout runs: pay everything due up to a date in one bank batch.

Building a run previews one transfer per cooperative (the sum of its unpaid payouts due on or
before the date, to its RIB or mobile wallet); a cooperative owed less than the run's minimum,
owed nothing (a refund's credit) or without a payee is left out and carried to the next run.
Posting marks every payout of the run paid at once with the bank batch's reference, once: a
second posting (a double click, a retry) changes nothing and answers the first result.
"""

import re
from itertools import groupby

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, literal, select, update

from accounts.self_service import phone_digits
from booths.models import Cooperative
from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.money import plain_amount
from core.timeutil import utc_now
from store.models import Payout, SaleLine
from store.payout_models import Payee, PayoutRun, PayoutRunLine, PayoutRunTransfer
from store.services.payouts import check_paid_at, tell_payout_paid
from store.services.tallies import tally_paid_payouts

PAYEE_LABELS = {"rib": _l("Bank account (RIB)"), "wallet": _l("Mobile wallet")}
LEFT_OUT_LABELS = {
    "below_minimum": _l("Below the minimum: carried to the next run"),
    "nothing_owed": _l("Nothing owed (a refund's credit): carried to the next run"),
    "no_payee": _l("No RIB or wallet: add one before the next run"),
}
WALLET_PHONE = re.compile(r"^0[67]\d{8}$")


def require_organiser(actor):
    if actor.role != "organiser":
        raise Forbidden(_("Only organisers pay cooperatives."))


def payee_of(cooperative):
    """(method, account) the cooperative is paid to, or None when it gave neither."""
    payee = db.session.get(Payee, cooperative.id)
    if payee is not None and payee.method == "wallet":
        return "wallet", payee.wallet_phone
    return ("rib", cooperative.bank_account) if cooperative.bank_account else None


def set_payee(cooperative, method, wallet_phone, actor):
    """The cooperative chooses its RIB or a mobile wallet (a Moroccan mobile number)."""
    if actor.role != "cooperative" or actor.cooperative_id != cooperative.id:
        raise Forbidden(_("Only the cooperative chooses where it is paid."))
    if method not in ("rib", "wallet"):
        raise RuleBroken(_("Choose a bank account or a mobile wallet."), field="method")
    phone = None
    if method == "wallet":
        phone = phone_digits(wallet_phone)
        if not WALLET_PHONE.match(phone):
            raise RuleBroken(
                _(
                    "The wallet's phone number must be a Moroccan mobile number: 06 or 07 and 8 digits."
                ),
                field="wallet_phone",
                code="bad_wallet",
            )
    elif not cooperative.bank_account:
        raise RuleBroken(
            _("Your cooperative has no RIB yet: ask the organisers to record it, or use a wallet."),
            field="method",
            code="no_rib",
        )
    payee = db.session.get(Payee, cooperative.id) or Payee(cooperative_id=cooperative.id)
    payee.method, payee.wallet_phone = method, phone
    payee.updated_at, payee.updated_by_id = utc_now(), actor.id
    db.session.add(payee)
    db.session.flush()
    return payee


def discard_draft(edition):
    """Drop the edition's unposted run (its lines free again for the next preview)."""
    draft = db.session.scalar(  # locked: a draft being posted meanwhile is posted, not dropped
        select(PayoutRun.id)
        .where(PayoutRun.edition_id == edition.id, PayoutRun.posted_at.is_(None))
        .with_for_update()
    )
    if draft is None:
        return
    for model in (PayoutRunLine, PayoutRunTransfer):
        db.session.execute(delete(model).where(model.run_id == draft))
    db.session.execute(delete(PayoutRun).where(PayoutRun.id == draft))
    db.session.expire_all()


def due_by_cooperative(edition, up_to):
    """{cooperative id: (owed, lines, [payout ids])} over the unpaid payouts due by `up_to`."""
    rows = db.session.execute(
        select(
            SaleLine.cooperative_id,
            SaleLine.payout_id,
            func.sum(SaleLine.owed_centimes),
            func.count(SaleLine.id),
        )
        .join(Payout, Payout.id == SaleLine.payout_id)
        .where(Payout.edition_id == edition.id, Payout.paid_at.is_(None), Payout.due_on <= up_to)
        .group_by(SaleLine.cooperative_id, SaleLine.payout_id)
        .order_by(SaleLine.cooperative_id, SaleLine.payout_id)
    ).all()
    due = {}
    for cooperative_id, group in groupby(rows, key=lambda row: row[0]):
        group = list(group)
        due[cooperative_id] = (
            sum(row[2] for row in group),
            sum(row[3] for row in group),
            [row[1] for row in group],
        )
    return due


def left_out_reason(amount, minimum, payee):
    if amount <= 0:
        return "nothing_owed"
    if amount < minimum:
        return "below_minimum"
    return "no_payee" if payee is None else None


def build_payout_run(edition, up_to, minimum_centimes, actor):
    """A draft run of everything due on or before `up_to` (a local day), replacing the draft."""
    require_organiser(actor)
    if minimum_centimes is None or minimum_centimes < 0:
        raise RuleBroken(_("The minimum cannot be negative."), field="minimum", code="bad_minimum")
    discard_draft(edition)
    run = PayoutRun(
        edition_id=edition.id,
        up_to=up_to,
        minimum_centimes=minimum_centimes,
        created_by_id=actor.id,
    )
    db.session.add(run)
    db.session.flush()
    left_out, total = [], 0
    cooperatives = {coop.id: coop for coop in cooperatives_of(edition)}
    for cooperative_id, (amount, lines, payout_ids) in due_by_cooperative(edition, up_to).items():
        payee = payee_of(cooperatives[cooperative_id])
        reason = left_out_reason(amount, minimum_centimes, payee)
        if reason:
            left_out.append(
                {"cooperative_id": cooperative_id, "amount_centimes": amount, "reason": reason}
            )
            continue
        add_transfer(run, cooperative_id, payee, amount, lines, payout_ids)
        total += amount
    run.total_centimes, run.left_out = total, left_out
    db.session.flush()
    return run


def cooperatives_of(edition):
    owed = select(Payout.cooperative_id).where(Payout.edition_id == edition.id)
    return db.session.scalars(select(Cooperative).where(Cooperative.id.in_(owed))).all()


def add_transfer(run, cooperative_id, payee, amount, lines, payout_ids):
    method, account = payee
    transfer = PayoutRunTransfer(
        run_id=run.id,
        cooperative_id=cooperative_id,
        method=method,
        account=account,
        amount_centimes=amount,
        payouts_count=len(payout_ids),
        lines_count=lines,
        reference=f"SOUK-R{run.id}-C{cooperative_id}",
    )
    db.session.add(transfer)
    db.session.flush()
    paid_lines = select(
        literal(run.id),
        literal(transfer.id),
        SaleLine.payout_id,
        SaleLine.id,
        SaleLine.owed_centimes,
    ).where(SaleLine.payout_id.in_(payout_ids))
    db.session.execute(
        insert(PayoutRunLine).from_select(
            ["run_id", "transfer_id", "payout_id", "sale_line_id", "owed_centimes"], paid_lines
        )
    )
    return transfer


def get_payout_run(run_id, actor):
    run = db.session.get(PayoutRun, run_id)
    if run is None or actor.role != "organiser":
        raise NotFound(_("No such payout run."), code="unknown_run")
    return run


def post_payout_run(run, paid_at, reference, actor):
    """Mark every payout of the run paid with one reference; (run, replayed). Once only."""
    require_organiser(actor)
    if run.posted_at is not None:
        return run, True
    reference = (reference or "").strip()
    if not reference:
        raise RuleBroken(
            _("Give the bank batch's reference."), field="reference", code="reference_required"
        )
    check_paid_at(paid_at)
    if not run.transfers:
        raise RuleBroken(_("This run pays nobody."), code="nothing_to_pay")
    with db.session.begin_nested():
        claimed = db.session.execute(
            update(PayoutRun)
            .where(PayoutRun.id == run.id, PayoutRun.posted_at.is_(None))
            .values(
                posted_at=utc_now(),
                paid_at=paid_at,
                reference=reference[:120],
                posted_by_id=actor.id,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:  # another request posted it first (it held the row until it committed)
            return posted_before(run), True
        payout_ids = check_run_current(run)
        newly_paid = db.session.scalars(
            update(Payout)
            .where(Payout.id.in_(payout_ids), Payout.paid_at.is_(None))
            .values(
                paid_at=paid_at, reference=reference[:120], paid_by_id=actor.id, marked_at=utc_now()
            )
            .returning(Payout.id)
            .execution_options(synchronize_session=False)
        ).all()
        tally_paid_payouts(Payout.id.in_(newly_paid))
    db.session.expire_all()
    for payout in db.session.scalars(select(Payout).where(Payout.id.in_(payout_ids))):
        tell_payout_paid(payout, actor, reference)
    return run, False


def posted_before(run):
    """The run as the first posting left it; refused when a newer preview replaced it."""
    if db.session.scalar(select(PayoutRun.id).where(PayoutRun.id == run.id)) is None:
        raise RuleBroken(
            _("A newer preview replaced this one: post the newer one."), code="run_replaced"
        )
    db.session.refresh(run)
    return run


def check_run_current(run):
    """Lock the run's payouts; refuse when one changed since the preview (a refund, a payment)."""
    expected = {
        payout_id: (owed, count)
        for payout_id, owed, count in db.session.execute(
            select(
                PayoutRunLine.payout_id,
                func.sum(PayoutRunLine.owed_centimes),
                func.count(PayoutRunLine.id),
            )
            .where(PayoutRunLine.run_id == run.id)
            .group_by(PayoutRunLine.payout_id)
        )
    }
    current = db.session.execute(
        select(Payout.id, Payout.amount_centimes, Payout.lines_count, Payout.paid_at)
        .where(Payout.id.in_(list(expected)))
        .order_by(Payout.id)
        .with_for_update()
    ).all()
    unchanged = [
        row.id
        for row in current
        if row.paid_at is None and (row.amount_centimes, row.lines_count) == expected[row.id]
    ]
    if len(unchanged) != len(expected):
        raise RuleBroken(
            _("Sales or payments changed since this preview: build the run again."),
            code="run_out_of_date",
        )
    return unchanged


def run_lines(transfer):
    """The sale lines a transfer pays, oldest first (the preview lists them)."""
    return db.session.scalars(
        select(SaleLine)
        .join(PayoutRunLine, PayoutRunLine.sale_line_id == SaleLine.id)
        .where(PayoutRunLine.transfer_id == transfer.id)
        .order_by(SaleLine.occurred_at, SaleLine.id)
    ).all()


def list_payout_runs(edition):
    return db.session.scalars(
        select(PayoutRun).where(PayoutRun.edition_id == edition.id).order_by(PayoutRun.id.desc())
    ).all()


TRANSFER_FILE_HEADER = (
    "transfer_reference",
    "beneficiary",
    "registration_number",
    "method",
    "account",
    "amount",
    "currency",
    "payouts",
    "sale_lines",
    "batch_reference",
)


def transfer_file_rows(run):
    """The bank's batch file: one transfer per cooperative, amounts in MAD with two decimals."""
    for transfer in run.transfers:
        yield [
            transfer.reference,
            transfer.cooperative.name_latin,
            transfer.cooperative.registration_number,
            "WALLET" if transfer.method == "wallet" else "RIB",
            transfer.account,
            plain_amount(transfer.amount_centimes),
            "MAD",
            transfer.payouts_count,
            transfer.lines_count,
            run.reference or "",
        ]
