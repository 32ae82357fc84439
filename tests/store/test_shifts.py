"""Tills and shifts: float, cash in and out, close with a count per denomination, handover, the
Z report; and properties over any sequence of sales, refunds, voids and cash movements."""

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func

from core.errors import DomainError
from core.extensions import db
from core.timeutil import to_local, utc_now
from store import services
from store.models import Sale, SaleLine, Shift
from store.services import shifts as shift_services
from store.services.sales import refundable_quantities
from store.services.tills import register_day_summary


def error_code(function, *args, **kwargs):
    try:
        function(*args, **kwargs)
    except DomainError as error:
        return error.code
    return None


def sell_with(edition, site, product, quantity, actor, payments, register="till-1"):
    sale, _replayed = services.record_sale(
        edition,
        site,
        str(uuid.uuid4()),
        register,
        "store",
        "cash",
        utc_now(),
        [(product.sku, quantity, product.price_centimes)],
        actor,
        payments=payments,
    )
    return sale


def test_shift_open_move_close_and_hand_over(
    store_edition, make_product, stock, cashier, make_user
):
    site = store_edition.sites[0]
    honey = make_product(price=4500)
    stock(honey, site, 20)
    till = shift_services.ensure_till(site, "till-2")
    assert till.names["fr"] == "Caisse 2" and till.names["ar"] == "الصندوق 2"
    shift = shift_services.open_shift(till, 50000, cashier)
    assert error_code(shift_services.open_shift, till, 100, cashier) == "shift_open"
    sell_with(store_edition, site, honey, 2, cashier, None, register="till-2")  # 90 cash
    sell_with(
        store_edition,
        site,
        honey,
        2,
        cashier,
        [
            {"method": "cash", "amount_centimes": 3000},
            {"method": "card", "amount_centimes": 6000, "reference": "123456"},
        ],
        register="till-2",
    )
    shift_services.record_cash_movement(shift, "out", 20000, "to the safe", cashier)
    shift_services.record_cash_movement(shift, "in", 1000, "coins for change", cashier)
    assert error_code(shift_services.record_cash_movement, shift, "out", 100, " ", cashier) == (
        "reason_required"
    )
    assert error_code(shift_services.record_cash_movement, shift, "up", 100, "x", cashier) == (
        "bad_kind"
    )
    figures = shift_services.shift_figures(shift)
    assert figures["expected_cash_centimes"] == 50000 + 9000 + 3000 - 20000 + 1000
    # 430 MAD expected; counted 2 × 200 + 1 × 20 + 5 × 2 = 430
    assert error_code(shift_services.close_shift, shift, {20000: 2}, "", cashier) == (
        "comment_required"
    )
    assert error_code(shift_services.close_shift, shift, {300: 1}, "", cashier) == (
        "bad_denomination"
    )
    next_cashier = make_user("cashier", username="amina")
    following = shift_services.hand_over(
        shift, {20000: 2, 2000: 1, 200: 5}, "", cashier, next_cashier
    )
    db.session.commit()
    assert shift.closed_at is not None and shift.difference_centimes == 0
    assert shift.counted == {"20000": 2, "2000": 1, "200": 5}
    assert following.float_centimes == 43000 and following.previous_id == shift.id
    assert following.cashier_id == next_cashier.id
    day = to_local(utc_now()).date()
    summary = register_day_summary(site, "till-2", day)
    assert summary["float_centimes"] == 50000  # a handover brings no new money
    assert summary["totals"] == {"cash": 12000, "card": 6000}
    assert summary["cash_in_centimes"] == 1000 and summary["cash_out_centimes"] == 20000
    assert summary["expected_cash_centimes"] == 43000
    shift_services.close_shift(following, {20000: 2, 1000: 2}, "20 MAD short", next_cashier)
    close = services.close_till(site, "till-2", day, 42000, "short", cashier)
    db.session.commit()
    assert close.float_centimes == 50000 and close.shifts_difference_centimes == -1000
    assert close.difference_centimes == -1000 and close.totals == {"cash": 12000, "card": 6000}


