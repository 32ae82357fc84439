"""Field API of the store (API.md): sales recorded once, products, a cooperative's own data."""

import uuid

import pytest

from core.extensions import db
from store import services
from store.models import Sale, SaleLine, SalePayment, StockLevel
from store.services.reports import edition_sales_figures


@pytest.fixture
def counter(store_edition, make_product, stock):
    site = store_edition.sites[1]
    honey = make_product(price=4500)
    oil = make_product(price=9000, sector="olive_oil")
    stock(honey, site, 5)
    stock(oil, site, 1)
    return {"edition": store_edition, "site": site, "honey": honey, "oil": oil}


def body(counter, lines=None, **values):
    sale = {
        "id": str(uuid.uuid4()),
        "edition": counter["edition"].slug,
        "site": counter["site"].slug,
        "register": "till-1",
        "channel": "store",
        "payment": "cash",
        "sold_at": "2026-01-10T10:15:00+01:00",
        "lines": [{"product": counter["honey"].sku, "quantity": 2, "unit_price_centimes": 4500}]
        if lines is None
        else lines,
    }
    sale.update(values)
    return sale


ENDPOINTS = [
    ("post", "/api/v1/sales"),
    ("get", "/api/v1/products?edition=x&site=y"),
    ("post", "/api/v1/sales/00000000-0000-0000-0000-000000000000/refunds"),
    ("get", "/api/v1/me/sales"),
    ("get", "/api/v1/me/payouts"),
]
ALLOWED = {
    "/api/v1/sales": {"cashier", "organiser"},
    "/api/v1/products?edition=x&site=y": {"cashier", "organiser"},
    "/api/v1/sales/00000000-0000-0000-0000-000000000000/refunds": {"cashier", "organiser"},
    "/api/v1/me/sales": {"cooperative"},
    "/api/v1/me/payouts": {"cooperative"},
}


@pytest.mark.parametrize("method, url", ENDPOINTS)
def test_missing_token_is_401(client, method, url):
    response = getattr(client, method)(url, json={})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("method, url", ENDPOINTS)
@pytest.mark.parametrize("role", ["organiser", "volunteer", "cashier", "cooperative"])
def test_roles(client, make_user, api_headers, method, url, role):
    response = getattr(client, method)(url, json={}, headers=api_headers(make_user(role)))
    if role in ALLOWED[url]:
        assert response.status_code not in (401, 403)
    else:
        assert response.status_code == 403


def test_sale_is_recorded_once_and_replayed(client, api_headers, cashier, counter):
    headers, sale = api_headers(cashier), body(counter)
    first = client.post("/api/v1/sales", json=sale, headers=headers)
    assert first.status_code == 201
    assert first.json == {
        "id": sale["id"],
        "total_centimes": 9000,
        "replayed": False,
        "receipt_url": first.json["receipt_url"],
        "payment": "cash",
        "payments": [{"method": "cash", "amount_centimes": 9000, "reference": None, "phone": None}],
    }
    again = client.post("/api/v1/sales", json=sale, headers=headers)
    assert again.status_code == 200 and again.json["replayed"] is True
    assert again.json["total_centimes"] == 9000
    assert db.session.query(Sale).count() == 1
    assert db.session.get(StockLevel, (counter["honey"].id, counter["site"].id)).quantity == 3
    sold = db.session.query(Sale).one()
    assert sold.sold_at.isoformat() == "2026-01-10T09:15:00"  # stored in UTC


@pytest.mark.parametrize(
    "line, code",
    [
        ({"quantity": 2, "product": "oil"}, "out_of_stock"),
        ({"quantity": 0}, "bad_quantity"),
        ({"quantity": -1}, "bad_quantity"),
        ({"unit_price_centimes": 0}, "bad_price"),
        ({"unit_price_centimes": -5}, "bad_price"),
        ({"unit_price_centimes": 4400}, "price_mismatch"),
        ({"product": "UNKNOWN"}, "unknown_product"),
    ],
)
def test_bad_sales_are_422_and_record_nothing(client, api_headers, cashier, counter, line, code):
    bad = {"product": counter["honey"].sku, "quantity": 1, "unit_price_centimes": 4500, **line}
    if bad["product"] == "oil":
        bad.update(product=counter["oil"].sku, unit_price_centimes=9000)
    lines = [{"product": counter["honey"].sku, "quantity": 1, "unit_price_centimes": 4500}, bad]
    response = client.post("/api/v1/sales", json=body(counter, lines), headers=api_headers(cashier))
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == code
    assert db.session.query(Sale).count() == 0
    assert db.session.get(StockLevel, (counter["honey"].id, counter["site"].id)).quantity == 5


