"""Reconciling the bank's statement: sure matches by reference and amount, near misses (the
reference with another amount), duplicates, lines two transfers could explain (shown to choose,
never guessed), lines and transfers left over; confirming records matches and choices once."""

from datetime import date

import pytest

from core.errors import DomainError
from core.extensions import db
from store.payout_models import PayoutRunTransfer
from store.services.payout_runs import build_payout_run, post_payout_run
from store.services.reconciliation import confirm_reconciliation, reconcile_statement
from tests.store.test_payout_runs import PAID, RIB, market  # noqa: F401 (the fixture)


@pytest.fixture
def posted(market, organiser, make_cooperative, make_product, stock, sell):  # noqa: F811
    """Four transfers: honey 105.00, argan 70.00, and two cooperatives owed 70.00 each."""
    site = market["site"]
    from tests.store.test_payout_runs import local

    twins = []
    for name in ("Amlou Tiznit", "Safran Taliouine"):
        coop = make_cooperative(name_latin=name, bank_account=RIB)
        product = make_product(coop, price=8000)
        stock(product, site, 5)
        sell(market["edition"], site, [(product, 1)], sold_at=local("2024-05-01T11:00"))
        twins.append(coop)
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    post_payout_run(run, PAID, "LOT-7", organiser)
    db.session.commit()
    by_coop = {t.cooperative.name_latin: t for t in run.transfers}
    return {"edition": market["edition"], "run": run, "t": by_coop}


def statement(*rows):
    return ("date;amount;reference;label\n" + "\n".join(";".join(row) for row in rows)).encode()


def names(pairs):
    return [(line.number, transfer.cooperative.name_latin) for line, transfer in pairs]


def test_a_statement_sorted_into_matches_near_misses_duplicates_and_choices(posted):
    t = posted["t"]
    raw = statement(
        ("2024-05-20", "-105,00", t["Miel du Rif"].reference.lower(), "VIR MIEL"),  # match
        ("2024-05-20", "-70,00", "", f"VIR {t['Argan Essaouira'].reference}"),  # match (label)
        ("2024-05-21", "-105,00", t["Miel du Rif"].reference, "again"),  # duplicate
        ("2024-05-20", "-69,99", t["Amlou Tiznit"].reference, ""),  # near miss
        ("2024-05-20", "-70,00", "VIREMENT GROUPE", ""),  # two 70.00 transfers could be it
        ("2024-05-20", "-12,00", "FRAIS BANCAIRES", ""),  # nothing of this amount
    )
    result = reconcile_statement(posted["edition"], raw)
    assert names(result.matched) == [(2, "Miel du Rif"), (3, "Argan Essaouira")]
    assert names(result.duplicates) == [(4, "Miel du Rif")]
    assert names(result.near_misses) == [(5, "Amlou Tiznit")]
    [(line, candidates)] = result.to_choose
    assert line.number == 6 and line.amount_centimes == 7000
    assert [c.cooperative.name_latin for c in candidates] == ["Amlou Tiznit", "Safran Taliouine"]
    assert [line.number for line in result.unmatched] == [7]
    assert [m.cooperative.name_latin for m in result.missing] == []
    assert (
        db.session.query(PayoutRunTransfer)
        .filter(PayoutRunTransfer.reconciled_at.isnot(None))
        .count()
        == 0
    )  # comparing writes nothing


def test_confirming_records_the_matches_and_the_persons_choice_once(posted, organiser):
    t = posted["t"]
    raw = statement(
        ("2024-05-20", "105.00", t["Miel du Rif"].reference, ""),
        ("2024-05-20", "70.00", "VIREMENT", ""),
    )
    safran = t["Safran Taliouine"]
    assert confirm_reconciliation(posted["edition"], raw, {3: safran.id}, organiser) == 2
    db.session.commit()
    done = db.session.query(PayoutRunTransfer).filter(PayoutRunTransfer.reconciled_at.isnot(None))
    assert sorted(x.cooperative.name_latin for x in done) == ["Miel du Rif", "Safran Taliouine"]
    db.session.refresh(safran)
    assert (safran.statement_line, safran.reconciled_by_id) == ("2024-05-20 VIREMENT", organiser.id)
    assert confirm_reconciliation(posted["edition"], raw, {3: safran.id}, organiser) == 0
    again = reconcile_statement(posted["edition"], raw)
    assert names(again.duplicates) == [(2, "Miel du Rif")]
    [(_line, candidates)] = again.to_choose  # the reconciled transfer is no candidate any more
    assert [c.cooperative.name_latin for c in candidates] == ["Argan Essaouira", "Amlou Tiznit"]
    assert again.missing == []


def test_a_choice_outside_the_candidates_is_ignored(posted, organiser):
    raw = statement(("2024-05-20", "70.00", "VIREMENT", ""))
    honey = posted["t"]["Miel du Rif"]
    assert confirm_reconciliation(posted["edition"], raw, {2: honey.id}, organiser) == 0


def test_a_draft_run_is_not_on_the_statement(market, organiser):  # noqa: F811
    build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    result = reconcile_statement(market["edition"], statement(("2024-05-20", "105.00", "X", "")))
    assert result.missing == [] and [line.number for line in result.unmatched] == [2]


@pytest.mark.parametrize(
    "raw, code",
    [
        (b"date;amount\n2024-05-20;1\n", "missing_columns"),
        (b"date;amount;reference\n2024-05-20;douze;X\n", "bad_amount"),
        (b"date;amount;reference\n2024-05-20;Infinity;X\n", "bad_amount"),
        (b"\xff\xfe", "bad_encoding"),
    ],
)
def test_an_unreadable_statement_is_refused(store_edition, raw, code):
    with pytest.raises(DomainError) as caught:
        reconcile_statement(store_edition, raw)
    assert caught.value.code == code