def test_organiser_sees_open_tills_with_running_totals(
    store_edition, make_product, stock, cashier, organiser
):
    site = store_edition.sites[0]
    honey = make_product(price=4500)
    stock(honey, site, 5)
    shift = shift_services.open_shift(shift_services.ensure_till(site, "till-1"), 10000, cashier)
    sell_with(store_edition, site, honey, 1, cashier, None)
    db.session.commit()
    ((open_shift, figures),) = shift_services.open_shifts(site)
    assert open_shift.id == shift.id and open_shift.cashier_id == cashier.id
    assert figures["cash_sales_centimes"] == 4500 and figures["expected_cash_centimes"] == 14500


def test_shift_pages(client, login, store_edition, cashier, make_user):
    site = store_edition.sites[0]
    login(cashier)
    base = f"/store/editions/{store_edition.slug}/sites/{site.slug}/shifts"
    page = client.get(base + "?till=till-4")
    assert page.status_code == 200 and "<h1>Caisse 4 ·" in page.get_data(as_text=True)
    bad = client.post(base + "/open?till=till-4", data={"float_cash": "-5"})
    assert bad.status_code == 422
    opened = client.post(base + "/open?till=till-4", data={"float_cash": "500"})
    assert opened.status_code == 302
    shift = db.session.query(Shift).one()
    assert shift.float_centimes == 50000
    moved = client.post(
        f"{base}/{shift.id}/cash", data={"kind": "out", "amount": "100", "reason": "safe"}
    )
    assert moved.status_code == 302
    closed = client.post(f"{base}/{shift.id}/close", data={"count-20000": "2", "next_cashier": "0"})
    assert closed.status_code == 302
    db.session.expire_all()
    shift = db.session.get(Shift, shift.id)
    assert shift.counted_cash_centimes == 40000 and shift.difference_centimes == 0


operation = st.one_of(
    st.tuples(
        st.just("sell"),
        st.integers(0, 2),
        st.integers(1, 3),
        st.sampled_from(["cash", "card", "mobile", "split"]),
    ),
    st.tuples(st.just("refund"), st.integers(0, 50), st.integers(1, 2), st.just(None)),
    st.tuples(st.just("void"), st.integers(0, 50), st.just(0), st.just(None)),
    st.tuples(st.just("in"), st.integers(1, 50000), st.just(0), st.just(None)),
    st.tuples(st.just("out"), st.integers(1, 50000), st.just(0), st.just(None)),
)


