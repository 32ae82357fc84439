"""Benchmark: opening the point of sale on a phone with 2,000 products (not a timed test).

    .venv/bin/python bench/pos.py [--database postgresql://...] [--port 5104] [--products 2000]

Runs the app under gunicorn in a throw-away database, signs a cashier in from headless Chromium
with a 390×844 viewport, opens the till page and prints:
- milliseconds until the page is ready and until the product tiles are drawn from the fresh
  catalogue, cold (empty cache) and warm (reload), against the milliseconds of GET /healthz
  opened in the same browser in the same run (the ratio is what to compare between runs);
- bytes of the page, of the catalogue answer (GET /api/v1/products) and in total.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from app import create_app  # noqa: E402
from bench.harness import open_round_the_clock_edition, start_server  # noqa: E402
from core.extensions import db  # noqa: E402

PASSWORD = "bench-pass-2026"
SLUG = "bench-pos"
SECTORS = ("honey", "olive_oil", "argan", "figs_dried_fruit", "medicinal_herbs", "couscous_cereals")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--port", type=int, default=5104)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


def prepare(app, count):
    """An open edition, 60 cooperatives, `count` products in stock at Meknès, a cashier."""
    from accounts.services import create_user
    from booths.models import Cooperative
    from store.models import Product, StockLevel

    with app.app_context():
        db.drop_all()
        db.create_all()
        organiser = create_user("bench-organiser", PASSWORD, "organiser")
        create_user("bench-cashier", PASSWORD, "cashier")
        edition = open_round_the_clock_edition(organiser, SLUG, "Banc d'essai", 30, ["gate-main"])
        db.session.execute(
            insert(Cooperative),
            [
                {
                    "name_ar": f"تعاونية رقم {n}",
                    "name_latin": f"Coopérative numéro {n}",
                    "registration_number": f"BENCH-{n:03d}",
                    "province": "Meknès",
                    "city": "Meknès",
                    "sectors": [SECTORS[n % len(SECTORS)]],
                    "main_sector": SECTORS[n % len(SECTORS)],
                    "members": 10,
                }
                for n in range(60)
            ],
        )
        cooperatives = db.session.scalars(select(Cooperative.id)).all()
        db.session.execute(
            insert(Product),
            [
                {
                    "cooperative_id": cooperatives[n % len(cooperatives)],
                    "sku": f"P-{n:05d}",
                    "barcode": f"611{n:010d}",
                    "names": {
                        "ar": f"عسل الزعتر {n} 500 غ",
                        "fr": f"Miel de thym {n} 500 g",
                        "en": f"Thyme honey {n} 500 g",
                        "es": f"Miel de tomillo {n} 500 g",
                    },
                    "unit": "jar",
                    "price_centimes": 1000 + 37 * n,
                    "sector": SECTORS[n % len(SECTORS)],
                    "low_stock_at": 5,
                    "blocked": False,
                    "active": True,
                }
                for n in range(count)
            ],
        )
        site = next(site for site in edition.sites if site.slug == "meknes")
        db.session.execute(
            insert(StockLevel),
            [
                {"product_id": product_id, "site_id": site.id, "quantity": 50}
                for product_id in db.session.scalars(select(Product.id))
            ],
        )
        db.session.commit()


def measure(port, runs):
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    pos_url = f"{base}/store/editions/{SLUG}/sites/meknes/pos"
    results = {"healthz": [], "cold_ready": [], "cold_tiles": [], "warm_tiles": []}
    sizes = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for _run in range(runs):
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
            page = context.new_page()
            page.goto(f"{base}/healthz")  # the new context's first navigation warms it up
            started = time.perf_counter()
            page.goto(f"{base}/healthz")
            results["healthz"].append((time.perf_counter() - started) * 1000)
            page.goto(f"{base}/login")
            page.fill("#username", "bench-cashier")
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            transferred = {}

            def count(response, transferred=transferred):
                try:
                    transferred[response.url] = len(response.body())
                except Exception:  # redirects and aborted requests have no body
                    pass

            page.on("response", count)
            started = time.perf_counter()
            page.goto(pos_url)
            page.wait_for_selector("#pos[data-ready='1']")
            results["cold_ready"].append((time.perf_counter() - started) * 1000)
            page.wait_for_function(
                "document.querySelectorAll('#results li').length > 0 && "
                "document.querySelector('#products-age').textContent.length > 0"
            )
            results["cold_tiles"].append((time.perf_counter() - started) * 1000)
            page.wait_for_timeout(300)
            sizes = {
                "page": sum(size for url, size in transferred.items() if url.startswith(pos_url)),
                "catalogue": sum(
                    size for url, size in transferred.items() if "/api/v1/products" in url
                ),
                "total": sum(transferred.values()),
            }
            started = time.perf_counter()
            page.reload()
            page.wait_for_function("document.querySelectorAll('#results li').length > 0")
            results["warm_tiles"].append((time.perf_counter() - started) * 1000)
            context.close()
        browser.close()
    return {name: statistics.median(values) for name, values in results.items()}, sizes


def main():
    args = parse_arguments()
    database_url = args.database
    if not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='pos-bench-')}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    prepare(app, args.products)
    with app.app_context():
        db.engine.dispose()
    server = start_server(args.workers, args.port, database_url)
    try:
        times, sizes = measure(args.port, args.runs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    healthz = times["healthz"]
    print(f"phone 390x844, {args.products:,} products, median of {args.runs} runs")
    print(f"GET /healthz in the browser: {healthz:.0f} ms")
    for name, label in (
        ("cold_ready", "POS page ready (cold)"),
        ("cold_tiles", "POS tiles drawn from the fresh catalogue (cold)"),
        ("warm_tiles", "POS tiles drawn after a reload (warm)"),
    ):
        print(f"{label}: {times[name]:.0f} ms  (ratio to healthz {times[name] / healthz:.1f})")
    print(
        f"bytes: page {sizes['page']:,}, catalogue {sizes['catalogue']:,}, "
        f"everything {sizes['total']:,}"
    )


if __name__ == "__main__":
    main()
