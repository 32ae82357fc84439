"""Benchmark: build the edition dashboard and the partners' PDF for the reference edition and
for one ten times larger, in a throw-away SQLite database.

    .venv/bin/python bench/report.py [--scale 10] [--keep /tmp/report-bench.db]

Reference: 60 cooperatives, 10,000 visitors (100,000 scans), 10,000 sale lines, 12 workshops.
Large: 600 cooperatives, 100,000 visitors, 1,000,000 scans, 100,000 sale lines, 120 workshops.
Every time is printed in milliseconds and as a ratio to GET /healthz of the same app in the
same run, then large / reference.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from core.extensions import db  # noqa: E402
from core.timeutil import local_to_utc_naive, to_local  # noqa: E402

PASSWORD = "bench-pass-2026"
STARTS_ON = date(2022, 11, 5)
DAYS = 9
SECTORS = ["honey", "figs_dried_fruit", "medicinal_herbs", "olive_oil", "carpentry_wood"]
PROVINCES = ["Meknès", "El Hajeb", "Fès", "Ifrane", "Sefrou", "Taza", "Taounate", "Boulemane"]
CHANNELS = ["store", "store", "store", "online", "retail"]
PAYMENTS = ["cash", "card", "mobile"]
CHUNK = 20000


def bulk(model, rows):
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def next_id(model):
    return (db.session.query(db.func.max(model.id)).scalar() or 0) + 1


def make_edition(slug, organiser, scale):
    from markets import services

    edition = services.create_edition(
        {
            "slug": slug,
            "number": scale,
            "names": {"fr": f"Édition ×{scale}", "ar": f"الدورة ×{scale}"},
            "visitor_target": 10000 * scale,
            "commission_basis_points": 1000,
            "starts_on": STARTS_ON,
            "ends_on": STARTS_ON + timedelta(days=DAYS - 1),
        },
        organiser,
    )
    for site_slug, city in (("meknes", "Meknès"), ("el-hajeb", "El Hajeb")):
        services.create_site(
            edition,
            {
                "slug": site_slug,
                "city": city,
                "names": {"fr": city},
                "area_m2": 750 * scale,
                "opens_on": STARTS_ON,
                "closes_on": STARTS_ON + timedelta(days=DAYS - 1),
                "opens_minute": 600,
                "closes_minute": 1320,
                "visitor_target": 5000 * scale,
                "gates": ["gate-north", "gate-south"],
            },
            organiser,
        )
    services.change_status(edition, "published", organiser)
    services.change_status(edition, "open", organiser)
    db.session.flush()
    return edition


def opening_moment(rng, day_index):
    day = STARTS_ON + timedelta(days=day_index)
    minute = rng.randint(600, 1319)
    return local_to_utc_naive(
        datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    )


def load_cooperatives_and_booths(edition, scale, rng):
    from booths.models import Application, Cooperative, Stall

    count = 60 * scale
    first = next_id(Cooperative)
    cooperatives = []
    for index in range(count):
        members = rng.randint(7, 60)
        cooperatives.append(
            {
                "id": first + index,
                "name_ar": f"تعاونية {edition.slug} {index}",
                "name_latin": f"Coopérative {edition.slug} {index}",
                "legal_form": "cooperative",
                "registration_number": f"{edition.slug}-{index:05d}",
                "province": PROVINCES[index % len(PROVINCES)],
                "city": "Meknès",
                "sectors": [SECTORS[index % len(SECTORS)]],
                "main_sector": SECTORS[index % len(SECTORS)],
                "products": "",
                "members": members,
                "women_members": rng.randint(0, members),
                "young_members": rng.randint(0, members),
                "agreement_status": "signed",
                "created_at": datetime(2022, 9, 1),
            }
        )
    bulk(Cooperative, cooperatives)
    sites = edition.sites
    first_application = next_id(Application)
    applications, stalls = [], []
    for index, cooperative in enumerate(cooperatives):
        site = sites[index % len(sites)]
        approved = rng.random() < 0.85
        application_id = first_application + index
        applications.append(
            {
                "id": application_id,
                "cooperative_id": cooperative["id"],
                "site_id": site.id,
                "stall_type": "standard",
                "needs": [],
                "products": "",
                "representatives": [],
                "status": "approved" if approved else "rejected",
                "reason": "",
                "created_at": datetime(2022, 10, 1),
            }
        )
        stalls.append(
            {
                "site_id": site.id,
                "code": f"S-{index:04d}",
                "x_m": 0.0,
                "y_m": float(index),
                "width_m": 3.0,
                "depth_m": 3.0 if index % 3 else 6.0,
                "amenities": [],
                "pinned": False,
                "application_id": application_id if approved else None,
            }
        )
    bulk(Application, applications)
    bulk(Stall, stalls)
    return cooperatives


def load_visitors(edition, scale, rng):
    from visitors.models import AttendanceHour, EditionEntry, FirstEntry, Scan, Ticket
    from visitors.services.counters import add_ticket_counts, ticket_increments

    visitors = 10000 * scale
    sites = edition.sites
    tickets, scans, firsts, hours = [], [], [], {}
    scan_number = 0
    for index in range(visitors):
        token = f"{edition.id:02d}{index:014d}"
        tickets.append(
            {
                "edition_id": edition.id,
                "token_id": token,
                "code": token,
                "consent": False,
                "source": "public",
                "created_at": datetime(2022, 11, 1),
            }
        )
        site = sites[index % len(sites)]
        day = rng.randrange(DAYS)
        for visit in range(10):  # one first entry and nine re-entries
            moment = opening_moment(rng, day if visit == 0 else rng.randrange(day, DAYS))
            if visit == 0:
                first_moment = moment
            scanned_at = max(moment, first_moment)
            scan_number += 1
            client_id = f"{edition.id}-{scan_number}"
            scans.append(
                {
                    "client_id": client_id,
                    "edition_id": edition.id,
                    "site_id": site.id,
                    "checkpoint": "gate-north",
                    "direction": "in",
                    "token_id": token,
                    "kind": "visitor",
                    "status": "accepted" if visit == 0 else "reentry",
                    "scanned_at": scanned_at,
                    "received_at": scanned_at,
                }
            )
            bucket = hours.setdefault(
                (site.id, scanned_at.replace(minute=0, second=0, microsecond=0)), [0, 0]
            )
            bucket[1] += 1
            if visit == 0:
                bucket[0] += 1
                firsts.append(
                    {
                        "edition_id": edition.id,
                        "site_id": site.id,
                        "token_id": token,
                        "scan_client_id": client_id,
                        "entered_at": scanned_at,
                    }
                )
    bulk(Ticket, tickets)
    add_ticket_counts(ticket_increments(tickets))  # what the ticket services keep
    bulk(Scan, scans)
    bulk(FirstEntry, firsts)
    # Each visitor of the benchmark goes to one site: the first entry there is the edition's too.
    bulk(
        EditionEntry,
        [
            {"edition_id": edition.id, "token_id": row["token_id"], "entered_at": row["entered_at"]}
            for row in firsts
        ],
    )
    bulk(
        AttendanceHour,
        [
            {
                "edition_id": edition.id,
                "site_id": site_id,
                "hour": hour,
                "visitors": counts[0],
                "edition_visitors": counts[0],
                "entries": counts[1],
                "tallied": 0,
            }
            for (site_id, hour), counts in sorted(hours.items())
        ],
    )
    return len(scans)


def load_sales(edition, cooperatives, scale, rng):
    from store.models import Payout, Product, Sale, SaleLine

    first_product = next_id(Product)
    products = []
    for index, cooperative in enumerate(cooperatives):
        for number in range(2):
            products.append(
                {
                    "id": first_product + len(products),
                    "cooperative_id": cooperative["id"],
                    "sku": f"{edition.slug}-{index}-{number}",
                    "barcode": f"{edition.id:02d}{index:06d}{number}",
                    "names": {"fr": f"Produit {index}-{number}"},
                    "unit": "piece",
                    "price_centimes": rng.randint(10, 400) * 100,
                    "sector": cooperative["main_sector"],
                    "low_stock_at": 5,
                    "blocked": False,
                    "active": True,
                    "created_at": datetime(2022, 10, 1),
                }
            )
    bulk(Product, products)
    sites = edition.sites
    line_count = 10000 * scale
    first_sale, first_payout = next_id(Sale), next_id(Payout)
    sales, lines, payouts = [], [], {}
    for number in range(line_count // 2):
        site = sites[number % len(sites)]
        sold_at = opening_moment(rng, rng.randrange(DAYS))
        channel, payment = rng.choice(CHANNELS), rng.choice(PAYMENTS)
        sale_lines = []
        for product in rng.sample(products, 2):
            quantity = rng.randint(1, 3)
            amount = quantity * product["price_centimes"]
            commission = (amount * 1000 + 5000) // 10000
            due_at = sold_at + (timedelta(days=10) if channel == "retail" else timedelta(hours=72))
            key = (product["cooperative_id"], to_local(due_at).date())
            payout = payouts.setdefault(
                key,
                {
                    "id": first_payout + len(payouts),
                    "edition_id": edition.id,
                    "cooperative_id": product["cooperative_id"],
                    "due_on": key[1],
                    "due_at": due_at,
                    "amount_centimes": 0,
                    "lines_count": 0,
                },
            )
            payout["amount_centimes"] += amount - commission
            payout["lines_count"] += 1
            payout["due_at"] = min(payout["due_at"], due_at)
            sale_lines.append(
                {
                    "sale_id": first_sale + number,
                    "kind": "sale",
                    "product_id": product["id"],
                    "cooperative_id": product["cooperative_id"],
                    "edition_id": edition.id,
                    "site_id": site.id,
                    "channel": channel,
                    "payment": payment,
                    "register": "till-1",
                    "quantity": quantity,
                    "unit_price_centimes": product["price_centimes"],
                    "amount_centimes": amount,
                    "commission_centimes": commission,
                    "owed_centimes": amount - commission,
                    "occurred_at": sold_at,
                    "local_day": to_local(sold_at).date(),
                    "due_at": due_at,
                    "due_on": key[1],
                    "payout_id": payout["id"],
                    "created_at": sold_at,
                }
            )
        lines.extend(sale_lines)
        sales.append(
            {
                "id": first_sale + number,
                "client_id": f"{edition.id}-sale-{number}",
                "edition_id": edition.id,
                "site_id": site.id,
                "register": "till-1",
                "channel": channel,
                "payment": payment,
                "source": "pos",
                "total_centimes": sum(line["amount_centimes"] for line in sale_lines),
                "sold_at": sold_at,
                "recorded_at": sold_at,
            }
        )
    for payout in payouts.values():
        if rng.random() < 0.9:
            late = rng.random() < 0.2
            payout["paid_at"] = payout["due_at"] + timedelta(days=2 if late else -1)
            payout["reference"] = f"VIR-{payout['id']}"
    bulk(Sale, sales)
    bulk(Payout, list(payouts.values()))
    bulk(SaleLine, lines)
    return len(lines)


def load_workshops(edition, scale, rng):
    from workshops.models import Attendance, Feedback, Room, Workshop

    rooms = [
        Room(site_id=site.id, code="salle", names={"fr": "Salle"}) for site in edition.sites[:2]
    ]
    db.session.add_all(rooms)
    db.session.flush()

    topics = ["marketing", "online_selling", "management", "quality", "success_stories"]
    first_workshop, first_attendance = next_id(Workshop), next_id(Attendance)
    workshops, attendance, feedback = [], [], []
    for index in range(12 * scale):
        starts_at = opening_moment(rng, index % DAYS)
        workshops.append(
            {
                "id": first_workshop + index,
                "edition_id": edition.id,
                "site_id": edition.sites[index % 2].id,
                "titles": {"fr": f"Atelier {index}"},
                "descriptions": {},
                "topic": topics[index % len(topics)],
                "format": "workshop",
                "room_id": rooms[index % 2].id,
                "capacity": 30,
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=2),
                "audience": "public",
            }
        )
        for person in range(rng.randint(10, 30)):
            attendance_id = first_attendance + len(attendance)
            attendance.append(
                {
                    "id": attendance_id,
                    "workshop_id": first_workshop + index,
                    "person_name": f"Participant {person}",
                    "gender": rng.choice(["female", "male", None]),
                    "under_35": rng.choice([True, False, None]),
                    "source": "walk_in",
                    "key": f"{edition.id}-{index}-{person}",
                    "attended_at": starts_at,
                }
            )
            if person % 2 == 0:
                feedback.append(
                    {
                        "workshop_id": first_workshop + index,
                        "attendance_id": attendance_id,
                        "rating": rng.randint(2, 5),
                    }
                )
    bulk(Workshop, workshops)
    bulk(Attendance, attendance)
    bulk(Feedback, feedback)


def load_edition(slug, organiser, scale):
    rng = random.Random(2022 + scale)
    started = time.perf_counter()
    edition = make_edition(slug, organiser, scale)
    cooperatives = load_cooperatives_and_booths(edition, scale, rng)
    scans = load_visitors(edition, scale, rng)
    lines = load_sales(edition, cooperatives, scale, rng)
    load_workshops(edition, scale, rng)
    db.session.commit()
    print(
        f"loaded {slug}: {len(cooperatives)} cooperatives, {10000 * scale} visitors, "
        f"{scans} scans, {lines} sale lines in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return edition


def settle_database():
    """What an operator does after a bulk load: statistics for the planner, WAL checkpointed."""
    db.session.remove()
    connection = db.engine.raw_connection()
    try:
        connection.driver_connection.execute("ANALYZE")
        connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def timed(client, url, repeat):
    """Median wall time (ms) of GET url, after one warm-up request."""
    client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def figures_time(edition, repeat):
    from report.figures import edition_report

    edition_report(edition)  # warm-up: imports, compiled queries, page cache
    times = []
    for _ in range(repeat):
        db.session.expire_all()
        started = time.perf_counter()
        edition_report(edition)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="size of the large edition")
    parser.add_argument("--keep", help="database file to keep (default: a temporary file)")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    path = options.keep or os.path.join(tempfile.mkdtemp(prefix="report-bench-"), "bench.db")
    if os.path.exists(path):
        os.remove(path)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        from accounts.services import create_user
        from markets.services import get_edition

        db.create_all()
        organiser = create_user("organiser", PASSWORD, "organiser", full_name="Bench")
        db.session.commit()
        editions = {
            "reference": load_edition("bench-reference", organiser, 1),
            "large": load_edition("bench-large", organiser, options.scale),
        }
        slugs = {name: edition.slug for name, edition in editions.items()}
        settle_database()
        figures = {
            name: figures_time(get_edition(slug), options.repeat) for name, slug in slugs.items()
        }
    client = app.test_client()
    response = client.post("/login", data={"username": "organiser", "password": PASSWORD})
    assert response.status_code in (302, 303)
    healthz = timed(client, "/healthz", 200)
    results = {}
    for name, slug in slugs.items():
        results[name] = {
            "figures": figures[name],
            "dashboard": timed(client, f"/editions/{slug}/dashboard", options.repeat),
            "pdf": timed(client, f"/editions/{slug}/report.pdf?language=fr", options.repeat),
            "pdf_ar": timed(client, f"/editions/{slug}/report.pdf?language=ar", options.repeat),
        }
    print(f"\nbaseline GET /healthz: {healthz:.2f} ms (median of 200)")
    print(f"{'':28}{'reference':>22}{'large (×' + str(options.scale) + ')':>24}{'large/ref':>12}")
    for measure, label in (
        ("figures", "figures (edition_report)"),
        ("dashboard", "GET dashboard"),
        ("pdf", "GET PDF (French)"),
        ("pdf_ar", "GET PDF (Arabic)"),
    ):
        reference, large = results["reference"][measure], results["large"][measure]
        print(
            f"{label:28}{reference:9.0f} ms ({reference / healthz:6.0f}×){large:10.0f} ms "
            f"({large / healthz:6.0f}×){large / reference:11.2f}"
        )
    if not options.keep:
        os.remove(path)


if __name__ == "__main__":
    main()
