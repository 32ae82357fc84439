"""The national salon's store: the exhibitors' products and 200,000 sale lines with payouts."""

import math
import random
from datetime import datetime, time

from sqlalchemy import insert, select

from core.extensions import db
from core.timeutil import local_to_utc_naive
from store.demo import (
    CATALOGUE,
    FOOD_CODES,
    NOT_FOOD,
    demo_onssa,
    deposit_everything,
    ean13,
    pay_reference_payouts,
    reference_history,
    write_levels,
)
from store.models import Product

LINES_PER_SALE = 1.6  # about: one to three products a basket
PRODUCTS = 5000
# (the size's words in fr, ar, en, es; price factor)
SIZES = (
    (("", "", "", ""), 1.0),
    ((" (lot de 2)", " (علبتان)", " (pack of 2)", " (lote de 2)"), 1.9),
    ((" (lot de 3)", " (ثلاث علب)", " (pack of 3)", " (lote de 3)"), 2.7),
    ((" (coffret)", " (علبة هدية)", " (gift box)", " (caja regalo)"), 3.5),
)


def national_catalogue(cooperatives, wanted):
    """About `wanted` products over the exhibitors: each sells its sector's items in several
    sizes (single, packs, gift box), inserted in one statement."""
    rows, number = [], {cooperative.id: 0 for cooperative in cooperatives}
    while len(rows) < wanted:
        before = len(rows)
        for cooperative in cooperatives:
            code, unit, items = CATALOGUE.get(cooperative.main_sector, CATALOGUE["honey"])
            onssa = demo_onssa(cooperative, code)
            index = number[cooperative.id]
            if len(rows) >= wanted or index >= len(items) * len(SIZES):
                continue
            number[cooperative.id] = index + 1
            (fr, ar, en, es, price), (size, factor) = (
                items[index % len(items)],
                SIZES[index // len(items)],
            )
            rows.append(
                {
                    "cooperative_id": cooperative.id,
                    "sku": f"{code}-{cooperative.id:03d}-{index + 1}",
                    "barcode": ean13(f"611{cooperative.id:06d}{index + 1:03d}"),
                    "names": {
                        "fr": fr + size[0],
                        "ar": ar + size[1],
                        "en": en + size[2],
                        "es": es + size[3],
                    },
                    **(onssa if fr not in NOT_FOOD else demo_onssa(cooperative, None)),
                    "food": code in FOOD_CODES and fr not in NOT_FOOD,
                    "prepacked": True,
                    "unit": unit,
                    "price_centimes": round(price * factor),
                    "sector": cooperative.main_sector,
                    "low_stock_at": 5,
                    "blocked": False,
                    "active": True,
                    "created_at": datetime(2026, 1, 1, 9),
                }
            )
        if len(rows) == before:  # every exhibitor's catalogue is full
            break
    db.session.execute(insert(Product), rows)
    ids = [c.id for c in cooperatives]
    return db.session.scalars(
        select(Product).where(Product.cooperative_id.in_(ids)).order_by(Product.id)
    ).all()


def load(context):
    scale, edition = context["scale"], context["national"]
    organiser, cashier = context["organiser"], context["users"]["cashier"]
    rng = random.Random(77)
    products = national_catalogue(context["exhibitors"], max(10, round(PRODUCTS * scale)))
    sales_wanted = max(10, round(200_000 * scale / LINES_PER_SALE))
    stock = {}
    opening = local_to_utc_naive(datetime.combine(edition.starts_on, time(8)))
    units_needed = sales_wanted * 2.5
    deliveries = max(1, math.ceil(units_needed / (26 * len(products) * len(edition.sites))))
    for _delivery in range(deliveries):
        delivered = deposit_everything(edition.sites, products, organiser, rng, opening)
        for key, quantity in delivered.items():
            stock[key] = stock.get(key, 0) + quantity
    sales, lines = reference_history(edition, products, stock, cashier, rng, count=sales_wanted)
    write_levels(stock)
    payouts, late = pay_reference_payouts(edition, organiser, rng)
    context["summary"].append(
        f"{len(products)} products, {sales} sales ({lines} lines), {payouts} payouts"
    )
