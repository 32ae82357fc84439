"""Store fixtures: an open edition with a commission, products with stock, and staff users."""

import uuid
from datetime import date

import pytest

from core.extensions import db


@pytest.fixture
def store_edition(make_edition):
    """An open edition whose sites sell round the clock (so 'now' is always in hours)."""
    return make_edition(
        status="open",
        commission_basis_points=1250,
        starts_on=date(2022, 11, 5),
        ends_on=date(2030, 12, 31),
        hours=(0, 1440),
    )


@pytest.fixture
def cashier(make_user):
    return make_user("cashier")


@pytest.fixture
def organiser(make_user):
    return make_user("organiser")


@pytest.fixture
def make_product(app, make_cooperative):
    from store.services import create_product

    counter = {"n": 0}

    def make(cooperative=None, price=4500, **values):
        counter["n"] += 1
        n = counter["n"]
        cooperative = cooperative or make_cooperative()
        from accounts.models import User

        actor = User(id=0, role="organiser", username="system")
        record = {
            "sku": f"SKU-{n:04d}",
            "barcode": f"611100{n:06d}",
            "names": {"fr": f"Miel {n}", "ar": f"عسل {n}"},
            "unit": "jar",
            "price_centimes": price,
            "sector": "honey",
            "low_stock_at": 3,
            # Pre-packed food is taken in only with its packer's ONSSA number.
            "onssa_number": f"AG.01.{n:03d}.22",
            "onssa_kind": "approval",
        }
        record.update(values)
        product = create_product(cooperative, record, actor)
        db.session.commit()
        return product

    return make


@pytest.fixture
def stock(app, organiser):
    """stock(product, site, quantity): a deposit of the product at the site."""
    from store.services import deposit_products

    def put(product, site, quantity):
        deposit = deposit_products(
            product.cooperative, site, [(product, quantity)], "Fatima", organiser
        )
        db.session.commit()
        return deposit

    return put


@pytest.fixture
def sell(app, cashier):
    """sell(edition, site, [(product, quantity)], channel=..., payment=..., sold_at=...)."""
    from core.timeutil import utc_now
    from store.services import record_sale

    def do(
        edition,
        site,
        items,
        channel="store",
        payment="cash",
        sold_at=None,
        actor=None,
        client_id=None,
    ):
        sale, _replayed = record_sale(
            edition,
            site,
            client_id or str(uuid.uuid4()),
            "till-1",
            channel,
            payment,
            sold_at or utc_now(),
            [(p.sku, q, p.price_centimes) for p, q in items],
            actor or cashier,
        )
        db.session.commit()
        return sale

    return do


def new_id():
    return str(uuid.uuid4())
