"""A deposit retried at the same moment by several workers (separate processes, each with its own
connection, through the field API): one delivery note, the others answer it as a replay."""

import multiprocessing
import uuid

from core.extensions import db
from store.models import Deposit, StockLevel
from tests.store.test_refund_concurrency import worker

WORKERS = 4


def test_deposit_retries_record_one_note(
    app, database_uri, store_edition, make_product, cashier, api_headers
):
    site = store_edition.sites[0]
    honey = make_product()
    body = {
        "id": str(uuid.uuid4()),
        "edition": store_edition.slug,
        "site": site.slug,
        "cooperative": honey.cooperative_id,
        "items": [{"product": honey.sku, "quantity": 7}],
    }
    headers = api_headers(cashier)
    db.session.commit()
    db.engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    arguments = (database_uri, "/api/v1/deposits", body, headers, barrier, results)
    processes = [context.Process(target=worker, args=arguments) for _ in range(WORKERS)]
    for process in processes:
        process.start()
    answers = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert sorted(status for status, _answer in answers) == [200] * (WORKERS - 1) + [201]
    assert len({answer["note"] for _status, answer in answers}) == 1
    db.session.expire_all()
    assert db.session.query(Deposit).count() == 1
    assert db.session.get(StockLevel, (honey.id, site.id)).quantity == 7