@pytest.mark.parametrize(
    "change, status",
    [
        ({"sold_at": "2026-01-10T10:15:00"}, 422),  # no offset
        ({"sold_at": "yesterday"}, 422),
        ({"id": "not-a-uuid"}, 422),
        ({"channel": "barter"}, 422),
        ({"payment": "cheque"}, 422),
        ({"lines": []}, 422),
        ({"edition": "nowhere"}, 404),
        ({"site": "nowhere"}, 404),
        ({"lines": [{"product": "X", "quantity": "two", "unit_price_centimes": 1}]}, 400),
    ],
)
def test_malformed_sales(client, api_headers, cashier, counter, change, status):
    response = client.post(
        "/api/v1/sales", json=body(counter, **change), headers=api_headers(cashier)
    )
    assert response.status_code == status, response.json
    assert "error" in response.json


def test_not_json_is_400(client, api_headers, cashier):
    response = client.post(
        "/api/v1/sales",
        data="{",
        headers={**api_headers(cashier), "Content-Type": "application/json"},
    )
    assert response.status_code == 400


def test_closed_edition_takes_no_sales(client, api_headers, cashier, counter):
    from markets.services import change_status

    change_status(counter["edition"], "closed", cashier)
    db.session.commit()
    response = client.post("/api/v1/sales", json=body(counter), headers=api_headers(cashier))
    assert response.status_code == 422 and response.json["error"]["code"] == "not_open"


def test_products_for_the_point_of_sale(client, api_headers, cashier, counter, organiser):
    services.record_quality_check(
        counter["oil"], __import__("datetime").date(2024, 1, 1), "X", "fail", "mould", organiser
    )
    db.session.commit()
    response = client.get(
        f"/api/v1/products?edition={counter['edition'].slug}&site={counter['site'].slug}",
        headers=api_headers(cashier),
    )
    products = {p["sku"]: p for p in response.json["products"]}
    assert set(products) == {counter["honey"].sku, counter["oil"].sku}
    honey = products[counter["honey"].sku]
    assert {
        "sku",
        "barcode",
        "name",
        "cooperative",
        "unit",
        "price_centimes",
        "stock",
        "blocked",
    } <= set(honey)
    assert honey["stock"] == 5 and honey["blocked"] is False
    assert products[counter["oil"].sku]["blocked"] is True


def test_refund_through_the_api(client, api_headers, cashier, counter):
    headers, sale = api_headers(cashier), body(counter)
    client.post("/api/v1/sales", json=sale, headers=headers)
    line = db.session.query(SaleLine).one()
    refund = {"id": str(uuid.uuid4()), "reason": "broken jar", "lines": {str(line.id): 1}}
    url = f"/api/v1/sales/{sale['id']}/refunds"
    response = client.post(url, json=refund, headers=headers)
    assert response.status_code == 201 and response.json["refunded_centimes"] == 4500
    client.post(url, json=refund, headers=headers)  # replayed: nothing more
    assert db.session.query(SaleLine).filter_by(kind="refund").count() == 1
    too_much = {"reason": "x", "lines": {str(line.id): 5}}
    response = client.post(url, json=too_much, headers=headers)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "refund_too_large"
    unknown = client.post(
        "/api/v1/sales/11111111-1111-1111-1111-111111111111/refunds", json=too_much, headers=headers
    )
    assert unknown.status_code == 404


def test_me_sales_and_payouts_only_show_the_callers_cooperative(
    client, api_headers, make_user, cashier, counter, make_product, stock
):
    mine = counter["honey"].cooperative
    other = make_product(price=1000)
    stock(other, counter["site"], 3)
    headers = api_headers(cashier)
    lines = [
        {"product": counter["honey"].sku, "quantity": 1, "unit_price_centimes": 4500},
        {"product": other.sku, "quantity": 2, "unit_price_centimes": 1000},
    ]
    client.post("/api/v1/sales", json=body(counter, lines), headers=headers)
    client.post(
        "/api/v1/sales", json=body(counter, channel="retail", payment="transfer"), headers=headers
    )
    coop_headers = api_headers(make_user("cooperative", cooperative=mine))
    sales = client.get(
        f"/api/v1/me/sales?edition={counter['edition'].slug}", headers=coop_headers
    ).json
    assert {line["product"] for line in sales["sales"]} == {counter["honey"].sku}
    assert sales["editions"][0]["sales_centimes"] == 4500 + 9000
    assert sales["editions"][0]["by_channel"] == {"store": 4500, "retail": 9000}
    everything = client.get("/api/v1/me/sales", headers=coop_headers).json
    assert everything["editions"][0]["sales_centimes"] == 13500
    payouts = client.get("/api/v1/me/payouts", headers=coop_headers).json["payouts"]
    assert len(payouts) == 2
    for payout in payouts:
        assert {"id", "amount_centimes", "due_at", "status", "paid_at"} <= set(payout)
        assert payout["status"] in ("due", "overdue", "paid") and payout["paid_at"] is None
        assert payout["due_at"].endswith("Z")
    assert sorted(p["amount_centimes"] for p in payouts) == [3937, 7875]  # 12.5 % commission
    other_headers = api_headers(make_user("cooperative", cooperative=other.cooperative))
    theirs = client.get("/api/v1/me/payouts", headers=other_headers).json["payouts"]
    assert [p["amount_centimes"] for p in theirs] == [1750]
    assert not {p["id"] for p in theirs} & {p["id"] for p in payouts}