def payments_for(method, total, split_cash):
    if method == "split":
        cash = max(1, min(total - 1, split_cash))
        return [
            {"method": "cash", "amount_centimes": cash},
            {"method": "mobile", "amount_centimes": total - cash, "reference": "MP-1"},
        ]
    reference = "654321" if method == "card" else None
    return [{"method": method, "amount_centimes": total, "reference": reference}]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(operation, min_size=1, max_size=20),
    prices=st.lists(st.integers(2, 50000), min_size=3, max_size=3),
    float_centimes=st.integers(0, 100000),
    split_cash=st.integers(1, 40000),
)
def test_z_expected_cash_and_every_centime_owed_once(
    app, make_edition, make_cooperative, operations, prices, float_centimes, split_cash
):
    from accounts.services import create_user
    from tests.conftest import empty_all_tables

    db.session.remove()
    empty_all_tables()
    organiser = create_user(f"org{uuid.uuid4().hex[:8]}", "long-password-1", "organiser")
    cashier = create_user(f"cash{uuid.uuid4().hex[:8]}", "long-password-1", "cashier")
    edition = make_edition(
        commission_basis_points=1250,
        starts_on=date(2022, 1, 1),
        ends_on=date(2030, 1, 1),
        hours=(0, 1440),
    )
    site = edition.sites[0]
    products = []
    for n, price in enumerate(prices):
        product = services.create_product(
            make_cooperative(),
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
        services.deposit_products(product.cooperative, site, [(product, 40)], "x", organiser)
        products.append(product)
    till = shift_services.ensure_till(site, "till-1")
    shift = shift_services.open_shift(till, float_centimes, cashier)
    model = {"sales": 0, "refunds": 0, "in": 0, "out": 0}
    sales = []
    for kind, index, quantity, method in operations:
        try:
            with db.session.begin_nested():
                apply(
                    kind,
                    index,
                    quantity,
                    method,
                    edition,
                    site,
                    products,
                    sales,
                    shift,
                    cashier,
                    model,
                    split_cash,
                )
        except DomainError:
            pass
    summary = register_day_summary(site, "till-1", to_local(utc_now()).date())
    expected = float_centimes + model["sales"] - model["refunds"] + model["in"] - model["out"]
    assert summary["expected_cash_centimes"] == expected
    assert shift_services.shift_figures(shift)["expected_cash_centimes"] == expected
    check_every_centime_owed_once(edition)
    db.session.rollback()


def apply(
    kind, index, quantity, method, edition, site, products, sales, shift, cashier, model, split_cash
):
    if kind == "sell":
        product = products[index]
        total = product.price_centimes * quantity
        parts = payments_for(method, total, split_cash)
        sale = sell_with(edition, site, product, quantity, cashier, parts)
        model["sales"] += sum(p["amount_centimes"] for p in parts if p["method"] == "cash")
        sales.append(sale)
    elif kind in ("in", "out"):
        shift_services.record_cash_movement(shift, kind, index, "reason", cashier)
        model[kind] += index
    elif sales:
        sale = sales[index % len(sales)]
        if kind == "void":
            lines = services.void_sale(sale, "void", cashier)
        else:
            line_id = next(iter(refundable_quantities(sale)))
            lines = services.refund_sale(sale, {line_id: quantity}, "refund", cashier)
        if any(p.method == "cash" for p in sale.payments):
            model["refunds"] += -sum(line.amount_centimes for line in lines)


def check_every_centime_owed_once(edition):
    """Each line belongs to one cooperative (its product's), owed + commission = amount, and a
    sale's lines add up to its total: every centime paid is owed to exactly one cooperative or
    kept as the store's commission on that cooperative's line."""
    for sale in db.session.query(Sale).filter(Sale.edition_id == edition.id):
        sold = [line for line in sale.lines if line.kind == "sale"]
        assert sum(line.amount_centimes for line in sold) == sale.total_centimes
        assert sum(part.amount_centimes for part in sale.payments) == sale.total_centimes
        for line in sale.lines:
            assert line.cooperative_id == line.product.cooperative_id
            assert line.owed_centimes + line.commission_centimes == line.amount_centimes
    per_cooperative = dict(
        db.session.query(
            SaleLine.cooperative_id,
            func.sum(SaleLine.owed_centimes + SaleLine.commission_centimes),
        )
        .filter(SaleLine.edition_id == edition.id)
        .group_by(SaleLine.cooperative_id)
    )
    total = (
        db.session.query(func.coalesce(func.sum(SaleLine.amount_centimes), 0))
        .filter(SaleLine.edition_id == edition.id)
        .scalar()
    )
    assert sum(int(v) for v in per_cooperative.values()) == int(total)


@pytest.mark.parametrize("role", ["volunteer", "cooperative"])
def test_only_staff_open_tills(store_edition, make_user, role):
    till = shift_services.ensure_till(store_edition.sites[0], "till-1")
    with pytest.raises(DomainError):
        shift_services.open_shift(till, 0, make_user(role))


def test_organiser_adds_a_named_till_and_sees_open_tills(
    client, login, store_edition, organiser, cashier
):
    site = store_edition.sites[0]
    shift_services.open_shift(shift_services.ensure_till(site, "till-1"), 20000, cashier)
    db.session.commit()
    login(organiser)
    base = f"/store/editions/{store_edition.slug}/sites/{site.slug}"
    assert client.post(base + "/tills/new", data={}).status_code == 422
    added = client.post(base + "/tills/new", data={"name_ar": "صندوق الزيوت", "name_fr": "Huiles"})
    assert added.status_code == 302 and "till=till-2" in added.headers["Location"]
    page = client.get(base + "/shifts?till=till-2").get_data(as_text=True)
    assert "Huiles" in page and 'id="open-tills"' in page
    assert cashier.username in page.split('id="open-tills"')[1].split("</section>")[0]
