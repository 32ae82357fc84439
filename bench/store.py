"""Benchmark of the solidarity store under gunicorn, in a throw-away database (not a timed test).

    .venv/bin/python bench/store.py [--database postgresql://...] [--port 5103]

Prints:
- requests per second of POST /api/v1/sales (one sale of two lines each, with its stock
  decrements, ledger rows and commission split) divided by requests per second of GET /healthz,
  both against the same server in the same run (same client threads);
- seconds to compute all payouts of an edition with 100,000 sale lines (attach every line to the
  payout of its cooperative and local due day, then total them), and the time of
  edition_sales_figures() over those lines.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from bench.harness import (  # noqa: E402
    field_app_id,
    open_round_the_clock_edition,
    rate,
    request,
    start_server,
)
from core.extensions import db  # noqa: E402

PASSWORD = "bench-pass-2026"
SLUG = "bench-store"
PRODUCTS = 60


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--port", type=int, default=5103)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each rate run")
    parser.add_argument("--lines", type=int, default=100_000, help="sale lines for payouts")
    return parser.parse_args()


def prepare(app):
    """An open edition (round the clock) with a commission, products in stock, a cashier."""
    from accounts.services import create_user, issue_api_token
    from booths.models import Cooperative
    from store.models import Product, StockLevel

    with app.app_context():
        db.drop_all()
        db.create_all()
        organiser = create_user("bench-organiser", PASSWORD, "organiser")
        cashier = create_user("bench-cashier", PASSWORD, "cashier")
        edition = open_round_the_clock_edition(
            organiser,
            SLUG,
            "Banc d'essai du magasin",
            30,
            ["gate-main"],
            commission_basis_points=750,
        )
        db.session.execute(
            insert(Cooperative),
            [
                {
                    "name_ar": f"تعاونية {n}",
                    "name_latin": f"Coopérative {n}",
                    "registration_number": f"BENCH-{n:03d}",
                    "province": "Meknès",
                    "city": "Meknès",
                    "sectors": ["honey"],
                    "main_sector": "honey",
                    "members": 10,
                }
                for n in range(20)
            ],
        )
        cooperative_ids = db.session.scalars(select(Cooperative.id)).all()
        db.session.execute(
            insert(Product),
            [
                {
                    "cooperative_id": cooperative_ids[n % len(cooperative_ids)],
                    "sku": f"B-{n:04d}",
                    "barcode": f"611{n:010d}",
                    "names": {"fr": f"Produit {n}"},
                    "unit": "jar",
                    "price_centimes": 1000 + 37 * n,
                    "sector": "honey",
                    "low_stock_at": 5,
                    "blocked": False,
                    "active": True,
                }
                for n in range(PRODUCTS)
            ],
        )
        products = db.session.execute(
            select(Product.id, Product.sku, Product.price_centimes).order_by(Product.id)
        ).all()
        db.session.execute(
            insert(StockLevel),
            [
                {"product_id": product_id, "site_id": site.id, "quantity": 1_000_000}
                for product_id, _sku, _price in products
                for site in edition.sites
            ],
        )
        token, _expires = issue_api_token(cashier)
        db.session.commit()
        return token, [(sku, price) for _id, sku, price in products], edition.id, cashier.id


def sale_body(products, rng):
    lines = [
        {"product": sku, "quantity": rng.randint(1, 3), "unit_price_centimes": price}
        for sku, price in rng.sample(products, 2)
    ]
    return {
        "id": field_app_id(),
        "edition": SLUG,
        "site": rng.choice(("meknes", "el-hajeb")),
        "register": "till-1",
        "channel": "store",
        "payment": "cash",
        "sold_at": datetime.now().astimezone().isoformat(),
        "lines": lines,
    }


def grow_lines(app, edition_id, cashier_id, target):
    """Bulk-insert sales of two lines each until the edition holds `target` sale lines."""
    from core.timeutil import to_local, utc_now
    from markets.models import Site
    from store.models import Product, Sale, SaleLine
    from store.services.payouts import due_time
    from store.services.sales import split_amount
    from store.services.tallies import rebuild_tallies

    rng = random.Random(7)
    with app.app_context():
        sites = db.session.scalars(select(Site.id).where(Site.edition_id == edition_id)).all()
        products = db.session.execute(
            select(Product.id, Product.cooperative_id, Product.price_centimes)
        ).all()
        have = db.session.scalar(
            select(func.count(SaleLine.id)).where(SaleLine.edition_id == edition_id)
        )
        start = utc_now() - timedelta(days=25)
        chunk = 5000
        while have < target:
            sales, plans = [], []
            for _ in range(min(chunk, (target - have + 1) // 2)):
                sold_at = start + timedelta(minutes=rng.randint(0, 25 * 24 * 60))
                channel = rng.choice(("store", "store", "store", "online", "retail"))
                client_id = field_app_id()
                basket = [(p, rng.randint(1, 3)) for p in rng.sample(products, 2)]
                sales.append(
                    {
                        "client_id": client_id,
                        "edition_id": edition_id,
                        "site_id": rng.choice(sites),
                        "register": "till-1",
                        "channel": channel,
                        "payment": "cash",
                        "source": "demo",
                        "total_centimes": sum(p.price_centimes * q for p, q in basket),
                        "sold_at": sold_at,
                        "recorded_at": sold_at,
                        "cashier_id": cashier_id,
                    }
                )
                plans.append((client_id, sold_at, channel, basket))
            db.session.execute(insert(Sale), sales)
            ids = dict(
                db.session.execute(
                    select(Sale.client_id, Sale.id).where(
                        Sale.client_id.in_([plan[0] for plan in plans])
                    )
                ).all()
            )
            rows = []
            for client_id, sold_at, channel, basket in plans:
                due_at = due_time(sold_at, channel)
                for product, quantity in basket:
                    amount = product.price_centimes * quantity
                    commission, owed = split_amount(amount, 750)
                    rows.append(
                        {
                            "sale_id": ids[client_id],
                            "kind": "sale",
                            "product_id": product.id,
                            "cooperative_id": product.cooperative_id,
                            "edition_id": edition_id,
                            "site_id": sales[0]["site_id"],
                            "channel": channel,
                            "payment": "cash",
                            "register": "till-1",
                            "quantity": quantity,
                            "unit_price_centimes": product.price_centimes,
                            "amount_centimes": amount,
                            "commission_centimes": commission,
                            "owed_centimes": owed,
                            "occurred_at": sold_at,
                            "local_day": to_local(sold_at).date(),
                            "due_at": due_at,
                            "due_on": to_local(due_at).date(),
                            "actor_id": cashier_id,
                            "created_at": sold_at,
                        }
                    )
            db.session.execute(insert(SaleLine), rows)
            db.session.commit()
            have += len(rows)
        rebuild_tallies(edition_id)  # the lines went in without the sale service
        db.session.commit()
        return have


def payouts_seconds(app, edition_id):
    from markets.models import Edition
    from store.models import Payout
    from store.services import compute_payouts, edition_sales_figures

    with app.app_context():
        edition = db.session.get(Edition, edition_id)
        start = time.perf_counter()
        attached = compute_payouts(edition)
        db.session.commit()
        compute = time.perf_counter() - start
        payouts = db.session.scalar(select(func.count(Payout.id)))
        times = []
        for _ in range(5):
            start = time.perf_counter()
            figures = edition_sales_figures(edition)
            times.append(time.perf_counter() - start)
        total = db.session.scalar(select(func.sum(Payout.amount_centimes)))
        assert total == figures["owed_centimes"], (total, figures["owed_centimes"])
        return compute, attached, payouts, statistics.median(times), figures["lines"]


def main():
    args = parse_arguments()
    scratch = None
    database_url = args.database
    if not database_url:
        scratch = tempfile.mkdtemp(prefix="store-bench-")
        database_url = f"sqlite:///{scratch}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    token, products, edition_id, cashier_id = prepare(app)
    with app.app_context():
        db.engine.dispose()
    server = start_server(args.workers, args.port, database_url)
    try:
        port, threads = args.port, args.threads
        healthz = rate(args.seconds, threads, lambda: request(port, "GET", "/healthz"), 200)
        rng, lock = random.Random(3), threading.Lock()

        def one_sale():
            with lock:
                body = sale_body(products, rng)
            return request(port, "POST", "/api/v1/sales", body, token)

        sales = rate(args.seconds, threads, one_sale, 201)
        print(
            f"GET /healthz: {healthz:,.0f} requests/s ({threads} client threads, "
            f"{args.workers} workers)"
        )
        print(f"POST /api/v1/sales (2 lines each): {sales:,.0f} sales/s")
        print(f"  ratio sales / healthz: {sales / healthz:.3f}")
        body = sale_body(products, rng)
        first = request(port, "POST", "/api/v1/sales", body, token)
        again = request(port, "POST", "/api/v1/sales", body, token)
        assert first[0] == 201 and again[0] == 200 and json.loads(again[1])["replayed"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = grow_lines(app, edition_id, cashier_id, args.lines)
    compute, attached, payouts, figures_time, counted = payouts_seconds(app, edition_id)
    print(
        f"compute all payouts of an edition with {lines:,} sale lines: {compute:.2f} s "
        f"({attached:,} lines attached to {payouts:,} payouts)"
    )
    print(f"edition_sales_figures over {counted:,} lines: {figures_time * 1000:.0f} ms")
    if scratch:
        for name in Path(scratch).iterdir():
            name.unlink()
        Path(scratch).rmdir()


if __name__ == "__main__":
    main()
