"""Demo: a catalogue for every demo cooperative, stock at both sites of the live edition, a few
sales today, and the reference edition's sales history with payouts (most paid on time).

Deterministic (seeded random); the big history is written with bulk inserts.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from core.database import bulk_insert
from core.extensions import db
from core.timeutil import local_to_utc_naive, to_local, utc_now
from store.models import (
    Deposit,
    Payout,
    Product,
    Sale,
    SaleLine,
    StockLevel,
    StockMovement,
)
from store.services import compute_payouts, record_quality_check, record_sale
from store.services.payouts import due_time
from store.services.tallies import rebuild_tallies, tally_paid_payouts

DEMO_NAMESPACE = uuid.UUID("5d1e7c1a-3f65-4b8e-9f53-1c2a4d6e8b90")
# Per sector: (code, unit, [(fr, ar, en, es, price in centimes)])
CATALOGUE = {
    "honey": (
        "MIEL",
        "jar",
        [
            (
                "Miel de thym 500 g",
                "عسل الزعتر 500 غ",
                "Thyme honey 500 g",
                "Miel de tomillo 500 g",
                12000,
            ),
            (
                "Miel d'euphorbe 250 g",
                "عسل الدغموس 250 غ",
                "Euphorbia honey 250 g",
                "Miel de euforbia 250 g",
                15000,
            ),
            ("Pollen 100 g", "حبوب اللقاح 100 غ", "Pollen 100 g", "Polen 100 g", 4500),
        ],
    ),
    "figs_dried_fruit": (
        "FIG",
        "bag",
        [
            ("Figues séchées 1 kg", "تين مجفف 1 كغ", "Dried figs 1 kg", "Higos secos 1 kg", 6000),
            ("Confiture de figues", "مربى التين", "Fig jam", "Mermelada de higos", 3500),
            ("Amandes 500 g", "لوز 500 غ", "Almonds 500 g", "Almendras 500 g", 5500),
        ],
    ),
    "medicinal_herbs": (
        "HERB",
        "bag",
        [
            (
                "Thym séché 100 g",
                "زعتر مجفف 100 غ",
                "Dried thyme 100 g",
                "Tomillo seco 100 g",
                2000,
            ),
            ("Verveine 50 g", "لويزة 50 غ", "Verbena 50 g", "Verbena 50 g", 1800),
            ("Eau de lavande", "ماء الخزامى", "Lavender water", "Agua de lavanda", 3000),
        ],
    ),
    "olive_oil": (
        "HUILE",
        "bottle",
        [
            (
                "Huile d'olive vierge extra 1 l",
                "زيت زيتون بكر ممتاز 1 ل",
                "Extra virgin olive oil 1 l",
                "Aceite de oliva virgen extra 1 l",
                9000,
            ),
            (
                "Olives de table 1 kg",
                "زيتون المائدة 1 كغ",
                "Table olives 1 kg",
                "Aceitunas de mesa 1 kg",
                4000,
            ),
            (
                "Savon à l'huile d'olive",
                "صابون بزيت الزيتون",
                "Olive oil soap",
                "Jabón de aceite de oliva",
                2500,
            ),
        ],
    ),
    "carpentry_wood": (
        "BOIS",
        "piece",
        [
            ("Coffret en cèdre", "علبة من خشب الأرز", "Cedar box", "Cofre de cedro", 18000),
            (
                "Cuillères en bois (lot de 3)",
                "ملاعق خشبية (3)",
                "Wooden spoons (set of 3)",
                "Cucharas de madera (3)",
                5000,
            ),
            ("Planche à découper", "لوحة تقطيع", "Chopping board", "Tabla de cortar", 8000),
        ],
    ),
    "sewing_textiles": (
        "TEXT",
        "piece",
        [
            ("Caftan brodé", "قفطان مطرز", "Embroidered kaftan", "Caftán bordado", 65000),
            ("Nappe brodée", "مفرش مطرز", "Embroidered tablecloth", "Mantel bordado", 22000),
            ("Coussin brodé", "وسادة مطرزة", "Embroidered cushion", "Cojín bordado", 9000),
        ],
    ),
}


def ean13(digits12):
    total = sum(int(d) * (3 if index % 2 else 1) for index, d in enumerate(digits12))
    return digits12 + str((10 - total % 10) % 10)


FOOD_CODES = {"MIEL", "FIG", "HERB", "HUILE"}  # catalogues of food (sectors without one sell honey)
NOT_FOOD = {"Eau de lavande", "Savon à l'huile d'olive"}  # in those catalogues, yet not food


def demo_onssa(cooperative, code):
    """An invented ONSSA number of the cooperative's packing unit; every ninth cooperative has
    none yet, so the inspector's list and the deposit refusal have a case."""
    if code not in FOOD_CODES or cooperative.id % 9 == 0:
        return {"onssa_number": None, "onssa_kind": None}
    animal = code == "MIEL"  # an approval for products of animal origin
    prefix = "AG" if animal else "AU"
    return {
        "onssa_number": f"{prefix}.{cooperative.id % 12 + 1:02d}.{cooperative.id:03d}.22",
        "onssa_kind": "approval" if animal else "authorisation",
    }


