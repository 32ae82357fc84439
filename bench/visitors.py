"""Benchmark of gate scanning under gunicorn (2 workers), in a throw-away database.

    .venv/bin/python bench/visitors.py [--database postgresql://...] [--port 5102]

Prints:
- requests per second of single-scan POST /api/v1/scans divided by requests per second of
  GET /healthz, both against the same server in the same run (same client threads);
- seconds to ingest 10,000 scans sent in batches of 500;
- the time of GET /api/v1/editions/<edition>/attendance with 1,000,000 scans in the database
  divided by its time with 10,000 (and, for comparison, the same ratio for a plain GROUP BY
  over the scans table, which the hourly counters spare the dashboard).
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

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
SLUG = "bench-visitors"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--port", type=int, default=5102)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each rate run")
    parser.add_argument("--scans", type=int, default=1_000_000, help="scans for the large case")
    return parser.parse_args()


# ---------------------------------------------------------------- set-up


def prepare(app, tickets_needed):
    """An open edition (round the clock), a volunteer with a token, and signed tickets."""
    from accounts.services import create_user, issue_api_token
    from markets.tokens import current_signing_key, sign_token
    from visitors.models import Ticket
    from visitors.services.counters import add_ticket_counts, ticket_increments

    with app.app_context():
        db.drop_all()
        db.create_all()
        organiser = create_user("bench-organiser", PASSWORD, "organiser")
        volunteer = create_user("bench-volunteer", PASSWORD, "volunteer")
        edition = open_round_the_clock_edition(
            organiser, SLUG, "Banc d'essai", 3, ["gate-north", "gate-south"]
        )
        token, _expires = issue_api_token(volunteer)
        key = current_signing_key(edition)
        codes, rows = [], []
        for _index in range(tickets_needed):
            token_id, code = sign_token(edition, "V", key=key)
            codes.append(code)
            rows.append(
                {"edition_id": edition.id, "token_id": token_id, "code": code, "source": "batch"}
            )
        db.session.execute(insert(Ticket), rows)
        add_ticket_counts(ticket_increments(rows))  # what the ticket services keep
        db.session.commit()
        return token, codes, edition.id, volunteer.id


# ---------------------------------------------------------------- HTTP


def scan(code, gate="gate-north", site="meknes"):
    return {
        "id": field_app_id(),
        "code": code,
        "edition": SLUG,
        "site": site,
        "checkpoint": gate,
        "scanned_at": datetime.now().astimezone().isoformat(),
    }


def median_seconds(action, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---------------------------------------------------------------- big history


def grow_scans(app, edition_id, volunteer_id, target):
    """Add scans (with their first entries and hourly counters) until `target` rows exist."""
    from visitors.models import AttendanceHour, EditionEntry, FirstEntry, Scan
    from visitors.services.counters import CounterIncrements, add_to_counters

    with app.app_context():
        sites = [
            row[0]
            for row in db.session.execute(
                text("SELECT id FROM sites WHERE edition_id = :e ORDER BY id"), {"e": edition_id}
            )
        ]
        existing = db.session.scalar(select(func.count()).select_from(Scan))
        start = datetime.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=2)
        chunk, made = 20_000, existing
        while made < target:
            size = min(chunk, target - made)
            increments, scans, entries, edition_entries = CounterIncrements(), [], [], []
            for index in range(size):
                number = made + index
                site_id = sites[number % len(sites)]
                moment = start + timedelta(seconds=(number * 7) % (2 * 24 * 3600))
                token_id = f"{number:016x}"
                first = number % 3 != 0
                scans.append(
                    {
                        "client_id": str(uuid.UUID(int=number + 1)),
                        "edition_id": edition_id,
                        "site_id": site_id,
                        "checkpoint": "gate-north",
                        "direction": "in",
                        "code": "SK1.bench",
                        "token_id": token_id,
                        "kind": "visitor",
                        "status": "accepted" if first else "reentry",
                        "scanned_at": moment,
                        "received_at": moment,
                        "user_id": volunteer_id,
                    }
                )
                if first:
                    entries.append(
                        {
                            "edition_id": edition_id,
                            "site_id": site_id,
                            "token_id": token_id,
                            "scan_client_id": scans[-1]["client_id"],
                            "entered_at": moment,
                        }
                    )
                    edition_entries.append(
                        {"edition_id": edition_id, "token_id": token_id, "entered_at": moment}
                    )
                increments.add(
                    edition_id,
                    site_id,
                    moment,
                    visitors=int(first),
                    entries=1,
                    new_to_edition=int(first),
                )
            db.session.execute(insert(Scan), scans)
            db.session.execute(insert(FirstEntry), entries)
            db.session.execute(insert(EditionEntry), edition_entries)
            add_to_counters(increments)
            db.session.commit()
            made += size
        return db.session.scalar(select(func.count()).select_from(AttendanceHour))


def group_by_seconds(app, repeat=5):
    from visitors.models import Scan

    with app.app_context():
        statement = (
            select(Scan.site_id, Scan.status, func.count())
            .where(Scan.status.in_(("accepted", "reentry")))
            .group_by(Scan.site_id, Scan.status)
        )
        return median_seconds(lambda: db.session.execute(statement).all(), repeat)


# ---------------------------------------------------------------- main


def main():
    args = parse_arguments()
    scratch = None
    database_url = args.database
    if not database_url:
        scratch = tempfile.mkdtemp(prefix="visitors-bench-")
        database_url = f"sqlite:///{scratch}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    token, codes, edition_id, volunteer_id = prepare(app, 60_000)
    with app.app_context():
        db.engine.dispose()
    server = start_server(args.workers, args.port, database_url)
    try:
        port, threads = args.port, args.threads
        attendance = f"/api/v1/editions/{SLUG}/attendance"
        healthz = rate(args.seconds, threads, lambda: request(port, "GET", "/healthz"))
        pool = iter(codes)
        lock = threading.Lock()

        def one_scan():
            with lock:
                code = next(pool)
            return request(port, "POST", "/api/v1/scans", {"scans": [scan(code)]}, token)

        scans_rate = rate(args.seconds, threads, one_scan)
        print(
            f"GET /healthz: {healthz:,.0f} requests/s ({threads} client threads, {args.workers} workers)"
        )
        print(f"single-scan POST /api/v1/scans: {scans_rate:,.0f} requests/s")
        print(f"  ratio single scan / healthz: {scans_rate / healthz:.3f}")

        batch_codes = [next(pool) for _ in range(10_000)]
        start = time.perf_counter()
        for offset in range(0, 10_000, 500):
            body = {
                "scans": [
                    scan(code, site="el-hajeb") for code in batch_codes[offset : offset + 500]
                ]
            }
            status, payload = request(port, "POST", "/api/v1/scans", body, token)
            results = json.loads(payload)["results"]
            assert status == 200 and all(r["status"] == "accepted" for r in results), payload[:300]
        ingest = time.perf_counter() - start
        print(
            f"ingest 10,000 scans in batches of 500: {ingest:.2f} s ({10_000 / ingest:,.0f} scans/s)"
        )

        # Attendance with 10,000 scans, then with 1,000,000.
        with app.app_context():
            db.session.execute(text("DELETE FROM first_entries"))
            db.session.execute(text("DELETE FROM edition_entries"))
            db.session.execute(text("DELETE FROM scans"))
            db.session.execute(text("DELETE FROM attendance_hours"))
            db.session.commit()
        grow_scans(app, edition_id, volunteer_id, 10_000)
        get = lambda: request(port, "GET", attendance, token=token)  # noqa: E731
        get()
        small = median_seconds(get, 30)
        small_group = group_by_seconds(app)
        counters = grow_scans(app, edition_id, volunteer_id, args.scans)
        get()
        large = median_seconds(get, 30)
        large_group = group_by_seconds(app)
        status, payload = get()
        answer = json.loads(payload)
        print(
            f"GET attendance: {small * 1000:.1f} ms with 10,000 scans, {large * 1000:.1f} ms with "
            f"{args.scans:,} ({answer['entries']:,} entries, {counters} hourly counter rows)"
        )
        print(f"  ratio attendance {args.scans:,} / 10,000 scans: {large / small:.2f}")
        print(
            f"  for comparison, GROUP BY over the scans table: {small_group * 1000:.1f} ms → "
            f"{large_group * 1000:.1f} ms (ratio {large_group / small_group:.0f})"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if scratch:
            for name in Path(scratch).iterdir():
                name.unlink()
            Path(scratch).rmdir()


if __name__ == "__main__":
    main()
