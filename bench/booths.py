"""Benchmark of the booths, in a throw-away SQLite database (not a timed test).

    .venv/bin/python bench/booths.py [--keep /tmp/booths-bench.db]

Prints:
- seconds to render the 60 badges of a site as one PDF (A6 pages, and A4 print sheets), the
  ratio (60 badges) / (1 badge);
- the allocation time for 60 and for 1,000 cooperatives: the whole service (locks, writes,
  badges issued and signed) and the pure planner alone;
each also as a ratio to GET /healthz of the same app measured in the same run.
"""

import argparse
import os
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

PASSWORD = "bench-pass-2026"
STARTS_ON = date.today() + timedelta(days=60)
PROVINCES = [
    ("Meknès", "Meknès"),
    ("El Hajeb", "El Hajeb"),
    ("Fès", "Fès"),
    ("Ifrane", "Azrou"),
    ("Sefrou", "Sefrou"),
    ("Taza", "Taza"),
    ("Taounate", "Taounate"),
    ("Boulemane", "Missour"),
]
SECTORS = ["honey", "olive_oil", "medicinal_herbs", "figs_dried_fruit", "carpentry_wood", "pottery"]


def timed(action, repeat=1):
    """Median seconds of `repeat` runs of action()."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def healthz_seconds(client, repeat=300):
    client.get("/healthz")
    return timed(lambda: client.get("/healthz"), repeat)


def make_edition(organiser, area_m2):
    from markets import services

    edition = services.create_edition(
        {
            "slug": "bench-booths",
            "number": 9,
            "names": {"fr": "Banc d'essai des stands", "ar": "اختبار الأروقة"},
            "visitor_target": 10000,
            "starts_on": STARTS_ON,
            "ends_on": STARTS_ON + timedelta(days=7),
        },
        organiser,
    )
    for slug, city in (("meknes", "Meknès"), ("el-hajeb", "El Hajeb")):
        services.create_site(
            edition,
            {
                "slug": slug,
                "city": city,
                "names": {"fr": city, "ar": "مكناس" if slug == "meknes" else "الحاجب"},
                "area_m2": area_m2,
                "opens_on": STARTS_ON,
                "closes_on": STARTS_ON + timedelta(days=7),
                "opens_minute": 600,
                "closes_minute": 1320,
                "visitor_target": 5000,
                "gates": ["gate-main"],
            },
            organiser,
        )
    services.change_status(edition, "published", organiser)
    return edition


def add_cooperatives(count, prefix):
    from booths.models import Cooperative

    first = (db.session.query(db.func.max(Cooperative.id)).scalar() or 0) + 1
    rows = []
    for index in range(count):
        province, city = PROVINCES[index % len(PROVINCES)]
        sector = SECTORS[index % len(SECTORS)]
        rows.append(
            {
                "id": first + index,
                "name_ar": f"تعاونية الأمل رقم {index + 1}",
                "name_latin": f"Coopérative Al Amal {index + 1}",
                "legal_form": "cooperative",
                "registration_number": f"{prefix}-{index:05d}",
                "province": province,
                "city": city,
                "sectors": [sector],
                "main_sector": sector,
                "products": "produits du terroir",
                "members": 20,
                "women_members": 12,
                "young_members": 6,
                "contact_name": f"Fatima Zahra {index + 1}",
                "phone": "0612345678",
                "agreement_status": "signed",
                "created_at": datetime(2022, 1, 1),
            }
        )
    db.session.execute(insert(Cooperative), rows)
    return [row["id"] for row in rows]


def add_applications(site, cooperative_ids):
    from booths.models import Application

    rows = [
        {
            "cooperative_id": cooperative_id,
            "site_id": site.id,
            "stall_type": "standard",
            "needs": [],
            "products": "miel",
            "representatives": [{"name": f"ممثل التعاونية {n + 1}", "phone": "0612345678"}],
            "status": "approved",
            "reason": "",
            "created_at": datetime(2022, 10, 1) + timedelta(minutes=n),
            "waitlisted_by_allocation": False,
        }
        for n, cooperative_id in enumerate(cooperative_ids)
    ]
    db.session.execute(insert(Application), rows)


def bench_allocation(site, count, organiser):
    """(service seconds, planner seconds) to allocate `count` cooperatives on a fresh plan."""
    from booths import services
    from booths.services.allocation import (
        allocation_candidates,
        candidate_of,
        plan_allocation,
        slot_of,
    )

    add_applications(site, add_cooperatives(count, f"B{count}"))
    services.generate_floor_plan(
        site, services.LayoutRule(standard=int(count * 1.1), food_share=0.7), organiser
    )
    db.session.commit()
    slots = [slot_of(stall) for stall in services.site_stalls(site)]
    candidates = [candidate_of(application) for application in allocation_candidates(site)]
    db.session.commit()
    planner = timed(lambda: plan_allocation(slots, candidates), repeat=5)
    service = timed(lambda: services.allocate_stalls(site, organiser))
    db.session.commit()
    return service, planner


def run(database_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}",
            "SECRET_KEY": "bench",
            "TESTING": True,
        }
    )
    client = app.test_client()
    with app.app_context():
        db.drop_all()
        db.create_all()
        from accounts.services import create_user
        from booths import services

        organiser = create_user("organiser", PASSWORD, "organiser")
        edition = make_edition(organiser, area_m2=12000)
        db.session.commit()
        baseline = healthz_seconds(client)
        small_site, large_site = sorted(edition.sites, key=lambda site: site.slug)
        allocation_60 = bench_allocation(small_site, 60, organiser)
        allocation_1000 = bench_allocation(large_site, 1000, organiser)
        with app.test_request_context():
            badges = services.site_badges(small_site)
            assert len(badges) == 60
            services.badges_pdf(badges[:1])  # warm up fonts and templates
            one = timed(lambda: services.badges_pdf(badges[:1]), repeat=5)
            sixty = timed(lambda: services.badges_pdf(badges), repeat=3)
            sheets = timed(lambda: services.badges_pdf(badges, layout="sheet"), repeat=3)
    report(baseline, one, sixty, sheets, allocation_60, allocation_1000)


def report(baseline, one, sixty, sheets, allocation_60, allocation_1000):
    def line(label, seconds):
        print(f"{label:<52} {seconds:9.3f} s  {seconds / baseline:12,.0f} × /healthz")

    print(f"{'GET /healthz (baseline, median of 300)':<52} {baseline * 1000:9.3f} ms")
    line("badge PDF, 1 badge (A6)", one)
    line("badge PDF, 60 badges of a site (A6 pages)", sixty)
    line("badge PDF, 60 badges of a site (A4 sheets, cut marks)", sheets)
    print(f"{'ratio 60 badges / 1 badge':<52} {sixty / one:9.1f}")
    line("allocation service, 60 cooperatives", allocation_60[0])
    line("allocation service, 1,000 cooperatives", allocation_1000[0])
    line("allocation planner alone, 60 cooperatives", allocation_60[1])
    line("allocation planner alone, 1,000 cooperatives", allocation_1000[1])
    print(f"{'ratio service 1,000 / 60':<52} {allocation_1000[0] / allocation_60[0]:9.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="keep the SQLite database at this path")
    arguments = parser.parse_args()
    if arguments.keep:
        run(arguments.keep)
        return
    handle, path = tempfile.mkstemp(prefix="booths-bench-", suffix=".db")
    os.close(handle)
    try:
        run(path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


if __name__ == "__main__":
    main()