def create_catalogue(cooperatives):
    rows = []
    for cooperative in cooperatives:
        code, unit, items = CATALOGUE.get(cooperative.main_sector, CATALOGUE["honey"])
        onssa = demo_onssa(cooperative, code)
        for number, (fr, ar, en, es, price) in enumerate(items, start=1):
            rows.append(
                {
                    **(onssa if fr not in NOT_FOOD else demo_onssa(cooperative, None)),
                    "food": code in FOOD_CODES and fr not in NOT_FOOD,
                    "prepacked": True,
                    "cooperative_id": cooperative.id,
                    "sku": f"{code}-{cooperative.id:03d}-{number}",
                    "barcode": ean13(f"611{cooperative.id:06d}{number:03d}"),
                    "names": {"fr": fr, "ar": ar, "en": en, "es": es},
                    "unit": unit,
                    "price_centimes": price,
                    "sector": cooperative.main_sector,
                    "low_stock_at": 5,
                    "blocked": False,
                    "active": True,
                    "created_at": datetime(2022, 10, 1, 9),
                }
            )
    db.session.execute(insert(Product), rows)
    ids = [c.id for c in cooperatives]
    return db.session.scalars(
        select(Product).where(Product.cooperative_id.in_(ids)).order_by(Product.id)
    ).all()


def deposit_everything(sites, products, organiser, rng, at):
    """One delivery note per cooperative and site, with every product of the cooperative."""
    by_cooperative = {}
    for product in products:
        by_cooperative.setdefault(product.cooperative_id, []).append(product)
    quantities = {}
    for site in sites:
        deposits = [
            Deposit(
                cooperative_id=cooperative_id,
                site_id=site.id,
                kind="deposit",
                handed_by="",
                recorded_by_id=organiser.id,
                created_at=at,
            )
            for cooperative_id in by_cooperative
        ]
        db.session.add_all(deposits)
        db.session.flush()
        movements = []
        for deposit in deposits:
            for product in by_cooperative[deposit.cooperative_id]:
                quantity = rng.randint(12, 40)
                quantities[(product.id, site.id)] = quantity
                movements.append(
                    {
                        "product_id": product.id,
                        "site_id": site.id,
                        "kind": "deposit",
                        "quantity": quantity,
                        "comment": "",
                        "deposit_id": deposit.id,
                        "actor_id": organiser.id,
                        "created_at": at,
                    }
                )
        bulk_insert(StockMovement, movements)
    return quantities


def write_levels(quantities):
    bulk_insert(
        StockLevel,
        [
            {"product_id": product_id, "site_id": site_id, "quantity": quantity}
            for (product_id, site_id), quantity in quantities.items()
        ],
    )


