"""Payout runs as properties (hypothesis): for any sales, refunds and runs (built, rebuilt,
posted), every sale line is paid at most once, each run's total is the sum of its transfers and
of its lines, and the lines of posted runs are exactly the lines of paid payouts."""

import uuid
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.errors import DomainError
from core.extensions import db
from core.timeutil import local_to_utc_naive
from store import services
from store.models import Payout, SaleLine
from store.payout_models import PayoutRun, PayoutRunLine, PayoutRunTransfer
from store.services.payout_runs import build_payout_run, post_payout_run

START = date(2024, 3, 1)
operation = st.one_of(
    st.tuples(st.just("sell"), st.integers(0, 2), st.integers(0, 9), st.integers(1, 3)),
    st.tuples(st.just("refund"), st.integers(0, 40), st.just(0), st.just(0)),
    st.tuples(st.just("run"), st.integers(0, 14), st.sampled_from([0, 3000, 9000]), st.booleans()),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_runs_pay_each_line_at_most_once_and_add_up(app, make_edition, operations):
    from accounts.services import create_user
    from booths.models import Cooperative
    from tests.conftest import empty_all_tables

    db.session.remove()
    empty_all_tables()
    organiser = create_user(f"org{uuid.uuid4().hex[:8]}", "long-password-1", "organiser")
    cashier = create_user(f"cash{uuid.uuid4().hex[:8]}", "long-password-1", "cashier")
    edition = make_edition(
        status="open",
        commission_basis_points=1250,
        starts_on=date(2022, 1, 1),
        ends_on=date(2030, 1, 1),
        hours=(0, 1440),
    )
    products = []
    for n in range(3):
        cooperative = Cooperative(
            name_ar=f"ت{n}",
            name_latin=f"Coop {n}",
            registration_number=f"P-{uuid.uuid4().hex[:8]}",
            province="Fès",
            city="Fès",
            sectors=["honey"],
            main_sector="honey",
            bank_account=f"{n:024d}",
        )
        db.session.add(cooperative)
        db.session.flush()
        product = services.create_product(
            cooperative,
            {
                "sku": f"R-{n}",
                "barcode": f"RB-{n}",
                "names": {"fr": f"p{n}"},
                "unit": "jar",
                "price_centimes": 2000 + 1500 * n,
                "sector": "honey",
                "low_stock_at": 1,
            },
            organiser,
        )
        products.append(product)
    sales = []
    for operation in operations:
        try:
            with db.session.begin_nested():
                apply(operation, edition, products, sales, organiser, cashier)
        except DomainError:
            pass
        check_runs(edition)
    db.session.rollback()


def apply(operation, edition, products, sales, organiser, cashier):
    kind, first, second, third = operation
    if kind == "sell":
        sold_at = local_to_utc_naive(
            datetime.combine(START + timedelta(days=second), datetime.min.time())
        ) + timedelta(hours=10)
        product = products[first]
        sale, _ = services.record_sale(
            edition,
            None,
            str(uuid.uuid4()),
            "web",
            "online",
            "card",
            sold_at,
            [(product.sku, third, product.price_centimes)],
            cashier,
            source="import",
        )
        sales.append(sale)
    elif kind == "refund" and sales:
        sale = sales[first % len(sales)]
        line = sale.lines[0]
        services.refund_sale(sale, {line.id: 1}, "x", cashier)
    elif kind == "run":
        run = build_payout_run(edition, START + timedelta(days=first), second, organiser)
        if third:
            post_payout_run(run, datetime(2024, 4, 1), f"LOT-{run.id}", organiser)


def check_runs(edition):
    lines = db.session.execute(select(PayoutRunLine.sale_line_id)).scalars().all()
    assert len(lines) == len(set(lines))  # paid at most once
    for run in db.session.scalars(select(PayoutRun)):
        transfers = db.session.scalars(
            select(PayoutRunTransfer).where(PayoutRunTransfer.run_id == run.id)
        ).all()
        assert run.total_centimes == sum(t.amount_centimes for t in transfers)
        for transfer in transfers:
            owed = db.session.scalar(
                select(func.coalesce(func.sum(PayoutRunLine.owed_centimes), 0)).where(
                    PayoutRunLine.transfer_id == transfer.id
                )
            )
            assert transfer.amount_centimes == owed > 0
            assert transfer.amount_centimes >= run.minimum_centimes
    posted = set(
        db.session.scalars(
            select(PayoutRunLine.sale_line_id)
            .join(PayoutRun, PayoutRun.id == PayoutRunLine.run_id)
            .where(PayoutRun.posted_at.isnot(None))
        )
    )
    of_paid = set(
        db.session.scalars(
            select(SaleLine.id)
            .join(Payout, Payout.id == SaleLine.payout_id)
            .where(Payout.paid_at.isnot(None))
        )
    )
    assert posted == of_paid
    for payout in db.session.scalars(select(Payout)):
        owed = db.session.scalar(
            select(func.coalesce(func.sum(SaleLine.owed_centimes), 0)).where(
                SaleLine.payout_id == payout.id
            )
        )
        assert payout.amount_centimes == owed
