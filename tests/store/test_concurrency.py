"""Several tills (separate processes, each with its own connection) selling the last units of a
product at the same moment: exactly as many sales succeed as there were units."""

import multiprocessing
import uuid

import pytest

from core.extensions import db
from store.models import Sale, StockLevel, StockMovement
from store.services.stock import ledger_balance


def till(database_uri, edition_id, site_id, sku, price, cashier_id, barrier, results):
    """One till in its own process: wait for the others, then sell one unit."""
    from app import create_app
    from core.errors import DomainError
    from core.timeutil import utc_now

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "ARGON2_PROFILE": "CHEAPEST",
        }
    )
    with app.test_request_context():  # translated error messages need a request
        from accounts.models import User
        from markets.models import Edition, Site
        from store.services import record_sale

        edition, site = db.session.get(Edition, edition_id), db.session.get(Site, site_id)
        cashier = db.session.get(User, cashier_id)
        db.session.commit()  # end the read transaction: every till starts from the barrier
        barrier.wait(timeout=60)
        try:
            record_sale(
                edition,
                site,
                str(uuid.uuid4()),
                f"till-{uuid.uuid4().hex[:4]}",
                "store",
                "cash",
                utc_now(),
                [(sku, 1, price)],
                cashier,
            )
            db.session.commit()
            results.put("sold")
        except DomainError as error:
            db.session.rollback()
            results.put(error.code)
        except Exception as error:  # reported to the test instead of hanging it
            results.put(repr(error))
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("units, tills", [(1, 2), (2, 5)])
def test_tills_selling_the_last_units(
    app, database_uri, store_edition, make_product, stock, cashier, units, tills
):
    site = store_edition.sites[0]
    product = make_product()
    stock(product, site, units)
    db.session.commit()
    db.engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(tills), context.Queue()
    processes = [
        context.Process(
            target=till,
            args=(
                database_uri,
                store_edition.id,
                site.id,
                product.sku,
                product.price_centimes,
                cashier.id,
                barrier,
                results,
            ),
        )
        for _ in range(tills)
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert outcomes == ["out_of_stock"] * (tills - units) + ["sold"] * units
    db.session.expire_all()
    assert db.session.query(Sale).count() == units
    assert db.session.get(StockLevel, (product.id, site.id)).quantity == 0
    assert ledger_balance(product.id, site.id) == 0
    assert db.session.query(StockMovement).filter_by(kind="sale").count() == units
