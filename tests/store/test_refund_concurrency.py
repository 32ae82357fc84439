"""A refund retried at the same moment by several workers (separate processes, each with its own
connection, through the field API): every answer is the first result, one of them recorded and
the others replayed, and the sale is refunded once."""

import multiprocessing
import uuid

from core.extensions import db
from core.timeutil import utc_now
from store.models import SaleLine, StockLevel
from store.services import record_sale

WORKERS = 6


def worker(database_uri, url, body, headers, barrier, results):
    """One gunicorn worker's worth: its own app and connection, one POST after the barrier."""
    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "ARGON2_PROFILE": "CHEAPEST",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    client = app.test_client()
    client.get("/healthz")
    try:
        barrier.wait(timeout=60)
        response = client.post(url, json=body, headers=headers)
        results.put((response.status_code, response.get_json()))
    except Exception as error:  # reported to the test instead of hanging it
        results.put((0, repr(error)))
    finally:
        with app.app_context():
            db.engine.dispose()


def test_refund_retries_answer_identically(
    app, database_uri, store_edition, make_product, stock, cashier, api_headers
):
    site = store_edition.sites[0]
    honey, oil = make_product(price=4500), make_product(price=9000)
    stock(honey, site, 5)
    stock(oil, site, 5)
    sale, _replayed = record_sale(
        store_edition,
        site,
        str(uuid.uuid4()),
        "till-1",
        "store",
        "cash",
        utc_now(),
        [(honey.sku, 3, 4500), (oil.sku, 1, 9000)],
        cashier,
    )
    db.session.commit()
    lines = {str(line.id): (2 if line.product_id == honey.id else 1) for line in sale.lines}
    body = {"id": str(uuid.uuid4()), "reason": "jar broken", "lines": lines}
    url = f"/api/v1/sales/{sale.client_id}/refunds"
    headers = api_headers(cashier)
    db.session.commit()
    db.engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    processes = [
        context.Process(target=worker, args=(database_uri, url, body, headers, barrier, results))
        for _ in range(WORKERS)
    ]
    for process in processes:
        process.start()
    answers = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    expected = {"id": sale.client_id, "refunded_centimes": 18000}
    assert sorted(status for status, _answer in answers) == [200] * (WORKERS - 1) + [201]
    for status, answer in answers:
        assert answer == {**expected, "replayed": status == 200}
    db.session.expire_all()
    refunds = db.session.query(SaleLine).filter(SaleLine.kind == "refund").all()
    assert sorted(line.quantity for line in refunds) == [-2, -1]
    assert db.session.get(StockLevel, (honey.id, site.id)).quantity == 4
    assert db.session.get(StockLevel, (oil.id, site.id)).quantity == 5
