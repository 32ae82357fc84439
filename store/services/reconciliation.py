"""Reconciling the bank's statement (CSV) with the posted runs' transfers.

A statement line matches a transfer when it carries the transfer's reference (SOUK-R<run>-C<coop>)
and its amount. Nothing is guessed: a line that two transfers could explain (the same amount and
no reference the bank kept, or two references) waits for a person to choose; a reference with
another amount is a near miss; a second line for a transfer already matched is a duplicate.
"""

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select, update

from core.csvio import read_csv
from core.errors import RuleBroken
from core.extensions import db
from core.money import parse_mad
from core.timeutil import utc_now
from store.payout_models import PayoutRun, PayoutRunTransfer
from store.services.payout_runs import require_organiser

STATEMENT_COLUMNS = ("date", "amount", "reference")
REFERENCE = re.compile(r"SOUK-R\d+-C\d+", re.IGNORECASE)


@dataclass
class StatementLine:
    number: int  # the line in the file (the header is line 1)
    date: str
    amount_centimes: int  # debits and credits alike, as a positive amount
    text: str

    @property
    def references(self):
        return {found.upper() for found in REFERENCE.findall(self.text)}


@dataclass
class Reconciliation:
    matched: list = field(default_factory=list)  # (line, transfer)
    to_choose: list = field(default_factory=list)  # (line, [transfers])
    near_misses: list = field(default_factory=list)  # (line, transfer)
    duplicates: list = field(default_factory=list)  # (line, transfer)
    unmatched: list = field(default_factory=list)  # line
    missing: list = field(default_factory=list)  # transfers posted and not on the statement


def read_statement(raw):
    lines = []
    for number, row in enumerate(read_csv(raw, STATEMENT_COLUMNS), start=2):
        try:
            amount = abs(parse_mad(row["amount"]))
        except ValueError:
            raise RuleBroken(
                _(
                    "Line %(number)d: the amount %(value)s is not an amount.",
                    number=number,
                    value=row["amount"],
                ),
                field="file",
                code="bad_amount",
            ) from None
        text = " ".join(filter(None, (row["reference"], row.get("label", ""))))
        lines.append(StatementLine(number, row["date"], amount, text[:300]))
    return lines


def posted_transfers(edition):
    return db.session.scalars(
        select(PayoutRunTransfer)
        .join(PayoutRun, PayoutRun.id == PayoutRunTransfer.run_id)
        .where(PayoutRun.edition_id == edition.id, PayoutRun.posted_at.isnot(None))
        .order_by(PayoutRunTransfer.id)
    ).all()


def reconcile_statement(edition, raw):
    """What the statement says of the edition's posted transfers (nothing is written)."""
    lines = read_statement(raw)
    transfers = posted_transfers(edition)
    waiting = [transfer for transfer in transfers if transfer.reconciled_at is None]
    result, taken, rest = Reconciliation(), set(), []
    for line in lines:  # first pass: reference and amount, the only sure match
        exact = [
            t
            for t in waiting
            if t.reference in line.references and t.amount_centimes == line.amount_centimes
        ]
        if len(exact) == 1 and exact[0].id not in taken:
            result.matched.append((line, exact[0]))
            taken.add(exact[0].id)
        else:
            rest.append((line, exact))
    for line, exact in rest:
        judge_line(line, exact, transfers, waiting, taken, result)
    chosen = {t.id for _line, candidates in result.to_choose for t in candidates}
    result.missing = [t for t in waiting if t.id not in taken and t.id not in chosen]
    return result


def judge_line(line, exact, transfers, waiting, taken, result):
    done = [
        t
        for t in transfers
        if t.reference in line.references
        and t.amount_centimes == line.amount_centimes
        and (t.id in taken or t.reconciled_at is not None)
    ]
    if len(exact) > 1:
        result.to_choose.append((line, exact))
    elif done:
        result.duplicates.append((line, done[0]))
    elif near := [t for t in waiting if t.reference in line.references]:
        result.near_misses.append((line, near[0]))
    elif same := [
        t for t in waiting if t.id not in taken and t.amount_centimes == line.amount_centimes
    ]:
        result.to_choose.append((line, same))
    else:
        result.unmatched.append(line)


def confirm_reconciliation(edition, raw, choices, actor):
    """Record the sure matches and the person's choices {line number: transfer id}; returns how
    many transfers were reconciled (a transfer is reconciled once, a replay changes nothing)."""
    require_organiser(actor)
    result = reconcile_statement(edition, raw)
    pairs = list(result.matched)
    used = {transfer.id for _line, transfer in pairs}
    for line, candidates in result.to_choose:
        wanted = choices.get(line.number)
        picked = next((t for t in candidates if t.id == wanted and t.id not in used), None)
        if picked is not None:
            pairs.append((line, picked))
            used.add(picked.id)
    done = 0
    for line, transfer in pairs:
        done += db.session.execute(
            update(PayoutRunTransfer)
            .where(PayoutRunTransfer.id == transfer.id, PayoutRunTransfer.reconciled_at.is_(None))
            .values(
                reconciled_at=utc_now(),
                statement_line=f"{line.date} {line.text}"[:300],
                reconciled_by_id=actor.id,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    db.session.expire_all()
    return done
