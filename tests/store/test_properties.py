"""Properties (hypothesis): for any sequence of deposits, sales, refunds and returns, stock is
never negative, the ledger adds up to the stock levels, and owed + commission == sales."""

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func

from core.errors import DomainError
from core.extensions import db
from core.timeutil import utc_now
from store import services
from store.models import SaleLine, StockLevel, StockMovement
from store.services.sales import refundable_quantities, split_amount

operation = st.one_of(
    st.tuples(st.just("deposit"), st.integers(0, 2), st.integers(1, 6)),
    st.tuples(st.just("sell"), st.integers(0, 2), st.integers(1, 6)),
    st.tuples(st.just("return"), st.integers(0, 2), st.integers(1, 6)),
    st.tuples(st.just("refund"), st.integers(0, 50), st.integers(1, 3)),
    st.tuples(st.just("void"), st.integers(0, 50), st.just(0)),
)


@given(amount=st.integers(-(10**9), 10**9), rate=st.integers(0, 10000))
def test_owed_plus_commission_is_the_amount(amount, rate):
    commission, owed = split_amount(amount, rate)
    assert owed + commission == amount
    assert abs(commission) <= abs(amount)
    # rounded half up: never more than half a centime away from the exact share
    assert abs(abs(commission) * 10000 - abs(amount) * rate) <= 5000


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(operation, min_size=1, max_size=25),
    prices=st.lists(st.integers(1, 100000), min_size=3, max_size=3),
)
def test_any_sequence_keeps_stock_ledger_and_money_consistent(
    app, make_edition, make_cooperative, operations, prices
):
    from tests.conftest import empty_all_tables

    db.session.remove()
    empty_all_tables()
    from datetime import date

    from accounts.services import create_user

    organiser = create_user(f"org{uuid.uuid4().hex[:8]}", "long-password-1", "organiser")
    cashier = create_user(f"cash{uuid.uuid4().hex[:8]}", "long-password-1", "cashier")
    edition = make_edition(
        commission_basis_points=1337,
        starts_on=date(2022, 1, 1),
        ends_on=date(2030, 1, 1),
        hours=(0, 1440),
    )
    site = edition.sites[0]
    cooperative = make_cooperative()
    products = [
        services.create_product(
            cooperative,
            {
                "sku": f"P-{n}",
                "barcode": f"B-{n}",
                "names": {"fr": f"p{n}"},
                "unit": "jar",
                "price_centimes": price,
                "sector": "honey",
                "low_stock_at": 1,
                "onssa_number": "AG.01.001.22",
                "onssa_kind": "approval",
            },
            organiser,
        )
        for n, price in enumerate(prices)
    ]
    sales = []
    for kind, index, quantity in operations:
        try:
            with db.session.begin_nested():
                apply(
                    kind,
                    index,
                    quantity,
                    edition,
                    site,
                    cooperative,
                    products,
                    sales,
                    organiser,
                    cashier,
                )
        except DomainError:
            pass
        check_invariants(edition, site, products)
    db.session.rollback()


def apply(kind, index, quantity, edition, site, cooperative, products, sales, organiser, cashier):
    if kind == "deposit":
        services.deposit_products(cooperative, site, [(products[index], quantity)], "x", organiser)
    elif kind == "return":
        services.return_products(cooperative, site, [(products[index], quantity)], "x", organiser)
    elif kind == "sell":
        product = products[index]
        sale, _ = services.record_sale(
            edition,
            site,
            str(uuid.uuid4()),
            "t",
            "store",
            "cash",
            utc_now(),
            [(product.sku, quantity, product.price_centimes)],
            cashier,
        )
        sales.append(sale)
    elif sales:
        sale = sales[index % len(sales)]
        if kind == "void":
            services.void_sale(sale, "void", cashier)
        else:
            line_id = next(iter(refundable_quantities(sale)))
            services.refund_sale(sale, {line_id: quantity}, "refund", cashier)


def check_invariants(edition, site, products):
    levels = dict(
        db.session.query(StockLevel.product_id, StockLevel.quantity).filter(
            StockLevel.site_id == site.id
        )
    )
    ledger = dict(
        db.session.query(StockMovement.product_id, func.sum(StockMovement.quantity))
        .filter(StockMovement.site_id == site.id)
        .group_by(StockMovement.product_id)
    )
    for product in products:
        assert levels.get(product.id, 0) >= 0
        assert levels.get(product.id, 0) == (ledger.get(product.id) or 0)
    sold, owed, commission = (
        db.session.query(
            func.coalesce(func.sum(SaleLine.amount_centimes), 0),
            func.coalesce(func.sum(SaleLine.owed_centimes), 0),
            func.coalesce(func.sum(SaleLine.commission_centimes), 0),
        )
        .filter(SaleLine.edition_id == edition.id)
        .one()
    )
    assert owed + commission == sold >= 0
    # every refund stays within what its line sold
    refunded = dict(
        db.session.query(SaleLine.refund_of_id, func.sum(SaleLine.quantity))
        .filter(SaleLine.refund_of_id.isnot(None))
        .group_by(SaleLine.refund_of_id)
    )
    for line in db.session.query(SaleLine).filter(SaleLine.kind == "sale"):
        assert line.quantity + (refunded.get(line.id) or 0) >= 0
    figures = services.edition_sales_figures(edition)
    assert figures["owed_centimes"] + figures["commission_centimes"] == figures["sales_centimes"]
