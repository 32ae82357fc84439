"""Payouts: what the store owes each cooperative, grouped per local due day, and paid once.

Due dates: a sale to consumers (`store`, `online`) is due 72 hours after the sale; a sale
through supermarkets (`retail`) is due 10 days after, at the same wall-clock time in
Africa/Casablanca. Payouts group the unpaid lines of a cooperative by the local day they fall
due; a payout's due time is the earliest due time of its lines.
"""

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import joinedload

from accounts.activity import record_activity
from accounts.messaging import page_link
from booths.models import Cooperative
from booths.services.notices import cooperative_language, tell_cooperative
from core.database import conflict_insert
from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.money import plain_amount
from core.pdf import render_pdf
from core.timeutil import local_to_utc_naive, to_local, utc_now
from markets.models import Edition
from store.labels import CHANNEL_LABELS, STATUS_LABELS
from store.models import Payout, SaleLine
from store.payout_models import Payee
from store.services.tallies import tally_paid_payouts

CONSUMER_DELAY = timedelta(hours=72)
RETAIL_DAYS = 10
DUE_SOON = timedelta(hours=24)


def due_time(sold_at, channel):
    """When the cooperative must be paid for a sale made at `sold_at` (naive UTC)."""
    if channel == "retail":
        local = to_local(sold_at).replace(tzinfo=None) + timedelta(days=RETAIL_DAYS)
        return local_to_utc_naive(local)
    return sold_at + CONSUMER_DELAY


PAYOUT_STATUSES = ("due", "due_soon", "overdue", "paid")


def status_rules(paid_at, due_at, now):
    """A payout's status, written once: the first rule that holds names it, else `due`.

    The same expressions read Python values (payout_status) and SQL columns (status_case), so
    the page's totals and each payout's badge can never disagree.
    """
    return (
        ("paid", paid_at != None),  # noqa: E711 (IS NOT NULL in SQL)
        ("overdue", due_at < now),
        ("due_soon", due_at <= now + DUE_SOON),
    )


def payout_status(payout, now=None):
    """paid, overdue, due_soon (within 24 h) or due."""
    rules = status_rules(payout.paid_at, payout.due_at, now or utc_now())
    return next((name for name, holds in rules if holds), "due")


def status_case(now):
    """payout_status as a SQL expression over the payouts table."""
    rules = status_rules(Payout.paid_at, Payout.due_at, now)
    return case(*((condition, name) for name, condition in rules), else_="due")


def api_status(payout, now=None):
    status = payout_status(payout, now)
    return "due" if status == "due_soon" else status


def lock_edition(edition):
    """Serialise payout computation and payment marking of one edition."""
    db.session.execute(select(Edition.id).where(Edition.id == edition.id).with_for_update())


def compute_payouts(edition):
    """Attach every unattached line of the edition to the open payout of its cooperative and due
    day (creating it when needed), then refresh the open payouts' amounts. Set-based: a fixed
    number of statements whatever the number of lines. Returns how many lines were attached."""
    lock_edition(edition)
    groups = (
        db.session.query(SaleLine.cooperative_id, SaleLine.due_on, func.min(SaleLine.due_at))
        .filter(SaleLine.edition_id == edition.id, SaleLine.payout_id.is_(None))
        .group_by(SaleLine.cooperative_id, SaleLine.due_on)
        .all()
    )
    if not groups:
        return 0
    open_keys = set(
        db.session.query(Payout.cooperative_id, Payout.due_on)
        .filter(Payout.edition_id == edition.id, Payout.paid_at.is_(None))
        .all()
    )
    now = utc_now()
    new_rows = [
        {
            "edition_id": edition.id,
            "cooperative_id": cooperative_id,
            "due_on": due_on,
            "due_at": due_at,
            "amount_centimes": 0,
            "lines_count": 0,
            "created_at": now,
        }
        for cooperative_id, due_on, due_at in groups
        if (cooperative_id, due_on) not in open_keys
    ]
    if new_rows:
        db.session.execute(conflict_insert(Payout), new_rows)
    open_payout = (
        select(Payout.id)
        .where(
            Payout.edition_id == SaleLine.edition_id,
            Payout.cooperative_id == SaleLine.cooperative_id,
            Payout.due_on == SaleLine.due_on,
            Payout.paid_at.is_(None),
        )
        .scalar_subquery()
    )
    attached = db.session.execute(
        update(SaleLine)
        .where(SaleLine.edition_id == edition.id, SaleLine.payout_id.is_(None))
        .values(payout_id=open_payout)
        .execution_options(synchronize_session=False)
    ).rowcount
    refresh_open_payouts(edition)
    return attached


