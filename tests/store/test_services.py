"""Store rules, called directly: catalogue, quality, stock ledger, sales, refunds, tills,
payouts and their due dates."""

import uuid
from datetime import date, datetime, timedelta

import pytest

from core.errors import DomainError
from core.extensions import db
from core.timeutil import local_to_utc_naive, to_local, utc_now
from store import services
from store.models import Payout, Sale, SaleLine, StockLevel, StockMovement
from store.services.payouts import api_status, due_time, payout_status
from store.services.stock import ledger_balance
from store.services.tills import register_day_summary


def level(product, site):
    db.session.expire_all()
    row = db.session.get(StockLevel, (product.id, site.id))
    return row.quantity if row else 0


def error_code(call, *args, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value.code


@pytest.fixture
def site(store_edition):
    return store_edition.sites[0]


# ---------------------------------------------------------------- catalogue and quality


def test_sku_and_barcode_are_unique(make_product, organiser):
    product = make_product()
    values = {
        "sku": product.sku,
        "barcode": "999",
        "names": {"fr": "x"},
        "unit": "jar",
        "price_centimes": 100,
        "sector": "honey",
        "low_stock_at": 1,
    }
    code = error_code(services.create_product, product.cooperative, values, organiser)
    assert code == "duplicate_sku"
    values.update(sku="OTHER", barcode=product.barcode)
    assert error_code(services.create_product, product.cooperative, values, organiser) == (
        "duplicate_barcode"
    )


@pytest.mark.parametrize("price", [0, -100, None])
def test_price_must_be_positive(make_cooperative, organiser, price):
    values = {
        "sku": "A-1",
        "barcode": "1",
        "names": {"fr": "x"},
        "unit": "jar",
        "price_centimes": price,
        "sector": "honey",
        "low_stock_at": 1,
    }
    assert error_code(services.create_product, make_cooperative(), values, organiser) == "bad_price"


def test_failed_check_blocks_until_a_later_check_passes(make_product, organiser):
    product = make_product()
    services.record_quality_check(product, date(2024, 1, 10), "ONSSA", "fail", "label", organiser)
    assert product.blocked
    services.record_quality_check(product, date(2024, 1, 5), "ONSSA", "pass", "", organiser)
    assert product.blocked  # an earlier check does not lift the block
    services.record_quality_check(product, date(2024, 1, 20), "ONSSA", "pass", "", organiser)
    assert not product.blocked
    assert services.block_reason(product) is None


def test_failed_check_needs_notes_and_an_organiser(make_product, organiser, cashier):
    product = make_product()
    assert (
        error_code(
            services.record_quality_check, product, date(2024, 1, 1), "X", "fail", "", organiser
        )
        == "rule_broken"
    )
    assert (
        error_code(
            services.record_quality_check, product, date(2024, 1, 1), "X", "pass", "", cashier
        )
        == "forbidden"
    )


# ---------------------------------------------------------------- stock


def test_deposit_return_adjust_keep_ledger_and_level_equal(make_product, stock, organiser, site):
    product = make_product()
    stock(product, site, 10)
    services.return_products(product.cooperative, site, [(product, 3)], "Ali", organiser)
    services.adjust_stock(product, site, -2, "breakage", "", organiser)
    db.session.commit()
    assert level(product, site) == 5 == ledger_balance(product.id, site.id)
    kinds = [m.kind for m in db.session.query(StockMovement).order_by(StockMovement.id)]
    assert kinds == ["deposit", "return", "adjustment"]


def test_stock_never_goes_negative(make_product, stock, organiser, site):
    product = make_product()
    stock(product, site, 2)
    assert (
        error_code(
            services.return_products, product.cooperative, site, [(product, 3)], "A", organiser
        )
        == "out_of_stock"
    )
    assert error_code(services.adjust_stock, product, site, -5, "count", "", organiser) == (
        "out_of_stock"
    )
    assert level(product, site) == 2 == ledger_balance(product.id, site.id)


def test_deposit_of_another_cooperatives_product_is_refused(
    make_product, make_cooperative, organiser, site
):
    product = make_product()
    assert (
        error_code(
            services.deposit_products, make_cooperative(), site, [(product, 1)], "A", organiser
        )
        == "wrong_cooperative"
    )


def test_cooperative_user_cannot_record_handover(make_product, make_user, site):
    product = make_product()
    user = make_user("cooperative", cooperative=product.cooperative)
    assert (
        error_code(services.deposit_products, product.cooperative, site, [(product, 1)], "A", user)
        == "forbidden"
    )


# ---------------------------------------------------------------- sales


def sale_args(edition, site, lines, **overrides):
    args = {
        "edition": edition,
        "site": site,
        "client_id": str(uuid.uuid4()),
        "register": "till-1",
        "channel": "store",
        "payment": "cash",
        "sold_at": utc_now(),
        "lines": lines,
    }
    args.update(overrides)
    return args


def test_sale_decrements_stock_and_splits_commission(
    store_edition, site, make_product, stock, cashier
):
    product = make_product(price=4999)
    stock(product, site, 5)
    sale, replayed = services.record_sale(
        actor=cashier, **sale_args(store_edition, site, [(product.sku, 3, 4999)])
    )
    db.session.commit()
    assert not replayed and sale.total_centimes == 14997
    line = sale.lines[0]
    # 12.5 % of 149.97 = 18.74625 → 18.75 (half up); owed 131.22
    assert (line.commission_centimes, line.owed_centimes) == (1875, 13122)
    assert level(product, site) == 2 == ledger_balance(product.id, site.id)


def test_same_client_id_records_once(store_edition, site, make_product, stock, cashier):
    product = make_product()
    stock(product, site, 5)
    args = sale_args(store_edition, site, [(product.sku, 1, product.price_centimes)])
    first, _ = services.record_sale(actor=cashier, **args)
    db.session.commit()
    again, replayed = services.record_sale(actor=cashier, **args)
    assert replayed and again.id == first.id
    assert db.session.query(Sale).count() == 1 and level(product, site) == 4


@pytest.mark.parametrize(
    "change, code",
    [
        ({"quantity": 0}, "bad_quantity"),
        ({"quantity": -1}, "bad_quantity"),
        ({"quantity": 6}, "out_of_stock"),
        ({"price": 0}, "bad_price"),
        ({"price": -4500}, "bad_price"),
        ({"price": 4000}, "price_mismatch"),
        ({"sku": "NOPE"}, "unknown_product"),
    ],
)
def test_bad_sales_write_nothing(store_edition, site, make_product, stock, cashier, change, code):
    product = make_product()
    second = make_product()
    stock(product, site, 5)
    stock(second, site, 5)
    line = (
        change.get("sku", product.sku),
        change.get("quantity", 1),
        change.get("price", product.price_centimes),
    )
    lines = [(second.sku, 1, second.price_centimes), line]  # the good line must be undone too
    assert (
        error_code(services.record_sale, actor=cashier, **sale_args(store_edition, site, lines))
        == code
    )
    assert db.session.query(Sale).count() == 0 and db.session.query(SaleLine).count() == 0
    assert level(product, site) == 5 and level(second, site) == 5


def test_blocked_product_cannot_be_sold(
    store_edition, site, make_product, stock, cashier, organiser
):
    product = make_product()
    stock(product, site, 5)
    services.record_quality_check(product, date(2024, 1, 1), "X", "fail", "mould", organiser)
    db.session.commit()
    assert (
        error_code(
            services.record_sale,
            actor=cashier,
            **sale_args(store_edition, site, [(product.sku, 1, product.price_centimes)]),
        )
        == "blocked_product"
    )


def test_sales_need_an_open_edition_and_staff(
    make_edition, make_product, stock, cashier, make_user
):
    edition = make_edition(status="closed")
    site = edition.sites[0]
    product = make_product()
    args = sale_args(edition, site, [(product.sku, 1, product.price_centimes)])
    assert error_code(services.record_sale, actor=cashier, **args) == "not_open"
    assert error_code(
        services.record_sale, actor=make_user("volunteer"), **dict(args, edition=make_edition())
    ) in ("forbidden", "out_of_stock")


def test_sale_in_the_future_is_refused(store_edition, site, make_product, stock, cashier):
    product = make_product()
    stock(product, site, 5)
    args = sale_args(
        store_edition,
        site,
        [(product.sku, 1, product.price_centimes)],
        sold_at=utc_now() + timedelta(hours=2),
    )
    assert error_code(services.record_sale, actor=cashier, **args) == "bad_time"


# ---------------------------------------------------------------- refunds and voids


def test_refund_is_a_new_line_and_restocks(store_edition, site, make_product, stock, sell, cashier):
    product = make_product()
    stock(product, site, 5)
    sale = sell(store_edition, site, [(product, 3)])
    original = sale.lines[0]
    services.refund_sale(sale, {original.id: 2}, "damaged", cashier)
    db.session.commit()
    assert level(product, site) == 4
    refund = db.session.query(SaleLine).filter_by(kind="refund").one()
    assert refund.quantity == -2 and refund.amount_centimes == -9000
    assert refund.owed_centimes + refund.commission_centimes == -9000
    assert original.quantity == 3  # never edited
    assert error_code(services.refund_sale, sale, {original.id: 2}, "again", cashier) == (
        "refund_too_large"
    )
    assert error_code(services.refund_sale, sale, {original.id: 1}, "", cashier) == (
        "reason_required"
    )


def test_void_cancels_what_is_left_once(store_edition, site, make_product, stock, sell, cashier):
    product = make_product()
    stock(product, site, 5)
    sale = sell(store_edition, site, [(product, 2)])
    services.void_sale(sale, "wrong basket", cashier)
    db.session.commit()
    assert sum(line.amount_centimes for line in sale.lines) == 0
    assert level(product, site) == 5
    assert error_code(services.void_sale, sale, "again", cashier) == "already_void"


def test_refund_with_client_id_is_recorded_once(
    store_edition, site, make_product, stock, sell, cashier
):
    product = make_product()
    stock(product, site, 5)
    sale = sell(store_edition, site, [(product, 3)])
    refund_id = str(uuid.uuid4())
    services.refund_sale(sale, {sale.lines[0].id: 1}, "x", cashier, client_id=refund_id)
    db.session.commit()
    services.refund_sale(sale, {sale.lines[0].id: 1}, "x", cashier, client_id=refund_id)
    db.session.commit()
    assert db.session.query(SaleLine).filter_by(kind="refund").count() == 1


# ---------------------------------------------------------------- till close


def test_till_close_once_with_expected_cash(
    store_edition, site, make_product, stock, sell, cashier
):
    product = make_product()
    stock(product, site, 10)
    sell(store_edition, site, [(product, 2)], payment="cash")
    sell(store_edition, site, [(product, 1)], payment="card")
    refunded = sell(store_edition, site, [(product, 1)], payment="cash")
    services.refund_sale(refunded, {refunded.lines[0].id: 1}, "changed mind", cashier)
    db.session.commit()
    day = to_local(utc_now()).date()
    summary = register_day_summary(site, "till-1", day)
    assert summary["expected_cash_centimes"] == 9000
    assert summary["totals"] == {"cash": 9000, "card": 4500}
    assert summary["sales_count"] == 3
    close = services.close_till(site, "till-1", day, 9000, "", cashier)
    db.session.commit()
    assert close.difference_centimes == 0
    assert error_code(services.close_till, site, "till-1", day, 9000, "", cashier) == "till_closed"
    assert error_code(services.close_till, site, "till-2", day, -1, "", cashier) == "bad_amount"


# ---------------------------------------------------------------- due dates and payouts


def local(text):
    return local_to_utc_naive(datetime.fromisoformat(text))


@pytest.mark.parametrize(
    "sold_local, channel, due_local",
    [
        ("2022-11-06T10:15", "store", "2022-11-09T10:15"),
        ("2022-11-06T10:15", "online", "2022-11-09T10:15"),
        ("2022-11-06T10:15", "retail", "2022-11-16T10:15"),
        # 23:30 in Morocco is 22:30 UTC: the due day is the local one
        ("2022-11-06T23:30", "store", "2022-11-09T23:30"),
        ("2022-11-06T23:30", "retail", "2022-11-16T23:30"),
        # 00:30 local is still the previous day in UTC
        ("2022-11-07T00:30", "store", "2022-11-10T00:30"),
        ("2022-11-07T00:30", "retail", "2022-11-17T00:30"),
        # across the Ramadan change of offset (2024-03-10: +01:00 → +00:00): retail keeps the
        # local wall-clock time, 72 h stays 72 hours
        ("2024-03-08T12:00", "retail", "2024-03-18T12:00"),
        ("2024-03-09T12:00", "store", "2024-03-12T11:00"),
    ],
)
def test_due_dates_in_morocco(sold_local, channel, due_local):
    due = due_time(local(sold_local), channel)
    assert to_local(due).replace(tzinfo=None) == datetime.fromisoformat(due_local)


def test_payouts_group_by_cooperative_and_local_due_day(
    store_edition, site, make_product, stock, sell, organiser
):
    product = make_product()
    stock(product, site, 20)
    late_evening = local("2024-05-01T23:30")
    just_after_midnight = local("2024-05-02T00:30")
    sell(store_edition, site, [(product, 1)], sold_at=late_evening)
    sell(store_edition, site, [(product, 1)], sold_at=just_after_midnight)
    sell(store_edition, site, [(product, 2)], sold_at=local("2024-05-02T18:00"))
    sell(store_edition, site, [(product, 1)], sold_at=local("2024-05-02T18:00"), channel="retail")
    services.compute_payouts(store_edition)
    db.session.commit()
    payouts = db.session.query(Payout).order_by(Payout.due_at).all()
    assert [(p.due_on, p.lines_count) for p in payouts] == [
        (date(2024, 5, 4), 1),
        (date(2024, 5, 5), 2),
        (date(2024, 5, 12), 1),
    ]
    assert payouts[1].due_at == just_after_midnight + timedelta(hours=72)
    total = sum(p.amount_centimes for p in payouts)
    assert total == services.edition_sales_figures(store_edition)["owed_centimes"]
    # computing again attaches nothing twice
    assert services.compute_payouts(store_edition) == 0


def test_payout_statuses_and_paid_once(store_edition, site, make_product, stock, sell, organiser):
    product = make_product()
    stock(product, site, 20)
    now = utc_now()
    # Due 24 h ago, in 12 h and in 72 h: at least 36 h apart, so always three local due days.
    sell(store_edition, site, [(product, 1)], sold_at=now - timedelta(hours=96))
    sell(store_edition, site, [(product, 1)], sold_at=now - timedelta(hours=60))
    sell(store_edition, site, [(product, 1)], sold_at=now - timedelta(minutes=1))
    services.compute_payouts(store_edition)
    db.session.commit()
    payouts = db.session.query(Payout).order_by(Payout.due_at).all()
    assert [payout_status(p, now) for p in payouts] == ["overdue", "due_soon", "due"]
    assert [api_status(p, now) for p in payouts] == ["overdue", "due", "due"]
    overdue = payouts[0]
    services.mark_payout_paid(overdue, now, "VIR-1", organiser)
    db.session.commit()
    assert payout_status(overdue) == "paid"
    assert error_code(services.mark_payout_paid, overdue, now, "VIR-2", organiser) == (
        "already_paid"
    )
    db.session.expire_all()
    assert db.session.get(Payout, overdue.id).reference == "VIR-1"
    figures = services.edition_sales_figures(store_edition)
    assert figures["paid_centimes"] == overdue.amount_centimes
    assert figures["paid_on_time_share"] == 0.0  # the only payout that fell due was paid late


def test_sale_after_payment_goes_to_a_new_payout(
    store_edition, site, make_product, stock, sell, organiser
):
    product = make_product()
    stock(product, site, 20)
    sold_at = local("2024-05-01T10:00")
    sell(store_edition, site, [(product, 1)], sold_at=sold_at)
    services.compute_payouts(store_edition)
    payout = db.session.query(Payout).one()
    services.mark_payout_paid(payout, utc_now(), "VIR-1", organiser)
    db.session.commit()
    sell(store_edition, site, [(product, 1)], sold_at=sold_at + timedelta(minutes=5))
    services.compute_payouts(store_edition)
    db.session.commit()
    payouts = db.session.query(Payout).order_by(Payout.id).all()
    assert len(payouts) == 2 and payouts[0].amount_centimes == payouts[1].amount_centimes
    assert payouts[0].paid_at and not payouts[1].paid_at


def test_mark_paid_rules(store_edition, site, make_product, stock, sell, organiser, cashier):
    product = make_product()
    stock(product, site, 5)
    sell(store_edition, site, [(product, 1)])
    services.compute_payouts(store_edition)
    payout = db.session.query(Payout).one()
    assert error_code(services.mark_payout_paid, payout, utc_now(), "", organiser) == (
        "reference_required"
    )
    assert error_code(services.mark_payout_paid, payout, utc_now(), "V", cashier) == "forbidden"
    assert (
        error_code(services.mark_payout_paid, payout, utc_now() + timedelta(days=1), "V", organiser)
        == "bad_time"
    )


def test_edition_sales_figures_contract(store_edition, site, make_product, stock, sell, cashier):
    product = make_product()
    stock(product, site, 10)
    sale = sell(store_edition, site, [(product, 2)], payment="card")
    sell(store_edition, site, [(product, 1)], channel="online", payment="transfer")
    services.refund_sale(sale, {sale.lines[0].id: 1}, "x", cashier)
    db.session.commit()
    figures = services.edition_sales_figures(store_edition)
    assert set(figures) >= {
        "sales_centimes",
        "owed_centimes",
        "commission_centimes",
        "paid_centimes",
        "overdue_centimes",
        "paid_on_time_share",
        "by_cooperative",
        "by_channel",
        "by_payment",
        "by_site",
        "by_day",
        "lines",
    }
    assert figures["sales_centimes"] == 9000
    assert figures["owed_centimes"] + figures["commission_centimes"] == 9000
    assert figures["by_cooperative"] == {product.cooperative_id: 9000}
    assert figures["by_channel"] == {"store": 4500, "online": 4500}
    assert figures["by_payment"] == {"card": 4500, "transfer": 4500}
    assert figures["by_site"] == {site.slug: 9000}
    assert sum(figures["by_day"].values()) == 9000
    assert figures["lines"] == 3 and figures["paid_on_time_share"] is None