def opening_moments(site, rng):
    """A random moment within the site's opening days and hours (naive UTC)."""
    days = (site.closes_on - site.opens_on).days
    day = site.opens_on + timedelta(days=rng.randint(0, days))
    minute = rng.randint(site.opens_minute, site.closes_minute - 1)
    return local_to_utc_naive(datetime.combine(day, time(minute // 60, minute % 60)))


def reference_history(edition, products, quantities, cashier, rng, count=2400):
    """Sales of the 2022 edition written in bulk: the store at both sites, online and retail."""
    sales, lines, movements = [], [], []
    for number in range(count):
        site = edition.sites[number % len(edition.sites)]
        channel = "store" if number % 12 else ("online" if number % 24 else "retail")
        sold_at = opening_moments(site, rng)
        basket = {}
        for product in rng.sample(products, rng.choice((1, 1, 1, 2, 2, 3))):
            key = (product.id, site.id)
            if quantities.get(key, 0) > 0:
                basket[product] = 1 if quantities[key] < 3 else rng.choice((1, 1, 2))
                quantities[key] -= basket[product]
        if not basket:
            continue
        client_id = str(uuid.uuid5(DEMO_NAMESPACE, f"{edition.slug}:{number}"))
        payment = (
            "transfer" if channel != "store" else rng.choice(("cash", "cash", "card", "mobile"))
        )
        sales.append(
            {
                "client_id": client_id,
                "edition_id": edition.id,
                "site_id": site.id,
                "register": f"till-{1 + number % 2}",
                "channel": channel,
                "payment": payment,
                "source": "demo",
                "total_centimes": sum(p.price_centimes * q for p, q in basket.items()),
                "sold_at": sold_at,
                "recorded_at": sold_at,
                "cashier_id": cashier.id,
            }
        )
        lines.append((client_id, site, channel, payment, sold_at, basket))
    bulk_insert(Sale, sales)
    ids = dict(
        db.session.execute(
            select(Sale.client_id, Sale.id).where(Sale.edition_id == edition.id)
        ).all()
    )
    line_rows = []
    for client_id, site, channel, payment, sold_at, basket in lines:
        due_at = due_time(sold_at, channel)
        for product, quantity in basket.items():
            amount = product.price_centimes * quantity
            line_rows.append(
                {
                    "sale_id": ids[client_id],
                    "kind": "sale",
                    "product_id": product.id,
                    "cooperative_id": product.cooperative_id,
                    "edition_id": edition.id,
                    "site_id": site.id,
                    "channel": channel,
                    "payment": payment,
                    "register": "",
                    "quantity": quantity,
                    "unit_price_centimes": product.price_centimes,
                    "amount_centimes": amount,
                    "commission_centimes": 0,
                    "owed_centimes": amount,
                    "occurred_at": sold_at,
                    "local_day": to_local(sold_at).date(),
                    "due_at": due_at,
                    "due_on": to_local(due_at).date(),
                    "actor_id": cashier.id,
                    "created_at": sold_at,
                }
            )
            movements.append(
                {
                    "product_id": product.id,
                    "site_id": site.id,
                    "kind": "sale",
                    "quantity": -quantity,
                    "comment": "",
                    "sale_id": ids[client_id],
                    "actor_id": cashier.id,
                    "created_at": sold_at,
                }
            )
    bulk_insert(SaleLine, line_rows)
    bulk_insert(StockMovement, movements)
    rebuild_tallies(edition.id)  # the lines went in without the sale service
    return len(sales), len(line_rows)


def pay_reference_payouts(edition, organiser, rng):
    """Most payouts paid a few hours before they fell due; about one in twelve paid late."""
    compute_payouts(edition)
    payouts = db.session.scalars(
        select(Payout).where(Payout.edition_id == edition.id).order_by(Payout.id)
    ).all()
    late = 0
    for payout in payouts:
        if rng.random() < 0.08:
            paid_at, late = payout.due_at + timedelta(hours=rng.randint(6, 96)), late + 1
        else:
            paid_at = payout.due_at - timedelta(hours=rng.randint(1, 40))
        payout.paid_at = payout.marked_at = paid_at
        payout.reference = f"VIR-2022-{payout.id:05d}"
        payout.paid_by_id = organiser.id
    # One flush writes them all (an UPDATE statement per payout made the session compare every
    # object it holds each time: quadratic at the national salon's scale).
    db.session.flush()
    tally_paid_payouts(Payout.edition_id == edition.id)
    return len(payouts), late


def live_sales(edition, products, cashier, rng):
    """A few sales at the live edition's store this morning, through the service itself."""
    count = 0
    now = utc_now()
    coop_products = [p for p in products if p.cooperative_id == products[0].cooperative_id]
    for number in range(24):
        site = edition.sites[number % len(edition.sites)]
        chosen = coop_products if number % 4 == 0 else rng.sample(products, 2)
        lines = [(p.sku, rng.choice((1, 2)), p.price_centimes) for p in chosen[:2]]
        record_sale(
            edition,
            site,
            str(uuid.uuid5(DEMO_NAMESPACE, f"live:{number}")),
            f"till-{1 + number % 2}",
            "store",
            rng.choice(("cash", "card", "mobile")),
            now - timedelta(minutes=7 * (24 - number)),
            lines,
            cashier,
        )
        count += 1
    return count


def quality_checks(products, organiser):
    """One product of `coop` failed its check (blocked), another product failed then passed."""
    record_quality_check(products[4], date(2022, 10, 20), "ONSSA Meknès", "pass", "", organiser)
    record_quality_check(
        products[7],
        date(2022, 10, 20),
        "ONSSA Meknès",
        "fail",
        "Étiquetage incomplet : date de péremption absente.",
        organiser,
    )
    record_quality_check(
        products[10],
        date(2022, 10, 18),
        "ONSSA Fès",
        "fail",
        "Taux d'humidité trop élevé.",
        organiser,
    )
    record_quality_check(
        products[10], date(2022, 10, 28), "ONSSA Fès", "pass", "Nouveau lot conforme.", organiser
    )


def load(context):
    rng = random.Random(5)
    organiser, cashier = context["organiser"], context["users"]["cashier"]
    reference, live = context["reference"], context["live"]
    products = create_catalogue(context["cooperatives"])
    quality_checks(products, organiser)
    saleable = [p for p in products if not p.blocked]
    reference_stock = deposit_everything(
        reference.sites, products, organiser, rng, datetime(2022, 11, 4, 9)
    )
    sales, lines = reference_history(reference, saleable, reference_stock, cashier, rng)
    write_levels(reference_stock)
    payouts, late = pay_reference_payouts(reference, organiser, rng)
    live_stock = deposit_everything(
        live.sites, products, organiser, rng, utc_now() - timedelta(hours=3)
    )
    write_levels(live_stock)
    live_count = live_sales(live, saleable, cashier, rng)
    db.session.flush()
    context["store_products"] = products
    context["summary"].append(
        f"{len(products)} store products; {sales} sales ({lines} lines) and {payouts} payouts "
        f"({late} paid late) in fes-meknes-2022; {live_count} sales today in fes-meknes-live"
    )
