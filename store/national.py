"""The national salon's store: the exhibitors' products and 200,000 sale lines with payouts."""

import math
import random
from datetime import datetime, time

from core.timeutil import local_to_utc_naive
from store.demo import (
    create_catalogue,
    deposit_everything,
    pay_reference_payouts,
    reference_history,
    write_levels,
)

LINES_PER_SALE = 1.6  # about: one to three products a basket


def load(context):
    scale, edition = context["scale"], context["national"]
    organiser, cashier = context["organiser"], context["users"]["cashier"]
    rng = random.Random(77)
    products = create_catalogue(context["exhibitors"])
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