def test_openapi_documents_the_store(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/sales", "/api/v1/products", "/api/v1/me/sales", "/api/v1/me/payouts"):
        assert path in paths


def test_split_payment_card_and_mobile(client, api_headers, cashier, counter):
    sale = body(
        counter,
        payment=None,
        payments=[
            {"method": "cash", "amount_centimes": 2000},
            {"method": "card", "amount_centimes": 4000, "reference": "A1B2C3"},
            {
                "method": "mobile",
                "amount_centimes": 3000,
                "reference": "MP-778812",
                "phone": "06 12 34 56 78",
            },
        ],
        cash_received_centimes=5000,
    )
    response = client.post("/api/v1/sales", json=sale, headers=api_headers(cashier))
    assert response.status_code == 201, response.json
    assert response.json["payment"] == "split"
    assert response.json["payments"] == [
        {"method": "cash", "amount_centimes": 2000, "reference": None, "phone": None},
        {"method": "card", "amount_centimes": 4000, "reference": "A1B2C3", "phone": None},
        {
            "method": "mobile",
            "amount_centimes": 3000,
            "reference": "MP-778812",
            "phone": "••••••••78",
        },
    ]
    recorded = db.session.query(Sale).one()
    assert recorded.payment == "split" and recorded.cash_received_centimes == 5000
    assert [(p.method, p.amount_centimes) for p in recorded.payments] == [
        ("cash", 2000),
        ("card", 4000),
        ("mobile", 3000),
    ]
    assert "12 34 56" not in str([p.payer_phone for p in recorded.payments])
    figures = edition_sales_figures(counter["edition"])
    assert figures["by_payment"] == {"cash": 2000, "card": 4000, "mobile": 3000}


@pytest.mark.parametrize(
    "payments, code",
    [
        ([{"method": "card", "amount_centimes": 9000}], "approval_code_required"),
        ([{"method": "card", "amount_centimes": 9000, "reference": " "}], "approval_code_required"),
        ([{"method": "cash", "amount_centimes": 5000}], "payments_mismatch"),
        (
            [
                {"method": "cash", "amount_centimes": 10000},
                {"method": "card", "amount_centimes": -1000, "reference": "X1"},
            ],
            "bad_amount",
        ),
        (
            [{"method": "cash", "amount_centimes": 0}, {"method": "cash", "amount_centimes": 9000}],
            "bad_amount",
        ),
        ([{"method": "cheque", "amount_centimes": 9000}], "bad_payment"),
        ([{"method": "mobile", "amount_centimes": 9000, "phone": "12"}], "bad_phone"),
        ([], "payment_required"),
    ],
)
def test_bad_payments_are_422_in_the_callers_language(
    client, api_headers, cashier, counter, payments, code
):
    headers = {**api_headers(cashier), "Accept-Language": "fr"}
    sale = body(counter, payment=None, payments=payments)
    response = client.post("/api/v1/sales", json=sale, headers=headers)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"] and "payment" not in response.json["error"]["message"]
    assert db.session.query(Sale).count() == 0
    assert db.session.query(SalePayment).count() == 0
    assert db.session.get(StockLevel, (counter["honey"].id, counter["site"].id)).quantity == 5


def test_refund_retry_answers_its_first_result(client, api_headers, cashier, counter):
    headers, sale = api_headers(cashier), body(counter)
    client.post("/api/v1/sales", json=sale, headers=headers)
    line_id = db.session.query(Sale).one().lines[0].id
    refund = {"id": str(uuid.uuid4()), "reason": "broken jar", "lines": {str(line_id): 2}}
    url = f"/api/v1/sales/{sale['id']}/refunds"
    first = client.post(url, json=refund, headers=headers)
    assert first.status_code == 201
    assert first.json == {"id": sale["id"], "refunded_centimes": 9000, "replayed": False}
    again = client.post(url, json=refund, headers=headers)
    assert again.status_code == 200
    assert again.json == {"id": sale["id"], "refunded_centimes": 9000, "replayed": True}
    other = client.post(url, json={**refund, "id": str(uuid.uuid4())}, headers=headers)
    assert other.status_code == 422 and other.json["error"]["code"] == "refund_too_large"