def keep_payouts_current(lines):
    """Attach newly written sale, refund or void lines to the open payout of their cooperative
    and due day (created when needed), so that pages read payouts without computing them.

    The open payout's row is locked first: a payout being marked paid at the same moment either
    gets the line before it is paid or leaves it to a new open payout, never loses it."""
    groups = {}
    for line in lines:
        key = (line.edition_id, line.cooperative_id, line.due_on)
        groups.setdefault(key, []).append(line)
    touched = []
    for key in sorted(groups):
        payout_id = lock_open_payout(*key, min(line.due_at for line in groups[key]))
        db.session.execute(
            update(SaleLine)
            .where(SaleLine.id.in_([line.id for line in groups[key]]))
            .values(payout_id=payout_id)
            .execution_options(synchronize_session=False)
        )
        touched.append(payout_id)
    if touched:
        refresh_payouts(Payout.id.in_(touched))
    return touched


def lock_open_payout(edition_id, cooperative_id, due_on, due_at):
    """The id of the open payout of a cooperative and due day, locked; created when missing."""
    open_payout = select(Payout.id).where(
        Payout.edition_id == edition_id,
        Payout.cooperative_id == cooperative_id,
        Payout.due_on == due_on,
        Payout.paid_at.is_(None),
    )
    payout_id = db.session.scalar(open_payout.with_for_update())
    while payout_id is None:  # a concurrent insert or payment: look again after ours
        row = {
            "edition_id": edition_id,
            "cooperative_id": cooperative_id,
            "due_on": due_on,
            "due_at": due_at,
            "amount_centimes": 0,
            "lines_count": 0,
            "created_at": utc_now(),
        }
        db.session.execute(conflict_insert(Payout).values(row).on_conflict_do_nothing())
        payout_id = db.session.scalar(open_payout.with_for_update())
    return payout_id


def refund_due_at(original, now):
    """A refund is taken from the original's payout while it is unpaid (same due time), else
    from the cooperative's next payout (due now)."""
    payout = db.session.get(Payout, original.payout_id) if original.payout_id else None
    return now if payout is not None and payout.paid_at is not None else original.due_at


def refresh_open_payouts(edition):
    refresh_payouts(Payout.edition_id == edition.id)


