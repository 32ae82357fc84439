"""The sales tallies: after any sequence of sales, refunds, voids, payout runs and payments
(hypothesis), the figures read from the tallies equal an independent computation over the raw
sale lines, and the tallies kept by the writes equal the ones rebuilt from the lines."""

import importlib.util
import uuid
from datetime import date, timedelta
from pathlib import Path

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from core.extensions import db
from core.timeutil import to_local, utc_now
from store import services
from store.models import Payout, Sale, SaleLine, SalePayment, SalesTally
from store.services import reports
from store.services.sales import refundable_quantities
from store.services.tallies import rebuild_tallies

operation = st.one_of(
    st.tuples(
        st.just("sell"),
        st.integers(0, 3),  # product
        st.integers(1, 4),  # quantity
        st.sampled_from(("store", "online", "retail")),
        st.sampled_from(("cash", "mobile", "split")),
        st.integers(0, 14 * 24),  # hours ago
    ),
    st.tuples(st.just("refund"), st.integers(0, 40), st.integers(1, 3)),
    st.tuples(st.just("void"), st.integers(0, 40)),
    st.tuples(st.just("payouts")),
    st.tuples(st.just("pay"), st.integers(0, 40)),
)


def make_world(make_edition, make_cooperative):
    from accounts.services import create_user

    organiser = create_user(f"org{uuid.uuid4().hex[:8]}", "long-password-1", "organiser")
    cashier = create_user(f"cash{uuid.uuid4().hex[:8]}", "long-password-1", "cashier")
    edition = make_edition(
        status="open",
        commission_basis_points=1250,
        starts_on=date(2022, 1, 1),
        ends_on=date(2030, 1, 1),
        hours=(0, 1440),
    )
    cooperatives = [make_cooperative(), make_cooperative()]
    products = []
    for number in range(4):
        product = services.create_product(
            cooperatives[number % 2],
            {
                "sku": f"T-{number}",
                "barcode": f"TB-{number}",
                "names": {"fr": f"p{number}"},
                "unit": "jar",
                "price_centimes": 1000 + 333 * number,
                "sector": ("honey", "argan")[number // 2],
                "onssa_number": f"AG.01.{number + 1:03d}.22",
                "onssa_kind": "approval",
                "low_stock_at": 1,
            },
            organiser,
        )
        for site in edition.sites:
            services.deposit_products(product.cooperative, site, [(product, 500)], "x", organiser)
        products.append(product)
    return edition, products, organiser, cashier


def sell(edition, product, quantity, channel, payment, hours_ago, cashier):
    site = None if channel == "online" else edition.sites[hours_ago % len(edition.sites)]
    total = quantity * product.price_centimes
    parts = None
    if payment == "split" and total > 1:
        parts = [
            {"method": "cash", "amount_centimes": total // 3 or 1},
            {"method": "mobile", "amount_centimes": total - (total // 3 or 1)},
        ]
    sale, _replayed = services.record_sale(
        edition,
        site,
        str(uuid.uuid4()),
        "t",
        channel,
        "cash" if payment == "split" else payment,
        utc_now() - timedelta(hours=hours_ago),
        [(product.sku, quantity, product.price_centimes)],
        cashier,
        payments=parts,
    )
    return sale


def apply(step, edition, products, sales, organiser, cashier):
    kind = step[0]
    if kind == "sell":
        _kind, index, quantity, channel, payment, hours_ago = step
        sales.append(sell(edition, products[index], quantity, channel, payment, hours_ago, cashier))
    elif kind == "payouts":
        services.compute_payouts(edition)
    elif kind == "pay":
        unpaid = (
            db.session.query(Payout)
            .filter(Payout.edition_id == edition.id, Payout.paid_at.is_(None))
            .order_by(Payout.id)
            .all()
        )
        if unpaid:
            payout = unpaid[step[1] % len(unpaid)]
            services.mark_payout_paid(payout, utc_now(), f"VIR-{payout.id}", organiser)
    elif sales:
        sale = sales[step[1] % len(sales)]
        if kind == "void":
            services.void_sale(sale, "void", cashier)
        else:
            line_id = next(iter(refundable_quantities(sale)))
            services.refund_sale(sale, {line_id: step[2]}, "refund", cashier)


def summed(lines, key, value=lambda line: line.amount_centimes):
    result = {}
    for line in lines:
        result[key(line)] = result.get(key(line), 0) + value(line)
    return result


def expected_edition_figures(edition, now):
    """The store's figures computed from the raw lines, payments and payouts, in Python."""
    lines = db.session.query(SaleLine).filter(SaleLine.edition_id == edition.id).all()
    paid = {p.id for p in db.session.query(Payout).filter(Payout.paid_at.isnot(None))}
    slugs = {site.id: site.slug for site in edition.sites}
    by_payment = summed([line for line in lines if line.payment != "split"], lambda x: x.payment)
    parts = (
        db.session.query(SalePayment)
        .join(Sale, Sale.id == SalePayment.sale_id)
        .filter(Sale.edition_id == edition.id, Sale.payment == "split")
    )
    for part in parts:
        by_payment[part.method] = by_payment.get(part.method, 0) + part.amount_centimes
    return {
        "sales_centimes": sum(line.amount_centimes for line in lines),
        "owed_centimes": sum(line.owed_centimes for line in lines),
        "commission_centimes": sum(line.commission_centimes for line in lines),
        "paid_centimes": sum(line.owed_centimes for line in lines if line.payout_id in paid),
        "overdue_centimes": sum(
            line.owed_centimes for line in lines if line.payout_id not in paid and line.due_at < now
        ),
        "by_cooperative": summed(lines, lambda x: x.cooperative_id),
        "by_channel": summed(lines, lambda x: x.channel),
        "by_payment": by_payment,
        "by_site": {
            slugs[key]: value
            for key, value in summed(lines, lambda x: x.site_id).items()
            if key is not None
        },
        "by_day": dict(sorted(summed(lines, lambda x: x.local_day.isoformat()).items())),
        "lines": len(lines),
    }


def expected_cooperative_sales(cooperative, edition):
    lines = (
        db.session.query(SaleLine)
        .filter(SaleLine.edition_id == edition.id, SaleLine.cooperative_id == cooperative.id)
        .all()
    )
    slugs = {site.id: site.slug for site in edition.sites}
    quantities = summed(lines, lambda x: x.product_id, lambda x: x.quantity)
    owed = summed(lines, lambda x: x.product_id, lambda x: x.owed_centimes)
    return {
        "sales_centimes": sum(line.amount_centimes for line in lines),
        "owed_centimes": sum(line.owed_centimes for line in lines),
        "commission_centimes": sum(line.commission_centimes for line in lines),
        "lines": len(lines),
        "by_product": {
            pid: (quantities[pid], amount, owed[pid])
            for pid, amount in summed(lines, lambda x: x.product_id).items()
        },
        "by_day": summed(lines, lambda x: x.local_day.isoformat()),
        "by_site": summed(lines, lambda x: slugs.get(x.site_id, "")),
        "by_channel": summed(lines, lambda x: x.channel),
    }


def tally_rows(edition):
    return sorted(
        (row.cooperative_id, row.dimension, row.key)
        + (row.quantity, row.amount_centimes, row.owed_centimes)
        + (row.commission_centimes, row.lines)
        for row in db.session.query(SalesTally).filter(SalesTally.edition_id == edition.id)
    )


def check_figures(edition, products):
    now = utc_now()
    figures = services.edition_sales_figures(edition)
    expected = expected_edition_figures(edition, now)
    for name, value in expected.items():
        assert figures[name] == value, name
    sectors = summed(
        db.session.query(SaleLine).filter(SaleLine.edition_id == edition.id),
        lambda x: x.product.sector,
    )
    assert reports.sales_by_sector(edition) == sectors
    assert reports.sales_by_province(edition) == summed(
        db.session.query(SaleLine).filter(SaleLine.edition_id == edition.id),
        lambda x: x.product.cooperative.province,
    )
    named = reports.sales_by_cooperative_named(edition)
    assert {c.id: amount for c, amount in named} == expected["by_cooperative"]
    assert [amount for _c, amount in named] == sorted(expected["by_cooperative"].values())[::-1]
    for cooperative in {product.cooperative for product in products}:
        own = services.cooperative_sales(cooperative, edition)
        wanted = expected_cooperative_sales(cooperative, edition)
        assert {
            row["product_id"]: (row["quantity"], row["amount_centimes"], row["owed_centimes"])
            for row in own["by_product"]
        } == wanted.pop("by_product")
        amounts = [row["amount_centimes"] for row in own["by_product"]]
        assert amounts == sorted(amounts, reverse=True)
        for name, value in wanted.items():
            assert own[name] == value, name
    kept = tally_rows(edition)
    rebuild_tallies(edition.id)
    assert tally_rows(edition) == kept


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=20))
def test_tallied_figures_equal_the_raw_lines(app, make_edition, make_cooperative, operations):
    from tests.conftest import empty_all_tables

    db.session.remove()
    empty_all_tables()
    edition, products, organiser, cashier = make_world(make_edition, make_cooperative)
    sales = []
    for step in operations:
        try:
            with db.session.begin_nested():
                apply(step, edition, products, sales, organiser, cashier)
        except DomainError:
            pass
    db.session.commit()
    check_figures(edition, products)
    db.session.rollback()


def test_overdue_reads_only_the_lines_due_today(app, store_edition, make_product, stock, sell):
    """A line due earlier today counts as overdue; one due later today does not."""
    product = make_product()
    site = store_edition.sites[0]
    stock(product, site, 10)
    now = utc_now()
    local_now = to_local(now)
    # 72 h before: due now minus a minute (overdue) or plus a minute (not yet), both today
    sell(store_edition, site, [(product, 1)], sold_at=now - timedelta(hours=72, minutes=1))
    sell(store_edition, site, [(product, 2)], sold_at=now - timedelta(hours=71, minutes=59))
    figures = services.edition_sales_figures(store_edition)
    owed_one = product.price_centimes - (product.price_centimes * 1250 + 5000) // 10000
    due_today = {to_local(line.due_at).date() for line in db.session.query(SaleLine).all()} == {
        local_now.date()
    }
    if due_today:  # (not across local midnight)
        assert figures["overdue_centimes"] == owed_one


def test_the_migration_back_fills_what_the_writes_keep(app, make_edition, make_cooperative):
    """The migration's SQL back-fill gives the same tallies as the services kept."""
    edition, products, organiser, cashier = make_world(make_edition, make_cooperative)
    sales = [
        sell(edition, products[n % 4], 1 + n % 3, channel, payment, n * 7, cashier)
        for n, (channel, payment) in enumerate(
            [("store", "cash"), ("online", "split"), ("retail", "mobile"), ("store", "split")] * 2
        )
    ]
    services.refund_sale(sales[0], {sales[0].lines[0].id: 1}, "refund", cashier)
    services.void_sale(sales[1], "void", cashier)
    db.session.commit()
    kept = tally_rows(edition)
    assert any(row[1] == "due_hour" for row in kept)
    db.session.query(SalesTally).delete()
    with Operations.context(MigrationContext.configure(db.session.connection())):
        for pattern in ("h15a_*_sales_tallies.py", "s6_*_due_hour_tallies.py"):
            migration_module(pattern).backfill()
    assert tally_rows(edition) == kept
    db.session.rollback()


def migration_module(pattern):
    path = next(Path("migrations/versions").glob(pattern))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_overdue_at_any_moment_equals_the_unpaid_lines_due_before_it(
    app, make_edition, make_cooperative
):
    """Today's part of the overdue figure comes from the hourly tallies of the hours gone by and
    the lines of the current hour, less today's paid payouts: at every moment of the day
    (each line's due time and the hours' edges) it equals the raw lines."""
    edition, products, organiser, cashier = make_world(make_edition, make_cooperative)
    for hours in range(-3, 21):  # store sales fall due 72 h after: from 20 h ago to 3 h ahead
        sell(edition, products[hours % 4], 1 + hours % 2, "store", "cash", 72 + hours, cashier)
    services.compute_payouts(edition)
    today = to_local(utc_now()).date()
    paid = db.session.query(Payout).filter(Payout.due_on == today).order_by(Payout.id).first()
    services.mark_payout_paid(paid, utc_now(), "VIR-1", organiser)
    db.session.commit()
    lines = db.session.query(SaleLine).filter(SaleLine.edition_id == edition.id).all()
    paid_ids = {p.id for p in db.session.query(Payout).filter(Payout.paid_at.isnot(None))}
    moments = {utc_now()}
    for line in lines:
        moments |= {line.due_at, line.due_at + timedelta(microseconds=1)}
        hour = line.due_at.replace(minute=0, second=0, microsecond=0)
        moments |= {hour, hour - timedelta(microseconds=1)}
    assert any(line.payout_id in paid_ids for line in lines)
    for moment in sorted(moments):
        expected = sum(
            line.owed_centimes
            for line in lines
            if line.due_at < moment and line.payout_id not in paid_ids
        )
        assert reports.overdue_owed(edition, moment) == expected, moment
