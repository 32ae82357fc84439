"""Exact values for what mutation testing found unpinned in store/services/payouts.py and
payout_runs.py: the per-payout transfer sheet row by row, the order of a cooperative's payouts,
who may read a payout or a run (and the refusal's words), the runs listed newest first within
their edition, a transfer's lines in sale order, and a draft run's bank file."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

import pytest

from core.errors import DomainError
from core.extensions import db
from store import services
from store.models import Payout, SaleLine
from store.services.payout_runs import (
    build_payout_run,
    get_payout_run,
    list_payout_runs,
    post_payout_run,
    run_lines,
    transfer_file_rows,
)
from store.services.payouts import transfer_rows
from tests.store.test_payout_runs import RIB, local, market  # noqa: F401 (the fixture)

NOW = datetime(2024, 5, 4, 12, 0)  # after the 4 May payouts fell due, a day before 5 May's


def refusal(call, *args):
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.code, caught.value.message, caught.value.status


def test_the_transfer_sheet_rows_exactly(market):  # noqa: F811
    honey_coop, argan_coop, figs_coop = market["coops"]
    with patch("store.services.payouts.utc_now", return_value=NOW):
        rows = list(transfer_rows(market["edition"]))
    ids = {
        (p.cooperative_id, p.due_on): p.id
        for p in db.session.query(Payout).filter_by(edition_id=market["edition"].id)
    }
    slug = market["edition"].slug

    def row(coop, day, account, amount, due, status):
        payout_id = ids[(coop.id, day)]
        return [
            payout_id,
            coop.name_latin,
            coop.registration_number,
            account,
            amount,
            "MAD",
            due,
            f"SOUK-{slug}-{payout_id}",
            status,
        ]

    assert rows == [
        row(honey_coop, date(2024, 5, 4), RIB, "70.00", "2024-05-04 10:00", "overdue"),
        row(argan_coop, date(2024, 5, 4), "", "70.00", "2024-05-04 10:00", "overdue"),
        row(figs_coop, date(2024, 5, 4), "", "52.50", "2024-05-04 10:00", "overdue"),
        row(honey_coop, date(2024, 5, 5), RIB, "35.00", "2024-05-05 10:00", "due_soon"),
        row(honey_coop, date(2024, 5, 12), RIB, "140.00", "2024-05-12 10:00", "due"),
    ]


def test_a_cooperatives_payouts_newest_due_first(market):  # noqa: F811
    honey_coop = market["coops"][0]
    due = [p.due_on for p in services.cooperative_payouts(honey_coop)]
    assert due == [date(2024, 5, 12), date(2024, 5, 5), date(2024, 5, 4)]


@pytest.mark.parametrize("role", ["cashier", "volunteer"])
def test_only_organisers_and_the_cooperative_read_a_payout(market, make_user, organiser, role):  # noqa: F811
    payout = db.session.query(Payout).first()
    assert services.get_payout(payout.id, organiser) is payout
    owner = make_user("cooperative", cooperative=payout.cooperative)
    assert services.get_payout(payout.id, owner) is payout
    assert refusal(services.get_payout, payout.id, make_user(role)) == (
        "unknown_payout",
        "Versement introuvable.",
        404,
    )
    assert refusal(services.get_payout, 10**6, organiser)[0] == "unknown_payout"


def test_a_run_is_read_by_organisers_only(market, make_user, organiser):  # noqa: F811
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    db.session.commit()
    assert get_payout_run(run.id, organiser) is run
    owner = make_user("cooperative", cooperative=market["coops"][0])
    expected = ("unknown_run", "Virement groupé introuvable.", 404)
    assert refusal(get_payout_run, run.id, owner) == expected
    assert refusal(get_payout_run, run.id + 1, organiser) == expected


def test_runs_listed_newest_first_within_their_edition(market, make_edition, organiser):  # noqa: F811
    other = make_edition(status="open", commission_basis_points=1250)
    first = build_payout_run(market["edition"], date(2024, 5, 4), 0, organiser)
    post_payout_run(first, datetime(2024, 5, 6), "LOT-1", organiser)  # a new draft may follow
    db.session.commit()
    elsewhere = build_payout_run(other, date(2024, 5, 4), 0, organiser)
    second = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    assert [run.id for run in list_payout_runs(market["edition"])] == [second.id, first.id]
    assert [run.id for run in list_payout_runs(other)] == [elsewhere.id]


def test_a_transfers_lines_in_sale_order(market, stock, sell, organiser):  # noqa: F811
    honey = market["honey"]
    sell(market["edition"], market["site"], [(honey, 3)], sold_at=local("2024-05-01T09:00"))
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    honey_transfer, argan_transfer = run.transfers
    lines = run_lines(honey_transfer)
    assert [(line.occurred_at, line.quantity) for line in lines] == [
        (local("2024-05-01T09:00"), 3),
        (local("2024-05-01T10:00"), 2),
        (local("2024-05-02T10:00"), 1),
    ]
    same_time = db.session.query(SaleLine).filter_by(cooperative_id=argan_transfer.cooperative_id)
    assert run_lines(argan_transfer) == same_time.order_by(SaleLine.id).all()


def test_a_draft_runs_bank_file_has_no_batch_reference_yet(market, organiser):  # noqa: F811
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    rows = list(transfer_file_rows(run))
    assert [row[-1] for row in rows] == ["", ""]
    assert [row[3] for row in rows] == ["RIB", "WALLET"]
    assert rows[0][:3] == [
        f"SOUK-R{run.id}-C{market['coops'][0].id}",
        "Miel du Rif",
        market["coops"][0].registration_number,
    ]


def test_due_soon_boundary_in_the_sheet(market):  # noqa: F811
    """The sheet judges every row at one moment: 24 hours before a due time is due soon."""
    payout = db.session.query(Payout).filter_by(due_on=date(2024, 5, 12)).one()
    with patch("store.services.payouts.utc_now", return_value=payout.due_at - timedelta(hours=24)):
        statuses = {row[0]: row[-1] for row in transfer_rows(market["edition"])}
    assert statuses[payout.id] == "due_soon"


def test_the_sheet_skips_paid_and_empty_payouts_and_keeps_one_centime(
    store_edition, make_cooperative
):
    from store.services.payouts import payouts_to_transfer

    cooperative = make_cooperative()
    made = {}
    for day, (amount, paid_at) in enumerate(
        [(1, None), (0, None), (-500, None), (5000, datetime(2024, 5, 1))], start=1
    ):
        payout = Payout(
            edition_id=store_edition.id,
            cooperative_id=cooperative.id,
            due_on=date(2024, 5, day),
            due_at=datetime(2024, 5, day, 9),
            amount_centimes=amount,
            lines_count=1,
            paid_at=paid_at,
            reference=paid_at and "VIR-0",
        )
        db.session.add(payout)
        made[amount] = payout
    db.session.commit()
    assert payouts_to_transfer(store_edition) == [made[1]]


def test_a_cooperative_never_reads_another_cooperatives_payout(market, make_user):  # noqa: F811
    honey_coop, argan_coop, _figs = market["coops"]
    honeys = db.session.query(Payout).filter_by(cooperative_id=honey_coop.id).first()
    intruder = make_user("cooperative", cooperative=argan_coop)
    assert refusal(services.get_payout, honeys.id, intruder)[0] == "unknown_payout"


def test_payouts_due_at_the_same_time_are_listed_by_cooperative(store_edition, make_cooperative):
    first, second = make_cooperative(), make_cooperative()
    due_at = datetime(2024, 5, 4, 9)
    for cooperative in (second, first):  # written in the other order
        db.session.add(
            Payout(
                edition_id=store_edition.id,
                cooperative_id=cooperative.id,
                due_on=date(2024, 5, 4),
                due_at=due_at,
                amount_centimes=100,
                lines_count=1,
            )
        )
    db.session.commit()
    listed = services.list_payouts(store_edition)
    assert [p.cooperative_id for p in listed] == [first.id, second.id]
    with patch("store.services.payouts.utc_now", return_value=due_at + timedelta(seconds=1)):
        assert services.list_payouts(store_edition, status="overdue") == listed
        assert services.list_payouts(store_edition, status="due") == []


def test_computing_payouts_locks_its_own_edition_row(store_edition, make_edition, is_postgresql):
    from sqlalchemy import event

    other = make_edition(status="open")
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "FROM editions" in statement and "store_" not in statement:
            values = parameters.values() if isinstance(parameters, dict) else parameters
            seen.append((" ".join(statement.split()), tuple(values)))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        services.compute_payouts(store_edition)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    [(sql, parameters)] = seen
    assert sql.startswith("SELECT editions.id FROM editions WHERE editions.id = ")
    assert parameters == (store_edition.id,) and other.id != store_edition.id
    assert sql.endswith("FOR UPDATE") == is_postgresql  # SQLite locks the whole file instead


def test_computing_joins_open_payouts_and_leaves_paid_days_alone(
    make_edition, make_product, stock, sell, organiser
):
    """Lines left to the periodic task join the open payout of their day when there is one;
    a paid day gets no empty new payout."""
    edition = make_edition(
        status="open", commission_basis_points=1250, starts_on=date(2022, 1, 1),
        ends_on=date(2030, 12, 31), hours=(0, 1440),
    )  # fmt: skip
    product, site = make_product(price=4000), edition.sites[0]
    stock(product, site, 20)
    paid_day, open_day = local("2024-05-01T10:00"), local("2024-05-02T10:00")
    sell(edition, site, [(product, 1)], sold_at=paid_day)
    sell(edition, site, [(product, 1)], sold_at=open_day)
    paid = db.session.query(Payout).filter_by(edition_id=edition.id).order_by(Payout.due_on).first()
    services.mark_payout_paid(paid, paid_day + timedelta(days=4), "VIR-1", organiser)
    db.session.commit()
    moment = datetime(2024, 5, 3, 8, 0)
    with patch("store.services.sales.keep_payouts_current", lambda lines: []):
        sell(edition, site, [(product, 2)], sold_at=open_day + timedelta(hours=1))
    with patch("store.services.payouts.utc_now", return_value=moment):
        assert services.compute_payouts(edition) == 1
    db.session.commit()
    rows = db.session.query(Payout).filter_by(edition_id=edition.id).order_by(Payout.due_on).all()
    assert [(p.due_on, p.lines_count, p.amount_centimes, p.paid_at is None) for p in rows] == [
        (date(2024, 5, 4), 1, 3500, False),
        (date(2024, 5, 5), 2, 3 * 3500, True),
    ]
    with patch("store.services.sales.keep_payouts_current", lambda lines: []):
        sell(edition, site, [(product, 1)], sold_at=local("2024-05-06T10:00"))
    with patch("store.services.payouts.utc_now", return_value=moment):
        assert services.compute_payouts(edition) == 1
    fresh = db.session.query(Payout).filter_by(edition_id=edition.id, due_on=date(2024, 5, 9)).one()
    assert (fresh.created_at, fresh.lines_count, fresh.amount_centimes) == (moment, 1, 3500)


def test_payee_refusals_in_words(make_cooperative, make_user, organiser):
    from store.services.payout_runs import set_payee

    cooperative = make_cooperative(bank_account=None)
    owner = make_user("cooperative", cooperative=cooperative)
    assert refusal(set_payee, cooperative, "rib", "", organiser) == (
        "forbidden",
        "Seule la coopérative choisit où elle est payée.",
        403,
    )
    assert refusal(set_payee, cooperative, "cash", "", owner) == (
        "rule_broken",
        "Choisissez un compte bancaire ou un portefeuille mobile.",
        422,
    )
    assert refusal(set_payee, cooperative, "rib", "", owner) == (
        "no_rib",
        "Votre coopérative n’a pas encore de RIB : demandez aux organisateurs de "
        "l’enregistrer, ou utilisez un portefeuille.",
        422,
    )


def test_run_refusals_in_words(market, organiser, cashier):  # noqa: F811
    edition = market["edition"]
    assert refusal(build_payout_run, edition, date(2024, 5, 10), 0, cashier) == (
        "forbidden",
        "Seuls les organisateurs paient les coopératives.",
        403,
    )
    for minimum in (-1, None):
        assert refusal(build_payout_run, edition, date(2024, 5, 10), minimum, organiser) == (
            "bad_minimum",
            "Le minimum ne peut pas être négatif.",
            422,
        )
    assert build_payout_run(edition, date(2024, 5, 10), 0, organiser).minimum_centimes == 0
    run = build_payout_run(edition, date(2024, 5, 10), 0, organiser)
    assert refusal(post_payout_run, run, datetime(2024, 5, 20), " ", organiser) == (
        "reference_required",
        "Indiquez la référence du lot bancaire.",
        422,
    )
    late = datetime.utcnow() + timedelta(minutes=6)
    assert refusal(post_payout_run, run, late, "LOT", organiser)[:2] == (
        "bad_time",
        "La date de paiement ne peut pas être dans le futur.",
    )
    assert refusal(post_payout_run, run, None, "LOT", organiser)[0] == "bad_time"
    soon = datetime.utcnow() + timedelta(minutes=4)  # a clock a little ahead is forgiven
    assert post_payout_run(run, soon, "LOT", organiser)[1] is False
    empty = build_payout_run(edition, date(2024, 5, 1), 0, organiser)
    assert refusal(post_payout_run, empty, datetime(2024, 5, 20), "LOT", organiser) == (
        "nothing_to_pay",
        "Ce virement groupé ne paie personne.",
        422,
    )


def test_posting_boundaries_exactly(market, organiser):  # noqa: F811
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    assert refusal(post_payout_run, run, datetime(2024, 5, 20), None, organiser)[0] == (
        "reference_required"
    )
    now = datetime(2024, 5, 20, 9, 0)
    with (
        patch("store.services.payout_runs.utc_now", return_value=now),
        patch("store.services.payouts.utc_now", return_value=now),  # check_paid_at's clock
    ):
        too_late = now + timedelta(minutes=5, microseconds=1)
        assert refusal(post_payout_run, run, too_late, "LOT", organiser)[0] == "bad_time"
        posted, replayed = post_payout_run(run, now + timedelta(minutes=5), "LOT", organiser)
    assert (replayed, posted.paid_at, posted.posted_at) == (False, now + timedelta(minutes=5), now)


def test_posting_a_run_leaves_another_editions_draft_alone(market, make_edition, organiser):  # noqa: F811
    other = make_edition(status="open", commission_basis_points=1250)
    draft = build_payout_run(other, date(2024, 5, 10), 0, organiser)
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    post_payout_run(run, datetime(2024, 5, 20), "LOT-X", organiser)
    db.session.expire_all()
    assert (draft.posted_at, draft.reference) == (None, None)