def refresh_payouts(which):
    """Recompute the amount, line count and due time of the chosen open payouts."""
    amount = (
        select(func.coalesce(func.sum(SaleLine.owed_centimes), 0))
        .where(SaleLine.payout_id == Payout.id)
        .scalar_subquery()
    )
    count = select(func.count(SaleLine.id)).where(SaleLine.payout_id == Payout.id).scalar_subquery()
    earliest = (
        select(func.min(SaleLine.due_at)).where(SaleLine.payout_id == Payout.id).scalar_subquery()
    )
    db.session.execute(
        update(Payout)
        .where(which, Payout.paid_at.is_(None))
        .values(
            amount_centimes=amount, lines_count=count, due_at=func.coalesce(earliest, Payout.due_at)
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def list_payouts(edition, status=None):
    """The edition's payouts with their cooperatives (pages and sheets name each one)."""
    return payouts_query(edition, status).all()


def payouts_query(edition, status=None, now=None):
    """The edition's payouts earliest due first, of one status when asked (judged in SQL by
    status_case, the same rules as payout_status): the page reads one page of it at a time."""
    query = (
        db.session.query(Payout)
        .options(joinedload(Payout.cooperative))
        .filter(Payout.edition_id == edition.id)
        .order_by(Payout.due_at, Payout.cooperative_id, Payout.id)
    )
    if status:
        query = query.filter(status_case(now or utc_now()) == status)
    return query


TRANSFER_HEADER = (
    "payout",
    "beneficiary",
    "registration_number",
    "bank_account",
    "amount",
    "currency",
    "due_at",
    "transfer_reference",
    "status",
)


def payouts_to_transfer(edition):
    """The unpaid payouts worth a transfer, earliest due first."""
    return [
        payout
        for payout in list_payouts(edition)
        if payout.paid_at is None and payout.amount_centimes > 0
    ]


def transfers_without_bank_account(edition):
    """Unpaid payouts that cannot be transferred yet: their cooperative gave no RIB (nor chose a
    mobile wallet). Judged in SQL: the page asks it of every edition, national ones too."""
    wallets = select(Payee.cooperative_id).where(Payee.method == "wallet")
    return (
        payouts_query(edition)
        .join(Payout.cooperative)
        .filter(Payout.paid_at.is_(None), Payout.amount_centimes > 0)
        .filter(or_(Cooperative.bank_account.is_(None), Cooperative.bank_account == ""))
        .filter(Payout.cooperative_id.not_in(wallets))
        .all()
    )


def transfer_rows(edition):
    """One bank transfer sheet row per unpaid payout (amounts in MAD with two decimals)."""
    now = utc_now()
    for payout in payouts_to_transfer(edition):
        cooperative = payout.cooperative
        yield [
            payout.id,
            cooperative.name_latin,
            cooperative.registration_number,
            cooperative.bank_account or "",
            plain_amount(payout.amount_centimes),
            "MAD",
            to_local(payout.due_at).strftime("%Y-%m-%d %H:%M"),
            f"SOUK-{edition.slug}-{payout.id}",
            payout_status(payout, now),
        ]


def cooperative_payouts(cooperative):
    """All payouts of a cooperative across editions, newest due first (read, never computed)."""
    return (
        db.session.query(Payout)
        .filter(Payout.cooperative_id == cooperative.id)
        .order_by(Payout.due_at.desc())
        .all()
    )


def get_payout(payout_id, user):
    payout = db.session.get(Payout, payout_id)
    if (
        payout is None
        or (user.role == "cooperative" and payout.cooperative_id != user.cooperative_id)
        or user.role not in ("organiser", "cooperative")
    ):
        raise NotFound(_("No such payout."), code="unknown_payout")
    return payout


def check_paid_at(paid_at):
    """A payment is recorded when it happened: never in the future (five minutes of clock slack)."""
    if paid_at is None or paid_at > utc_now() + timedelta(minutes=5):
        raise RuleBroken(
            _("The payment date cannot be in the future."), field="paid_on", code="bad_time"
        )


def mark_payout_paid(payout, paid_at, reference, actor):
    """Record the transfer once; a second marking is refused and changes nothing."""
    if actor.role != "organiser":
        raise Forbidden(_("Only organisers mark payouts paid."))
    reference = (reference or "").strip()
    if not reference:
        raise RuleBroken(
            _("Give the transfer's reference."), field="reference", code="reference_required"
        )
    check_paid_at(paid_at)
    if payout.amount_centimes <= 0:
        raise RuleBroken(_("Nothing is owed on this payout."), code="nothing_owed")
    changed = db.session.execute(
        update(Payout)
        .where(Payout.id == payout.id, Payout.paid_at.is_(None))
        .values(
            paid_at=paid_at, reference=reference[:120], paid_by_id=actor.id, marked_at=utc_now()
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise RuleBroken(_("This payout is already marked paid."), code="already_paid")
    tally_paid_payouts(Payout.id == payout.id)
    db.session.refresh(payout)
    tell_payout_paid(payout, actor, reference)
    return payout


def tell_payout_paid(payout, actor, reference):
    """The activity log's entry, and the cooperative's message with its statement attached."""
    record_activity(
        actor, "payout.paid", payout, label=reference, amount_centimes=payout.amount_centimes
    )
    with force_locale(cooperative_language(payout.cooperative)):  # the statement it reads
        statement = payout_statement_pdf(payout)
    tell_cooperative(
        "payout_paid",
        payout.cooperative,
        {
            "amount": payout.amount_centimes,
            "cooperative": payout.cooperative.name_latin,
            "link": page_link("store.statement", payout_id=payout.id),
        },
        edition_id=payout.edition_id,
        attachment=(f"statement-{payout.id}.pdf", "application/pdf", statement),
    )


def payout_statement_pdf(payout):
    """The statement PDF, also outside the store's pages (where its labels come from): the
    template names a payout's status and each line's channel, nothing else."""
    return render_pdf(
        "pdf/store_statement.html",
        store_labels={"channel": CHANNEL_LABELS, "status": STATUS_LABELS},
        payout=payout,
        lines=payout_lines(payout),
        status=payout_status(payout),
        generated_at=utc_now(),
    )


def payout_lines(payout):
    return (
        db.session.query(SaleLine)
        .filter(SaleLine.payout_id == payout.id)
        .order_by(SaleLine.occurred_at, SaleLine.id)
        .all()
    )


def payout_totals(edition):
    """Set-based sums for the payouts page: per status bucket."""
    bucket = status_case(utc_now())
    rows = (
        db.session.query(bucket, func.count(Payout.id), func.sum(Payout.amount_centimes))
        .filter(Payout.edition_id == edition.id)
        .group_by(bucket)
        .all()
    )
    totals = {name: {"count": 0, "amount": 0} for name in PAYOUT_STATUSES}
    for name, count, amount in rows:
        totals[name] = {"count": count, "amount": int(amount or 0)}
    return totals


def on_time_condition():
    return and_(Payout.paid_at.isnot(None), Payout.paid_at <= Payout.due_at)
