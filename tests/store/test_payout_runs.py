"""Payout runs: the preview (transfers per cooperative to its RIB or wallet, what is carried
forward), posting once with one reference and the statements sent, a run out of date refused,
the database refusing a sale line paid twice, and the bank transfer file's exact content."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts.models import ActivityEntry, OutboundMessage
from core.csvio import csv_text
from core.errors import DomainError
from core.extensions import db
from core.timeutil import local_to_utc_naive
from store import services
from store.models import Payout, SaleLine
from store.payout_models import Payee, PayoutRun, PayoutRunLine
from store.services.payout_runs import (
    TRANSFER_FILE_HEADER,
    build_payout_run,
    post_payout_run,
    set_payee,
    transfer_file_rows,
)

RIB = "011780000012345678901234"
PAID = datetime(2024, 5, 20, 9, 0)


def local(text):
    return local_to_utc_naive(datetime.fromisoformat(text))


@pytest.fixture
def market(store_edition, make_cooperative, make_product, stock, sell, make_user):
    """Three cooperatives: honey (RIB) sells on two days, argan (wallet) once, figs (no payee)."""
    site = store_edition.sites[0]
    honey_coop = make_cooperative(name_latin="Miel du Rif", bank_account=RIB)
    argan_coop = make_cooperative(name_latin="Argan Essaouira", bank_account=None)
    figs_coop = make_cooperative(name_latin="Figues Ouezzane", bank_account=None)
    honey = make_product(honey_coop, price=4000)  # 35.00 owed per jar (12.5 % commission)
    argan = make_product(argan_coop, price=8000)  # 70.00 owed
    figs = make_product(figs_coop, price=2000)  # 17.50 owed
    for product in (honey, argan, figs):
        stock(product, site, 50)
    argan_user = make_user("cooperative", cooperative=argan_coop)
    argan_user.email = "argan@example.ma"  # a cooperative with an account hears through it
    set_payee(argan_coop, "wallet", "+212 6 61 23 45 67", argan_user)
    db.session.commit()
    sell(
        store_edition, site, [(honey, 2), (argan, 1), (figs, 3)], sold_at=local("2024-05-01T10:00")
    )
    sell(store_edition, site, [(honey, 1)], sold_at=local("2024-05-02T10:00"))
    sell(store_edition, site, [(honey, 4)], sold_at=local("2024-05-09T10:00"))  # due 12 May
    return {
        "edition": store_edition,
        "site": site,
        "honey": honey,
        "argan": argan,
        "figs": figs,
        "coops": (honey_coop, argan_coop, figs_coop),
    }


def transfers_of(run):
    return [
        (
            t.cooperative.name_latin,
            t.method,
            t.account,
            t.amount_centimes,
            t.payouts_count,
            t.lines_count,
        )
        for t in run.transfers
    ]


def test_a_run_previews_each_cooperative_to_its_rib_or_wallet(market, organiser):
    run = build_payout_run(market["edition"], date(2024, 5, 10), 3000, organiser)
    db.session.commit()
    assert transfers_of(run) == [
        ("Miel du Rif", "rib", RIB, 3 * 3500, 2, 2),
        ("Argan Essaouira", "wallet", "0661234567", 7000, 1, 1),
    ]
    honey_coop, argan_coop, figs_coop = market["coops"]
    assert run.left_out == [
        {"cooperative_id": figs_coop.id, "amount_centimes": 3 * 1750, "reason": "no_payee"}
    ]
    assert run.total_centimes == 3 * 3500 + 7000
    paid_lines = db.session.scalars(select(PayoutRunLine).where(PayoutRunLine.run_id == run.id))
    lines = {line.sale_line_id: line.owed_centimes for line in paid_lines}
    expected = db.session.scalars(
        select(SaleLine).where(
            SaleLine.cooperative_id.in_([honey_coop.id, argan_coop.id]),
            SaleLine.due_on <= date(2024, 5, 10),
        )
    ).all()
    assert lines == {line.id: line.owed_centimes for line in expected}
    assert run.posted_at is None and run.reference is None
    assert [t.reference for t in run.transfers] == [
        f"SOUK-R{run.id}-C{honey_coop.id}",
        f"SOUK-R{run.id}-C{argan_coop.id}",
    ]


def test_small_balances_and_credits_are_carried_to_the_next_run(market, organiser, cashier):
    honey_coop, argan_coop, _figs = market["coops"]
    run = build_payout_run(market["edition"], date(2024, 5, 10), 7001, organiser)
    assert [t.cooperative_id for t in run.transfers] == [honey_coop.id]
    assert [(item["cooperative_id"], item["reason"]) for item in run.left_out][:1] == [
        (argan_coop.id, "below_minimum")
    ]
    run = build_payout_run(market["edition"], date(2024, 5, 10), 7000, organiser)  # replaces it
    assert db.session.query(PayoutRun).count() == 1
    assert [t.cooperative_id for t in run.transfers] == [honey_coop.id, argan_coop.id]
    argan_sale = db.session.query(SaleLine).filter_by(cooperative_id=argan_coop.id).one()
    services.refund_sale(argan_sale.sale, {argan_sale.id: 1}, "Flacon cassé", cashier)
    db.session.commit()
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    assert [t.cooperative_id for t in run.transfers] == [honey_coop.id]
    assert (argan_coop.id, 0, "nothing_owed") in [
        (i["cooperative_id"], i["amount_centimes"], i["reason"]) for i in run.left_out
    ]


def messages(event):
    return db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.event == event).order_by(OutboundMessage.id)
    ).all()


def test_posting_pays_every_payout_once_and_sends_each_statement(market, organiser):
    edition = market["edition"]
    run = build_payout_run(edition, date(2024, 5, 10), 0, organiser)
    db.session.commit()
    run, replayed = post_payout_run(run, PAID, "  LOT-2024-05-20  ", organiser)
    db.session.commit()
    assert replayed is False
    assert (run.reference, run.paid_at, run.posted_by_id) == ("LOT-2024-05-20", PAID, organiser.id)
    paid = db.session.scalars(select(Payout).where(Payout.paid_at.isnot(None))).all()
    assert sorted((p.cooperative_id, p.amount_centimes) for p in paid) == sorted(
        [
            (market["coops"][0].id, 7000),
            (market["coops"][0].id, 3500),
            (market["coops"][1].id, 7000),
        ]
    )
    assert {(p.reference, p.paid_at, p.paid_by_id) for p in paid} == {
        ("LOT-2024-05-20", PAID, organiser.id)
    }
    told = messages("payout_paid")
    assert sorted(m.cooperative_id for m in told) == sorted(p.cooperative_id for p in paid)
    assert {(m.attachment_type, m.attachment[:4]) for m in told} == {("application/pdf", b"%PDF")}
    entries = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.action == "payout.paid")
    ).all()
    assert sorted(e.subject_id for e in entries) == sorted(p.id for p in paid)

    again, replayed = post_payout_run(run, PAID + timedelta(days=1), "LOT-OTHER", organiser)
    db.session.commit()
    assert replayed is True and again.reference == "LOT-2024-05-20"
    assert len(messages("payout_paid")) == 3
    # the next run holds only what is left: the 12 May payout
    later = build_payout_run(edition, date(2024, 5, 31), 0, organiser)
    assert transfers_of(later) == [("Miel du Rif", "rib", RIB, 4 * 3500, 1, 1)]


def error_of(call, *args):
    with pytest.raises(DomainError) as caught:
        call(*args)
    db.session.rollback()
    return caught.value.code, caught.value.field, caught.value.message


def test_a_run_changed_since_its_preview_is_refused_and_nothing_is_paid(market, organiser, cashier):
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    db.session.commit()
    line = db.session.query(SaleLine).filter_by(cooperative_id=market["coops"][0].id).first()
    services.refund_sale(line.sale, {line.id: 1}, "Pot fêlé", cashier)
    db.session.commit()
    assert error_of(post_payout_run, run, PAID, "LOT-1", organiser) == (
        "run_out_of_date",
        None,
        "Des ventes ou des paiements ont changé depuis cet aperçu : préparez le virement groupé à nouveau.",
    )
    db.session.expire_all()
    assert db.session.get(PayoutRun, run.id).posted_at is None
    assert db.session.query(Payout).filter(Payout.paid_at.isnot(None)).count() == 0


def test_posting_refusals_name_their_field(market, organiser, cashier):
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    db.session.commit()
    assert error_of(post_payout_run, run, PAID, "  ", organiser)[:2] == (
        "reference_required",
        "reference",
    )
    future = datetime.utcnow() + timedelta(hours=1)
    assert error_of(post_payout_run, run, future, "LOT", organiser)[:2] == ("bad_time", "paid_on")
    assert error_of(post_payout_run, run, PAID, "LOT", cashier)[0] == "forbidden"
    empty = build_payout_run(market["edition"], date(2024, 5, 1), 0, organiser)
    assert error_of(post_payout_run, empty, PAID, "LOT", organiser)[0] == "nothing_to_pay"


def test_the_database_refuses_a_sale_line_in_two_runs(market, organiser):
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    db.session.commit()
    taken = db.session.scalars(select(PayoutRunLine).where(PayoutRunLine.run_id == run.id)).first()
    db.session.add(
        PayoutRunLine(
            run_id=run.id,
            transfer_id=taken.transfer_id,
            payout_id=taken.payout_id,
            sale_line_id=taken.sale_line_id,
            owed_centimes=taken.owed_centimes,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_bank_file_holds_one_transfer_per_cooperative(market, organiser):
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    post_payout_run(run, PAID, "LOT-9", organiser)
    honey_coop, argan_coop, _figs = market["coops"]
    assert csv_text(TRANSFER_FILE_HEADER, transfer_file_rows(run)) == (
        "\ufefftransfer_reference,beneficiary,registration_number,method,account,amount,"
        "currency,payouts,sale_lines,batch_reference\r\n"
        f"SOUK-R{run.id}-C{honey_coop.id},Miel du Rif,{honey_coop.registration_number},RIB,"
        f"{RIB},105.00,MAD,2,2,LOT-9\r\n"
        f"SOUK-R{run.id}-C{argan_coop.id},Argan Essaouira,{argan_coop.registration_number},"
        "WALLET,0661234567,70.00,MAD,1,1,LOT-9\r\n"
    )


@pytest.mark.parametrize(
    "method, phone, bank_account, expected",
    [
        ("wallet", "05 22 12 34 56", RIB, ("bad_wallet", "wallet_phone")),
        ("wallet", "066123456", RIB, ("bad_wallet", "wallet_phone")),
        ("wallet", "", RIB, ("bad_wallet", "wallet_phone")),
        ("rib", "", None, ("no_rib", "method")),
        ("cash", "", RIB, ("rule_broken", "method")),
    ],
)
def test_a_payee_refused_names_its_field(
    make_cooperative, make_user, method, phone, bank_account, expected
):
    cooperative = make_cooperative(bank_account=bank_account)
    user = make_user("cooperative", cooperative=cooperative)
    assert error_of(set_payee, cooperative, method, phone, user)[:2] == expected
    assert db.session.get(Payee, cooperative.id) is None


def test_the_wallet_message_is_translated(make_cooperative, make_user):
    cooperative = make_cooperative(bank_account=RIB)
    user = make_user("cooperative", cooperative=cooperative)
    assert error_of(set_payee, cooperative, "wallet", "0522", user)[2] == (
        "Le numéro du portefeuille mobile doit être un numéro de mobile marocain : 06 ou 07 puis 8 chiffres."
    )


def test_only_the_cooperative_itself_chooses_its_payee(make_cooperative, make_user, organiser):
    cooperative, other = make_cooperative(bank_account=RIB), make_cooperative()
    intruder = make_user("cooperative", cooperative=other)
    for actor in (organiser, intruder):
        assert error_of(set_payee, cooperative, "rib", "", actor)[0] == "forbidden"
    owner = make_user("cooperative", cooperative=cooperative)
    set_payee(cooperative, "wallet", "0712345678", owner)
    set_payee(cooperative, "rib", "ignored", owner)
    payee = db.session.get(Payee, cooperative.id)
    assert (payee.method, payee.wallet_phone, payee.updated_by_id) == ("rib", None, owner.id)


def test_a_cooperative_with_a_wallet_is_no_longer_said_to_lack_a_rib(market, make_user):
    from store.services.payouts import transfers_without_bank_account

    figs_coop = market["coops"][2]
    lacking = transfers_without_bank_account(market["edition"])
    assert {p.cooperative_id for p in lacking} == {figs_coop.id}
    set_payee(figs_coop, "wallet", "0700000000", make_user("cooperative", cooperative=figs_coop))
    assert transfers_without_bank_account(market["edition"]) == []


def test_a_preview_replaced_meanwhile_is_not_posted(market, organiser):
    from store.services.payout_runs import posted_before

    old = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    old_id = old.id
    newer = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    assert newer.id != old_id and db.session.get(PayoutRun, old_id) is None
    assert error_of(posted_before, old)[:2] == ("run_replaced", None)
